import { base58btc } from 'multiformats/bases/base58';
import type { PublicJwk } from '../crypto/ports.js';
import { UrbisError } from '../errors/urbis-error.js';
import { MAX_DID_LENGTH } from './did-syntax.js';
import { P256_COMPRESSED_LENGTH, compressP256PublicJwk, decompressP256PublicKey } from './p256-public-key.js';

/**
 * Multibase multicodec public keys (the `did:key` method-specific id and
 * `Multikey.publicKeyMultibase`): `z` + base58btc(unsigned-varint(codec) ||
 * raw key). Urbis reads and writes P-256 (`p256-pub`, 0x1200, 33-byte
 * compressed point) only.
 */

/** Multicodec `p256-pub` (P-256 public key, compressed). Varint bytes `0x80 0x24`. */
export const MULTICODEC_P256_PUB = 0x1200;

/**
 * Public-key multicodecs (multiformats/multicodec table.csv, tag `key`) that
 * are well-formed but not supported by Urbis: they give `DID_KEY_UNSUPPORTED`
 * rather than `DID_INVALID`.
 */
const KNOWN_UNSUPPORTED_KEY_CODECS: ReadonlyMap<number, string> = new Map([
  [0xe7, 'secp256k1-pub'],
  [0xea, 'bls12_381-g1-pub'],
  [0xeb, 'bls12_381-g2-pub'],
  [0xec, 'x25519-pub'],
  [0xed, 'ed25519-pub'],
  [0xee, 'bls12_381-g1g2-pub'],
  [0x1201, 'p384-pub'],
  [0x1202, 'p521-pub'],
  [0x1203, 'ed448-pub'],
  [0x1204, 'x448-pub'],
  [0x1205, 'rsa-pub'],
  [0x1206, 'sm2-pub'],
  [0xeb51, 'jwk_jcs-pub'],
]);

const P256_PUB_VARINT = Uint8Array.of(0x80, 0x24);

/**
 * Encodes a public P-256 JWK as a `p256-pub` multibase key (`zDn...`).
 *
 * @throws UrbisError `KEY_INVALID` when the point is malformed or not on the curve.
 *
 * @example
 * ```ts
 * encodeP256Multikey(publicJwk); // 'zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169'
 * ```
 */
export function encodeP256Multikey(publicJwk: PublicJwk): string {
  const compressed = compressP256PublicJwk(publicJwk);
  const bytes = new Uint8Array(P256_PUB_VARINT.length + compressed.length);
  bytes.set(P256_PUB_VARINT, 0);
  bytes.set(compressed, P256_PUB_VARINT.length);
  return base58btc.encode(bytes);
}

/**
 * Decodes a multibase multicodec public key that must be `p256-pub`.
 *
 * @throws UrbisError `INPUT_TOO_LARGE` above the DID length limit;
 *   `DID_KEY_UNSUPPORTED` for another key multicodec (ed25519-pub 0xed,
 *   secp256k1-pub 0xe7, p384-pub 0x1201, ...); `DID_INVALID` when it is not
 *   `z`-base58btc, the varint is malformed or non-minimal, the codec is not a
 *   public-key codec, or the P-256 key is not 33 bytes; `KEY_INVALID` when the
 *   33 bytes are not a compressed point on P-256.
 *
 * @example
 * ```ts
 * const { x, y } = decodeP256Multikey('zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169');
 * ```
 */
export function decodeP256Multikey(multibase: string): PublicJwk {
  if (typeof multibase !== 'string') throw new UrbisError('DID_INVALID', 'a multibase key must be a string');
  if (multibase.length > MAX_DID_LENGTH) throw new UrbisError('INPUT_TOO_LARGE', 'the multibase key is too long');
  if (!multibase.startsWith('z')) throw new UrbisError('DID_INVALID', 'the multibase key must be base58btc (z)');
  let bytes: Uint8Array;
  try {
    bytes = base58btc.decode(multibase);
  } catch (cause) {
    throw new UrbisError('DID_INVALID', 'the multibase key is not base58btc', { cause });
  }
  const { code, length } = readVarint(bytes);
  if (code !== MULTICODEC_P256_PUB) {
    if (KNOWN_UNSUPPORTED_KEY_CODECS.has(code)) {
      throw new UrbisError('DID_KEY_UNSUPPORTED', 'only P-256 (p256-pub) keys are supported');
    }
    throw new UrbisError('DID_INVALID', 'the multicodec is not a public-key codec');
  }
  const key = bytes.subarray(length);
  if (key.length !== P256_COMPRESSED_LENGTH) {
    throw new UrbisError('DID_INVALID', 'a p256-pub key is a 33-byte compressed point');
  }
  return decompressP256PublicKey(key);
}

/** Reads a minimal unsigned LEB128 varint (multiformats/unsigned-varint), at most 4 bytes. */
function readVarint(bytes: Uint8Array): { code: number; length: number } {
  let code = 0;
  for (let i = 0; i < 4 && i < bytes.length; i++) {
    const byte = bytes[i]!;
    code += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) {
      if (byte === 0 && i > 0) throw new UrbisError('DID_INVALID', 'the multicodec varint is not minimal');
      return { code, length: i + 1 };
    }
  }
  throw new UrbisError('DID_INVALID', 'the multicodec varint is truncated or too long');
}
