import { request as httpRequest } from 'node:http';
import { isIP } from 'node:net';

/** The `fetch` shape the wallet and the soak call (the global `fetch`'s). */
export type LoopbackFetch = (url: string, init?: RequestInit) => Promise<Response>;

/**
 * The `n`-th simulated client's own loopback address (`n` ≥ 0): 127.0.1.0,
 * 127.0.1.1, … up to 127.255.255.255 less 127.0.0.0/24 (where the servers
 * listen) — about 16.7 million clients. Linux routes all of 127.0.0.0/8 to
 * the loopback interface, so a socket bound to one of these reaches a
 * server listening on 127.0.0.1, which sees it as the peer address (what
 * the issuer's per-address rate limits key on).
 *
 * @throws RangeError when `n` is not an integer in range.
 *
 * @example
 * ```ts
 * loopbackClientAddress(0); // '127.0.1.0'
 * loopbackClientAddress(256); // '127.0.2.0'
 * ```
 */
export function loopbackClientAddress(n: number): string {
  const offset = n + 256;
  if (!Number.isInteger(n) || n < 0 || offset > 0xffffff) throw new RangeError('the client number is an integer from 0 to 16,776,959');
  return `127.${(offset >> 16) & 0xff}.${(offset >> 8) & 0xff}.${offset & 0xff}`;
}

/** Whether `host` (a URL's hostname) is an IPv4 loopback address. */
function isLoopbackV4(host: string): boolean {
  return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * A `fetch` over `node:http` whose connections leave from `localAddress`
 * (a 127.x.y.z address): the soak's simulated citizens each connect from
 * their own address, as real citizens come from their own. Node's global
 * `fetch` cannot bind a source address without the `undici` package's
 * `Agent`, which this repository does not depend on.
 *
 * Loopback only: `http:` URLs to a 127.x.y.z host. One connection per
 * request (no keep-alive). Redirects are never followed: with
 * `redirect: 'error'` (the wallet's setting) a 3xx answer rejects like
 * `fetch` does; with `'manual'` it is returned; the default `'follow'`
 * rejects too (nothing here needs one).
 *
 * @throws TypeError (as a rejected promise) for a non-loopback or non-http
 *   URL, a redirect, a network error; the signal's reason when aborted.
 *
 * @example
 * ```ts
 * const fetch = createLoopbackFetch({ localAddress: loopbackClientAddress(7) });
 * await receiveOffer({ store, offer, txCode, fetch });
 * ```
 */
export function createLoopbackFetch({ localAddress }: { localAddress: string }): LoopbackFetch {
  if (!isLoopbackV4(localAddress)) throw new TypeError('the local address must be an IPv4 loopback address (127.x.y.z)');
  return async (url, init = {}) => {
    const target = new URL(url);
    if (target.protocol !== 'http:' || !isLoopbackV4(target.hostname)) throw new TypeError('loopback fetch: only http:// URLs to a 127.x.y.z host');
    // The Fetch API's own body and header rules (FormData → multipart with its boundary, strings → text/plain, …).
    const { signal, ...rest } = init;
    const outgoing = new Request(target, rest);
    const body = outgoing.body === null ? undefined : Buffer.from(await outgoing.arrayBuffer());
    const headers: Record<string, string> = Object.fromEntries(outgoing.headers);
    if (body !== undefined) headers['content-length'] = String(body.length);
    headers['connection'] = 'close';
    signal?.throwIfAborted();

    const answer = await new Promise<{ status: number; statusText: string; headers: Headers; bytes: Buffer }>((resolve, reject) => {
      const req = httpRequest(
        { host: target.hostname, port: target.port === '' ? 80 : Number(target.port), path: `${target.pathname}${target.search}`, method: outgoing.method, headers, localAddress, ...(signal === undefined || signal === null ? {} : { signal }) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const received = new Headers();
            for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) received.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
            resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: received, bytes: Buffer.concat(chunks) });
          });
        },
      );
      req.on('error', (error) => reject(signal?.aborted === true ? signal.reason : new TypeError('loopback fetch failed', { cause: error })));
      req.end(body);
    });

    if (answer.status >= 300 && answer.status < 400 && init.redirect !== 'manual') throw new TypeError(`loopback fetch: redirect (${answer.status}) not followed`);
    const empty = answer.status === 204 || answer.status === 205 || answer.status === 304 || outgoing.method === 'HEAD';
    return new Response(empty ? null : answer.bytes, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
  };
}
