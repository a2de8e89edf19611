import type { TrustedIssuerLookup } from '../../trust/trusted-issuer.js';
import type { PresentationPolicy } from '../presentation-context.js';
import type { VerificationFailure } from '../verification-result.js';

/**
 * Is the issuer in the trust list, active, within its accreditation window,
 * accredited for this credential type, and is the signing key (by `kid`)
 * one of its listed keys? Sets the issuer key for the signature policy.
 * Without a `kid`, an issuer with exactly one key is tried with that key.
 */
export function issuerTrustPolicy({ lookup }: { lookup: TrustedIssuerLookup }): PresentationPolicy {
  return (context) => {
    const failures: VerificationFailure[] = [];
    const fail = (code: VerificationFailure['code'], detail: string): VerificationFailure[] => {
      failures.push({ check: 'trust', code, detail });
      return failures;
    };
    if (context.issuerId === undefined) return failures; // reported by the type policy
    const issuer = lookup(context.issuerId);
    if (issuer === undefined) return fail('ISSUER_UNTRUSTED', 'the issuer is not in the trust list');
    context.trustedIssuer = issuer;
    if (issuer.suspended === true) fail('ISSUER_SUSPENDED', 'the federation suspended this issuer');
    const skew = context.limits.clockSkewSeconds;
    if (
      (issuer.validFrom !== undefined && context.now + skew < issuer.validFrom) ||
      (issuer.validUntil !== undefined && context.now - skew >= issuer.validUntil)
    ) {
      fail('ISSUER_TRUST_EXPIRED', 'the issuer is outside its accreditation period');
    }
    if (context.credentialType !== undefined && !issuer.credentialTypes.includes(context.credentialType.name)) {
      fail('ISSUER_NOT_ACCREDITED', 'the issuer is not accredited for this credential type');
    }
    const kid = context.issuerJws.header.kid;
    const key =
      typeof kid === 'string'
        ? issuer.keys.find((k) => k.kid === kid)
        : kid === undefined && issuer.keys.length === 1
          ? issuer.keys[0]
          : undefined;
    if (key === undefined) return fail('ISSUER_KEY_UNKNOWN', 'the signing key is not a listed key of the issuer');
    context.issuerKey = key.publicJwk;
    return failures;
  };
}
