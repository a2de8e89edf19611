import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Terminal } from '../terminal/terminal.js';
import { requestNonceOf } from '../testing/request-nonce.js';
import { createTerminalFixture, type TerminalFixture } from '../testing/terminal-fixture.js';
import { startTerminalServer, type TerminalServer } from './start-terminal-server.js';
import type { TerminalHttpLogEntry } from './terminal-http-log.js';

/** The terminal's local HTTP API (issue 6, point 4), through Node's fetch on loopback. */
describe('terminal HTTP API', () => {
  let fixture: TerminalFixture;
  let server: TerminalServer;
  const logged: TerminalHttpLogEntry[] = [];

  const problemOf = async (response: Response, status: number, code: string) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({ type: `https://urbis.city/problems/${code.toLowerCase().replace(/_/g, '-')}`, title: code.toLowerCase().replace(/_/g, ' '), status, code, detail: expect.any(String) });
    return body;
  };

  beforeAll(async () => {
    fixture = await createTerminalFixture();
    server = await startTerminalServer({ terminal: fixture.terminal, log: (entry) => logged.push(entry) });
  });
  afterAll(async () => {
    await server.close();
    await fixture.close();
  });

  it('startTerminalServer listens on loopback, on a free port by default', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  describe('GET /request', () => {
    it('a new request for a service: id, service, link with a fresh nonce, expiry, QR; not cached', async () => {
      const response = await fetch(`${server.url}/request?service=pools`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-powered-by')).toBeNull();
      expect(response.headers.get('etag')).toBeNull();
      const body = (await response.json()) as { id: string; serviceId: string; link: string; expiresAt: number; qr: { version: number; level: string; svg: string } };
      expect(Object.keys(body)).toEqual(['id', 'serviceId', 'link', 'expiresAt', 'qr']);
      expect(body).toMatchObject({ serviceId: 'pools', expiresAt: fixture.now + 120, qr: { version: expect.any(Number), level: expect.stringMatching(/^[LMQH]$/) } });
      expect(body.link).toMatch(/^openid4vp:\/\/\?client_id=urbis:terminal:gijon-pool-1&nonce=/);
      expect(body.qr.svg).toMatch(/^<svg/);
      const again = (await (await fetch(`${server.url}/request?service=pools`)).json()) as { link: string };
      expect(requestNonceOf(again)).not.toBe(requestNonceOf(body));
    });

    it('the answer to it verifies through POST /presentations/verify', async () => {
      const request = (await (await fetch(`${server.url}/request?service=pools`)).json()) as { link: string };
      const { credential, holder } = await fixture.issue();
      const response = await fetch(`${server.url}/presentations/verify`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: await fixture.answer({ request, credential, holder }) });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({ ok: true, serviceId: 'pools', flow: 'request', accepted: 'entitlement', credentialType: 'ServiceEntitlementCredential', claims: { service_id: 'pools', tier: 'standard' }, warnings: [] });
    });

    it('an unknown service → 400 SERVICE_UNKNOWN; a missing or repeated one → 400 INVALID_ARGUMENT; the value is never echoed', async () => {
      const body = await problemOf(await fetch(`${server.url}/request?service=secret-service-7f3a`), 400, 'SERVICE_UNKNOWN');
      expect(JSON.stringify(body)).not.toContain('secret-service-7f3a');
      await problemOf(await fetch(`${server.url}/request`), 400, 'INVALID_ARGUMENT');
      await problemOf(await fetch(`${server.url}/request?service=`), 400, 'INVALID_ARGUMENT');
      await problemOf(await fetch(`${server.url}/request?service=pools&service=library`), 400, 'INVALID_ARGUMENT');
    });
  });

  describe('GET /health', () => {
    it("is the terminal's health report: counts and ages only", async () => {
      const response = await fetch(`${server.url}/health`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual(JSON.parse(JSON.stringify(fixture.terminal.health())));
    });
  });

  describe('other routes and methods', () => {
    it.each([
      ['GET', '/'],
      ['GET', '/presentations/verify'],
      ['POST', '/request'],
      ['DELETE', '/health'],
      ['GET', '/admin/../health/x'],
    ])('%s %s → 404 RESOURCE_NOT_FOUND', async (method, path) => {
      await problemOf(await fetch(`${server.url}${path}`, { method }), 404, 'RESOURCE_NOT_FOUND');
    });
  });

  describe('the log callback', () => {
    it('gets one entry per request: event, route pattern, status, ms, and a problem code; never a query, nonce, body or address', async () => {
      logged.length = 0;
      const request = (await (await fetch(`${server.url}/request?service=pools`)).json()) as { link: string };
      const nonce = requestNonceOf(request);
      const { credential, holder } = await fixture.issue();
      const presentation = await fixture.answer({ request, credential, holder });
      await fetch(`${server.url}/presentations/verify?service=pools`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: presentation });
      await fetch(`${server.url}/presentations/verify`, { method: 'POST', headers: { 'content-type': 'text/html' }, body: presentation });
      await fetch(`${server.url}/nothing-here?token=abc`);
      await fetch(`${server.url}/health`);
      expect(logged).toEqual([
        { event: 'http-request', route: 'GET /request', status: 200, ms: expect.any(Number) },
        { event: 'http-request', route: 'POST /presentations/verify', status: 200, ms: expect.any(Number) },
        { event: 'http-request', route: 'POST /presentations/verify', status: 415, ms: expect.any(Number), code: 'CONTENT_TYPE_UNSUPPORTED' },
        { event: 'http-request', route: 'unmatched', status: 404, ms: expect.any(Number), code: 'RESOURCE_NOT_FOUND' },
        { event: 'http-request', route: 'GET /health', status: 200, ms: expect.any(Number) },
      ]);
      const text = JSON.stringify(logged);
      for (const forbidden of [nonce, 'service=', 'token', 'nothing-here', '127.0.0.1', presentation.slice(0, 40), 'pools']) expect(text).not.toContain(forbidden);
    });

    it('a log callback that throws changes no answer', async () => {
      const throwing = await startTerminalServer({
        terminal: fixture.terminal,
        log: () => {
          throw new Error('log down');
        },
      });
      try {
        expect((await fetch(`${throwing.url}/health`)).status).toBe(200);
      } finally {
        await throwing.close();
      }
    });
  });

  it('a fault of the terminal → 500 INTERNAL problem, without its message', async () => {
    const faulty: Terminal = {
      ...fixture.terminal,
      verify: () => Promise.reject(new TypeError('secret detail 5d1e')),
    };
    const broken = await startTerminalServer({ terminal: faulty });
    try {
      const response = await fetch(`${broken.url}/presentations/verify`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x~' });
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ type: 'https://urbis.city/problems/internal', title: 'internal error', status: 500, code: 'INTERNAL' });
      expect(text).not.toContain('secret');
    } finally {
      await broken.close();
    }
  });

  it('close() stops the server: the port refuses connections', async () => {
    const other = await startTerminalServer({ terminal: fixture.terminal });
    expect((await fetch(`${other.url}/health`)).status).toBe(200);
    await other.close();
    await other.close(); // idempotent
    await expect(fetch(`${other.url}/health`)).rejects.toThrow();
  });
});
