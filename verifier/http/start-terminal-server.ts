import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Terminal } from '../terminal/terminal.js';
import { createTerminalApp } from './create-terminal-app.js';
import type { TerminalHttpLog } from './terminal-http-log.js';

/** A running terminal API. */
export interface TerminalServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  /** Stops accepting connections, closes idle ones, and resolves once the server is closed. */
  close(): Promise<void>;
}

/** A whole request (headers and a ≤ 64 KiB body) must arrive within this time, in milliseconds. */
export const TERMINAL_REQUEST_TIMEOUT_MS = 10_000;

/**
 * Serves {@link createTerminalApp} on `host:port` (default loopback, and a
 * free port). The API is local: bind it to another address only behind the
 * terminal's own network controls.
 *
 * @throws Node's listen errors (e.g. `EADDRINUSE`), as the promise's rejection.
 *
 * @example
 * ```ts
 * const server = await startTerminalServer({ terminal, port: 8080 });
 * console.log(`terminal API on ${server.url}`);
 * // … on shutdown:
 * await server.close();
 * ```
 */
export async function startTerminalServer({
  terminal,
  host = '127.0.0.1',
  port = 0,
  log,
}: {
  terminal: Terminal;
  host?: string;
  port?: number;
  log?: TerminalHttpLog;
}): Promise<TerminalServer> {
  const app = createTerminalApp(log === undefined ? { terminal } : { terminal, log });
  const server = createServer(app);
  server.requestTimeout = TERMINAL_REQUEST_TIMEOUT_MS;
  server.headersTimeout = Math.min(server.headersTimeout, TERMINAL_REQUEST_TIMEOUT_MS);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${address.port}`,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
