import { randomBytes } from 'node:crypto';
import { createAuditLog } from '../audit/audit-log.js';
import { insertTestCitizen } from '../auth/testing/citizen-rows.js';
import { describeEachEngine } from '../db/testing/test-databases.js';
import { PRE_AUTHORIZED_CODE_GRANT_TYPE } from '../../core/oid4vci/credential-offer.js';
import { hashSecret } from '../security/secret-token.js';
import { createOfferService, type IssuedOffer } from './offer-service.js';
import { createRefreshTokens, DEFAULT_REFRESH_TOKEN_TTL_DAYS } from './refresh-tokens.js';

const T0 = 1_790_000_000_000;
const DAY = 86_400_000;
const TTL = 30 * DAY;
const ISSUER_URL = 'https://gijon.city.example/issuer';
const CONFIGS = ['resident.dc+sd-jwt', 'entitlement.pools.dc+sd-jwt'];
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const preAuthorizedCodeOf = (issued: IssuedOffer): string => issued.offer.grants![PRE_AUTHORIZED_CODE_GRANT_TYPE]!['pre-authorized_code'];

describeEachEngine('refresh tokens', (database) => {
  let clock = T0;
  beforeEach(() => {
    clock = T0;
  });

  async function setup() {
    const { db } = database();
    const audit = createAuditLog({ db, now: () => clock });
    const refreshTokens = createRefreshTokens({ db, audit, now: () => clock, ttlMs: TTL });
    const offers = createOfferService({ db, issuerUrl: ISSUER_URL, offerKey: new Uint8Array(randomBytes(32)), audit, now: () => clock, refreshTokens });
    const citizenId = await insertTestCitizen(db);
    /** A pre-authorized code exchange for `forCitizen`: the access token and the family's first refresh token. */
    const exchange = async (forCitizen = citizenId) => {
      const issued = await offers.create({ citizenId: forCitizen, configurationIds: CONFIGS, requester: { kind: 'staff', id: 'staff-1' } });
      const redeemed = await offers.redeem({ preAuthorizedCode: preAuthorizedCodeOf(issued), txCode: issued.txCode });
      return { ...redeemed, refreshToken: redeemed.refreshToken!, offerId: issued.offerId };
    };
    const row = (token: string) => db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', hashSecret(token)).executeTakeFirstOrThrow();
    const refusal = (promise: Promise<unknown>) => promise.then(() => 'no refusal', (e: { code?: unknown; message?: unknown }) => `${String(e.code)}: ${String(e.message)}`);
    return { db, audit, offers, refreshTokens, citizenId, exchange, row, refusal };
  }

  test('the pre-authorized code exchange starts a family: a 256-bit base64url refresh token, stored only as its SHA-256', async () => {
    const { db, exchange, row, citizenId } = await setup();
    const redeemed = await exchange();
    expect(redeemed.refreshToken).toMatch(TOKEN);
    expect(redeemed.refreshToken).not.toBe(redeemed.accessToken);
    const stored = await row(redeemed.refreshToken);
    expect(stored).toEqual({
      token_hash: hashSecret(redeemed.refreshToken),
      family_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      citizen_id: citizenId,
      offer_id: redeemed.offerId,
      configuration_ids: JSON.stringify(CONFIGS),
      state: 'active',
      created_at: T0,
      expires_at: T0 + TTL,
      used_at: null,
    });
    // The access token issued with it belongs to the family.
    expect(await db.selectFrom('access_tokens').select(['refresh_family_id', 'grant_type']).where('token_hash', '=', hashSecret(redeemed.accessToken)).executeTakeFirstOrThrow()).toEqual({
      refresh_family_id: stored.family_id,
      grant_type: 'pre-authorized_code',
    });
    const everything = JSON.stringify([await db.selectFrom('refresh_tokens').selectAll().execute(), await db.selectFrom('access_tokens').selectAll().execute(), await db.selectFrom('audit_log').selectAll().execute()]);
    expect(everything).not.toContain(redeemed.refreshToken);
    expect(everything).not.toContain(redeemed.accessToken);
  });

  test('rotation: a refresh gives a new access token for the same citizen and configurations and the next refresh token; the one used is spent', async () => {
    const { offers, refreshTokens, exchange, row, citizenId, audit } = await setup();
    const first = await exchange();
    const family = (await row(first.refreshToken)).family_id;
    // Ten hours later: the first access token (24 hours) still lives.
    const LATER = T0 + 10 * 3_600_000;
    clock = LATER;
    const refreshed = await refreshTokens.refresh({ refreshToken: first.refreshToken });
    expect(refreshed).toEqual({ accessToken: expect.stringMatching(TOKEN), expiresIn: 86_400, refreshToken: expect.stringMatching(TOKEN), citizenId, configurationIds: CONFIGS, familyId: family });
    expect(new Set([first.accessToken, first.refreshToken, refreshed.accessToken, refreshed.refreshToken]).size).toBe(4);
    expect(await offers.authorize(refreshed.accessToken)).toEqual({ tokenHash: hashSecret(refreshed.accessToken), citizenId, configurationIds: CONFIGS, grantType: 'refresh_token' });
    // The earlier access token stays valid until its own expiry (it was not replayed).
    expect((await offers.authorize(first.accessToken)).grantType).toBe('pre-authorized_code');
    expect(await row(first.refreshToken)).toMatchObject({ state: 'rotated', used_at: LATER });
    // The next token has a fresh lifetime: a wallet that keeps refreshing keeps its grant.
    expect(await row(refreshed.refreshToken)).toMatchObject({ state: 'active', family_id: family, citizen_id: citizenId, offer_id: first.offerId, created_at: LATER, expires_at: LATER + TTL, used_at: null });
    // Audited with ids only.
    const entries = await audit.list({ action: 'token.refreshed' });
    expect(entries).toEqual([{ id: expect.any(Number), at: LATER, actor: { kind: 'citizen', id: citizenId }, action: 'token.refreshed', target: { kind: 'citizen', id: citizenId }, detail: { familyId: family } }]);
    // A chain of refreshes, each token once.
    let token = refreshed.refreshToken;
    for (let i = 0; i < 3; i++) token = (await refreshTokens.refresh({ refreshToken: token })).refreshToken;
    expect((await row(token)).state).toBe('active');
  });

  test('replay: a spent token presented again is REFRESH_TOKEN_INVALID and revokes its whole family, access tokens included', async () => {
    const { db, offers, refreshTokens, exchange, row, citizenId, audit, refusal } = await setup();
    const first = await exchange();
    const family = (await row(first.refreshToken)).family_id;
    const second = await refreshTokens.refresh({ refreshToken: first.refreshToken });
    const third = await refreshTokens.refresh({ refreshToken: second.refreshToken });
    // Another family of the same citizen (a second device) and another citizen's: untouched.
    const sibling = await exchange();
    const otherCitizen = await insertTestCitizen(db);
    const stranger = await exchange(otherCitizen);

    expect(await refusal(refreshTokens.refresh({ refreshToken: first.refreshToken }))).toBe('REFRESH_TOKEN_INVALID: the refresh token was already used: every token of its grant is revoked');
    // The live token of the family is dead too: whoever held it (wallet or thief) starts again from an offer.
    expect(await refusal(refreshTokens.refresh({ refreshToken: third.refreshToken }))).toBe('REFRESH_TOKEN_INVALID: the refresh token was revoked');
    expect(await row(third.refreshToken)).toMatchObject({ state: 'revoked' });
    for (const accessToken of [first.accessToken, second.accessToken, third.accessToken]) {
      expect(await refusal(offers.authorize(accessToken))).toMatch(/^ACCESS_TOKEN_INVALID/);
    }
    // A replay of another spent token of the family changes nothing more, and is refused the same way.
    expect(await refusal(refreshTokens.refresh({ refreshToken: second.refreshToken }))).toMatch(/^REFRESH_TOKEN_INVALID: the refresh token was already used/);
    expect((await db.selectFrom('refresh_tokens').select('state').where('family_id', '=', family).execute()).map((r) => r.state).sort()).toEqual(['revoked', 'rotated', 'rotated']);

    expect((await offers.authorize(sibling.accessToken)).citizenId).toBe(citizenId);
    expect((await refreshTokens.refresh({ refreshToken: sibling.refreshToken })).citizenId).toBe(citizenId);
    expect((await refreshTokens.refresh({ refreshToken: stranger.refreshToken })).citizenId).toBe(otherCitizen);

    const detected = await audit.list({ action: 'token.replay_detected' });
    expect(detected).toHaveLength(2);
    for (const entry of detected) expect(entry).toMatchObject({ actor: { kind: 'system' }, target: { kind: 'citizen', id: citizenId }, detail: { familyId: family } });
    const auditText = JSON.stringify(await db.selectFrom('audit_log').selectAll().execute());
    for (const token of [first.refreshToken, second.refreshToken, third.refreshToken, first.accessToken, second.accessToken]) expect(auditText).not.toContain(token);
  });

  test('two refreshes racing with one token: at most one succeeds, and the family is revoked (a concurrent use is a replay)', async () => {
    const { refreshTokens, exchange, refusal } = await setup();
    const { refreshToken } = await exchange();
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => refreshTokens.refresh({ refreshToken })));
    const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(won.length).toBeLessThanOrEqual(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
    for (const tokens of won) expect(await refusal(refreshTokens.refresh({ refreshToken: tokens.refreshToken }))).toMatch(/^REFRESH_TOKEN_INVALID/);
  });

  test('expiry: a token works until its lifetime ends, then is REFRESH_TOKEN_INVALID; purgeExpired deletes expired rows', async () => {
    const { db, refreshTokens, exchange, row, refusal } = await setup();
    const a = await exchange();
    const b = await exchange();
    clock = T0 + TTL - 1;
    const next = await refreshTokens.refresh({ refreshToken: a.refreshToken });
    clock = T0 + TTL;
    expect(await refusal(refreshTokens.refresh({ refreshToken: b.refreshToken }))).toBe('REFRESH_TOKEN_INVALID: the refresh token has expired');
    expect((await row(b.refreshToken)).state).toBe('active');
    // The rotated one expires on its own schedule; the next lives on.
    expect(await refreshTokens.purgeExpired()).toBe(2);
    expect(await db.selectFrom('refresh_tokens').select('token_hash').execute()).toEqual([{ token_hash: hashSecret(next.refreshToken) }]);
    expect(await refusal(refreshTokens.refresh({ refreshToken: b.refreshToken }))).toBe('REFRESH_TOKEN_INVALID: unknown refresh token');
    clock = T0 + TTL - 1 + TTL;
    expect(await refusal(refreshTokens.refresh({ refreshToken: next.refreshToken }))).toMatch(/^REFRESH_TOKEN_INVALID: the refresh token has expired/);
  });

  test('unknown and malformed tokens are REFRESH_TOKEN_INVALID; other secrets (the access token, the pre-authorized code) are not refresh tokens', async () => {
    const { refreshTokens, offers, citizenId, refusal } = await setup();
    const issued = await offers.create({ citizenId, configurationIds: CONFIGS, requester: { kind: 'citizen', id: citizenId } });
    const redeemed = await offers.redeem({ preAuthorizedCode: preAuthorizedCodeOf(issued), txCode: issued.txCode });
    const malformed = ['', 'x', 'A'.repeat(43), 'A'.repeat(44), `${redeemed.refreshToken!.slice(0, 42)}=`, `${redeemed.refreshToken!.slice(0, 42)}+`, ` ${redeemed.refreshToken!.slice(1)}`, 'x'.repeat(512)];
    for (const refreshToken of [...malformed, redeemed.accessToken, preAuthorizedCodeOf(issued), issued.offerId, 42 as unknown as string, undefined as unknown as string]) {
      expect(await refusal(refreshTokens.refresh({ refreshToken }))).toBe('REFRESH_TOKEN_INVALID: unknown refresh token');
    }
    expect((await refreshTokens.refresh({ refreshToken: redeemed.refreshToken! })).citizenId).toBe(citizenId);
  });

  test('restriction: revokeAll revokes the citizen\'s live tokens and the access tokens of their families, nobody else\'s', async () => {
    const { db, offers, refreshTokens, exchange, row, citizenId, refusal } = await setup();
    const first = await exchange();
    const refreshed = await refreshTokens.refresh({ refreshToken: first.refreshToken });
    const second = await exchange();
    const otherCitizen = await insertTestCitizen(db);
    const stranger = await exchange(otherCitizen);

    expect(await refreshTokens.revokeAll({ citizenId })).toBe(2);
    expect((await row(refreshed.refreshToken)).state).toBe('revoked');
    expect((await row(first.refreshToken)).state).toBe('rotated');
    for (const refreshToken of [refreshed.refreshToken, second.refreshToken]) expect(await refusal(refreshTokens.refresh({ refreshToken }))).toBe('REFRESH_TOKEN_INVALID: the refresh token was revoked');
    for (const accessToken of [first.accessToken, refreshed.accessToken, second.accessToken]) expect(await refusal(offers.authorize(accessToken))).toMatch(/^ACCESS_TOKEN_INVALID/);
    expect((await offers.authorize(stranger.accessToken)).citizenId).toBe(otherCitizen);
    expect((await refreshTokens.refresh({ refreshToken: stranger.refreshToken })).citizenId).toBe(otherCitizen);
    expect(await refreshTokens.revokeAll({ citizenId })).toBe(0);
  });

  test('erasure: deleteAll deletes every token of the citizen whatever its state; deleting the citizen cascades too', async () => {
    const { db, refreshTokens, exchange, citizenId, refusal } = await setup();
    const first = await exchange();
    const refreshed = await refreshTokens.refresh({ refreshToken: first.refreshToken });
    await refreshTokens.revokeAll({ citizenId });
    await exchange();
    const otherCitizen = await insertTestCitizen(db);
    const stranger = await exchange(otherCitizen);
    const count = async (id: string) => (await db.selectFrom('refresh_tokens').select('token_hash').where('citizen_id', '=', id).execute()).length;
    expect(await count(citizenId)).toBe(3);

    expect(await db.transaction().execute((tx) => refreshTokens.deleteAll({ citizenId }, tx))).toBe(3);
    expect(await count(citizenId)).toBe(0);
    expect(await refusal(refreshTokens.refresh({ refreshToken: refreshed.refreshToken }))).toBe('REFRESH_TOKEN_INVALID: unknown refresh token');
    expect(await count(otherCitizen)).toBe(1);

    // The foreign key: a citizen row deleted by other means takes its refresh tokens with it.
    await db.deleteFrom('citizens').where('id', '=', otherCitizen).execute();
    expect(await count(otherCitizen)).toBe(0);
    expect(await refusal(refreshTokens.refresh({ refreshToken: stranger.refreshToken }))).toBe('REFRESH_TOKEN_INVALID: unknown refresh token');
  });

  test('lifetimes: 180 days by default; the access token of a refresh lives as long as one from an offer', async () => {
    const { db, audit, citizenId } = await setup();
    expect(DEFAULT_REFRESH_TOKEN_TTL_DAYS).toBe(180);
    const refreshTokens = createRefreshTokens({ db, audit, now: () => clock, accessTokenTtlMs: 90_500 });
    expect(refreshTokens.ttlMs).toBe(180 * DAY);
    const { refreshToken } = await db.transaction().execute((tx) => refreshTokens.start(tx, { citizenId, offerId: 'offer-1', configurationIds: CONFIGS }));
    const refreshed = await refreshTokens.refresh({ refreshToken });
    expect(refreshed.expiresIn).toBe(90);
    expect((await db.selectFrom('refresh_tokens').select('expires_at').where('token_hash', '=', hashSecret(refreshed.refreshToken)).executeTakeFirstOrThrow()).expires_at).toBe(T0 + 180 * DAY);
    for (const bad of [{ ttlMs: 0 }, { ttlMs: -1 }, { ttlMs: 1.5 }, { accessTokenTtlMs: 0 }]) {
      expect(() => createRefreshTokens({ db, audit, ...bad })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
  });
});
