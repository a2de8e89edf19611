import { checkJoseHeader } from '../../jose/compact-jws.js';
import type { PresentationPolicy } from '../presentation-context.js';

/**
 * Issuer JWS header: algorithm allow-list (`none` and HMAC refused with their
 * own codes), no header-embedded or header-referenced keys, no `crit`, and a
 * `typ` among the expected ones (RFC 8725 §3.1, §3.10, §3.11).
 */
export function joseHeaderPolicy({ expectedTyp }: { expectedTyp: readonly string[] }): PresentationPolicy {
  return (context) =>
    checkJoseHeader({ header: context.issuerJws.header, allowedAlgs: context.limits.issuerAlgs, expectedTyp }).map(
      (problem) => ({ check: 'jose-header', code: problem.code, detail: problem.detail }),
    );
}
