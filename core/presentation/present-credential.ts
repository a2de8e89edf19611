import type { ClaimPath } from '../credentials/credential-types.js';
import type { Hasher, SigningKey } from '../crypto/ports.js';
import { UrbisError } from '../errors/urbis-error.js';
import { decodeCompactJws } from '../jose/compact-jws.js';
import { presentSdJwt } from '../sd-jwt/present-sd-jwt.js';

/**
 * Presents an Urbis credential: discloses exactly the requested subject
 * claims (paths relative to the subject, e.g. `['age_over_18']`,
 * `['address', 'locality']`) and binds the presentation with a KB-JWT to
 * this verifier (`audience`), this request (`nonce`) and now (`iat`).
 *
 * @throws UrbisError `DISCLOSURE_NOT_AVAILABLE` when a claim is not in the
 *   credential; decoding errors of a damaged credential.
 *
 * @example
 * ```ts
 * const presentation = await presentCredential({
 *   credential, claims: [['age_over_18']], nonce, audience: 'urn:urbis:terminal:pool-1',
 *   holderKey, hash, now,
 * });
 * ```
 */
export async function presentCredential({
  credential,
  claims,
  nonce,
  audience,
  holderKey,
  hash,
  now = Math.floor(Date.now() / 1000),
}: {
  credential: string;
  claims: readonly ClaimPath[];
  nonce: string;
  audience: string;
  holderKey: SigningKey;
  hash: Hasher;
  now?: number;
}): Promise<string> {
  const jwtEnd = credential.indexOf('~');
  const { header } = decodeCompactJws(jwtEnd < 0 ? credential : credential.slice(0, jwtEnd));
  if (header.typ !== 'vc+sd-jwt' && header.typ !== 'dc+sd-jwt') {
    throw new UrbisError('TYP_INVALID', 'not an Urbis credential (typ vc+sd-jwt or dc+sd-jwt)');
  }
  const prefix: ClaimPath = header.typ === 'vc+sd-jwt' ? ['credentialSubject'] : [];
  return presentSdJwt({
    sdJwt: credential,
    paths: claims.map((path) => [...prefix, ...path]),
    keyBinding: { nonce, aud: audience, iat: now, holderKey },
    hash,
  });
}
