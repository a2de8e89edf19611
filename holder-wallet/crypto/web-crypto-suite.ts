import { KeyCache } from '../../core/crypto/key-cache.js';
import type { CryptoSuite, GeneratedKeyPair, HashAlgorithm, PrivateJwk, PublicJwk, SigningKey } from '../../core/crypto/ports.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { publicPartOf, toPrivateP256Jwk, toPublicP256Jwk } from '../../core/keys/public-jwk.js';
import { generateHolderKey, exportHolderKey, importHolderKey } from '../keys/web-crypto-holder-keys.js';
import { ECDSA_P256, ECDSA_SHA256, asciiBytes, subtleCrypto, toBufferSource, webRandomBytes, webSha256 } from './web-crypto.js';

/** The Web Crypto suite: hashing, verification and signing are asynchronous; random bytes are not. */
export interface WebCryptoSuite extends CryptoSuite {
  hash: (data: Uint8Array | string, alg: HashAlgorithm) => Promise<Uint8Array>;
  verifySignature: (args: { alg: 'ES256'; publicJwk: PublicJwk; signingInput: string; signature: Uint8Array }) => Promise<boolean>;
  generateKeyPair: () => Promise<GeneratedKeyPair>;
  signingKeyFromJwk: (args: { privateJwk: PrivateJwk; kid?: string }) => Promise<SigningKey>;
}

/**
 * Core's {@link CryptoSuite} port on Web Crypto, so that the wallet can
 * hash, verify and sign with core's functions in a browser as in Node.
 * ES256 signatures are raw `r || s` (64 bytes), which is Web Crypto's own
 * ECDSA encoding, so nothing is converted.
 *
 * - `hash`: SHA-256 via `crypto.subtle.digest` (no `hashBase64url`: core
 *   falls back to `hash` + base64url).
 * - `randomBytes`: `crypto.getRandomValues`, synchronous as the port requires.
 * - `verifySignature`: ES256 only (any other `alg`, or a signature that is
 *   not 64 bytes, is `false`); imported public keys are cached.
 * - `generateKeyPair`: the port hands out JWKs, so the key is extractable;
 *   for holder keys prefer {@link generateHolderKey} with `extractable: false`.
 *
 * @example
 * ```ts
 * const crypto = createWebCryptoSuite();
 * const result = await verifyPresentation({ presentation, crypto, trust, status, keyBinding, replayCache });
 * ```
 */
export function createWebCryptoSuite({ keyCacheSize = 256 }: { keyCacheSize?: number } = {}): WebCryptoSuite {
  const publicKeys = new KeyCache<Promise<CryptoKey>>({ capacity: keyCacheSize });

  const importPublic = (jwk: PublicJwk): Promise<CryptoKey> => {
    const checked = toPublicP256Jwk(jwk);
    return publicKeys.getOrCreate(`${checked.x}.${checked.y}`, () =>
      subtleCrypto()
        .importKey('jwk', publicPartOf(checked), ECDSA_P256, false, ['verify'])
        .catch((cause: unknown) => {
          throw new UrbisError('KEY_INVALID', 'public key is not a valid P-256 point', { cause });
        }),
    );
  };

  return {
    hash: async (data, alg) => {
      if (alg !== 'sha-256') throw new UrbisError('INVALID_ARGUMENT', 'unsupported hash algorithm');
      return webSha256(data);
    },
    randomBytes: webRandomBytes,
    verifySignature: async ({ alg, publicJwk, signingInput, signature }) => {
      if (alg !== 'ES256' || signature.length !== 64) return false;
      const key = await importPublic(publicJwk);
      return subtleCrypto().verify(ECDSA_SHA256, key, toBufferSource(signature), asciiBytes(signingInput));
    },
    generateKeyPair: async () => {
      const key = await generateHolderKey({ extractable: true });
      const privateJwk = await exportHolderKey(key);
      return { privateJwk, publicJwk: publicPartOf(privateJwk) };
    },
    signingKeyFromJwk: async ({ privateJwk, kid }) => {
      const { signingKey } = await importHolderKey({ privateJwk: toPrivateP256Jwk(privateJwk) });
      return kid === undefined ? signingKey : { ...signingKey, kid };
    },
  };
}
