import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { Terminal } from '../terminal/terminal.js';
import { readPresentationBody } from './presentation-body.js';
import { buildTerminalOpenApi } from './openapi/terminal-openapi.js';
import { problemHandler } from './problem-details.js';
import { requestLog, routeLabel, type TerminalHttpLog } from './terminal-http-log.js';

/** A folder of `web/` from the sources (or from the build, `.build/verifier/http/`). */
function webDir(name: string): string {
  const dirs = [`../../web/${name}/`, `../../../web/${name}/`].map((path) => fileURLToPath(new URL(path, import.meta.url)));
  return dirs.find((dir) => existsSync(dir)) ?? dirs[0]!;
}

/** The terminal screen's static page (issue 7) under `/screen/`, and the modules it shares with the other pages (`web/shared/`) under `/web-shared/`. */
const STATIC_MOUNTS = [
  ['/screen', webDir('terminal-screen')],
  ['/web-shared', webDir('shared')],
] as const;
const SCREEN_CSP = "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The terminal's local HTTP API (issue 6, point 4): a thin layer over a
 * {@link Terminal}, for the terminal's own screen and scanner.
 *
 * - `GET /request?service=<id>` → 200 `{ id, serviceId, link, expiresAt, qr: { version, level, svg } }`:
 *   a new request with a fresh nonce, and its QR.
 * - `POST /presentations/verify[?service=<id>]` → 200 with the terminal's
 *   verdict (`ok: true | false`, every failed check with its code): a
 *   rejected presentation is a normal answer, not an HTTP error. The body
 *   is the presentation as `text/plain`, `application/octet-stream`
 *   (compact QR bytes) or `application/json` `{ presentation, service? }`,
 *   at most 64 KiB, refused before parsing (see `readPresentationBody`).
 * - `GET /health` → 200 `terminal.health()`: counts and ages only.
 * - `GET /openapi.json` → 200 this API's OpenAPI 3.1 document (`openapi/terminal-openapi.ts`).
 * - `GET /screen/?service=<id>` → the terminal screen (static files of `web/terminal-screen/`);
 *   `GET /web-shared/*` → the modules it shares with the issuer's pages (`web/shared/`).
 *
 * Anything else is an RFC 9457 `application/problem+json` answer
 * (`RESOURCE_NOT_FOUND` for other routes). Every answer is
 * `Cache-Control: no-store` (requests carry nonces, verdicts claims). No
 * access log unless `log` is given, and then only route patterns, statuses,
 * times and problem codes (see `TerminalHttpLogEntry`).
 *
 * @example
 * ```ts
 * const app = createTerminalApp({ terminal });
 * app.listen(8080, '127.0.0.1');
 * ```
 */
export function createTerminalApp({ terminal, log }: { terminal: Terminal; log?: TerminalHttpLog }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use((_req, res, next) => {
    res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    next();
  });
  if (log !== undefined) app.use(requestLog({ log }));

  app.get('/request', routeLabel('GET /request'), async (req, res) => {
    const service = req.query['service'];
    if (typeof service !== 'string' || service.length === 0) throw new UrbisError('INVALID_ARGUMENT', 'the service query parameter is required, once');
    const { id, serviceId, link, expiresAt, qr } = await terminal.newRequest({ serviceId: service });
    res.json({ id, serviceId, link, expiresAt, qr: { version: qr.version, level: qr.level, svg: qr.svg } });
  });

  app.post('/presentations/verify', routeLabel('POST /presentations/verify'), async (req, res) => {
    const { presentation, serviceId } = await readPresentationBody({ req, res });
    res.json(await terminal.verify(serviceId === undefined ? { presentation } : { presentation, serviceId }));
  });

  app.get('/health', routeLabel('GET /health'), (_req, res) => {
    res.json(terminal.health());
  });

  const openApi = buildTerminalOpenApi();
  app.get('/openapi.json', routeLabel('GET /openapi.json'), (_req, res) => {
    res.json(openApi);
  });

  for (const [mount, dir] of STATIC_MOUNTS) {
    app.use(
      mount,
      (req, _res, next) => next(/^\/(?:[a-z0-9-]+\.(?:html|css|js))?$/.test(req.path) ? undefined : new UrbisError('RESOURCE_NOT_FOUND', 'no such file')),
      express.static(dir, { setHeaders: (res) => res.set('Content-Security-Policy', SCREEN_CSP) }),
    );
  }

  app.use((_req, _res, next) => next(new UrbisError('RESOURCE_NOT_FOUND', 'no such endpoint')));
  app.use(problemHandler());
  return app;
}
