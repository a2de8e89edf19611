import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { IssuerDatabase } from '../../db/database-schema.js';
import type { ScryptCost } from '../../security/password-hash.js';

/** A scrypt cost low enough for tests (≈1 ms a hash); never for production. */
export const TEST_SCRYPT_COST: ScryptCost = Object.freeze({ ln: 10, r: 8, p: 1 });

/**
 * Inserts a citizen row with made-up data for sign-in tests; returns its id.
 * `email`, `phone` and `cardNumber` default to `null`.
 */
export async function insertTestCitizen(
  db: Kysely<IssuerDatabase>,
  { email = null, phone = null, cardNumber = null, at = 1_790_000_000_000 }: { email?: string | null; phone?: string | null; cardNumber?: string | null; at?: number } = {},
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('citizens')
    .values({
      id,
      card_number: cardNumber,
      given_name: 'Test',
      family_name: 'Citizen',
      birthdate: '1990-01-01',
      email,
      phone,
      street_address: '1 Example Street',
      postal_code: '00000',
      locality: 'Exampleton',
      country: 'ES',
      resident_since: '2020-01-01',
      pin_hash: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
}
