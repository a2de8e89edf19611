import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { IssuerDatabase, RefreshTokensTable } from '../db/database-schema.js';
import { hashSecret, newSecretToken } from '../security/secret-token.js';
import { DEFAULT_ACCESS_TOKEN_TTL_MS, insertAccessToken } from './access-tokens.js';

/** Default lifetime of a refresh token, in days (`URBIS_REFRESH_TOKEN_TTL_DAYS`). */
export const DEFAULT_REFRESH_TOKEN_TTL_DAYS = 180;

const DAY_MS = 86_400_000;

/** The shape of the issuer's refresh tokens: 32 random bytes, unpadded base64url. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Share of successful refreshes that also delete expired rows (as the nonce table does). */
const PURGE_PROBABILITY = 0.01;

type Db = Kysely<IssuerDatabase> | Transaction<IssuerDatabase>;

/** A refresh token family started by a pre-authorized code exchange. */
export interface StartedRefreshFamily {
  /** The refresh token, returned once: the database keeps only its SHA-256. */
  refreshToken: string;
  familyId: string;
}

/** What a refresh gives: a new access token and the next refresh token of the family. */
export interface RefreshedTokens {
  accessToken: string;
  /** Seconds the access token lives. */
  expiresIn: number;
  /** The next refresh token (the one presented is spent). */
  refreshToken: string;
  citizenId: string;
  configurationIds: string[];
  familyId: string;
}

function invalid(message: string): UrbisError {
  return new UrbisError('REFRESH_TOKEN_INVALID', message);
}

/**
 * OAuth refresh tokens of the token endpoint (RFC 6749 §6, §10.4; RFC 6819
 * §5.2.2.3; OAuth 2.0 Security BCP, RFC 9700 §4.14.2).
 *
 * - A pre-authorized code exchange starts a **family** ({@link start}): one
 *   opaque refresh token (256-bit random, base64url) bound to the citizen and
 *   the credential configurations of the access token issued with it.
 * - The database keeps only SHA-256 hashes of tokens.
 * - **Rotation**: a refresh token works once. {@link refresh} spends it and
 *   issues, in the same transaction, a new access token (same citizen, same
 *   configurations) and the family's next refresh token.
 * - **Replay**: presenting a spent token again (or two refreshes racing with
 *   one token) revokes the whole family (its live refresh token and every
 *   access token it issued) and answers `REFRESH_TOKEN_INVALID`: the issuer
 *   cannot tell the wallet from a thief, so both must start again from a new
 *   offer.
 * - **Lifetime**: each refresh token lives `ttlMs` (default
 *   {@link DEFAULT_REFRESH_TOKEN_TTL_DAYS} days) from its issuance, so a
 *   wallet that refreshes at least once per period keeps its grant; one idle
 *   longer needs a new offer. Entitlement is not frozen in the token: the
 *   Credential Endpoint checks what the citizen may have *now*.
 * - Restriction of processing revokes a citizen's tokens
 *   ({@link revokeAll}); erasure deletes them ({@link deleteAll}).
 *
 * Token values are never logged, audited or put in error messages; audit
 * entries name the citizen and the family id only.
 *
 * @throws UrbisError `CONFIG_INVALID` for a lifetime that is not a positive integer of milliseconds.
 *
 * @example
 * ```ts
 * const refreshTokens = createRefreshTokens({ db, audit, ttlMs: 180 * 86_400_000 });
 * // in the pre-authorized code exchange's transaction:
 * const { refreshToken } = await refreshTokens.start(tx, { citizenId, offerId, configurationIds });
 * // later, at the token endpoint:
 * const { accessToken, refreshToken: next } = await refreshTokens.refresh({ refreshToken });
 * ```
 */
