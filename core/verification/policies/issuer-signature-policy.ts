import { isUrbisError } from '../../errors/urbis-error.js';
import type { PresentationPolicy } from '../presentation-context.js';

/**
 * The issuer's signature over the issuer-signed JWT, with the key the trust
 * policy found (or, for a plain SD-JWT, the key given). Skipped when no key
 * was found: that failure is already listed.
 */
export const issuerSignaturePolicy: PresentationPolicy = async (context) => {
  const publicJwk = context.issuerKey;
  const alg = context.issuerJws.header.alg;
  if (publicJwk === undefined || typeof alg !== 'string' || !(context.limits.issuerAlgs as readonly string[]).includes(alg)) {
    return [];
  }
  try {
    const valid = await context.verifySignature({
      alg: alg as 'ES256',
      publicJwk,
      signingInput: context.issuerJws.signingInput,
      signature: context.issuerJws.signature,
    });
    return valid ? [] : [{ check: 'signature', code: 'SIGNATURE_INVALID', detail: 'the issuer signature does not verify' }];
  } catch (error) {
    if (isUrbisError(error)) return [{ check: 'signature', code: error.code, detail: error.message }];
    throw error;
  }
};
