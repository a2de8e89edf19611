import { randomBytes } from 'node:crypto';
import { createAuditLog } from '../audit/audit-log.js';
import { insertTestCitizen } from '../auth/testing/citizen-rows.js';
import { describeEachEngine } from '../db/testing/test-databases.js';
import { parseOfferDeepLink } from '../oid4vci/credential-offer.js';
import { PRE_AUTHORIZED_CODE_GRANT_TYPE } from '../../core/oid4vci/credential-offer.js';
import { hashSecret } from '../security/secret-token.js';
import { createOfferService, type IssuedOffer } from './offer-service.js';

const T0 = 1_790_000_000_000;
const ISSUER_URL = 'https://gijon.city.example/issuer';
const CONFIGS = ['resident.dc+sd-jwt', 'entitlement-pools.dc+sd-jwt'];
const DAY = 86_400_000;

const preAuthorizedCodeOf = (issued: IssuedOffer): string => issued.offer.grants![PRE_AUTHORIZED_CODE_GRANT_TYPE]!['pre-authorized_code'];
/** A wrong code of the right shape. */
const wrongCode = (right: string, i = 0): string => {
  const candidate = String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0');
  return candidate === right ? String((Number(right) + 500_000) % 1_000_000).padStart(6, '0') : candidate;
};

