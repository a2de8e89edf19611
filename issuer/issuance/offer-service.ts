import { createHmac, randomInt } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { AccessTokenGrant, CredentialOffersTable, IssuerDatabase } from '../db/database-schema.js';
import type { CredentialOffer } from '../../core/oid4vci/credential-offer.js';
import { buildCredentialOffer, offerDeepLink, offerQrSvg } from '../oid4vci/credential-offer.js';
import { hashSecret, newSecretToken } from '../security/secret-token.js';
import { checkTxCodePresence } from '../oid4vci/token-request.js';
import { DEFAULT_ACCESS_TOKEN_TTL_MS, insertAccessToken } from './access-tokens.js';
import type { RefreshTokens } from './refresh-tokens.js';

/** A credential offer as the issuer hands it out (at the counter, in the portal, by notification). */
export interface IssuedOffer {
  offerId: string;
  offer: CredentialOffer;
  /** Credential Offer URI (by reference). */
  offerUri: string;
  /** `openid-credential-offer://?credential_offer_uri=...`: the QR of choice (short). */
  deepLinkByReference: string;
  /** `openid-credential-offer://?credential_offer=...` (by value). */
  deepLinkByValue: string;
  /** SVG QR code of the by-reference link. */
  qrSvg: string;
  /** The transaction code, shown at the counter or sent by a second channel; only its keyed hash is stored. */
  txCode: string;
  expiresAt: number;
}

/** What redeeming a pre-authorized code gives. */
export interface RedeemedOffer {
  accessToken: string;
  expiresIn: number;
  citizenId: string;
  configurationIds: string[];
  /** The first refresh token of a new family, when the service has a refresh token store. */
  refreshToken?: string;
}

/** What an access token allows, as the Credential Endpoint reads it. */
export interface AuthorizedAccess {
  tokenHash: string;
  citizenId: string;
  configurationIds: string[];
  /** The grant it came from (for the audit log). */
  grantType: AccessTokenGrant;
}

/** The citizen or staff member asking for an offer (for the audit log). */
export type OfferRequester = { kind: 'citizen'; id: string } | { kind: 'staff'; id: string };

/**
 * Credential offers with the pre-authorized code flow and a transaction code
 * (OID4VCI 1.0 §4.1, §6.1): the offer id is a random token; the
 * pre-authorized code is HMAC(offer key, id), so an offer can be served by
 * reference while the database keeps only hashes; the numeric tx_code is
 * stored as HMAC(offer key, id, code) and has a small attempt budget, after
 * which the offer is withdrawn. A pre-authorized code works once: a second
 * redemption is `PRE_AUTH_CODE_REPLAYED`. With `refreshTokens`, a
 * redemption also starts a refresh token family (same citizen, same
 * configurations) in the same transaction as the access token.
 */
