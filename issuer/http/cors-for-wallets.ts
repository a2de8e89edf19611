import type { NextFunction, Request, Response } from 'express';
import { OID4VCI_PATHS } from '../oid4vci/endpoints.js';

/**
 * CORS for a browser wallet served from another origin (the citizen's
 * wallet page is not the issuer's page): only the public OID4VCI surface —
 * the metadata documents, `did.json`, the offer-by-reference, token, nonce,
 * credential and deferred credential endpoints — and the published status
 * lists (`/status/*`). The citizen portal, the back office and their JSON
 * APIs (`/front-office`, `/back-office`, `/portal`, `/staff`) get no CORS
 * headers at all: they are same-origin pages with session cookies.
 *
 * Why `Access-Control-Allow-Origin: *` is safe here: these endpoints are
 * authorised by what the wallet sends explicitly — a pre-authorized code and
 * tx_code, a bearer access token, a proof JWT — never by cookies or other
 * ambient credentials. `*` never comes with `Access-Control-Allow-Credentials`,
 * so the browser sends no cookies on these requests and a foreign page can do
 * nothing a plain HTTP client could not already do with the same bearer
 * values. Anything that does use the session cookies stays off this list.
 */

/** The exact public paths (GET documents and POST endpoints). */
const PUBLIC_PATHS: ReadonlySet<string> = new Set([
  OID4VCI_PATHS.credentialIssuerMetadata,
  OID4VCI_PATHS.authorizationServerMetadata,
  '/.well-known/did.json',
  OID4VCI_PATHS.token,
  OID4VCI_PATHS.nonce,
  OID4VCI_PATHS.credential,
  OID4VCI_PATHS.deferredCredential,
]);

/** One path segment after a public prefix: `/oid4vci/offers/:id`, `/status/:listId`. */
const PUBLIC_PREFIXES = [OID4VCI_PATHS.offer.replace(/:id$/, ''), '/status/'] as const;

/**
 * The headers a cross-origin wallet must read beyond the CORS-safelisted ones
 * (Content-Type, Cache-Control, Content-Length…): the credential endpoints'
 * `WWW-Authenticate: Bearer error="invalid_token"` (oauth-error.ts) and the
 * rate limiter's `Retry-After` (problem-details.ts).
 */
const EXPOSED_HEADERS = 'www-authenticate, retry-after';

export const WALLET_CORS_HEADERS = Object.freeze({
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'authorization, content-type, dpop',
  'Access-Control-Allow-Methods': 'GET, POST',
  'Access-Control-Expose-Headers': EXPOSED_HEADERS,
});

/** True when `path` is part of the public OID4VCI surface a wallet on another origin may call. */
export function isWalletPublicPath(path: string): boolean {
  if (PUBLIC_PATHS.has(path)) return true;
  return PUBLIC_PREFIXES.some((prefix) => {
    if (!path.startsWith(prefix)) return false;
    const rest = path.slice(prefix.length);
    return rest.length > 0 && !rest.includes('/');
  });
}

/**
 * The middleware: CORS headers on the public surface, and its preflight
 * (`OPTIONS`) answered `204` with them; every other path is left untouched
 * (an `OPTIONS` there falls through to the usual 404 problem).
 */
export function corsForWallets() {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!isWalletPublicPath(req.path)) {
      next();
      return;
    }
    res.set(WALLET_CORS_HEADERS);
    if (req.method === 'OPTIONS') {
      res.set('Access-Control-Max-Age', '600').status(204).end();
      return;
    }
    next();
  };
}
