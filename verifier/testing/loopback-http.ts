import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';

/**
 * A minimal HTTP client on `node:http` for the terminal's local API, in
 * tests and the latency benchmark. Not `fetch`: the offline proof replaces
 * the global `fetch` by one that throws, and the terminal must still be
 * reachable from its own loopback client. Test and benchmark support.
 */

/** An answer as received. */
export interface LoopbackResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body, as UTF-8 text. */
  text: string;
}

/**
 * Sends one request and reads the whole answer.
 *
 * @throws Node's socket errors (e.g. `ECONNREFUSED`), as the promise's rejection.
 * @example
 * ```ts
 * const { status, text } = await loopbackRequest({ url: `${server.url}/presentations/verify`, method: 'POST', headers: { 'content-type': 'text/plain' }, body: presentation });
 * ```
 */
export function loopbackRequest({
  url,
  method = 'GET',
  headers = {},
  body,
  agent,
}: {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | readonly (string | Uint8Array)[];
  agent?: Agent;
}): Promise<LoopbackResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const chunked = Array.isArray(body);
    const single = chunked ? undefined : (body as string | Uint8Array | undefined);
    const length = single === undefined ? undefined : typeof single === 'string' ? Buffer.byteLength(single) : single.length;
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method,
        headers: { ...(length === undefined ? {} : { 'content-length': String(length) }), ...headers },
        ...(agent === undefined ? {} : { agent }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (chunked) {
      for (const chunk of body as readonly (string | Uint8Array)[]) req.write(chunk);
      req.end();
    } else {
      req.end(single);
    }
  });
}
