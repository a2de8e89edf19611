import type { DecodedJwtVc } from './jwt-vc-decoder.js';
import { DEFAULT_JWT_VC_CLOCK_SKEW_SECONDS, type JwtVcFailure } from './jwt-vc-port.js';

/**
 * Checks the validity window of a decoded JWT VC at `now`, with a clock skew:
 * every start (`nbf`, `validFrom`/`issuanceDate`) must be reached
 * (`CREDENTIAL_NOT_YET_VALID`), `iat` must not be in the future
 * (`IAT_IN_FUTURE`), and every end (`exp`, `validUntil`/`expirationDate`) must
 * not be reached (`CREDENTIAL_EXPIRED`; RFC 7519: valid only before `exp`).
 * Where the JWT claims and the `vc` dates differ, the narrowest window wins.
 *
 * @returns every failure found (empty when valid).
 *
 * @example
 * ```ts
 * checkJwtVcValidity({ decoded, now: new Date() }); // [] or [{ code: 'CREDENTIAL_EXPIRED', ... }]
 * ```
 */
export function checkJwtVcValidity({
  decoded,
  now,
  clockSkewSeconds = DEFAULT_JWT_VC_CLOCK_SKEW_SECONDS,
}: {
  decoded: Pick<DecodedJwtVc, 'notBefore' | 'notAfter' | 'issuedAt'>;
  now: Date;
  clockSkewSeconds?: number;
}): JwtVcFailure[] {
  const t = now.getTime();
  const skew = clockSkewSeconds * 1000;
  const failures: JwtVcFailure[] = [];
  if (decoded.notBefore.some((start) => t + skew < start)) {
    failures.push({ check: 'validity', code: 'CREDENTIAL_NOT_YET_VALID', detail: 'validity has not started' });
  }
  if (decoded.issuedAt !== undefined && t + skew < decoded.issuedAt) {
    failures.push({ check: 'validity', code: 'IAT_IN_FUTURE', detail: 'iat is in the future' });
  }
  if (decoded.notAfter.some((end) => t - skew >= end)) {
    failures.push({ check: 'validity', code: 'CREDENTIAL_EXPIRED', detail: 'validity has ended' });
  }
  return failures;
}
