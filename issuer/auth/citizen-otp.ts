import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { IssuerDatabase } from '../db/database-schema.js';
import { constantTimeEqual, hashSecret, newSecretToken } from '../security/secret-token.js';
import type { NotificationMessage, Notifier } from './notifier.js';

/** Sign-in by a one-time code sent to the citizen's registered e-mail address. */
export interface CitizenOtp {
  /**
   * Starts a sign-in for an e-mail address. Always answers with a challenge,
   * whether or not a citizen has that address, so the answer does not tell
   * who is registered; the code is sent only when exactly one citizen has
   * the address (compared without regard to case or surrounding spaces).
   * Starting a new challenge ends the citizen's earlier unused ones.
   *
   * @throws UrbisError `INVALID_ARGUMENT` (not an e-mail address in shape);
   *   whatever the notifier throws (only for a registered address).
   */
  start(input: { email: string }): Promise<{ challengeId: string; expiresAt: number }>;
  /**
   * Checks a code; on success the challenge is used up and the citizen's id
   * returned. Every call counts as an attempt, the right code included.
   *
   * @throws UrbisError `OTP_INVALID` (wrong code, or an unknown challenge);
   *   `OTP_EXPIRED` (past its lifetime, already used, or out of attempts);
   *   `INVALID_ARGUMENT` (not strings).
   */
  verify(input: { challengeId: string; code: string }): Promise<string>;
  /** Deletes challenges past their lifetime; returns how many. */
  purgeExpired(): Promise<number>;
}

/** What the code message says; the default is a short English text. */
export type OtpMessageComposer = (input: { code: string; ttlMinutes: number }) => Pick<NotificationMessage, 'subject' | 'text'>;

/** Options of {@link createCitizenOtp}. */
export interface CitizenOtpOptions {
  db: Kysely<IssuerDatabase>;
  notifier: Notifier;
  /** Clock, epoch milliseconds. */
  now?: () => number;
  /** Lifetime of a code; default 10 minutes. */
  ttlMs?: number;
  /** Tries per challenge (the successful one included); default 5. */
  maxAttempts?: number;
  /** Digits in a code, 6–10; default 6. */
  codeDigits?: number;
  compose?: OtpMessageComposer;
}

const CHALLENGE_ID = /^[A-Za-z0-9_-]{22}$/;
const MAX_EMAIL_LENGTH = 254;
const MAX_DECOYS = 10_000;

const defaultCompose: OtpMessageComposer = ({ code, ttlMinutes }) => ({
  subject: 'Your Urbis sign-in code',
  text: `Your Urbis sign-in code is ${code}. It expires in ${ttlMinutes} minutes. If you did not ask for it, ignore this message.`,
});

function codeHash(challengeId: string, code: string): string {
  // Bound to the challenge, so equal codes of different challenges hash differently.
  return hashSecret(`${challengeId}.${code}`);
}

function expired(message: string): UrbisError {
  return new UrbisError('OTP_EXPIRED', message);
}

/**
 * Creates the e-mail one-time-code sign-in over the `otp_challenges` table.
 * Codes are drawn with `crypto.randomInt` and stored only as a SHA-256 bound
 * to the challenge id.
 *
 * No account enumeration: for an unknown address `start` returns a decoy
 * challenge (kept in memory, at most 10,000, for the code lifetime) that
 * `verify` treats like a real one — `OTP_INVALID` until its attempts or
 * lifetime run out, then `OTP_EXPIRED`. What remains observable is timing
 * (a registered address costs a database write and a send): keep the
 * notifier quick (queue, then deliver) and rate-limit `start` per client and
 * per address at the HTTP layer, which also bounds guessing across
 * repeated challenges.
 *
 * @example
 * ```ts
 * const otp = createCitizenOtp({ db, notifier: createOutboxFileNotifier({ path: '.tmp/outbox.jsonl' }) });
 * const { challengeId } = await otp.start({ email });
 * const citizenId = await otp.verify({ challengeId, code }); // then sessions.issue({ kind: 'citizen', subjectId: citizenId })
 * ```
 * @throws UrbisError `CONFIG_INVALID` for a bad ttlMs, maxAttempts or codeDigits.
 */
