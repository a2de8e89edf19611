import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { IssuerContext } from '../create-issuer.js';
import { corsForWallets } from './cors-for-wallets.js';
import { problemHandler } from './problem-details.js';
import { backOfficeRoutes } from './routes/back-office-routes.js';
import { frontOfficeRoutes } from './routes/front-office-routes.js';
import { oid4vciRoutes } from './routes/oid4vci-routes.js';
import { backOfficePaperCardRoutes, frontOfficePaperCardRoutes } from './routes/paper-card-routes.js';
import { publicRoutes } from './routes/public-routes.js';
import { statisticsRoutes } from './routes/statistics-routes.js';

/** The pages' policy: their own scripts and styles only (no inline code), QR images as data: URLs, no framing. */
const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** A folder of web/ from the sources (issuer/http/) or the build (.build/issuer/http/). */
function webFolder(name: string): string {
  const fromSources = fileURLToPath(new URL(`../../web/${name}`, import.meta.url));
  return existsSync(fromSources) ? fromSources : fileURLToPath(new URL(`../../../web/${name}`, import.meta.url));
}

/**
 * The issuer's Express 5 app: OID4VCI and public documents at the root,
 * `/front-office` for citizens, `/back-office` for staff, the static pages
 * `/portal/` and `/staff/` (with `/web-shared/`); unknown routes and
 * every error answered as `application/problem+json`. No request logging:
 * the operator log gets events and codes only (`ctx.log`).
 */
export function createIssuerApp(ctx: IssuerContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use((_req, res, next) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
    next();
  });
  // CORS for a browser wallet on its own origin: the public OID4VCI surface and /status/* only (cors-for-wallets.ts).
  app.use(corsForWallets());
  app.use(publicRoutes(ctx));
  app.use(oid4vciRoutes(ctx));
  app.use('/front-office', frontOfficeRoutes(ctx), frontOfficePaperCardRoutes(ctx));
  app.use('/back-office', backOfficeRoutes(ctx), backOfficePaperCardRoutes(ctx));
  // Terminals' count reports (POST /terminal-reports) and the staff statistics (GET /back-office/statistics).
  app.use(statisticsRoutes(ctx));
  // The static web pages (web/: HTML, CSS, ES modules, no build step); they use only the JSON API above, same origin.
  const pageHeaders = { setHeaders: (res: express.Response) => res.set('Content-Security-Policy', PAGE_CSP) };
  for (const [mount, folder] of [['/portal', 'portal'], ['/staff', 'back-office'], ['/web-shared', 'shared']] as const) app.use(mount, express.static(webFolder(folder), { index: 'index.html', ...pageHeaders }));
  app.use((_req, _res, next) => next(new UrbisError('RESOURCE_NOT_FOUND', 'no such endpoint')));
  app.use(problemHandler({ onInternalError: (error) => ctx.log({ event: 'internal-error', ...(error instanceof UrbisError ? { code: error.code } : { detail: { name: error instanceof Error ? error.name : typeof error } }) }) }));
  return app;
}
