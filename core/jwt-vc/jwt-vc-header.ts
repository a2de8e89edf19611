import type { JwtVcFailure } from './jwt-vc-port.js';

/** Header members that carry or point to a key: the key must come from the issuer DID only. */
const EMBEDDED_KEY_MEMBERS = ['jwk', 'jku', 'x5c', 'x5u', 'x5t', 'x5t#S256'] as const;

/** `typ` values accepted for a VC-JWT (`JWT`, as did-jwt-vc and Veramo write it), or none. */
const ACCEPTED_TYP = new Set(['JWT']);

/**
 * Checks a decoded JOSE header of a JWT VC, from data only: `alg` allow-listed
 * to ES256 (`none` → `ALG_NONE`, `HS*` → `ALG_HMAC`, anything else →
 * `ALG_NOT_ALLOWED`), no embedded or referenced key (`HEADER_EMBEDDED_KEY`),
 * no `crit` (`HEADER_CRIT_UNSUPPORTED`), `typ` absent or `JWT` (`TYP_INVALID`).
 *
 * @returns the first failure, or `undefined` when the header is acceptable.
 *
 * @example
 * ```ts
 * checkJwtVcHeader({ alg: 'none' }); // { check: 'header', code: 'ALG_NONE', ... }
 * ```
 */
export function checkJwtVcHeader(header: Record<string, unknown>): JwtVcFailure | undefined {
  const { alg, typ } = header;
  if (typeof alg !== 'string') return { check: 'header', code: 'JWT_VC_INVALID', detail: 'header alg is missing' };
  if (alg.toLowerCase() === 'none') return { check: 'header', code: 'ALG_NONE', detail: 'unsecured JWT (alg none)' };
  if (/^HS\d+$/i.test(alg)) return { check: 'header', code: 'ALG_HMAC', detail: 'HMAC alg refused' };
  if (alg !== 'ES256') return { check: 'header', code: 'ALG_NOT_ALLOWED', detail: 'alg is not in the allow-list (ES256)' };
  for (const member of EMBEDDED_KEY_MEMBERS) {
    if (Object.prototype.hasOwnProperty.call(header, member)) {
      return { check: 'header', code: 'HEADER_EMBEDDED_KEY', detail: 'header carries or references a key' };
    }
  }
  if (Object.prototype.hasOwnProperty.call(header, 'crit')) {
    return { check: 'header', code: 'HEADER_CRIT_UNSUPPORTED', detail: 'header crit is not supported' };
  }
  if (typ !== undefined && (typeof typ !== 'string' || !ACCEPTED_TYP.has(typ))) {
    return { check: 'header', code: 'TYP_INVALID', detail: 'header typ must be JWT or absent' };
  }
  return undefined;
}
