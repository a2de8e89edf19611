import * as nodeCrypto from 'node:crypto';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomFillSync,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import { UrbisError } from '../errors/urbis-error.js';
import { publicPartOf, toPrivateP256Jwk, toPublicP256Jwk } from '../keys/public-jwk.js';
import { KeyCache } from './key-cache.js';
import type { CryptoSuite, GeneratedKeyPair, PrivateJwk, PublicJwk, SigningKey } from './ports.js';

/** `generateKeyPairSync` with JWK encodings: @types/node 20 has no overload for them (Node has had them since 15.12). */
const generateJwkPair = generateKeyPairSync as unknown as (
  type: 'ec',
  options: { namedCurve: 'P-256'; publicKeyEncoding: { format: 'jwk' }; privateKeyEncoding: { format: 'jwk' } },
) => { privateKey: unknown; publicKey: unknown };

/**
 * The Node implementation of the crypto ports, on node:crypto (OpenSSL):
 * synchronous, ES256 with raw `r || s` signatures, and a cache of imported
 * public keys keyed by their coordinates.
 *
 * Only runs in Node. The browser wallet gets a Web Crypto suite instead.
 *
 * @example
 * ```ts
 * const crypto = createNodeCrypto();
 * const { privateJwk } = crypto.generateKeyPair();
 * const key = crypto.signingKeyFromJwk({ privateJwk });
 * ```
 */
export function createNodeCrypto({ keyCacheSize = 1024 }: { keyCacheSize?: number } = {}): NodeCryptoSuite {
  const publicKeys = new KeyCache<KeyObject>({ capacity: keyCacheSize });

  const importPublic = (jwk: PublicJwk): KeyObject =>
    publicKeys.getOrCreate(`${jwk.x}.${jwk.y}`, () => {
      const checked = toPublicP256Jwk(jwk);
      try {
        return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: checked.x, y: checked.y }, format: 'jwk' });
      } catch (cause) {
        throw new UrbisError('KEY_INVALID', 'public key is not a valid P-256 point', { cause });
      }
    });

  return {
    hash: (data, alg) => {
      if (alg !== 'sha-256') throw new UrbisError('INVALID_ARGUMENT', 'unsupported hash algorithm');
      return sha256(data);
    },
    hashBase64url: (data, alg) => {
      if (alg !== 'sha-256') throw new UrbisError('INVALID_ARGUMENT', 'unsupported hash algorithm');
      return oneShotHashText !== undefined ? oneShotHashText('sha256', data, 'base64url') : createHash('sha256').update(data).digest('base64url');
    },
    randomBytes: createPooledRandomBytes(),
    verifySignature: ({ alg, publicJwk, signingInput, signature }) => {
      if (alg !== 'ES256') return false;
      if (signature.length !== 64) return false;
      const key = importPublic(publicJwk);
      return nodeVerify('sha256', Buffer.from(signingInput, 'latin1'), { key, dsaEncoding: 'ieee-p1363' }, signature);
    },
    generateKeyPair: (): GeneratedKeyPair => {
      // JWK straight from the generator: on Node 20.20, generating a KeyObject and then exporting it as a JWK
      // was seen to deadlock (a GC during ExportJWKEcKey ran the key-generation job's destructor, which waited on a mutex).
      const privateJwk = toPrivateP256Jwk(generateJwkPair('ec', { namedCurve: 'P-256', publicKeyEncoding: { format: 'jwk' }, privateKeyEncoding: { format: 'jwk' } }).privateKey);
      return { privateJwk, publicJwk: publicPartOf(privateJwk) };
    },
    signingKeyFromJwk: ({ privateJwk, kid }): NodeSigningKey => {
      const checked = toPrivateP256Jwk(privateJwk);
      let key: KeyObject;
      try {
        key = createPrivateKey({ key: { ...publicPartOf(checked), d: checked.d }, format: 'jwk' });
      } catch (cause) {
        throw new UrbisError('KEY_INVALID', 'private key is not a valid P-256 key', { cause });
      }
      const signingKey: NodeSigningKey = {
        alg: 'ES256',
        publicJwk: publicPartOf(checked),
        sign: (signingInput) =>
          nodeSign('sha256', Buffer.from(signingInput, 'latin1'), { key, dsaEncoding: 'ieee-p1363' }),
      };
      if (kid !== undefined) signingKey.kid = kid;
      return signingKey;
    },
    importedKeyCount: () => publicKeys.size,
  };
}

/**
 * Random bytes from a pool refilled by `randomFillSync` (OpenSSL's CSPRNG).
 * Every call into OpenSSL costs about as much as hashing a kilobyte, and an
 * issuer draws a 16-byte salt per disclosure, dozens per credential; drawing
 * 4 KiB at a time makes that cost vanish. Bytes are handed out once, as
 * copies, so a refill never changes bytes already returned.
 */
export function createPooledRandomBytes({ poolBytes = 4096 }: { poolBytes?: number } = {}): (length: number) => Uint8Array {
  const pool = new Uint8Array(poolBytes);
  let offset = poolBytes;
  return (length) => {
    if (!Number.isInteger(length) || length < 0) throw new UrbisError('INVALID_ARGUMENT', 'length must be a non-negative integer');
    if (length > poolBytes) return randomFillSync(new Uint8Array(length));
    if (offset + length > poolBytes) {
      randomFillSync(pool);
      offset = 0;
    }
    const out = pool.slice(offset, offset + length);
    offset += length;
    return out;
  };
}

/** One-shot `crypto.hash` (Node ≥ 20.12) is faster than createHash for short inputs. */
const oneShotHash = (nodeCrypto as { hash?: (alg: string, data: string | Uint8Array, encoding: 'buffer') => Buffer }).hash;
const oneShotHashText = oneShotHash as unknown as ((alg: string, data: string, encoding: 'base64url') => string) | undefined;
const sha256 = (data: string | Uint8Array): Uint8Array =>
  oneShotHash !== undefined ? oneShotHash('sha256', data, 'buffer') : createHash('sha256').update(data).digest();

/** The Node crypto suite: every port is synchronous. */
export interface NodeCryptoSuite extends CryptoSuite {
  hash: (data: Uint8Array | string, alg: 'sha-256') => Uint8Array;
  hashBase64url: (data: string, alg: 'sha-256') => string;
  verifySignature: (args: { alg: 'ES256'; publicJwk: PublicJwk; signingInput: string; signature: Uint8Array }) => boolean;
  generateKeyPair: () => GeneratedKeyPair;
  signingKeyFromJwk: (args: { privateJwk: PrivateJwk; kid?: string }) => NodeSigningKey;
  /** How many public keys sit in the import cache (for tests and health). */
  importedKeyCount: () => number;
}

/** A signing key whose `sign` is synchronous. */
export interface NodeSigningKey extends SigningKey {
  sign: (signingInput: string) => Uint8Array;
}
