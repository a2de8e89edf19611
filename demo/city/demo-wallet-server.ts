/**
 * The browser wallet on its own loopback origin for the city demo: the
 * page and its bundle (`buildWalletBundle`) served by a tiny static file
 * server (node:http), with a CSP like the issuers' and the terminal's pages
 * that lets the page call the demo's issuers (their public OID4VCI surface
 * sends CORS headers: issuer/http/cors-for-wallets.ts) and nothing else.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { buildWalletBundle, WALLET_BUNDLE_FILE, WALLET_PAGE_FILES } from '../../web/wallet/build-wallet-bundle.js';

/** The only files served: the page's own and the bundle. */
const SERVED: ReadonlySet<string> = new Set<string>([...WALLET_PAGE_FILES, WALLET_BUNDLE_FILE]);
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** The page's policy: its own scripts and styles, QR images as data:/blob: URLs, fetches to itself and the given issuers only, no framing. */
export function walletPageCsp(issuerOrigins: readonly string[]): string {
  const connect = ["'self'", ...issuerOrigins].join(' ');
  return `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src ${connect}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`;
}

export interface DemoWalletServer {
  /** `http://127.0.0.1:<port>` (the page is at `/`). */
  url: string;
  stop(): Promise<void>;
}

/**
 * Builds the wallet into `outDir` and serves it on 127.0.0.1:`port` (0: a
 * free port). `/` is `index.html`; any other path than the page's files is 404.
 */
export async function startDemoWalletServer({ outDir, port, issuerUrls }: { outDir: string; port: number; issuerUrls: readonly string[] }): Promise<DemoWalletServer> {
  const { dir } = await buildWalletBundle({ outDir });
  const csp = walletPageCsp(issuerUrls.map((u) => new URL(u).origin));
  const server: Server = createServer((req, res) => {
    const common = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...common, Allow: 'GET, HEAD' }).end();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://wallet').pathname;
    const name = path === '/' ? 'index.html' : path.slice(1);
    if (!SERVED.has(name)) {
      res.writeHead(404, { ...common, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    readFile(join(dir, name)).then(
      (body) => {
        res.writeHead(200, { ...common, 'Content-Type': TYPES[extname(name)]!, 'Content-Length': body.length, 'Content-Security-Policy': csp });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      () => res.writeHead(500, common).end(),
    );
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolvePromise());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let stopping: Promise<void> | undefined;
  return {
    url,
    stop: () => {
      stopping ??= new Promise<void>((resolvePromise, reject) => {
        server.close((error) => (error === undefined ? resolvePromise() : reject(error)));
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}
