import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { UrbisError } from '../../core/errors/urbis-error.js';

/**
 * scrypt work factors: N = 2^`ln` (CPU/memory cost), `r` (block size),
 * `p` (parallelism). Memory used is about 128 · N · r bytes (32 MiB at the
 * default).
 */
export interface ScryptCost {
  readonly ln: number;
  readonly r: number;
  readonly p: number;
}

/**
 * Production cost: N = 2^15, r = 8, p = 1 (OWASP's scrypt minimum; ≈ 32 MiB
 * and tens of milliseconds per hash on one core). Tests pass a lower cost
 * such as `{ ln: 10, r: 8, p: 1 }` to stay fast.
 */
export const DEFAULT_PASSWORD_COST: ScryptCost = Object.freeze({ ln: 15, r: 8, p: 1 });

/** Shortest password accepted for staff accounts, in characters (Unicode code points). */
export const MIN_PASSWORD_LENGTH = 12;

/** Longest password accepted, in characters: bounds the work a single login can cause. */
export const MAX_PASSWORD_LENGTH = 1024;

// Bounds on the cost, both when hashing and when reading a stored hash (a
// stored hash with an absurd cost must not tie up the server's memory).
const LN_MIN = 10;
const LN_MAX = 20;
const R_MAX = 32;
const P_MAX = 16;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
const B64URL = /^[A-Za-z0-9_-]+$/;
const FORMAT = /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

function isValidCost({ ln, r, p }: ScryptCost): boolean {
  return (
    Number.isInteger(ln) && ln >= LN_MIN && ln <= LN_MAX &&
    Number.isInteger(r) && r >= 1 && r <= R_MAX &&
    Number.isInteger(p) && p >= 1 && p <= P_MAX
  );
}

function derive({ secret, salt, cost, length }: { secret: string; salt: Uint8Array; cost: ScryptCost; length: number }): Promise<Buffer> {
  const N = 2 ** cost.ln;
  // Node refuses when 128·N·r exceeds maxmem (default 32 MiB, exactly the
  // production cost): allow twice the working set.
  const maxmem = 256 * N * cost.r + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFC'), salt, length, { N, r: cost.r, p: cost.p, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * Hashes a password (or a PIN) with scrypt and a fresh 16-byte salt, into a
 * self-describing string that records its own cost:
 *
 * ```
 * scrypt$ln=15,r=8,p=1$<salt, base64url>$<32-byte hash, base64url>
 * ```
 *
 * The text is NFC-normalised first, so the same password typed on different
 * keyboards hashes the same. Length rules are not checked here (see
 * `checkPasswordPolicy`), except the upper bound.
 *
 * @example
 * ```ts
 * const stored = await hashPassword({ password: 'correct horse battery', cost: { ln: 10, r: 8, p: 1 } });
 * await verifyPassword({ password: 'correct horse battery', stored }); // true
 * ```
 * @throws UrbisError `INVALID_ARGUMENT` (not a string, longer than 1024 characters, or a cost outside ln 10–20, r 1–32, p 1–16).
 */
export async function hashPassword({ password, cost = DEFAULT_PASSWORD_COST }: { password: string; cost?: ScryptCost }): Promise<string> {
  if (typeof password !== 'string' || [...password].length > MAX_PASSWORD_LENGTH) {
    throw new UrbisError('INVALID_ARGUMENT', `a password must be a string of at most ${MAX_PASSWORD_LENGTH} characters`);
  }
  if (!isValidCost(cost)) {
    throw new UrbisError('INVALID_ARGUMENT', `the scrypt cost must have ln ${LN_MIN}–${LN_MAX}, r 1–${R_MAX}, p 1–${P_MAX}`);
  }
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive({ secret: password, salt, cost, length: HASH_BYTES });
  return `scrypt$ln=${cost.ln},r=${cost.r},p=${cost.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/**
 * Checks a password against a string made by `hashPassword`, recomputing
 * with the cost recorded in it and comparing in constant time.
 *
 * Returns `false` — never throws — for a wrong password, a non-string input,
 * an over-long password, or a stored value that is not a well-formed scrypt
 * hash within the accepted cost bounds, so a login path has one outcome to
 * handle.
 */
export async function verifyPassword({ password, stored }: { password: string; stored: string }): Promise<boolean> {
  if (typeof password !== 'string' || typeof stored !== 'string' || [...password].length > MAX_PASSWORD_LENGTH) return false;
  const match = FORMAT.exec(stored);
  if (match === null) return false;
  const cost: ScryptCost = { ln: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  const saltText = match[4]!;
  const hashText = match[5]!;
  if (!isValidCost(cost) || !B64URL.test(saltText) || !B64URL.test(hashText)) return false;
  const salt = Buffer.from(saltText, 'base64url');
  const expected = Buffer.from(hashText, 'base64url');
  if (salt.length < 8 || expected.length < 16 || expected.length > 64) return false;
  const actual = await derive({ secret: password, salt, cost, length: expected.length });
  return timingSafeEqual(actual, expected);
}

/**
 * The password rule for staff accounts: at least 12 characters (Unicode code
 * points, after NFC normalisation), at most 1024, and not only whitespace.
 * No composition rules (NIST SP 800-63B): length is what counts.
 *
 * @throws UrbisError `INVALID_ARGUMENT` naming the rule broken (never the password).
 */
export function checkPasswordPolicy({ password }: { password: string }): void {
  if (typeof password !== 'string') throw new UrbisError('INVALID_ARGUMENT', 'the password must be a string');
  const length = [...password.normalize('NFC')].length;
  if (length < MIN_PASSWORD_LENGTH) {
    throw new UrbisError('INVALID_ARGUMENT', `the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw new UrbisError('INVALID_ARGUMENT', `the password must be at most ${MAX_PASSWORD_LENGTH} characters`);
  }
  if (password.trim() === '') throw new UrbisError('INVALID_ARGUMENT', 'the password must not be only whitespace');
}

/**
 * Hashes a citizen's card PIN: the same scrypt format as passwords. A 4–8
 * digit PIN has at most 10^8 values, so a stolen hash falls to an offline
 * search whatever the cost; the real protection is the lockout after failed
 * attempts (see `createCardPinLogin`) and keeping the database private. The
 * format rule lives with the login (`setPin`).
 *
 * @throws UrbisError `INVALID_ARGUMENT` as `hashPassword`.
 */
export function hashPin({ pin, cost }: { pin: string; cost?: ScryptCost }): Promise<string> {
  return hashPassword({ password: pin, cost });
}

/** Checks a PIN against a string made by `hashPin`; `false` on any mismatch (see `verifyPassword`). */
export function verifyPin({ pin, stored }: { pin: string; stored: string }): Promise<boolean> {
  return verifyPassword({ password: pin, stored });
}
