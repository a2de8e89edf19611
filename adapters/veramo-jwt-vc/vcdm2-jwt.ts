import { createJWT, type Signer } from 'did-jwt';
import { encodeJwtVcPayload, type W3cCredential } from '../../core/jwt-vc/index.js';

/**
 * Signs a VCDM 2.0 credential as a VC-JWT with ES256, using did-jwt's
 * `createJWT` — the primitive did-jwt-vc's `createVerifiableCredentialJwt`
 * calls after its schema check. That check (did-jwt-vc 4.0.16) requires the
 * VCDM 1.1 base context, which a VCDM 2.0 credential must not start with, so
 * for 2.0 Urbis encodes the claims itself ({@link encodeJwtVcPayload}) and
 * signs them here. Header `{ alg: 'ES256', typ: 'JWT' }`, no `iat`.
 */
export async function signVcdm2JwtVc({
  credential,
  signer,
}: {
  credential: W3cCredential;
  signer: Signer;
}): Promise<string> {
  const payload = encodeJwtVcPayload(credential);
  // `iat: undefined` keeps did-jwt from adding one (as did-jwt-vc does).
  return createJWT({ ...payload, iat: undefined }, { issuer: payload.iss, signer }, { alg: 'ES256', typ: 'JWT' });
}