export function createOfferService({
  db,
  issuerUrl,
  offerKey,
  audit,
  now = Date.now,
  offerTtlMs = 7 * 86_400_000,
  accessTokenTtlMs = DEFAULT_ACCESS_TOKEN_TTL_MS,
  txCodeLength = 6,
  maxTxCodeAttempts = 5,
  refreshTokens,
}: {
  db: Kysely<IssuerDatabase>;
  issuerUrl: string;
  /** 32-byte key from configuration. */
  offerKey: Uint8Array;
  audit: AuditLog;
  now?: () => number;
  offerTtlMs?: number;
  /** Long enough for deferred issuance to be polled while the clerk validates. */
  accessTokenTtlMs?: number;
  txCodeLength?: number;
  maxTxCodeAttempts?: number;
  /** Refresh tokens to hand out with each access token (RFC 6749 §6); without it, none. */
  refreshTokens?: RefreshTokens;
}) {
  const mac = (...parts: string[]): string => createHmac('sha256', offerKey).update(parts.join('\u0000')).digest('base64url');
  const preAuthorizedCodeOf = (offerId: string): string => mac('urbis-pre-authorized-code-v1', offerId);
  const txCodeHash = (offerId: string, code: string): string => mac('urbis-tx-code-v1', offerId, code);
  const offerUriOf = (offerId: string): string => `${issuerUrl}/oid4vci/offers/${offerId}`;
  const txCodeDescription = { length: txCodeLength, input_mode: 'numeric' as const, description: 'Enter the code shown at the counter or sent to you.' };

  function offerObject(row: Selectable<CredentialOffersTable>): CredentialOffer {
    return buildCredentialOffer({ issuerUrl, configurationIds: JSON.parse(row.configuration_ids) as string[], preAuthorizedCode: preAuthorizedCodeOf(row.id), ...(row.tx_code_hash === null ? {} : { txCode: txCodeDescription }) });
  }

  const service = {
    /** Creates an offer of `configurationIds` for a citizen. */
    async create({ citizenId, configurationIds, requester }: { citizenId: string; configurationIds: readonly string[]; requester: OfferRequester }): Promise<IssuedOffer> {
      const offerId = newSecretToken(16);
      let txCode = '';
      for (let i = 0; i < txCodeLength; i++) txCode += String(randomInt(10));
      const at = now();
      const row = {
        id: offerId,
        citizen_id: citizenId,
        pre_authorized_code_hash: hashSecret(preAuthorizedCodeOf(offerId)),
        tx_code_hash: txCodeHash(offerId, txCode),
        tx_code_attempts: 0,
        configuration_ids: JSON.stringify([...configurationIds]),
        state: 'offered' as const,
        expires_at: at + offerTtlMs,
        created_at: at,
      };
      const offer = offerObject(row);
      await db.transaction().execute(async (tx) => {
        await tx.insertInto('credential_offers').values(row).execute();
        await audit.record({ actor: requester, action: 'offer.created', target: { kind: 'citizen', id: citizenId }, detail: { configurationIds: [...configurationIds] } }, tx);
      });
      const deepLinkByReference = offerDeepLink({ offerUri: offerUriOf(offerId) });
      return {
        offerId,
        offer,
        offerUri: offerUriOf(offerId),
        deepLinkByReference,
        deepLinkByValue: offerDeepLink({ offer }),
        qrSvg: await offerQrSvg(deepLinkByReference),
        txCode,
        expiresAt: row.expires_at,
      };
    },

    /**
     * The offer by reference (GET credential_offer_uri).
     * @throws UrbisError `OFFER_NOT_FOUND` (unknown, redeemed or withdrawn), `OFFER_EXPIRED`.
     */
    async byId(offerId: string): Promise<CredentialOffer> {
      const row = await db.selectFrom('credential_offers').selectAll().where('id', '=', offerId).executeTakeFirst();
      if (row === undefined || row.state !== 'offered') throw new UrbisError('OFFER_NOT_FOUND', 'no such open credential offer');
      if (row.expires_at <= now()) throw new UrbisError('OFFER_EXPIRED', 'the credential offer has expired');
      return offerObject(row);
    },

    /**
     * Token endpoint, pre-authorized code grant.
     * @throws UrbisError `PRE_AUTH_CODE_INVALID`, `PRE_AUTH_CODE_REPLAYED`,
     *   `OFFER_EXPIRED`, `TX_CODE_INVALID`, `TX_CODE_ATTEMPTS_EXCEEDED`.
     */
    async redeem({ preAuthorizedCode, txCode }: { preAuthorizedCode: string; txCode?: string }): Promise<RedeemedOffer> {
      const row = await db.selectFrom('credential_offers').selectAll().where('pre_authorized_code_hash', '=', hashSecret(preAuthorizedCode)).executeTakeFirst();
      if (row === undefined) throw new UrbisError('PRE_AUTH_CODE_INVALID', 'unknown pre-authorized code');
      if (row.state === 'redeemed') throw new UrbisError('PRE_AUTH_CODE_REPLAYED', 'this pre-authorized code was already used');
      if (row.state === 'withdrawn') {
        if (row.tx_code_attempts >= maxTxCodeAttempts) throw new UrbisError('TX_CODE_ATTEMPTS_EXCEEDED', 'too many wrong transaction codes: ask for a new offer');
        throw new UrbisError('PRE_AUTH_CODE_INVALID', 'this offer was withdrawn');
      }
      if (row.expires_at <= now()) throw new UrbisError('OFFER_EXPIRED', 'the credential offer has expired');
      checkTxCodePresence({ required: row.tx_code_hash !== null, txCode });
      if (row.tx_code_hash !== null) {
        const taken = await db.updateTable('credential_offers').set({ tx_code_attempts: sql<number>`tx_code_attempts + 1` }).where('id', '=', row.id).where('state', '=', 'offered').where('tx_code_attempts', '<', maxTxCodeAttempts).executeTakeFirst();
        if (Number(taken.numUpdatedRows) !== 1) {
          const now_ = await db.selectFrom('credential_offers').select('state').where('id', '=', row.id).executeTakeFirstOrThrow();
          if (now_.state === 'redeemed') throw new UrbisError('PRE_AUTH_CODE_REPLAYED', 'this pre-authorized code was already used');
          await db.updateTable('credential_offers').set({ state: 'withdrawn' }).where('id', '=', row.id).where('state', '=', 'offered').execute();
          throw new UrbisError('TX_CODE_ATTEMPTS_EXCEEDED', 'too many wrong transaction codes: ask for a new offer');
        }
        const ok = typeof txCode === 'string' && txCode.length === txCodeLength && /^[0-9]+$/.test(txCode) && txCodeHash(row.id, txCode) === row.tx_code_hash;
        if (!ok) {
          const { tx_code_attempts: attempts } = await db.selectFrom('credential_offers').select('tx_code_attempts').where('id', '=', row.id).executeTakeFirstOrThrow();
          const exhausted = attempts >= maxTxCodeAttempts;
          if (exhausted) await db.updateTable('credential_offers').set({ state: 'withdrawn' }).where('id', '=', row.id).where('state', '=', 'offered').execute();
          if (exhausted) throw new UrbisError('TX_CODE_ATTEMPTS_EXCEEDED', 'too many wrong transaction codes: ask for a new offer');
          throw new UrbisError('TX_CODE_INVALID', 'wrong transaction code');
        }
      }
      const at = now();
      const configurationIds = JSON.parse(row.configuration_ids) as string[];
      const redeemed = await db.transaction().execute(async (tx) => {
        const result = await tx.updateTable('credential_offers').set({ state: 'redeemed' }).where('id', '=', row.id).where('state', '=', 'offered').executeTakeFirst();
        if (Number(result.numUpdatedRows) !== 1) return undefined;
        const family = await refreshTokens?.start(tx, { citizenId: row.citizen_id, offerId: row.id, configurationIds });
        const access = await insertAccessToken(tx, { citizenId: row.citizen_id, offerId: row.id, configurationIds, grantType: 'pre-authorized_code', refreshFamilyId: family?.familyId ?? null, now: at, ttlMs: accessTokenTtlMs });
        return { ...access, ...(family === undefined ? {} : { refreshToken: family.refreshToken }) };
      });
      if (redeemed === undefined) throw new UrbisError('PRE_AUTH_CODE_REPLAYED', 'this pre-authorized code was already used');
      return { ...redeemed, citizenId: row.citizen_id, configurationIds };
    },

    /**
     * The citizen and configurations an access token was issued for.
     * @throws UrbisError `ACCESS_TOKEN_INVALID`.
     */
    async authorize(accessToken: string | undefined): Promise<AuthorizedAccess> {
      if (typeof accessToken !== 'string' || accessToken.length === 0 || accessToken.length > 512) throw new UrbisError('ACCESS_TOKEN_INVALID', 'a bearer access token is required');
      const tokenHash = hashSecret(accessToken);
      const row = await db.selectFrom('access_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      if (row === undefined || row.expires_at <= now()) throw new UrbisError('ACCESS_TOKEN_INVALID', 'the access token is unknown or expired');
      return { tokenHash, citizenId: row.citizen_id, configurationIds: JSON.parse(row.configuration_ids) as string[], grantType: row.grant_type };
    },

    /** Withdraws every open offer of a citizen (erasure, restriction, rejection). */
    async withdrawAll(citizenId: string): Promise<number> {
      const result = await db.updateTable('credential_offers').set({ state: 'withdrawn' }).where('citizen_id', '=', citizenId).where('state', '=', 'offered').executeTakeFirst();
      await db.deleteFrom('access_tokens').where('citizen_id', '=', citizenId).execute();
      return Number(result.numUpdatedRows);
    },
  };
  return service;
}

/** The offer service. */
export type OfferService = ReturnType<typeof createOfferService>;