export function createCitizenOtp({
  db,
  notifier,
  now = Date.now,
  ttlMs = 10 * 60_000,
  maxAttempts = 5,
  codeDigits = 6,
  compose = defaultCompose,
}: CitizenOtpOptions): CitizenOtp {
  if (!Number.isInteger(ttlMs) || ttlMs <= 0) throw new UrbisError('CONFIG_INVALID', 'the one-time code lifetime must be a positive number of milliseconds');
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100) throw new UrbisError('CONFIG_INVALID', 'the one-time code attempts must be from 1 to 100');
  if (!Number.isInteger(codeDigits) || codeDigits < 6 || codeDigits > 10) throw new UrbisError('CONFIG_INVALID', 'a one-time code has from 6 to 10 digits');

  // Decoy challenges for addresses with no (single) citizen, so that `verify`
  // answers them exactly as it would a real challenge, a superseded one included.
  const decoys = new Map<string, { expiresAt: number; attempts: number; superseded: boolean; address: string }>();
  const latestDecoy = new Map<string, string>();

  function rememberDecoy(challengeId: string, expiresAt: number, normalizedEmail: string): void {
    const t = now();
    for (const [id, decoy] of decoys) {
      if (decoy.expiresAt > t && decoys.size < MAX_DECOYS) break;
      decoys.delete(id); // insertion order = expiry order: expired ones first, then the oldest when full
      if (latestDecoy.get(decoy.address) === id) latestDecoy.delete(decoy.address);
    }
    const address = hashSecret(normalizedEmail);
    const previous = latestDecoy.get(address);
    if (previous !== undefined) {
      const decoy = decoys.get(previous);
      if (decoy !== undefined) decoy.superseded = true;
    }
    decoys.set(challengeId, { expiresAt, attempts: 0, superseded: false, address });
    latestDecoy.set(address, challengeId);
  }

  function verifyDecoy(challengeId: string): never {
    const decoy = decoys.get(challengeId);
    if (decoy !== undefined) {
      if (decoy.superseded || now() >= decoy.expiresAt || decoy.attempts >= maxAttempts) throw expired('the one-time code has expired or is used up');
      decoy.attempts += 1;
    }
    throw new UrbisError('OTP_INVALID', 'the one-time code is wrong');
  }

  return {
    async start({ email }) {
      if (typeof email !== 'string') throw new UrbisError('INVALID_ARGUMENT', 'an e-mail address must be a string');
      const normalized = email.trim().toLowerCase();
      if (normalized.length > MAX_EMAIL_LENGTH || !/^[^\s@]+@[^\s@]+$/.test(normalized)) {
        throw new UrbisError('INVALID_ARGUMENT', 'this is not an e-mail address');
      }
      const challengeId = newSecretToken(16);
      const createdAt = now();
      const expiresAt = createdAt + ttlMs;
      const matches = await db
        .selectFrom('citizens')
        .select(['id', 'email', 'phone'])
        .where((eb) => eb(eb.fn('lower', ['email']), '=', normalized))
        .limit(2)
        .execute();
      const citizen = matches.length === 1 ? matches[0]! : undefined;
      if (citizen === undefined || citizen.email === null) {
        rememberDecoy(challengeId, expiresAt, normalized);
        return { challengeId, expiresAt };
      }
      const code = String(randomInt(0, 10 ** codeDigits)).padStart(codeDigits, '0');
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('otp_challenges').set({ consumed: 1 }).where('citizen_id', '=', citizen.id).where('consumed', '=', 0).execute();
        await trx
          .insertInto('otp_challenges')
          .values({ id: challengeId, citizen_id: citizen.id, code_hash: codeHash(challengeId, code), attempts: 0, consumed: 0, expires_at: expiresAt, created_at: createdAt })
          .execute();
      });
      const { subject, text } = compose({ code, ttlMinutes: Math.ceil(ttlMs / 60_000) });
      await notifier.send({ to: { email: citizen.email, ...(citizen.phone === null ? {} : { phone: citizen.phone }) }, subject, text });
      return { challengeId, expiresAt };
    },

    async verify({ challengeId, code }) {
      if (typeof challengeId !== 'string' || typeof code !== 'string') {
        throw new UrbisError('INVALID_ARGUMENT', 'the challenge id and the code must be strings');
      }
      if (!CHALLENGE_ID.test(challengeId)) throw new UrbisError('OTP_INVALID', 'the one-time code is wrong');
      const row = await db.selectFrom('otp_challenges').select(['citizen_id', 'code_hash', 'attempts', 'consumed', 'expires_at']).where('id', '=', challengeId).executeTakeFirst();
      if (row === undefined) return verifyDecoy(challengeId);
      const t = now();
      if (row.consumed === 1 || t >= row.expires_at || row.attempts >= maxAttempts) throw expired('the one-time code has expired or is used up');
      // Take the attempt before comparing, so parallel guesses cannot exceed the limit.
      const taken = await db
        .updateTable('otp_challenges')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('id', '=', challengeId)
        .where('consumed', '=', 0)
        .where('attempts', '<', maxAttempts)
        .where('expires_at', '>', t)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) !== 1) throw expired('the one-time code has expired or is used up');
      if (!constantTimeEqual(codeHash(challengeId, code.replace(/\s+/g, '')), row.code_hash)) {
        throw new UrbisError('OTP_INVALID', 'the one-time code is wrong');
      }
      const used = await db.updateTable('otp_challenges').set({ consumed: 1 }).where('id', '=', challengeId).where('consumed', '=', 0).executeTakeFirst();
      if (Number(used.numUpdatedRows) !== 1) throw expired('the one-time code has expired or is used up');
      return row.citizen_id;
    },

    async purgeExpired() {
      const result = await db.deleteFrom('otp_challenges').where('expires_at', '<=', now()).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
