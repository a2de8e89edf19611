import { isUrbisError } from '../../errors/urbis-error.js';
import { ES256_SIGNATURE_BYTES } from '../../jose/compact-jws.js';
import type { PresentationPolicy } from '../presentation-context.js';
import type { VerificationFailure } from '../verification-result.js';

/**
 * The issuer's signature over the issuer-signed JWT, with the key the trust
 * policy found (or, for a plain SD-JWT, the key given). Skipped when no key
 * was found: that failure is already listed.
 */
export const issuerSignaturePolicy: PresentationPolicy = (context) => {
  const publicJwk = context.issuerKey;
  const alg = context.issuerJws.header.alg;
  if (publicJwk === undefined || typeof alg !== 'string' || !(context.limits.issuerAlgs as readonly string[]).includes(alg)) {
    return [];
  }
  if (context.issuerJws.signature.length === 0) {
    return [{ check: 'signature', code: 'CREDENTIAL_UNSECURED', detail: 'the credential carries no signature' }];
  }
  if (context.issuerJws.signature.length !== ES256_SIGNATURE_BYTES) {
    return [{ check: 'signature', code: 'JWS_MALFORMED', detail: 'an ES256 signature is 64 bytes (truncated JWS?)' }];
  }
  const onError = (error: unknown): VerificationFailure[] => {
    if (isUrbisError(error)) return [{ check: 'signature', code: error.code, detail: error.message }];
    throw error;
  };
  const judge = (valid: boolean): VerificationFailure[] =>
    valid ? [] : [{ check: 'signature', code: 'SIGNATURE_INVALID', detail: 'the issuer signature does not verify' }];
  try {
    const valid = context.verifySignature({ alg: alg as 'ES256', publicJwk, signingInput: context.issuerJws.signingInput, signature: context.issuerJws.signature });
    return valid instanceof Promise ? valid.then(judge, onError) : judge(valid);
  } catch (error) {
    return onError(error);
  }
};