describeEachEngine('offer service', (database) => {
  let clock = T0;
  beforeEach(() => {
    clock = T0;
  });
  async function setup(options: Partial<Parameters<typeof createOfferService>[0]> = {}) {
    const { db } = database();
    const audit = createAuditLog({ db, now: () => clock });
    const offers = createOfferService({ db, issuerUrl: ISSUER_URL, offerKey: new Uint8Array(randomBytes(32)), audit, now: () => clock, ...options });
    const citizenId = await insertTestCitizen(db);
    const create = (forCitizen = citizenId) => offers.create({ citizenId: forCitizen, configurationIds: CONFIGS, requester: { kind: 'staff', id: 'staff-1' } });
    const offerRow = (id: string) => db.selectFrom('credential_offers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return { db, audit, offers, citizenId, create, offerRow };
  }

  test('create: an offer by reference and by value, a QR, a 6-digit tx_code, 7 days to redeem; audited', async () => {
    const { audit, citizenId, create } = await setup();
    const issued = await create();
    expect(issued.offerId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(issued.txCode).toMatch(/^[0-9]{6}$/);
    expect(issued.expiresAt).toBe(T0 + 7 * DAY);
    expect(issued.offerUri).toBe(`${ISSUER_URL}/oid4vci/offers/${issued.offerId}`);
    expect(issued.offer).toEqual({
      credential_issuer: ISSUER_URL,
      credential_configuration_ids: CONFIGS,
      grants: { [PRE_AUTHORIZED_CODE_GRANT_TYPE]: { 'pre-authorized_code': expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), tx_code: { length: 6, input_mode: 'numeric', description: expect.any(String) } } },
    });
    expect(JSON.stringify(issued.offer)).not.toContain(issued.txCode);
    expect(parseOfferDeepLink(issued.deepLinkByReference)).toEqual({ offerUri: issued.offerUri });
    expect(parseOfferDeepLink(issued.deepLinkByValue)).toEqual({ offer: issued.offer });
    expect(issued.qrSvg).toContain('<svg');
    expect(await audit.list()).toEqual([
      { id: expect.any(Number), at: T0, actor: { kind: 'staff', id: 'staff-1' }, action: 'offer.created', target: { kind: 'citizen', id: citizenId }, detail: { configurationIds: CONFIGS } },
    ]);
  });

  test('the database stores no pre-authorized code and no tx_code in clear (nor an unkeyed hash of the tx_code)', async () => {
    const { db, offers, create, offerRow } = await setup();
    const issued = await create();
    const code = preAuthorizedCodeOf(issued);
    const row = await offerRow(issued.offerId);
    expect(row.pre_authorized_code_hash).toBe(hashSecret(code));
    expect(row.tx_code_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(row.tx_code_hash).not.toBe(hashSecret(issued.txCode));
    expect(Object.values(row)).not.toContain(issued.txCode);
    expect(JSON.stringify(row)).not.toContain(code);
    const { accessToken } = await offers.redeem({ preAuthorizedCode: code, txCode: issued.txCode });
    const everything = JSON.stringify([await db.selectFrom('credential_offers').selectAll().execute(), await db.selectFrom('access_tokens').selectAll().execute(), await db.selectFrom('audit_log').selectAll().execute()]);
    expect(everything).not.toContain(code);
    expect(everything).not.toContain(accessToken);
    expect(everything).not.toContain(`"${issued.txCode}"`);
    const token = await db.selectFrom('access_tokens').selectAll().executeTakeFirstOrThrow();
    expect(token.token_hash).toBe(hashSecret(accessToken));
  });

  test('two offers never share an id, a code or a tx_code hash', async () => {
    const { create, offerRow } = await setup();
    const a = await create();
    const b = await create();
    expect(a.offerId).not.toBe(b.offerId);
    expect(preAuthorizedCodeOf(a)).not.toBe(preAuthorizedCodeOf(b));
    const [ra, rb] = [await offerRow(a.offerId), await offerRow(b.offerId)];
    expect(ra.tx_code_hash).not.toBe(rb.tx_code_hash);
  });

  test('byId serves an open offer; unknown, redeemed and withdrawn are OFFER_NOT_FOUND; expired is OFFER_EXPIRED', async () => {
    const { offers, citizenId, create } = await setup();
    const issued = await create();
    expect(await offers.byId(issued.offerId)).toEqual(issued.offer);
    await expect(offers.byId('no-such-offer')).rejects.toMatchObject({ code: 'OFFER_NOT_FOUND' });
    clock = issued.expiresAt - 1;
    expect(await offers.byId(issued.offerId)).toEqual(issued.offer);
    clock = issued.expiresAt;
    await expect(offers.byId(issued.offerId)).rejects.toMatchObject({ code: 'OFFER_EXPIRED' });

    clock = T0;
    const redeemed = await create();
    await offers.redeem({ preAuthorizedCode: preAuthorizedCodeOf(redeemed), txCode: redeemed.txCode });
    await expect(offers.byId(redeemed.offerId)).rejects.toMatchObject({ code: 'OFFER_NOT_FOUND' });
    const withdrawn = await create();
    await offers.withdrawAll(citizenId);
    await expect(offers.byId(withdrawn.offerId)).rejects.toMatchObject({ code: 'OFFER_NOT_FOUND' });
  });

  test('redeem with the right tx_code gives a 24-hour access token for the offer\'s citizen and configurations (no refresh token without a store)', async () => {
    const { db, offers, citizenId, create, offerRow } = await setup();
    const issued = await create();
    const redeemed = await offers.redeem({ preAuthorizedCode: preAuthorizedCodeOf(issued), txCode: issued.txCode });
    expect(redeemed).toEqual({ accessToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expiresIn: 86_400, citizenId, configurationIds: CONFIGS });
    expect((await offerRow(issued.offerId)).state).toBe('redeemed');
    expect(await db.selectFrom('access_tokens').selectAll().execute()).toEqual([
      { token_hash: hashSecret(redeemed.accessToken), offer_id: issued.offerId, citizen_id: citizenId, configuration_ids: JSON.stringify(CONFIGS), expires_at: T0 + DAY, refresh_family_id: null, grant_type: 'pre-authorized_code' },
    ]);
    expect(await offers.authorize(redeemed.accessToken)).toEqual({ tokenHash: hashSecret(redeemed.accessToken), citizenId, configurationIds: CONFIGS, grantType: 'pre-authorized_code' });
  });

  test('a second redemption is PRE_AUTH_CODE_REPLAYED, even with the right tx_code; unknown codes are PRE_AUTH_CODE_INVALID', async () => {
    const { db, offers, create } = await setup();
    const issued = await create();
    const code = preAuthorizedCodeOf(issued);
    await offers.redeem({ preAuthorizedCode: code, txCode: issued.txCode });
    await expect(offers.redeem({ preAuthorizedCode: code, txCode: issued.txCode })).rejects.toMatchObject({ code: 'PRE_AUTH_CODE_REPLAYED' });
    expect(await db.selectFrom('access_tokens').selectAll().execute()).toHaveLength(1);
    for (const preAuthorizedCode of ['A'.repeat(43), '', issued.offerId, code.slice(0, -1)]) {
      await expect(offers.redeem({ preAuthorizedCode, txCode: issued.txCode })).rejects.toMatchObject({ code: 'PRE_AUTH_CODE_INVALID' });
    }
  });

  test('parallel redemptions of one code (within the attempt budget): exactly one access token', async () => {
    const { db, offers, create } = await setup();
    const issued = await create();
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => offers.redeem({ preAuthorizedCode: preAuthorizedCodeOf(issued), txCode: issued.txCode })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'PRE_AUTH_CODE_REPLAYED' });
    expect(await db.selectFrom('access_tokens').selectAll().execute()).toHaveLength(1);
  });

  test('an expired offer is OFFER_EXPIRED (checked before the tx_code, which is not counted)', async () => {
    const { offers, create, offerRow } = await setup();
    const issued = await create();
    clock = issued.expiresAt;
    await expect(offers.redeem({ preAuthorizedCode: preAuthorizedCodeOf(issued), txCode: issued.txCode })).rejects.toMatchObject({ code: 'OFFER_EXPIRED' });
    await expect(offers.redeem({ preAuthorizedCode: preAuthorizedCodeOf(issued), txCode: wrongCode(issued.txCode) })).rejects.toMatchObject({ code: 'OFFER_EXPIRED' });
    expect((await offerRow(issued.offerId)).tx_code_attempts).toBe(0);
    clock = issued.expiresAt - 1;
    expect((await offers.redeem({ preAuthorizedCode: preAuthorizedCodeOf(issued), txCode: issued.txCode })).accessToken).toBeDefined();
  });

  test('wrong or malformed tx_codes are TX_CODE_INVALID and counted; the right one still works before the limit', async () => {
    const { offers, create, offerRow } = await setup();
    const issued = await create();
    const code = preAuthorizedCodeOf(issued);
    for (const txCode of [wrongCode(issued.txCode), `${issued.txCode}0`, issued.txCode.slice(1), '']) {
      await expect(offers.redeem({ preAuthorizedCode: code, txCode })).rejects.toMatchObject({ code: 'TX_CODE_INVALID' });
    }
    expect((await offerRow(issued.offerId)).tx_code_attempts).toBe(4);
    expect((await offers.redeem({ preAuthorizedCode: code, txCode: issued.txCode })).citizenId).toBeDefined();
  });

  test('a missing tx_code is BODY_INVALID (invalid_request), not a spent attempt', async () => {
    const { offers, create, offerRow } = await setup();
    const issued = await create();
    const code = preAuthorizedCodeOf(issued);
    for (let i = 0; i < 6; i++) await expect(offers.redeem({ preAuthorizedCode: code })).rejects.toMatchObject({ code: 'BODY_INVALID' });
    expect(await offerRow(issued.offerId)).toMatchObject({ state: 'offered', tx_code_attempts: 0 });
    expect((await offers.redeem({ preAuthorizedCode: code, txCode: issued.txCode })).citizenId).toBeDefined();
  });

  test('non-digit tx_codes of the right length are TX_CODE_INVALID', async () => {
    const { offers, create } = await setup();
    const issued = await create();
    for (const txCode of ['abcdef', ' 12345', '12345\n']) {
      await expect(offers.redeem({ preAuthorizedCode: preAuthorizedCodeOf(issued), txCode })).rejects.toMatchObject({ code: 'TX_CODE_INVALID' });
    }
  });

  test('the 5th wrong tx_code is TX_CODE_ATTEMPTS_EXCEEDED and withdraws the offer: then even the right code fails', async () => {
    const { offers, create, offerRow } = await setup();
    const issued = await create();
    const code = preAuthorizedCodeOf(issued);
    for (let i = 0; i < 4; i++) await expect(offers.redeem({ preAuthorizedCode: code, txCode: wrongCode(issued.txCode, i) })).rejects.toMatchObject({ code: 'TX_CODE_INVALID' });
    await expect(offers.redeem({ preAuthorizedCode: code, txCode: wrongCode(issued.txCode, 4) })).rejects.toMatchObject({ code: 'TX_CODE_ATTEMPTS_EXCEEDED' });
    expect(await offerRow(issued.offerId)).toMatchObject({ state: 'withdrawn', tx_code_attempts: 5 });
    await expect(offers.redeem({ preAuthorizedCode: code, txCode: issued.txCode })).rejects.toMatchObject({ code: 'TX_CODE_ATTEMPTS_EXCEEDED' });
    await expect(offers.byId(issued.offerId)).rejects.toMatchObject({ code: 'OFFER_NOT_FOUND' });
  });

  test('parallel wrong tx_codes cannot exceed the attempt budget', async () => {
    const { offers, create, offerRow } = await setup();
    const issued = await create();
    const code = preAuthorizedCodeOf(issued);
    // 11 wrong guesses and the right code last, all at once.
    const guesses = [...Array.from({ length: 11 }, (_, i) => wrongCode(issued.txCode, i)), issued.txCode];
    const results = await Promise.allSettled(guesses.map((txCode) => offers.redeem({ preAuthorizedCode: code, txCode })));
    const successes = results.filter((r) => r.status === 'fulfilled').length;
    const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code?: unknown }).code] : []));
    expect(codes.every((c) => c === 'TX_CODE_INVALID' || c === 'TX_CODE_ATTEMPTS_EXCEEDED' || c === 'PRE_AUTH_CODE_REPLAYED')).toBe(true);
    // At most 5 guesses are ever checked: the counter never passes the budget, at most 4 wrong
    // guesses are answered TX_CODE_INVALID, and the right code gets through only within the budget.
    const row = await offerRow(issued.offerId);
    expect(row.tx_code_attempts).toBeLessThanOrEqual(5);
    expect(codes.filter((c) => c === 'TX_CODE_INVALID').length).toBeLessThanOrEqual(4);
    expect(codes.filter((c) => c === 'TX_CODE_INVALID').length + successes).toBeLessThanOrEqual(5);
    if (successes === 0) expect(row.state).toBe('withdrawn');
  });

  test('an offer stored without a tx_code: no tx_code in the offer, none accepted at redemption', async () => {
    const { db, offers, citizenId, create } = await setup();
    const issued = await create();
    await db.updateTable('credential_offers').set({ tx_code_hash: null }).where('id', '=', issued.offerId).execute();
    const offer = await offers.byId(issued.offerId);
    expect(offer.grants![PRE_AUTHORIZED_CODE_GRANT_TYPE]).toEqual({ 'pre-authorized_code': preAuthorizedCodeOf(issued) });
    await expect(offers.redeem({ preAuthorizedCode: preAuthorizedCodeOf(issued), txCode: issued.txCode })).rejects.toMatchObject({ code: 'BODY_INVALID' });
    expect((await offers.redeem({ preAuthorizedCode: preAuthorizedCodeOf(issued) })).citizenId).toBe(citizenId);
  });

  test('withdrawAll withdraws the citizen\'s open offers only, and ends their access tokens', async () => {
    const { db, offers, citizenId, create, offerRow } = await setup();
    const otherCitizen = await insertTestCitizen(db);
    const redeemedOffer = await create();
    const { accessToken } = await offers.redeem({ preAuthorizedCode: preAuthorizedCodeOf(redeemedOffer), txCode: redeemedOffer.txCode });
    const open1 = await create();
    const open2 = await create();
    const others = await create(otherCitizen);
    const othersToken = (await offers.redeem({ preAuthorizedCode: preAuthorizedCodeOf(others), txCode: others.txCode })).accessToken;
    const othersOpen = await create(otherCitizen);

    expect(await offers.withdrawAll(citizenId)).toBe(2);
    expect((await offerRow(open1.offerId)).state).toBe('withdrawn');
    expect((await offerRow(open2.offerId)).state).toBe('withdrawn');
    expect((await offerRow(redeemedOffer.offerId)).state).toBe('redeemed');
    await expect(offers.authorize(accessToken)).rejects.toMatchObject({ code: 'ACCESS_TOKEN_INVALID' });
    await expect(offers.redeem({ preAuthorizedCode: preAuthorizedCodeOf(open1), txCode: open1.txCode })).rejects.toMatchObject({ code: 'PRE_AUTH_CODE_INVALID' });
    expect((await offers.authorize(othersToken)).citizenId).toBe(otherCitizen);
    expect(await offers.byId(othersOpen.offerId)).toEqual(othersOpen.offer);
    expect(await offers.withdrawAll(citizenId)).toBe(0);
  });

  test('authorize: unknown, empty, missing, over-long or expired tokens are ACCESS_TOKEN_INVALID', async () => {
    const { offers, create } = await setup();
    const issued = await create();
    const { accessToken } = await offers.redeem({ preAuthorizedCode: preAuthorizedCodeOf(issued), txCode: issued.txCode });
    for (const token of [undefined, '', 'A'.repeat(43), 'x'.repeat(513), issued.offerId, preAuthorizedCodeOf(issued)]) {
      await expect(offers.authorize(token)).rejects.toMatchObject({ code: 'ACCESS_TOKEN_INVALID' });
    }
    await expect(offers.authorize(42 as unknown as string)).rejects.toMatchObject({ code: 'ACCESS_TOKEN_INVALID' });
    clock = T0 + DAY - 1;
    expect((await offers.authorize(accessToken)).configurationIds).toEqual(CONFIGS);
    clock = T0 + DAY;
    await expect(offers.authorize(accessToken)).rejects.toMatchObject({ code: 'ACCESS_TOKEN_INVALID' });
  });

  test('options: tx_code length, attempt budget, offer and token lifetimes', async () => {
    const { offers, create, offerRow } = await setup({ txCodeLength: 8, maxTxCodeAttempts: 2, offerTtlMs: 60_000, accessTokenTtlMs: 90_500 });
    const issued = await create();
    expect(issued.txCode).toMatch(/^[0-9]{8}$/);
    expect(issued.expiresAt).toBe(T0 + 60_000);
    expect(issued.offer.grants![PRE_AUTHORIZED_CODE_GRANT_TYPE]!.tx_code).toMatchObject({ length: 8, input_mode: 'numeric' });
    const code = preAuthorizedCodeOf(issued);
    await expect(offers.redeem({ preAuthorizedCode: code, txCode: issued.txCode.slice(0, 6) })).rejects.toMatchObject({ code: 'TX_CODE_INVALID' });
    await expect(offers.redeem({ preAuthorizedCode: code, txCode: '0'.repeat(8) === issued.txCode ? '1'.repeat(8) : '0'.repeat(8) })).rejects.toMatchObject({ code: 'TX_CODE_ATTEMPTS_EXCEEDED' });
    expect((await offerRow(issued.offerId)).state).toBe('withdrawn');

    const next = await create();
    expect((await offers.redeem({ preAuthorizedCode: preAuthorizedCodeOf(next), txCode: next.txCode })).expiresIn).toBe(90);
  });
});
