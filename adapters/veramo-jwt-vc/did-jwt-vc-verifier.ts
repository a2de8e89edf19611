import { verifyCredential } from 'did-jwt-vc';
import type { Resolvable } from 'did-resolver';
import { createJwtVcVerifier, type JwtVcSignatureCheck, type JwtVcVerifier } from '../../core/jwt-vc/index.js';
import { libraryPolicies } from './library-policies.js';
import { createLocalDidKeyResolver } from './local-resolver.js';

/**
 * A {@link JwtVcVerifier} whose signature check is did-jwt-vc's
 * `verifyCredential` (issuer key from the DID document's `assertionMethod`),
 * with a did-resolver `Resolver` on key-did-resolver by default.
 *
 * **No network**: the issuer must be a P-256 did:key, resolved by computation
 * on the DID string; other DID methods are refused (`DID_METHOD_UNSUPPORTED`)
 * before any resolution. Pass `resolver` only to swap in another local one.
 *
 * Codes: everything but the signature is checked by `core` from the decoded
 * JWT (see `createJwtVcVerifier`); a signature, key or did-jwt-vc schema
 * failure gives `JWT_VC_INVALID` (did-jwt-vc reports these as plain `Error`s,
 * schema problems as `TypeError`s; nothing else is read from them).
 *
 * @example
 * ```ts
 * const verify = createDidJwtVcVerifier();
 * const result = await verify({ jwt, trustedIssuers: [issuerDid] });
 * if (result.ok) console.log(result.type, result.claims);
 * else console.log(result.failures.map((f) => f.code)); // e.g. ['CREDENTIAL_EXPIRED']
 * ```
 */
export function createDidJwtVcVerifier({
  resolver = createLocalDidKeyResolver(),
  clockSkewSeconds,
}: {
  resolver?: Resolvable;
  clockSkewSeconds?: number;
} = {}): JwtVcVerifier {
  const checkSignature: JwtVcSignatureCheck = async ({ jwt, vcdmVersion }) => {
    try {
      const verified = await verifyCredential(jwt, resolver, {
        proofPurpose: 'assertionMethod',
        policies: libraryPolicies({ vcdmVersion }),
      });
      return verified.verified === true
        ? { ok: true, issuer: verified.issuer }
        : { ok: false, check: 'signature', detail: 'did-jwt-vc did not verify the credential' };
    } catch (error) {
      return error instanceof TypeError
        ? { ok: false, check: 'schema', detail: 'did-jwt-vc rejected the credential format' }
        : { ok: false, check: 'signature', detail: 'signature does not verify with an assertion key of the issuer DID' };
    }
  };
  return createJwtVcVerifier(clockSkewSeconds === undefined ? { checkSignature } : { checkSignature, clockSkewSeconds });
}
