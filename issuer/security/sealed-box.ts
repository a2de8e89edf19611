import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { UrbisError } from '../../core/errors/urbis-error.js';

/** Length of a sealed-box key, in bytes (AES-256). */
export const SEALED_BOX_KEY_BYTES = 32;

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const B64URL = /^[A-Za-z0-9_-]*$/;
const CANNOT_OPEN = 'sealed value cannot be opened';

// 32 bytes = 43 base64 characters carrying 258 bits: the last character's 2
// low bits are padding and must be zero (canonical encoding only).
const CANONICAL_LAST = '[AEIMQUYcgkosw048]';
const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = new RegExp(`^[A-Za-z0-9+/]{42}${CANONICAL_LAST}=?$`);
const BASE64URL = new RegExp(`^[A-Za-z0-9_-]{42}${CANONICAL_LAST}=?$`);

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== SEALED_BOX_KEY_BYTES) {
    throw new UrbisError('CONFIG_INVALID', `a sealed-box key must be ${SEALED_BOX_KEY_BYTES} bytes`);
  }
}

/** GCM additional data: the version tag, then the caller's context. `undefined` and `''` mean the same (no context). */
function additionalData(aad: string | undefined): Buffer {
  return Buffer.from(`${VERSION}.${aad ?? ''}`, 'utf8');
}

/**
 * Encrypts a short secret (a private JWK, a webhook secret) with AES-256-GCM
 * under a 32-byte key from configuration, into one compact string safe for a
 * text column:
 *
 * ```
 * v1.<IV, 12 bytes>.<ciphertext>.<GCM tag, 16 bytes>     (each part unpadded base64url)
 * ```
 *
 * The IV is random per call. `aad` binds the value to its context (e.g. the
 * row's key id): it is authenticated, not stored, and `open` must be given
 * the same text. The version tag is authenticated too.
 *
 * @example
 * ```ts
 * const key = parseKey32(process.env.URBIS_MASTER_KEY ?? '', 'URBIS_MASTER_KEY');
 * const sealed = seal({ key, plaintext: JSON.stringify(privateJwk), aad: kid });
 * const jwk = JSON.parse(open({ key, sealed, aad: kid }));
 * ```
 * @throws UrbisError `CONFIG_INVALID` (a key that is not 32 bytes), `INVALID_ARGUMENT` (plaintext or aad not a string).
 */
export function seal({ key, plaintext, aad }: { key: Uint8Array; plaintext: string; aad?: string }): string {
  checkKey(key);
  if (typeof plaintext !== 'string' || (aad !== undefined && typeof aad !== 'string')) {
    throw new UrbisError('INVALID_ARGUMENT', 'the plaintext and additional data of a sealed value must be strings');
  }
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(aad));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

/**
 * Checks and decrypts a string made by `seal`, under the same key and `aad`.
 *
 * Every failure — not a sealed value, another version, truncated, altered,
 * another key, another `aad` — gives the same error and message, so the
 * caller learns nothing about which check failed.
 *
 * @throws UrbisError `INVALID_ARGUMENT` with the message `sealed value cannot be opened`;
 *   `CONFIG_INVALID` (a key that is not 32 bytes).
 */
export function open({ key, sealed, aad }: { key: Uint8Array; sealed: string; aad?: string }): string {
  checkKey(key);
  if (typeof sealed !== 'string' || (aad !== undefined && typeof aad !== 'string')) throw new UrbisError('INVALID_ARGUMENT', CANNOT_OPEN);
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION || !parts.every((part) => B64URL.test(part))) {
    throw new UrbisError('INVALID_ARGUMENT', CANNOT_OPEN);
  }
  const iv = Buffer.from(parts[1]!, 'base64url');
  const ciphertext = Buffer.from(parts[2]!, 'base64url');
  const tag = Buffer.from(parts[3]!, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new UrbisError('INVALID_ARGUMENT', CANNOT_OPEN);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(aad));
    decipher.setAuthTag(tag);
    const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    return new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
  } catch (cause) {
    throw new UrbisError('INVALID_ARGUMENT', CANNOT_OPEN, { cause });
  }
}

/**
 * Parses a 32-byte key from configuration text: 64 hex digits, standard
 * base64 or base64url (padding optional, canonical encoding only).
 * Surrounding whitespace (a trailing newline in a secrets file) is ignored.
 * An all-zero key is refused as a placeholder.
 *
 * @param text the configured value.
 * @param name the setting's name (e.g. `URBIS_MASTER_KEY`), used in the error message; the value never is.
 * @throws UrbisError `CONFIG_INVALID`.
 */
export function parseKey32(text: string, name: string): Uint8Array {
  if (typeof text !== 'string') throw new UrbisError('CONFIG_INVALID', `${name} must be given as text`);
  const trimmed = text.trim();
  let key: Buffer;
  if (HEX.test(trimmed)) key = Buffer.from(trimmed, 'hex');
  else if (BASE64.test(trimmed)) key = Buffer.from(trimmed, 'base64');
  else if (BASE64URL.test(trimmed)) key = Buffer.from(trimmed, 'base64url');
  else throw new UrbisError('CONFIG_INVALID', `${name} must be 32 bytes written as 64 hex digits, base64 or base64url`);
  if (key.length !== SEALED_BOX_KEY_BYTES) throw new UrbisError('CONFIG_INVALID', `${name} must be 32 bytes`);
  if (key.every((byte) => byte === 0)) throw new UrbisError('CONFIG_INVALID', `${name} is all zeros (a placeholder, not a key)`);
  return new Uint8Array(key);
}
