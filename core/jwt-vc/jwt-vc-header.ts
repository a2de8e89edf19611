import { checkJoseHeader } from '../jose/compact-jws.js';
import type { JwtVcFailure } from './jwt-vc-port.js';

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
  if (typeof header.alg !== 'string') return { check: 'header', code: 'JWT_VC_INVALID', detail: 'header alg is missing' };
  const [problem] = checkJoseHeader({ header, allowedAlgs: ['ES256'], expectedTyp: ['JWT'], typOptional: true });
  return problem === undefined ? undefined : { check: 'header', code: problem.code, detail: problem.detail };
}
