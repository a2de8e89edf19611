import { UrbisError } from '../../core/errors/urbis-error.js';
import { signCompactJws } from '../../core/jose/compact-jws.js';
import { publicPartOf } from '../../core/keys/public-jwk.js';
import type { HolderKey } from './holder-key.js';

/** The `typ` of a `jwt` key proof (OID4VCI 1.0 Appendix F.1). */
export const PROOF_JWT_TYP = 'openid4vci-proof+jwt';

/**
 * Builds a `jwt` key proof (OID4VCI 1.0 Appendix F.1) with core's JWS
 * signer: header `{ alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk }` where
 * `jwk` holds only `kty`, `crv`, `x`, `y` (no `kid`: nothing that could link
 * copies travels into `cnf.jwk`), payload `{ aud, iat, nonce }`. No `iss`:
 * the wallet uses anonymous access to the token endpoint.
 *
 * @param args.audience The Credential Issuer Identifier.
 * @param args.nonce The `c_nonce`; omitted when the issuer has no nonce endpoint.
 * @param args.iat Epoch seconds.
 * @throws UrbisError `INVALID_ARGUMENT` for a non-ES256 key or a bad `iat`.
 *
 * @example
 * ```ts
 * const proof = await buildKeyProof({ holderKey, audience: offer.credential_issuer, nonce: cNonce, iat: Math.floor(Date.now() / 1000) });
 * ```
 */
export async function buildKeyProof({
  holderKey,
  audience,
  nonce,
  iat,
}: {
  holderKey: HolderKey;
  audience: string;
  nonce?: string;
  iat: number;
}): Promise<string> {
  if (holderKey.signingKey.alg !== 'ES256') throw new UrbisError('INVALID_ARGUMENT', 'key proofs are signed with ES256');
  if (!Number.isSafeInteger(iat) || iat < 0) throw new UrbisError('INVALID_ARGUMENT', 'iat is a non-negative integer of seconds');
  const payload: Record<string, unknown> = { aud: audience, iat };
  if (nonce !== undefined) payload.nonce = nonce;
  return signCompactJws({
    header: { typ: PROOF_JWT_TYP, jwk: publicPartOf(holderKey.publicJwk) },
    payload,
    // Without the key's `kid`: a proof names its key by `jwk` only.
    signingKey: { alg: 'ES256', publicJwk: holderKey.publicJwk, sign: (signingInput) => holderKey.signingKey.sign(signingInput) },
  });
}
