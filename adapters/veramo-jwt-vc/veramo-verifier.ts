import { VC_JWT_ERROR } from 'did-jwt-vc';
import { createJwtVcVerifier, type JwtVcSignatureCheck, type JwtVcVerifier } from '../../core/jwt-vc/index.js';
import type { JwtVcAgent } from './agent.js';
import { libraryPolicies } from './library-policies.js';

/** Fixed details for the `errorCode` values Veramo reports (did-jwt / did-jwt-vc error kinds). */
const DETAILS: ReadonlyMap<string, { check: 'signature' | 'schema'; detail: string }> = new Map([
  [VC_JWT_ERROR.INVALID_SIGNATURE, { check: 'signature', detail: 'signature does not verify with an assertion key of the issuer DID' }],
  [VC_JWT_ERROR.NO_SUITABLE_KEYS, { check: 'signature', detail: 'issuer DID has no assertion key for ES256' }],
  [VC_JWT_ERROR.RESOLVER_ERROR, { check: 'signature', detail: 'issuer DID could not be resolved' }],
  [VC_JWT_ERROR.NOT_SUPPORTED, { check: 'signature', detail: 'alg or key encoding not supported by the library' }],
  [VC_JWT_ERROR.INVALID_JWT, { check: 'signature', detail: 'the library rejected the JWT claims' }],
  [VC_JWT_ERROR.SCHEMA_ERROR, { check: 'schema', detail: 'the library rejected the credential format' }],
  [VC_JWT_ERROR.FORMAT_ERROR, { check: 'schema', detail: 'the library rejected the credential format' }],
]);

/**
 * A {@link JwtVcVerifier} whose signature check is the Veramo agent's
 * `verifyCredential` (Veramo's JWT provider → did-jwt-vc → did-jwt, the
 * issuer key resolved by the agent's resolver from `assertionMethod`).
 *
 * **No network** with {@link createJwtVcAgent}'s default resolver (did:key
 * only, computed from the DID string); other DID methods are refused
 * (`DID_METHOD_UNSUPPORTED`) before the agent is called.
 *
 * Codes: everything but the signature comes from `core`'s checks on the
 * decoded JWT; a failed agent verification gives `JWT_VC_INVALID`, its
 * `detail` chosen from Veramo's structured `error.errorCode`.
 *
 * @example
 * ```ts
 * const verify = createVeramoJwtVcVerifier({ agent: createJwtVcAgent() });
 * const result = await verify({ jwt, now: new Date(), trustedIssuers: [issuerDid] });
 * ```
 */
export function createVeramoJwtVcVerifier({
  agent,
  clockSkewSeconds,
}: {
  agent: JwtVcAgent;
  clockSkewSeconds?: number;
}): JwtVcVerifier {
  const checkSignature: JwtVcSignatureCheck = async ({ jwt, vcdmVersion }) => {
    const result = await agent.verifyCredential({
      credential: jwt,
      proofPurpose: 'assertionMethod',
      policies: libraryPolicies({ vcdmVersion }),
    });
    if (result.verified === true) {
      const issuer: unknown = result.issuer;
      return typeof issuer === 'string'
        ? { ok: true, issuer }
        : { ok: false, check: 'signature', detail: 'the agent reported no issuer' };
    }
    const errorCode: unknown = result.error?.errorCode;
    const known = typeof errorCode === 'string' ? DETAILS.get(errorCode) : undefined;
    return { ok: false, ...(known ?? { check: 'signature', detail: 'the agent did not verify the credential' }) };
  };
  return createJwtVcVerifier(clockSkewSeconds === undefined ? { checkSignature } : { checkSignature, clockSkewSeconds });
}
