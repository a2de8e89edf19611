import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isUrbisError } from '../../../core/errors/urbis-error.js';
import { verifyWebhookSignature } from '../webhook-signature.js';

/** One request the test receiver got. */
export interface ReceivedWebhook {
  /** Path of the request (`/pools`, ...). */
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
  /** The raw body. */
  body: string;
  /** Whether `verifyWebhookSignature` accepted it; otherwise the receiver answered 400. */
  verified: boolean;
  /** The `UrbisError` message when it did not. */
  rejection?: string;
}

/** What the receiver does with the `count`-th request (1-based, per path): answer a status, or never answer. */
export type ReceiverScript = (request: { count: number; path: string }) => number | 'hang';

/** A local department endpoint for the dispatcher tests. */
export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  requests: ReceivedWebhook[];
  /** Resolves at the next request received. */
  nextRequest(): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

/**
 * Starts a real `node:http` server on 127.0.0.1 (random port) that behaves
 * like a department: verifies each request with `verifyWebhookSignature`
 * (answering 400 when it fails), then answers what `script` says.
 */
export async function startWebhookReceiver({ secret, now, script }: { secret: string; now: () => number; script: ReceiverScript }): Promise<WebhookReceiver> {
  const requests: ReceivedWebhook[] = [];
  const counts = new Map<string, number>();
  let waiters: ((request: ReceivedWebhook) => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const header = req.headers['urbis-signature'];
      let rejection: string | undefined;
      try {
        verifyWebhookSignature({ secret, body, header: typeof header === 'string' ? header : undefined, now: now() });
      } catch (error) {
        rejection = isUrbisError(error) ? error.message : String(error);
      }
      const received: ReceivedWebhook = { path, method: req.method ?? '', headers: req.headers, body, verified: rejection === undefined, ...(rejection === undefined ? {} : { rejection }) };
      requests.push(received);
      const ready = waiters;
      waiters = [];
      for (const resolve of ready) resolve(received);
      if (rejection !== undefined) {
        res.writeHead(400).end();
        return;
      }
      const count = (counts.get(path) ?? 0) + 1;
      counts.set(path, count);
      const answer = script({ count, path });
      if (answer === 'hang') return; // never answer: the dispatcher must time out
      res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    nextRequest: () => new Promise((resolve) => waiters.push(resolve)),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
