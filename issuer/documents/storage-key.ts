import { randomBytes } from 'node:crypto';
import { UrbisError } from '../../core/errors/urbis-error.js';

/** Random bytes in a storage key: 128 bits. */
export const STORAGE_KEY_BYTES = 16;

// 16 bytes = 22 base64url characters carrying 132 bits: the last character's
// 4 low bits are padding and must be zero, so each key has one spelling.
const STORAGE_KEY = /^[A-Za-z0-9_-]{21}[AQgw]$/;

/** A new random storage key: 128 bits, base64url without padding (22 characters). */
export function newStorageKey(): string {
  return randomBytes(STORAGE_KEY_BYTES).toString('base64url');
}

/**
 * Is `value` a storage key as {@link newStorageKey} makes them? Only 22
 * base64url characters in canonical form pass, so a key can never name a
 * path outside the vault directory (`..`, `/`, `\`, NUL, dots) or a
 * temporary file.
 */
export function isStorageKey(value: unknown): value is string {
  return typeof value === 'string' && STORAGE_KEY.test(value);
}

/**
 * Checks a storage key before it touches the filesystem.
 * @throws UrbisError `INVALID_ARGUMENT` (the message never echoes the value).
 */
export function assertStorageKey(value: unknown): asserts value is string {
  if (!isStorageKey(value)) {
    throw new UrbisError('INVALID_ARGUMENT', 'a storage key is 22 base64url characters (128 random bits)');
  }
}
