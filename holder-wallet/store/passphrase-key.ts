import { scryptAsync } from '@noble/hashes/scrypt.js';
import { utf8Encode } from '../../core/encoding/base64url.js';
import { UrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';
import { subtleCrypto } from '../crypto/web-crypto.js';
import { WALLET_STORE_ERROR_CODES } from './wallet-store-errors.js';

/**
 * The passphrase-derived key of a sealed wallet file: scrypt (RFC 7914,
 * `@noble/hashes`, pure JS so that Node and browsers derive the same bytes)
 * into an AES-256-GCM key and a passphrase check.
 */

/** scrypt cost parameters. `N` is a power of two; memory used is `128 · N · r` bytes. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * Default cost: N = 2^15, r = 8, p = 1 (32 MiB, the interactive-login
 * figure of RFC 7914 §2 and OWASP). Unlocking (scrypt + decrypt) took a
 * median 130 ms in Node 20.20 on one EPYC core (node:crypto's native scrypt
 * would take ~68 ms, but is Node-only); expect several times that on a
 * low-end phone.
 */
export const DEFAULT_WALLET_KDF: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });

/**
 * Accepted range. The lower bound (N = 2^10) exists for tests; a reader
 * accepts no more than it would write, so a damaged or hostile header cannot
 * make it spend gigabytes or minutes.
 */
export const WALLET_KDF_LIMITS = Object.freeze({ minLogN: 10, maxLogN: 20, maxR: 32, maxP: 16, maxMemoryBytes: 256 * 1024 * 1024 });

/** Salt length in bytes (a fresh one per wallet, per backup and per passphrase change). */
export const WALLET_SALT_BYTES = 16;
/** Length of the passphrase check stored in the file. */
export const PASSPHRASE_CHECK_BYTES = 16;

/** What one passphrase derivation gives. */
export interface PassphraseKey {
  /** AES-256-GCM key, non-extractable. */
  aesKey: CryptoKey;
  /** Bytes 32..47 of the scrypt output: tells a wrong passphrase from a damaged file. */
  check: Uint8Array;
}

/**
 * log2 of N, after checking the parameters are within {@link WALLET_KDF_LIMITS}.
 *
 * @throws UrbisError `errorCode` (`INVALID_ARGUMENT` for a caller's
 *   parameters, `WALLET_STORE_CORRUPTED` for a file's) when out of range.
 */
export function checkScryptParams(params: ScryptParams, { errorCode }: { errorCode: UrbisErrorCode }): number {
  const { N, r, p } = params ?? ({} as ScryptParams);
  const logN = Number.isSafeInteger(N) && N > 0 ? Math.log2(N) : NaN;
  const limits = WALLET_KDF_LIMITS;
  if (!Number.isInteger(logN) || logN < limits.minLogN || logN > limits.maxLogN) {
    throw new UrbisError(errorCode, `scrypt N must be a power of two from 2^${limits.minLogN} to 2^${limits.maxLogN}`);
  }
  if (!Number.isInteger(r) || r < 1 || r > limits.maxR) throw new UrbisError(errorCode, `scrypt r must be an integer from 1 to ${limits.maxR}`);
  if (!Number.isInteger(p) || p < 1 || p > limits.maxP) throw new UrbisError(errorCode, `scrypt p must be an integer from 1 to ${limits.maxP}`);
  if (128 * N * r > limits.maxMemoryBytes) throw new UrbisError(errorCode, 'scrypt N and r together need too much memory');
  return logN;
}

/**
 * Checks a passphrase argument and returns its bytes: UTF-8 of its Unicode
 * NFC form, so the same passphrase typed on two devices (one composing
 * accents, one not) opens the same wallet.
 *
 * @throws UrbisError `INVALID_ARGUMENT` for an empty or non-string passphrase.
 */
export function passphraseBytes(passphrase: string): Uint8Array {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new UrbisError(WALLET_STORE_ERROR_CODES.invalidArgument, 'the passphrase must be a non-empty string');
  }
  return utf8Encode(passphrase.normalize('NFC'));
}

/**
 * Derives the AES key and passphrase check from a passphrase, salt and cost.
 * Parameters must have passed {@link checkScryptParams}.
 */
export async function derivePassphraseKey({ passphrase, salt, params }: { passphrase: string; salt: Uint8Array; params: ScryptParams }): Promise<PassphraseKey> {
  const derived = await scryptAsync(passphraseBytes(passphrase), salt, { ...params, dkLen: 32 + PASSPHRASE_CHECK_BYTES, maxmem: WALLET_KDF_LIMITS.maxMemoryBytes + 1024 * 1024 });
  try {
    const aesKey = await subtleCrypto().importKey('raw', new Uint8Array(derived.subarray(0, 32)), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
    return { aesKey, check: derived.slice(32) };
  } finally {
    derived.fill(0);
  }
}
