import { UrbisError } from '../../core/errors/urbis-error.js';

/**
 * A replay key reduced to a fixed-width fingerprint: the first 16 bytes
 * (128 bits) of the base64url-decoded digest, held as four little-endian
 * 32-bit words (so the words' bytes are exactly the digest's first bytes).
 *
 * Why truncating is safe: a replay key is already a uniform hash (base64url
 * SHA-256 of the KB-JWT signing input, see core's key-binding policy), so
 * any 128 of its bits are as good as a 128-bit hash. Two different keys
 * share a fingerprint with probability 2^-128 per pair; among n remembered
 * keys the chance of any accidental collision is about n²/2^129 (≈ 1.5e-27
 * for a million), and forging one on purpose is a 2^64-work birthday search
 * (2^128 to hit a given entry) over inputs the attacker must also get signed
 * by a holder key. And a collision can only make the terminal *refuse* a
 * fresh presentation as a replay, never accept one.
 *
 * Keys must be base64url text of at least 43 characters (a digest of 256
 * bits or more): anything else is refused, since truncating a structured
 * string would not give a uniform fingerprint.
 */

/** Words per fingerprint (4 × 32 bits = 16 bytes). */
export const FINGERPRINT_WORDS = 4;
/** Bytes per fingerprint. */
export const FINGERPRINT_BYTES = FINGERPRINT_WORDS * 4;

const MIN_KEY_LENGTH = 43; // 256 bits in unpadded base64url
const MAX_KEY_LENGTH = 128; // room for SHA-512 (86 characters)
/** base64url digit per character code, -1 outside the alphabet. */
const DIGITS = (() => {
  const digits = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  for (let i = 0; i < alphabet.length; i++) digits[alphabet.charCodeAt(i)] = i;
  return digits;
})();

/**
 * Writes the fingerprint of `key` into `out[0..4)` (no allocation: the
 * cache calls this on every lookup).
 *
 * @throws UrbisError `INVALID_ARGUMENT` when `key` is not base64url of 43 to
 *   128 characters.
 * @example
 * ```ts
 * const words = new Uint32Array(FINGERPRINT_WORDS);
 * fingerprintReplayKey({ key: replayKey, out: words });
 * ```
 */
export function fingerprintReplayKey({ key, out }: { key: string; out: Uint32Array }): void {
  if (typeof key !== 'string' || key.length < MIN_KEY_LENGTH || key.length > MAX_KEY_LENGTH) {
    throw new UrbisError('INVALID_ARGUMENT', 'a replay key is a base64url digest of at least 256 bits');
  }
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code >= 128 || DIGITS[code]! < 0) throw new UrbisError('INVALID_ARGUMENT', 'a replay key is a base64url digest of at least 256 bits');
  }
  // 16 bytes = 128 bits: five groups of four characters (24 bits each, 120
  // bits) plus the top 8 bits of the next two characters.
  let word = 0;
  let filled = 0; // bytes in `word`
  let w = 0; // words written
  const push = (byte: number): void => {
    word |= byte << (8 * filled);
    if (++filled === 4) {
      out[w++] = word >>> 0;
      word = 0;
      filled = 0;
    }
  };
  for (let g = 0; g < 20; g += 4) {
    const bits = (digit(key, g) << 18) | (digit(key, g + 1) << 12) | (digit(key, g + 2) << 6) | digit(key, g + 3);
    push((bits >>> 16) & 0xff);
    push((bits >>> 8) & 0xff);
    push(bits & 0xff);
  }
  push(((digit(key, 20) << 2) | (digit(key, 21) >>> 4)) & 0xff);
}

function digit(key: string, i: number): number {
  return DIGITS[key.charCodeAt(i)]!;
}
