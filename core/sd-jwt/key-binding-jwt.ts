import type { Hasher, SigningKey } from '../crypto/ports.js';
import { base64urlEncode } from '../encoding/base64url.js';
import { signCompactJws } from '../jose/compact-jws.js';

/**
 * Computes `sd_hash`: base64url(hash(ASCII(<SD-JWT>~<D1>~...~<Dn>~)))
 * over the presentation without the KB-JWT (RFC 9901 §4.3.1).
 */
export async function computeSdHash({ sdJwt, hash }: { sdJwt: string; hash: Hasher }): Promise<string> {
  return base64urlEncode(await hash(sdJwt, 'sha-256'));
}

/**
 * Creates the Key Binding JWT (`typ: kb+jwt`, RFC 9901 §4.3) that binds a
 * presentation to the holder key in `cnf`, to one verifier (`aud`), one
 * request (`nonce`) and one moment (`iat`).
 *
 * @example
 * ```ts
 * const kb = await createKeyBindingJwt({ sdJwt: 'eyJ...~WyJ...~', nonce, aud: 'urn:urbis:terminal:pool-1', iat, holderKey, hash });
 * const presentation = sdJwt + kb;
 * ```
 */
export async function createKeyBindingJwt({
  sdJwt,
  nonce,
  aud,
  iat,
  holderKey,
  hash,
}: {
  /** The SD-JWT being presented, ending with `~`. */
  sdJwt: string;
  nonce: string;
  aud: string;
  iat: number;
  holderKey: SigningKey;
  hash: Hasher;
}): Promise<string> {
  const sd_hash = await computeSdHash({ sdJwt, hash });
  const header = { typ: 'kb+jwt' };
  const key: SigningKey = { alg: holderKey.alg, publicJwk: holderKey.publicJwk, sign: holderKey.sign };
  return signCompactJws({ header, payload: { iat, aud, nonce, sd_hash }, signingKey: key });
}
