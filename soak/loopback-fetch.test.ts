import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLoopbackFetch, loopbackClientAddress } from './loopback-fetch.js';

/** What the test server saw of one request. */
interface Seen {
  peer: string | undefined;
  method: string | undefined;
  contentType: string | undefined;
  body: string;
}

describe('loopbackClientAddress', () => {
  it('numbers clients from 127.0.1.0, never in 127.0.0.0/24 where the servers listen', () => {
    expect(loopbackClientAddress(0)).toBe('127.0.1.0');
    expect(loopbackClientAddress(1)).toBe('127.0.1.1');
    expect(loopbackClientAddress(255)).toBe('127.0.1.255');
    expect(loopbackClientAddress(256)).toBe('127.0.2.0');
    expect(loopbackClientAddress(65_280)).toBe('127.1.0.0');
    expect(loopbackClientAddress(0xffffff - 256)).toBe('127.255.255.255');
  });

  it('refuses negative, fractional and out-of-range client numbers', () => {
    expect(() => loopbackClientAddress(-1)).toThrow(RangeError);
    expect(() => loopbackClientAddress(1.5)).toThrow(RangeError);
    expect(() => loopbackClientAddress(0xffffff - 255)).toThrow(RangeError);
  });
});

describe('createLoopbackFetch', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ peer: req.socket.remoteAddress, method: req.method, contentType: req.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
        if (req.url === '/empty') return void res.writeHead(204).end();
        if (req.url === '/moved') return void res.writeHead(302, { location: '/elsewhere' }).end();
        if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2_000).unref();
        res.setHeader('content-type', 'application/json');
        res.setHeader('set-cookie', ['a=1', 'b=2']);
        res.writeHead(req.url === '/missing' ? 404 : 200).end(JSON.stringify({ peer: req.socket.remoteAddress }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('connects from its own loopback address: the server sees that address as the peer', async () => {
    const first = createLoopbackFetch({ localAddress: loopbackClientAddress(41) });
    const second = createLoopbackFetch({ localAddress: loopbackClientAddress(42) });
    const a = await first(`${base}/who?x=1`);
    const b = await second(`${base}/who`);
    expect(a.status).toBe(200);
    expect(await a.json()).toEqual({ peer: '127.0.1.41' });
    expect(await b.json()).toEqual({ peer: '127.0.1.42' });
    expect(a.headers.get('content-type')).toBe('application/json');
    expect(a.headers.get('set-cookie')).toBe('a=1, b=2');
  });

  it('sends JSON, form and multipart bodies as the Fetch API encodes them', async () => {
    const fetch = createLoopbackFetch({ localAddress: '127.0.9.9' });
    await fetch(`${base}/json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: 1 }) });
    expect(seen.at(-1)).toMatchObject({ peer: '127.0.9.9', method: 'POST', contentType: 'application/json', body: '{"a":1}' });
    await fetch(`${base}/form`, { method: 'POST', body: new URLSearchParams({ grant_type: 'x', code: 'y z' }) });
    expect(seen.at(-1)).toMatchObject({ contentType: 'application/x-www-form-urlencoded;charset=UTF-8', body: 'grant_type=x&code=y+z' });
    const form = new FormData();
    form.set('kind', 'proof_of_address');
    form.set('file', new Blob([Buffer.from('%PDF-1.4 test')], { type: 'application/pdf' }), 'proof.pdf');
    await fetch(`${base}/upload`, { method: 'POST', body: form });
    const upload = seen.at(-1)!;
    expect(upload.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload.body).toContain('name="kind"');
    expect(upload.body).toContain('%PDF-1.4 test');
  });

  it('returns error statuses and empty answers as responses', async () => {
    const fetch = createLoopbackFetch({ localAddress: '127.0.9.10' });
    expect((await fetch(`${base}/missing`)).status).toBe(404);
    const empty = await fetch(`${base}/empty`, { method: 'DELETE' });
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
  });

  it('rejects a redirect unless asked for manual redirects', async () => {
    const fetch = createLoopbackFetch({ localAddress: '127.0.9.11' });
    await expect(fetch(`${base}/moved`, { redirect: 'error' })).rejects.toThrow(TypeError);
    await expect(fetch(`${base}/moved`)).rejects.toThrow(TypeError);
    expect((await fetch(`${base}/moved`, { redirect: 'manual' })).status).toBe(302);
  });

  it('stops when its signal aborts', async () => {
    const fetch = createLoopbackFetch({ localAddress: '127.0.9.12' });
    await expect(fetch(`${base}/slow`, { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ name: 'TimeoutError' });
    const aborted = new AbortController();
    aborted.abort();
    await expect(fetch(`${base}/who`, { signal: aborted.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses non-loopback targets, https, and a non-loopback local address', async () => {
    const fetch = createLoopbackFetch({ localAddress: '127.0.9.13' });
    await expect(fetch('http://192.0.2.1/x')).rejects.toThrow(/only http:\/\/ URLs to a 127/);
    await expect(fetch('https://127.0.0.1/x')).rejects.toThrow(/only http:\/\//);
    await expect(fetch('http://localhost/x')).rejects.toThrow(/only http:\/\//);
    expect(() => createLoopbackFetch({ localAddress: '10.0.0.1' })).toThrow(TypeError);
    expect(() => createLoopbackFetch({ localAddress: '::1' })).toThrow(TypeError);
  });

  it('rejects with a TypeError when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(createLoopbackFetch({ localAddress: '127.0.9.14' })(`http://127.0.0.1:${port}/`)).rejects.toThrow('loopback fetch failed');
  });
});
