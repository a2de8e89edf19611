import { utf8Encode } from '../../core/encoding/base64url.js';
import { UrbisError } from '../../core/errors/urbis-error.js';

/**
 * Access to the platform's Web Crypto (`globalThis.crypto`): the one crypto
 * the wallet's core path uses, so that it runs unchanged in Node (≥ 19 has
 * `globalThis.crypto`) and in browsers (secure contexts only: https or
 * localhost).
 */

/** ECDSA on P-256, for key generation and import. */
export const ECDSA_P256: EcKeyImportParams = { name: 'ECDSA', namedCurve: 'P-256' };

/** ECDSA with SHA-256 (JWS `ES256`), for sign and verify. Signatures are raw `r || s` (64 bytes). */
export const ECDSA_SHA256: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

/**
 * The platform's `SubtleCrypto`.
 *
 * @throws UrbisError `CONFIG_INVALID` when the platform has no Web Crypto
 *   (an old runtime, or a browser page served over plain http).
 */
export function subtleCrypto(): SubtleCrypto {
  const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (subtle === undefined) {
    throw new UrbisError('CONFIG_INVALID', 'Web Crypto (globalThis.crypto.subtle) is not available: use Node 20+ or a browser page in a secure context');
  }
  return subtle;
}

/** Largest request `getRandomValues` accepts in one call (Web Crypto §10.1.1). */
const MAX_RANDOM_REQUEST = 65_536;

/**
 * Cryptographically secure random bytes from `crypto.getRandomValues`.
 *
 * @throws UrbisError `INVALID_ARGUMENT` for a length that is not a
 *   non-negative integer; `CONFIG_INVALID` without Web Crypto.
 */
export function webRandomBytes(length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0) throw new UrbisError('INVALID_ARGUMENT', 'length must be a non-negative integer');
  const crypto = (globalThis as { crypto?: Crypto }).crypto;
  if (crypto === undefined) throw new UrbisError('CONFIG_INVALID', 'Web Crypto (globalThis.crypto) is not available');
  const out = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += MAX_RANDOM_REQUEST) {
    crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + MAX_RANDOM_REQUEST)));
  }
  return out;
}

/**
 * A copy of bytes backed by a plain `ArrayBuffer`, as Web Crypto's
 * `BufferSource` parameters require (a view of a `SharedArrayBuffer`, or of
 * another realm's buffer, is refused by some engines).
 */
export function toBufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

/** The bytes of an ASCII JWS signing input (`BASE64URL(header) '.' BASE64URL(payload)`). */
export function asciiBytes(text: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) throw new UrbisError('INVALID_ARGUMENT', 'a JWS signing input is ASCII');
    out[i] = c;
  }
  return out;
}

/** SHA-256 with `crypto.subtle.digest`, of bytes or of a string's UTF-8 bytes. */
export async function webSha256(data: Uint8Array | string): Promise<Uint8Array> {
  const bytes = typeof data === 'string' ? utf8Encode(data) : data;
  return new Uint8Array(await subtleCrypto().digest('SHA-256', toBufferSource(bytes)));
}
