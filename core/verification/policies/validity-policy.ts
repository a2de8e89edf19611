import type { PresentationPolicy } from '../presentation-context.js';
import type { VerificationFailure } from '../verification-result.js';

/**
 * Validity of the credential, with the configured clock skew: JWT `exp`,
 * `nbf`, `iat` (NumericDate) and, for `vc+sd-jwt`, VCDM `validFrom` /
 * `validUntil` (RFC 3339 date-time). With `requireExpiry`, a credential
 * without `exp` (or `validUntil`) is refused: Urbis credentials always expire.
 * Only issuer-signed values count; a validity claim hidden in a disclosure is
 * reported by the protected-claims policy.
 */
export function validityPolicy({ requireExpiry }: { requireExpiry: boolean }): PresentationPolicy {
  return (context) => {
    const failures: VerificationFailure[] = [];
    const fail = (code: VerificationFailure['code'], detail: string): void => {
      failures.push({ check: 'validity', code, detail });
    };
    const { payload } = context.issuerJws;
    const { now } = context;
    const skew = context.limits.clockSkewSeconds;
    const numeric = (name: 'exp' | 'nbf' | 'iat'): number | undefined => {
      const value = payload[name];
      if (value === undefined) return undefined;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        fail('CLAIM_INVALID', `${name} must be a NumericDate`);
        return undefined;
      }
      return value;
    };
    const dateTime = (name: 'validFrom' | 'validUntil'): number | undefined => {
      const value = payload[name];
      if (value === undefined) return undefined;
      const ms = typeof value === 'string' && RFC3339.test(value) ? Date.parse(value) : Number.NaN;
      if (Number.isNaN(ms)) {
        fail('CLAIM_INVALID', `${name} must be an RFC 3339 date-time`);
        return undefined;
      }
      return Math.floor(ms / 1000);
    };
    const exp = numeric('exp');
    const nbf = numeric('nbf');
    const iat = numeric('iat');
    const validFrom = context.format === 'vc+sd-jwt' ? dateTime('validFrom') : undefined;
    const validUntil = context.format === 'vc+sd-jwt' ? dateTime('validUntil') : undefined;

    const end = minDefined(exp, validUntil);
    const start = maxDefined(nbf, validFrom);
    if (end !== undefined && now - skew >= end) fail('CREDENTIAL_EXPIRED', 'the credential has expired');
    if (start !== undefined && now + skew < start) fail('CREDENTIAL_NOT_YET_VALID', 'the credential is not valid yet');
    if (iat !== undefined && iat > now + skew) fail('IAT_IN_FUTURE', 'the credential was issued in the future');
    if (requireExpiry && end === undefined && payload.exp === undefined && payload.validUntil === undefined) {
      fail('CLAIM_MISSING', 'the credential must carry exp (or validUntil)');
    }
    return failures;
  };
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}