export function createRefreshTokens({
  db,
  audit,
  now = Date.now,
  ttlMs = DEFAULT_REFRESH_TOKEN_TTL_DAYS * DAY_MS,
  accessTokenTtlMs = DEFAULT_ACCESS_TOKEN_TTL_MS,
}: {
  db: Kysely<IssuerDatabase>;
  audit: AuditLog;
  now?: () => number;
  /** Lifetime of each refresh token, ms. */
  ttlMs?: number;
  /** Lifetime of the access tokens a refresh issues, ms (as for the pre-authorized code exchange). */
  accessTokenTtlMs?: number;
}) {
  for (const [name, value] of [['refresh token lifetime', ttlMs], ['access token lifetime', accessTokenTtlMs]] as const) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new UrbisError('CONFIG_INVALID', `the ${name} is a positive integer of milliseconds`);
  }

  async function insert(tx: Db, { familyId, citizenId, offerId, configurationIds, at }: { familyId: string; citizenId: string; offerId: string; configurationIds: string; at: number }): Promise<string> {
    const refreshToken = newSecretToken();
    await tx
      .insertInto('refresh_tokens')
      .values({ token_hash: hashSecret(refreshToken), family_id: familyId, citizen_id: citizenId, offer_id: offerId, configuration_ids: configurationIds, state: 'active', created_at: at, expires_at: at + ttlMs, used_at: null })
      .execute();
    return refreshToken;
  }

  /** Revokes a family after a replay: its live token, and every access token it issued. */
  async function revokeFamily(tx: Db, row: Selectable<RefreshTokensTable>): Promise<void> {
    await tx.updateTable('refresh_tokens').set({ state: 'revoked' }).where('family_id', '=', row.family_id).where('state', '=', 'active').execute();
    await tx.deleteFrom('access_tokens').where('refresh_family_id', '=', row.family_id).execute();
    await audit.record({ actor: { kind: 'system' }, action: 'token.replay_detected', target: { kind: 'citizen', id: row.citizen_id }, detail: { familyId: row.family_id } }, tx);
  }

  const service = {
    /** Lifetime of each refresh token, ms. */
    ttlMs,

    /**
     * Starts a family for a pre-authorized code exchange, inside its
     * transaction (the token exists exactly when the code was spent).
     *
     * @throws whatever the database throws.
     *
     * @example
     * ```ts
     * const { refreshToken, familyId } = await refreshTokens.start(tx, { citizenId, offerId, configurationIds });
     * ```
     */
    async start(tx: Db, { citizenId, offerId, configurationIds }: { citizenId: string; offerId: string; configurationIds: readonly string[] }): Promise<StartedRefreshFamily> {
      const familyId = randomUUID();
      const refreshToken = await insert(tx, { familyId, citizenId, offerId, configurationIds: JSON.stringify([...configurationIds]), at: now() });
      return { refreshToken, familyId };
    },

    /**
     * The refresh token grant: spends `refreshToken` and returns a new access
     * token and the family's next refresh token, atomically. A spent token
     * presented again revokes the family (audited as `token.replay_detected`);
     * a successful refresh is audited as `token.refreshed` (citizen and family
     * ids only).
     *
     * @throws UrbisError `REFRESH_TOKEN_INVALID` for a malformed, unknown,
     *   expired, revoked or spent (replayed) token.
     *
     * @example
     * ```ts
     * const { accessToken, expiresIn, refreshToken: next } = await refreshTokens.refresh({ refreshToken });
     * ```
     */
    async refresh({ refreshToken }: { refreshToken: string }): Promise<RefreshedTokens> {
      if (typeof refreshToken !== 'string' || !TOKEN_SHAPE.test(refreshToken)) throw invalid('unknown refresh token');
      const tokenHash = hashSecret(refreshToken);
      const at = now();
      const outcome = await db.transaction().execute(async (tx) => {
        const row = await tx.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
        if (row === undefined) return { kind: 'unknown' } as const;
        if (row.state === 'revoked') return { kind: 'revoked' } as const;
        if (row.state === 'rotated') {
          await revokeFamily(tx, row);
          return { kind: 'replayed' } as const;
        }
        if (row.expires_at <= at) return { kind: 'expired' } as const;
        // Spend it; the state guard makes a concurrent refresh with the same token find nothing to spend (a replay).
        const spent = await tx.updateTable('refresh_tokens').set({ state: 'rotated', used_at: at }).where('token_hash', '=', tokenHash).where('state', '=', 'active').executeTakeFirst();
        if (Number(spent.numUpdatedRows) !== 1) {
          await revokeFamily(tx, row);
          return { kind: 'replayed' } as const;
        }
        const configurationIds = JSON.parse(row.configuration_ids) as string[];
        const next = await insert(tx, { familyId: row.family_id, citizenId: row.citizen_id, offerId: row.offer_id, configurationIds: row.configuration_ids, at });
        const access = await insertAccessToken(tx, { citizenId: row.citizen_id, offerId: row.offer_id, configurationIds, grantType: 'refresh_token', refreshFamilyId: row.family_id, now: at, ttlMs: accessTokenTtlMs });
        await audit.record({ actor: { kind: 'citizen', id: row.citizen_id }, action: 'token.refreshed', target: { kind: 'citizen', id: row.citizen_id }, detail: { familyId: row.family_id } }, tx);
        return { kind: 'refreshed', tokens: { ...access, refreshToken: next, citizenId: row.citizen_id, configurationIds, familyId: row.family_id } } as const;
      });
      switch (outcome.kind) {
        case 'unknown':
          throw invalid('unknown refresh token');
        case 'revoked':
          throw invalid('the refresh token was revoked');
        case 'expired':
          throw invalid('the refresh token has expired');
        case 'replayed':
          throw invalid('the refresh token was already used: every token of its grant is revoked');
        case 'refreshed':
          if (Math.random() < PURGE_PROBABILITY) await service.purgeExpired();
          return outcome.tokens;
      }
    },

    /**
     * Revokes every live refresh token of a citizen and deletes the access
     * tokens their families issued (restriction of processing, GDPR art. 18).
     * Lifting the restriction does not bring them back: the citizen asks for
     * a new offer. Returns how many refresh tokens were revoked.
     *
     * @example
     * ```ts
     * await refreshTokens.revokeAll({ citizenId });
     * ```
     */
    async revokeAll({ citizenId }: { citizenId: string }): Promise<number> {
      return db.transaction().execute(async (tx) => {
        const result = await tx.updateTable('refresh_tokens').set({ state: 'revoked' }).where('citizen_id', '=', citizenId).where('state', '=', 'active').executeTakeFirst();
        await tx.deleteFrom('access_tokens').where('citizen_id', '=', citizenId).where('refresh_family_id', 'is not', null).execute();
        return Number(result.numUpdatedRows);
      });
    },

    /**
     * Deletes every refresh token of a citizen, whatever its state (erasure,
     * GDPR art. 17); returns how many. Runs in `tx` when given.
     *
     * @example
     * ```ts
     * await refreshTokens.deleteAll({ citizenId }, tx);
     * ```
     */
    async deleteAll({ citizenId }: { citizenId: string }, tx: Db = db): Promise<number> {
      const result = await tx.deleteFrom('refresh_tokens').where('citizen_id', '=', citizenId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /**
     * Deletes refresh tokens past their expiry, whatever their state; returns
     * how many. A spent token is kept until then so that its replay is
     * recognised; once expired it is refused as unknown either way.
     */
    async purgeExpired(): Promise<number> {
      const result = await db.deleteFrom('refresh_tokens').where('expires_at', '<=', now()).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
  return service;
}

/** The refresh token store. */
export type RefreshTokens = ReturnType<typeof createRefreshTokens>;
