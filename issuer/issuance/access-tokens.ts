import type { Kysely, Transaction } from 'kysely';
import type { AccessTokenGrant, IssuerDatabase } from '../db/database-schema.js';
import { hashSecret, newSecretToken } from '../security/secret-token.js';

/** Lifetime of an access token: long enough for deferred issuance to be polled while the clerk validates (24 hours). */
export const DEFAULT_ACCESS_TOKEN_TTL_MS = 24 * 3_600_000;

/** A new access token, returned once: the database keeps only its SHA-256. */
export interface NewAccessToken {
  accessToken: string;
  /** Seconds, for the Token Response's `expires_in`. */
  expiresIn: number;
}

/**
 * Stores a new OID4VCI access token (256-bit random, base64url) for a
 * citizen and the credential configurations it allows, inside the caller's
 * transaction (the pre-authorized code exchange or a refresh, so the token
 * exists exactly when its grant was spent). `refreshFamilyId` ties it to a
 * refresh token family: when a replay revokes the family, its access tokens
 * are deleted with it.
 *
 * @throws whatever the database throws (the caller's transaction is rolled back).
 *
 * @example
 * ```ts
 * const { accessToken, expiresIn } = await insertAccessToken(tx, {
 *   citizenId, offerId, configurationIds, grantType: 'refresh_token', refreshFamilyId, now: Date.now(), ttlMs: DEFAULT_ACCESS_TOKEN_TTL_MS,
 * });
 * ```
 */
export async function insertAccessToken(
  tx: Kysely<IssuerDatabase> | Transaction<IssuerDatabase>,
  {
    citizenId,
    offerId,
    configurationIds,
    grantType,
    refreshFamilyId,
    now,
    ttlMs,
  }: {
    citizenId: string;
    /** The offer whose pre-authorized code started the grant. */
    offerId: string;
    configurationIds: readonly string[];
    grantType: AccessTokenGrant;
    refreshFamilyId: string | null;
    /** Epoch ms. */
    now: number;
    ttlMs: number;
  },
): Promise<NewAccessToken> {
  const accessToken = newSecretToken();
  await tx
    .insertInto('access_tokens')
    .values({
      token_hash: hashSecret(accessToken),
      offer_id: offerId,
      citizen_id: citizenId,
      configuration_ids: JSON.stringify([...configurationIds]),
      expires_at: now + ttlMs,
      refresh_family_id: refreshFamilyId,
      grant_type: grantType,
    })
    .execute();
  return { accessToken, expiresIn: Math.floor(ttlMs / 1000) };
}
