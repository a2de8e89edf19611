import { UrbisError } from '../errors/urbis-error.js';

/**
 * base64url without padding (RFC 4648 §5), strict on decode: only the
 * URL-safe alphabet, no padding, no whitespace, and canonical trailing bits
 * (so that one byte string has exactly one encoding — digests over
 * disclosures and signatures rely on that).
 *
 * Works in Node and in browsers (uses `Buffer` when present, else `atob`/`btoa`).
 */

const ALPHABET = /^[A-Za-z0-9_-]*$/;
const hasBuffer = typeof (globalThis as { Buffer?: unknown }).Buffer === 'function';

/** Encodes bytes as unpadded base64url. */
export function base64urlEncode(bytes: Uint8Array): string {
  if (hasBuffer) {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
  }
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Encodes a UTF-8 string as unpadded base64url. */
export function base64urlEncodeString(text: string): string {
  return hasBuffer ? Buffer.from(text, 'utf8').toString('base64url') : base64urlEncode(utf8Encode(text));
}

/**
 * Decodes strict unpadded base64url.
 * @throws UrbisError `BASE64URL_INVALID` on a character outside the alphabet,
 *   an impossible length (4n+1), or non-canonical trailing bits.
 */
export function base64urlDecode(text: string): Uint8Array {
  if (typeof text !== 'string' || text.length % 4 === 1) {
    throw new UrbisError('BASE64URL_INVALID', 'not canonical base64url');
  }
  let bytes: Uint8Array;
  if (hasBuffer) {
    // Node's decoder skips characters outside its alphabets and also takes
    // '+', '/' and '='. A skipped character always shortens the output, so
    // the length check plus three substring searches replace a regular
    // expression over the whole text (several times slower on a credential).
    const buf = Buffer.from(text, 'base64url');
    if (buf.byteLength !== decodedLength(text.length) || text.includes('+') || text.includes('/') || text.includes('=')) {
      throw new UrbisError('BASE64URL_INVALID', 'not canonical base64url');
    }
    bytes = buf; // a Buffer is a Uint8Array
  } else {
    if (!ALPHABET.test(text)) throw new UrbisError('BASE64URL_INVALID', 'not canonical base64url');
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  }
  // Canonical form: re-encoding must give the same text (rejects non-zero
  // trailing bits, which decoders otherwise silently drop).
  const rem = text.length % 4;
  if (rem !== 0) {
    const last = text.charCodeAt(text.length - 1);
    const value = sextet(last);
    const unusedBits = rem === 2 ? 4 : 2;
    if ((value & ((1 << unusedBits) - 1)) !== 0) {
      throw new UrbisError('BASE64URL_INVALID', 'non-canonical base64url trailing bits');
    }
  }
  return bytes;
}

/** Decodes strict base64url into a UTF-8 string (fatal on invalid UTF-8). */
export function base64urlDecodeString(text: string): string {
  const bytes = base64urlDecode(text);
  if (hasBuffer) {
    // Fast path: Node's decoder replaces bad sequences with U+FFFD; only then
    // is the strict (fatal) decoder needed to tell a real U+FFFD from an error.
    const decoded = (bytes as Buffer).toString('utf8');
    if (!decoded.includes('\uFFFD')) return decoded;
  }
  return utf8Decode(bytes);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 encode. */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * UTF-8 decode, fatal on malformed input.
 * @throws UrbisError `BASE64URL_INVALID` when the bytes are not UTF-8.
 */
export function utf8Decode(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new UrbisError('BASE64URL_INVALID', 'decoded bytes are not UTF-8', { cause });
  }
}

/** Bytes that `length` unpadded base64url characters carry (length % 4 ≠ 1). */
function decodedLength(length: number): number {
  const rem = length % 4;
  return ((length - rem) / 4) * 3 + (rem === 0 ? 0 : rem - 1);
}

function sextet(code: number): number {
  if (code >= 65 && code <= 90) return code - 65; // A-Z
  if (code >= 97 && code <= 122) return code - 71; // a-z
  if (code >= 48 && code <= 57) return code + 4; // 0-9
  return code === 45 ? 62 : 63; // '-' or '_'
}
