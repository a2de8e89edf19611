import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { UrbisError } from '../../core/errors/urbis-error.js';

/** Default size of a secret token: 32 random bytes (256 bits), 43 base64url characters. */
export const SECRET_TOKEN_BYTES = 32;

const MIN_TOKEN_BYTES = 16;
const MAX_TOKEN_BYTES = 1024;

/**
 * A fresh random secret (session token, challenge id, pre-authorized code),
 * `bytes` random bytes from the OS CSPRNG written as unpadded base64url.
 *
 * @example
 * ```ts
 * const token = newSecretToken(); // 43 characters
 * await db.insertInto('sessions').values({ token_hash: hashSecret(token), ... }).execute();
 * ```
 * @throws UrbisError `INVALID_ARGUMENT` when `bytes` is not an integer from 16 to 1024.
 */
export function newSecretToken(bytes: number = SECRET_TOKEN_BYTES): string {
  if (!Number.isInteger(bytes) || bytes < MIN_TOKEN_BYTES || bytes > MAX_TOKEN_BYTES) {
    throw new UrbisError('INVALID_ARGUMENT', `a secret token has from ${MIN_TOKEN_BYTES} to ${MAX_TOKEN_BYTES} random bytes`);
  }
  return randomBytes(bytes).toString('base64url');
}

/**
 * SHA-256 of a secret's UTF-8 text, unpadded base64url (43 characters): what
 * the database stores for session tokens, one-time codes and pre-authorized
 * codes, so that a copy of the database does not hold usable secrets.
 *
 * A plain hash (no salt, no work factor) suffices for high-entropy random
 * tokens; low-entropy secrets chosen by people (passwords, PINs) go through
 * `hashPassword` instead.
 */
export function hashSecret(token: string): string {
  if (typeof token !== 'string') throw new UrbisError('INVALID_ARGUMENT', 'a secret must be a string');
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/**
 * Compares two strings in time independent of their contents (and of where
 * they first differ). Both are hashed first, so strings of different lengths
 * are compared without leaking either length through an early exit.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  // The hash comparison decides; the length check only rules out the (astronomically unlikely) collision.
  return timingSafeEqual(da, db) && a.length === b.length;
}
