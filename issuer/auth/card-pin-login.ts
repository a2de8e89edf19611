import type { Kysely } from 'kysely';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { IssuerDatabase } from '../db/database-schema.js';
import { hashPin, verifyPin, type ScryptCost } from '../security/password-hash.js';

/** Sign-in with the city card number and a 4–8 digit PIN (counter kiosks, phone support). */
export interface CardPinLogin {
  /**
   * Sets (or replaces) a citizen's PIN and clears the failed-attempt count.
   * @throws UrbisError `INVALID_ARGUMENT` (not 4–8 ASCII digits), `RESOURCE_NOT_FOUND` (no such citizen).
   */
  setPin(input: { citizenId: string; pin: string }): Promise<void>;
  /**
   * Checks a card number and PIN; returns the citizen's id. A success clears
   * the failed-attempt count; a failure adds one, and at the limit the card
   * is locked until staff unlock it.
   * @throws UrbisError `AUTH_FAILED` for an unknown card, a card without a PIN,
   *   a wrong PIN or a locked card alike; `INVALID_ARGUMENT` (not strings).
   */
  login(input: { cardNumber: string; pin: string }): Promise<string>;
  /**
   * Whether the citizen's card is locked (for staff; citizens only ever see `AUTH_FAILED`).
   * @throws UrbisError `RESOURCE_NOT_FOUND`.
   */
  isLocked(input: { citizenId: string }): Promise<boolean>;
  /**
   * Unlocks a card (staff action): clears the failed-attempt count.
   * @throws UrbisError `RESOURCE_NOT_FOUND`.
   */
  unlock(input: { citizenId: string }): Promise<void>;
}

/** Options of {@link createCardPinLogin}. */
export interface CardPinLoginOptions {
  db: Kysely<IssuerDatabase>;
  /** Clock, epoch milliseconds (for `updated_at`). */
  now?: () => number;
  /** Failed PINs before the card locks; default 5. */
  maxFailedAttempts?: number;
  /** scrypt cost for new PIN hashes; default `DEFAULT_PASSWORD_COST`. Tests pass a low one. */
  pinCost?: ScryptCost;
}

const PIN = /^[0-9]{4,8}$/;

function authFailed(): UrbisError {
  return new UrbisError('AUTH_FAILED', 'the card number or PIN is wrong, or the card is locked');
}

/**
 * Creates card + PIN sign-in over the `citizens` table (`card_number`,
 * `pin_hash`, `pin_failed_attempts`).
 *
 * No enumeration: an unknown card, a card with no PIN, a wrong PIN and a
 * locked card all give `AUTH_FAILED`, and the first, second and fourth still
 * run a PIN hash so the answer takes about as long. A locked card's PIN is
 * never checked, so a locked card reveals nothing about guesses.
 *
 * Each attempt is counted before the PIN is checked (one conditional
 * UPDATE), so parallel guesses cannot get past the limit. A PIN has at most
 * 10^8 values: the lockout, not the hash, is what protects it.
 *
 * @example
 * ```ts
 * const cards = createCardPinLogin({ db });
 * await cards.setPin({ citizenId, pin: '4821' });
 * const id = await cards.login({ cardNumber, pin: '4821' });
 * ```
 * @throws UrbisError `CONFIG_INVALID` for a bad `maxFailedAttempts`.
 */
export function createCardPinLogin({ db, now = Date.now, maxFailedAttempts = 5, pinCost }: CardPinLoginOptions): CardPinLogin {
  if (!Number.isInteger(maxFailedAttempts) || maxFailedAttempts < 1 || maxFailedAttempts > 100) {
    throw new UrbisError('CONFIG_INVALID', 'the PIN attempts before locking must be from 1 to 100');
  }
  let dummy: Promise<string> | undefined;
  /** Spends about the time of a real PIN check (same cost) and fails. */
  async function failAfterDummyCheck(pin: string): Promise<never> {
    dummy ??= hashPin({ pin: '00000000', cost: pinCost });
    await verifyPin({ pin, stored: await dummy });
    throw authFailed();
  }

  async function requireCitizen(citizenId: string): Promise<{ pin_failed_attempts: number }> {
    if (typeof citizenId !== 'string') throw new UrbisError('INVALID_ARGUMENT', 'the citizen id must be a string');
    const row = await db.selectFrom('citizens').select(['pin_failed_attempts']).where('id', '=', citizenId).executeTakeFirst();
    if (row === undefined) throw new UrbisError('RESOURCE_NOT_FOUND', 'no such citizen');
    return row;
  }

  return {
    async setPin({ citizenId, pin }) {
      if (typeof pin !== 'string' || !PIN.test(pin)) throw new UrbisError('INVALID_ARGUMENT', 'a PIN is 4 to 8 digits');
      if (typeof citizenId !== 'string') throw new UrbisError('INVALID_ARGUMENT', 'the citizen id must be a string');
      const pinHash = await hashPin({ pin, cost: pinCost });
      const result = await db.updateTable('citizens').set({ pin_hash: pinHash, pin_failed_attempts: 0, updated_at: now() }).where('id', '=', citizenId).executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw new UrbisError('RESOURCE_NOT_FOUND', 'no such citizen');
    },

    async login({ cardNumber, pin }) {
      if (typeof cardNumber !== 'string' || typeof pin !== 'string') throw new UrbisError('INVALID_ARGUMENT', 'the card number and the PIN must be strings');
      const card = cardNumber.trim();
      const row = card === '' ? undefined : await db.selectFrom('citizens').select(['id', 'pin_hash']).where('card_number', '=', card).executeTakeFirst();
      if (row === undefined || row.pin_hash === null) return failAfterDummyCheck(pin);
      const taken = await db
        .updateTable('citizens')
        .set((eb) => ({ pin_failed_attempts: eb('pin_failed_attempts', '+', 1) }))
        .where('id', '=', row.id)
        .where('pin_failed_attempts', '<', maxFailedAttempts)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) !== 1) return failAfterDummyCheck(pin); // locked
      if (!(await verifyPin({ pin, stored: row.pin_hash }))) throw authFailed();
      await db.updateTable('citizens').set({ pin_failed_attempts: 0 }).where('id', '=', row.id).execute();
      return row.id;
    },

    async isLocked({ citizenId }) {
      const row = await requireCitizen(citizenId);
      return row.pin_failed_attempts >= maxFailedAttempts;
    },

    async unlock({ citizenId }) {
      await requireCitizen(citizenId);
      await db.updateTable('citizens').set({ pin_failed_attempts: 0, updated_at: now() }).where('id', '=', citizenId).execute();
    },
  };
}
