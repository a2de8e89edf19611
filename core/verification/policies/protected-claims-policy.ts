import type { PresentationPolicy } from '../presentation-context.js';
import type { VerificationFailure } from '../verification-result.js';

/**
 * Top-level claims that must never be selectively disclosable (DESIGN §2;
 * SD-JWT VC §3.2.2; RFC 9901 §10.10 on validity claims): issuer, validity,
 * status, holder binding and type, in both formats.
 */
export const PROTECTED_CLAIMS: ReadonlySet<string> = new Set([
  'iss',
  'iat',
  'nbf',
  'exp',
  'cnf',
  'vct',
  'vct#integrity',
  'status',
  '@context',
  'type',
  'issuer',
  'validFrom',
  'validUntil',
  'credentialStatus',
  'credentialSubject',
]);

/** Refuses a credential whose issuer made a protected claim disclosable. */
export const protectedClaimsPolicy: PresentationPolicy = (context) => {
  const failures: VerificationFailure[] = [];
  for (const path of context.processed?.pathByDigest.values() ?? []) {
    if (path.length === 1 && typeof path[0] === 'string' && PROTECTED_CLAIMS.has(path[0])) {
      failures.push({
        check: 'protected-claims',
        code: 'PROTECTED_CLAIM_DISCLOSABLE',
        detail: `${path[0]} must be in the issuer-signed payload, not in a disclosure`,
      });
    }
  }
  return failures;
};
