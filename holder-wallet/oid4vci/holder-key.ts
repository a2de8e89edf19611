import type { PublicJwk, SigningKey } from '../../core/crypto/ports.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { jwkThumbprintInput } from '../../core/keys/jwk-thumbprint.js';
import { publicPartOf, toPublicP256Jwk } from '../../core/keys/public-jwk.js';

/**
 * The narrow port through which the issuance client gets holder keys: the
 * wallet's key module (Web Crypto, non-extractable where the platform
 * allows) implements it, tests use node:crypto. The client never sees a
 * private key, only a signer.
 */

/** A holder key of one one-time copy: its public JWK and a signer. */
export interface HolderKey {
  publicJwk: PublicJwk;
  signingKey: SigningKey;
}

/** Makes one fresh ES256 holder key per call; never returns a key twice. */
export type HolderKeyFactory = () => Promise<HolderKey>;

/**
 * Asks the factory for `count` fresh keys and checks them: P-256 public
 * JWKs, ES256 signers whose public key is the one announced, and all
 * distinct (one key per one-time copy, DESIGN §2). The public JWKs returned
 * hold `kty`, `crv`, `x`, `y` only.
 *
 * @throws UrbisError `INVALID_ARGUMENT` when the factory breaks any of that.
 *
 * @example
 * ```ts
 * const keys = await newHolderKeys({ count: 10, newHolderKey });
 * ```
 */
export async function newHolderKeys({ count, newHolderKey }: { count: number; newHolderKey: HolderKeyFactory }): Promise<HolderKey[]> {
  if (!Number.isSafeInteger(count) || count < 1) throw new UrbisError('INVALID_ARGUMENT', 'count is a positive integer');
  if (typeof newHolderKey !== 'function') throw new UrbisError('INVALID_ARGUMENT', 'newHolderKey is a function');
  const made = await Promise.all(Array.from({ length: count }, () => newHolderKey()));
  const seen = new Set<string>();
  return made.map((key) => {
    let publicJwk: PublicJwk;
    try {
      publicJwk = publicPartOf(toPublicP256Jwk(key?.publicJwk));
      const id = jwkThumbprintInput(publicJwk);
      if (jwkThumbprintInput(publicPartOf(toPublicP256Jwk(key.signingKey?.publicJwk))) !== id) {
        throw new UrbisError('INVALID_ARGUMENT', 'a holder key signs with another key than the one it announces');
      }
      if (seen.has(id)) throw new UrbisError('INVALID_ARGUMENT', 'the holder key factory returned the same key twice');
      seen.add(id);
    } catch (cause) {
      if (cause instanceof UrbisError && cause.code === 'INVALID_ARGUMENT') throw cause;
      throw new UrbisError('INVALID_ARGUMENT', 'the holder key factory returned a key that is not a P-256 key', { cause });
    }
    if (key.signingKey.alg !== 'ES256' || typeof key.signingKey.sign !== 'function') {
      throw new UrbisError('INVALID_ARGUMENT', 'a holder key is an ES256 signer');
    }
    return { publicJwk, signingKey: key.signingKey };
  });
}
