import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { decodeCompactJws } from '../../core/jose/compact-jws.js';
import type { IssuerLog } from '../create-issuer.js';
import type { IssuerDatabase } from '../db/database-schema.js';
import type { DatabaseEngine } from '../db/migrations.js';
import { dropPostgresFileDatabase, POSTGRES_AVAILABILITY, TEST_POSTGRES_URL } from '../db/testing/test-databases.js';
import { enrolmentBody } from '../testing/city-data.js';
import { startIssuerFixture, type IssuerFixture } from '../testing/issuer-fixture.js';
import {
  redeemOffer,
  refreshCopies,
  requestCopies,
  requestDeferred,
  requestRefreshToken,
  requestToken,
  type HttpResult,
  type RedeemResult,
} from '../testing/oid4vci-test-client.js';
import { REFRESH_TOKEN_GRANT_TYPE } from './token-request.js';
import { PRE_AUTHORIZED_CODE_GRANT_TYPE } from '../../core/oid4vci/credential-offer.js';

/**
 * Refresh tokens (RFC 6749 §6) on the real issuer over HTTP: a citizen's
 * wallet exchanges a pre-authorized code, gets one-time copies, and later —
 * running low, or on a new device — refreshes for a new access token and
 * fresh copies without a new offer. Rotation, replay detection, and
 * entitlement checked at every Credential Request (dropped service,
 * restriction, erasure, rectification), on both database engines.
 */

/** Copies per batch (small: the suite runs twice). */
const COPIES = 2;
const RESIDENT = 'resident.dc+sd-jwt';
const POOLS = 'entitlement.pools.dc+sd-jwt';
const LIBRARY = 'entitlement.library.dc+sd-jwt';
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Every table, for "no token in clear anywhere" scans. */
const TABLES: readonly (keyof IssuerDatabase)[] = [
  'citizens', 'applications', 'service_choices', 'consents', 'documents', 'services', 'credential_offers', 'access_tokens', 'refresh_tokens', 'nonces',
  'deferred_issuances', 'issued_batches', 'issued_copies', 'status_lists', 'staff', 'sessions', 'otp_challenges', 'audit_log', 'erasure_records',
  'webhook_subscriptions', 'webhook_deliveries', 'signing_keys',
];

interface Holder {
  session: string;
  reference: string;
  citizenId: string;
  redeemed: RedeemResult;
}

function refreshSuite(engine: DatabaseEngine): void {
  describe(`refresh tokens over HTTP [${engine}]`, () => {
    let city: IssuerFixture;
    let clerk: string;
    const logged: Parameters<IssuerLog>[0][] = [];
    // The issuer's clock runs ahead between tests so that each starts with a fresh token-endpoint rate-limit window.
    let skew = 0;
    const clock = (): number => Date.now() + skew;
    /** Proof `iat` on the issuer's clock. */
    const iat = (): number => Math.floor(clock() / 1000);

    beforeAll(async () => {
      city = await startIssuerFixture({ engine, now: clock, log: (entry) => logged.push(entry) });
      clerk = await city.staffToken({ role: 'clerk' });
    }, 60_000);
    beforeEach(() => {
      skew += 61_000;
    });
    afterAll(async () => {
      await city?.close();
      if (engine === 'postgres') await dropPostgresFileDatabase();
    });

    /** Enrolled, validated by a clerk, offer made at the counter and redeemed: copies of every configuration and a refresh token. */
    async function holder(overrides: Record<string, unknown> = {}): Promise<Holder> {
      const enrolled = await city.request('POST', '/front-office/enrolments', { json: enrolmentBody({ email: `holder.${Math.random().toString(36).slice(2, 10)}@example.org`, ...overrides }) });
      expect(enrolled.status).toBe(201);
      const reference = enrolled.body.application.reference as string;
      const session = enrolled.body.session.token as string;
      expect((await city.request('POST', `/back-office/applications/${reference}/decision`, { token: clerk, json: { decision: 'validate' } })).status).toBe(200);
      const offer = await city.request('POST', `/back-office/applications/${reference}/offers`, { token: clerk });
      expect(offer.status).toBe(201);
      const redeemed = await redeemOffer({ offer: offer.body.deepLink, txCode: offer.body.txCode, batchSize: COPIES, now: iat() });
      for (const result of redeemed.results) expect('credentials' in result).toBe(true);
      const citizenId = (await city.request('GET', '/front-office/me', { token: session })).body.citizen.id as string;
      return { session, reference, citizenId, redeemed };
    }

    const refresh = (refreshToken: string): Promise<HttpResult> => requestRefreshToken({ issuerUrl: city.url, refreshToken });
    const copies = (accessToken: string, configurationId: string) => requestCopies({ issuerUrl: city.url, accessToken, configurationId, count: COPIES, now: iat() });
    const credentialsOf = (answer: HttpResult): string[] => (answer.body?.['credentials'] as { credential: string }[]).map((c) => c.credential);
    const payloadOf = (credential: string) => decodeCompactJws(credential.slice(0, credential.indexOf('~'))).payload as { cnf: { jwk: { x: string } }; status: { status_list: { idx: number } } };
    const disclosed = (credential: string): Record<string, unknown> =>
      Object.fromEntries(
        credential
          .split('~')
          .slice(1)
          .filter((d) => d !== '')
          .map((d) => JSON.parse(Buffer.from(d, 'base64url').toString('utf8')) as unknown[])
          .filter((d) => d.length === 3)
          .map((d) => [d[1] as string, d[2]]),
      );
    const refused = (answer: HttpResult, status: number, error: string | undefined, code: string) => {
      expect({ status: answer.status, error: answer.body?.['error'], code: answer.body?.['code'] }).toEqual({ status, error, code });
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    };

    test('the authorization server metadata lists both grants', async () => {
      const metadata = await city.request('GET', '/.well-known/oauth-authorization-server');
      expect(metadata.body.grant_types_supported).toEqual([PRE_AUTHORIZED_CODE_GRANT_TYPE, REFRESH_TOKEN_GRANT_TYPE]);
      expect(metadata.body['pre-authorized_grant_anonymous_access_supported']).toBe(true);
    });

    test('pre-auth exchange → copies → refresh → new copies with fresh keys → replay of the old token refused and the new one dead', async () => {
      const ana = await holder();
      const original = ana.redeemed.refreshToken!;
      expect(original).toMatch(TOKEN);
      const first = new Map(ana.redeemed.results.map((r) => [r.configurationId, (r as { credentials: string[] }).credentials]));
      expect([...first.keys()].sort()).toEqual([LIBRARY, POOLS, RESIDENT]);

      // The wallet runs low: grant_type=refresh_token, form-encoded, no client authentication.
      const answer = await refresh(original);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.body).toEqual({ access_token: expect.stringMatching(TOKEN), token_type: 'Bearer', expires_in: 86_400, refresh_token: expect.stringMatching(TOKEN) });
      const accessToken = answer.body!['access_token'] as string;
      const rotated = answer.body!['refresh_token'] as string;
      expect(new Set([original, rotated, accessToken, ana.redeemed.accessToken]).size).toBe(4);

      // Fresh copies of every configuration, exactly as after a pre-authorized code exchange: new holder keys, new status entries, same claims.
      for (const configurationId of [RESIDENT, POOLS, LIBRARY]) {
        const { answer: issued, holderKeys } = await copies(accessToken, configurationId);
        expect(issued.status).toBe(200);
        const fresh = credentialsOf(issued);
        expect(fresh).toHaveLength(COPIES);
        const before = first.get(configurationId)!;
        expect(fresh.map((c) => payloadOf(c).cnf.jwk.x)).toEqual(holderKeys.map((k) => k.x));
        const keysBefore = new Set(before.map((c) => payloadOf(c).cnf.jwk.x));
        const indicesBefore = new Set(before.map((c) => payloadOf(c).status.status_list.idx));
        for (const copy of fresh) {
          expect(keysBefore.has(payloadOf(copy).cnf.jwk.x)).toBe(false);
          expect(indicesBefore.has(payloadOf(copy).status.status_list.idx)).toBe(false);
        }
        const { pseudonym, given_name: givenName } = disclosed(before[0]!);
        expect(disclosed(fresh[0]!)).toMatchObject(configurationId === RESIDENT ? { given_name: givenName } : { pseudonym });
      }

      // The spent token again: invalid_grant, and the whole family dies with it.
      const replay = await refresh(original);
      refused(replay, 400, 'invalid_grant', 'REFRESH_TOKEN_INVALID');
      expect(replay.headers.get('cache-control')).toBe('no-store');
      expect(JSON.stringify(replay.body)).not.toContain(original);
      refused(await refresh(rotated), 400, 'invalid_grant', 'REFRESH_TOKEN_INVALID');
      const dead = (await copies(accessToken, RESIDENT)).answer;
      refused(dead, 401, 'invalid_token', 'ACCESS_TOKEN_INVALID');
      expect(dead.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      refused((await copies(ana.redeemed.accessToken, RESIDENT)).answer, 401, 'invalid_token', 'ACCESS_TOKEN_INVALID');

      // Processing records: the same credential.issued entries as any issuance (with the grant), the refresh and the replay; ids only.
      const audit = await city.issuer.audit.list({ limit: 1000 });
      const issuedByRefresh = audit.filter((e) => e.action === 'credential.issued' && e.detail?.['grant'] === 'refresh_token');
      expect(issuedByRefresh.map((e) => e.detail?.['configurationId']).sort()).toEqual([LIBRARY, POOLS, RESIDENT]);
      expect(audit.filter((e) => e.action === 'credential.issued' && e.detail?.['grant'] === 'pre-authorized_code' && e.detail?.['configurationId'] === RESIDENT).length).toBeGreaterThanOrEqual(1);
      expect(audit.some((e) => e.action === 'token.refreshed' && e.target?.id === ana.citizenId)).toBe(true);
      expect(audit.some((e) => e.action === 'token.replay_detected' && e.target?.id === ana.citizenId)).toBe(true);

      // No token value in any table, in the audit log or in the operator's log.
      const secrets = [original, rotated, accessToken, ana.redeemed.accessToken];
      for (const table of TABLES) {
        const text = JSON.stringify(await city.issuer.db.selectFrom(table).selectAll().execute());
        for (const secret of secrets) expect([table, text.includes(secret)]).toEqual([table, false]);
      }
      const logText = JSON.stringify(logged);
      for (const secret of secrets) expect(logText).not.toContain(secret);
    }, 60_000);

    test('the refresh helper: each refresh rotates, a chain of refreshes keeps working', async () => {
      const bo = await holder();
      let token = bo.redeemed.refreshToken!;
      for (let i = 0; i < 3; i++) {
        const refreshed = await refreshCopies({ issuerUrl: city.url, refreshToken: token, configurationIds: [RESIDENT], batchSize: 1, now: iat() });
        expect(refreshed.results[0]).toMatchObject({ configurationId: RESIDENT, credentials: [expect.any(String)] });
        expect(refreshed.refreshToken).not.toBe(token);
        token = refreshed.refreshToken;
      }
    });

    test('a dropped service: the refresh token stays, that configuration is refused, the others are issued (and re-choosing it is entitlement again)', async () => {
      const bea = await holder();
      const dropped = await city.request('PUT', '/front-office/me/services', { token: bea.session, json: { services: [{ service_id: 'pools', tier: 'standard' }] } });
      expect(dropped.status).toBe(200);
      expect(dropped.body.removed).toEqual(['library']);

      const answer = await refresh(bea.redeemed.refreshToken!);
      expect(answer.status).toBe(200);
      const accessToken = answer.body!['access_token'] as string;
      refused((await copies(accessToken, LIBRARY)).answer, 409, undefined, 'STATE_CONFLICT');
      expect((await copies(accessToken, POOLS)).answer.status).toBe(200);
      expect((await copies(accessToken, RESIDENT)).answer.status).toBe(200);

      const back = await city.request('PUT', '/front-office/me/services', { token: bea.session, json: { services: [{ service_id: 'pools', tier: 'standard' }, { service_id: 'library', tier: 'standard' }] } });
      expect(back.status).toBe(200);
      expect((await copies(accessToken, LIBRARY)).answer.status).toBe(200);
    });

    test('a restricted citizen: restriction revokes the refresh tokens and their access tokens; lifting it does not bring them back', async () => {
      const rita = await holder();
      const refreshed = await refreshCopies({ issuerUrl: city.url, refreshToken: rita.redeemed.refreshToken!, configurationIds: [RESIDENT], batchSize: 1, now: iat() });

      const restricted = await city.request('PUT', '/front-office/me/restriction', { token: rita.session, json: { restricted: true } });
      expect(restricted.status).toBe(200);
      refused(await refresh(refreshed.refreshToken), 400, 'invalid_grant', 'REFRESH_TOKEN_INVALID');
      refused((await copies(refreshed.accessToken, RESIDENT)).answer, 401, 'invalid_token', 'ACCESS_TOKEN_INVALID');

      expect((await city.request('PUT', '/front-office/me/restriction', { token: rita.session, json: { restricted: false } })).status).toBe(200);
      refused(await refresh(refreshed.refreshToken), 400, 'invalid_grant', 'REFRESH_TOKEN_INVALID');
    });

    test('a refresh-derived access token of a citizen restricted meanwhile is refused at the Credential Endpoint (credential_request_denied)', async () => {
      const rosa = await holder();
      const answer = await refresh(rosa.redeemed.refreshToken!);
      expect(answer.status).toBe(200);
      const accessToken = answer.body!['access_token'] as string;
      // The record is restricted without the GDPR service's token revocation (another process, a race): the endpoint itself refuses.
      await city.issuer.citizens.setFlags(city.issuer.db, { id: rosa.citizenId, restricted: true, now: clock() });
      for (const configurationId of [RESIDENT, POOLS]) refused((await copies(accessToken, configurationId)).answer, 400, 'credential_request_denied', 'PROCESSING_RESTRICTED');
      await city.issuer.citizens.setFlags(city.issuer.db, { id: rosa.citizenId, restricted: false, now: clock() });
      expect((await copies(accessToken, RESIDENT)).answer.status).toBe(200);
    });

    test('an erased citizen: erasure deletes the refresh tokens', async () => {
      const eva = await holder();
      const erased = await city.request('DELETE', '/front-office/me', { token: eva.session, json: { confirm: 'erase' } });
      expect(erased.status).toBe(200);
      refused(await refresh(eva.redeemed.refreshToken!), 400, 'invalid_grant', 'REFRESH_TOKEN_INVALID');
      expect(await city.issuer.db.selectFrom('refresh_tokens').select('token_hash').where('citizen_id', '=', eva.citizenId).execute()).toEqual([]);
    });

    test('a rectification in progress: refreshed requests wait for the clerk (deferred), then carry the rectified data', async () => {
      const nuria = await holder({ family_name: 'Solís Vega' });
      const renamed = await city.request('PATCH', '/front-office/me', { token: nuria.session, json: { family_name: 'Solís Menéndez' } });
      expect(renamed.body).toMatchObject({ changedFields: ['family_name'], needsValidation: true });

      const refreshed = await refreshCopies({ issuerUrl: city.url, refreshToken: nuria.redeemed.refreshToken!, configurationIds: [RESIDENT], batchSize: COPIES, now: iat() });
      const pending = refreshed.results[0] as { transactionId?: string };
      expect(pending.transactionId).toEqual(expect.any(String));

      const reference = (await city.request('GET', '/front-office/me', { token: nuria.session })).body.application.reference as string;
      expect((await city.request('POST', `/back-office/applications/${reference}/decision`, { token: clerk, json: { decision: 'validate' } })).status).toBe(200);
      const done = await requestDeferred({ issuerUrl: city.url, accessToken: refreshed.accessToken, transactionId: pending.transactionId! });
      expect(done.status).toBe(200);
      for (const copy of credentialsOf(done)) expect(disclosed(copy)['family_name']).toBe('Solís Menéndez');
    });

    test('bad refresh requests: unknown or malformed tokens are invalid_grant; a malformed request is invalid_request; an unknown grant stays invalid_request', async () => {
      const issuerUrl = city.url;
      for (const refreshToken of ['A'.repeat(43), 'not a token', 'x'.repeat(512)]) refused(await refresh(refreshToken), 400, 'invalid_grant', 'REFRESH_TOKEN_INVALID');
      const malformed: Record<string, string | string[]>[] = [
        { grant_type: REFRESH_TOKEN_GRANT_TYPE },
        { grant_type: REFRESH_TOKEN_GRANT_TYPE, refresh_token: '' },
        { grant_type: REFRESH_TOKEN_GRANT_TYPE, refresh_token: 'x'.repeat(513) },
        { grant_type: REFRESH_TOKEN_GRANT_TYPE, refresh_token: ['A'.repeat(43), 'B'.repeat(43)] },
        { grant_type: REFRESH_TOKEN_GRANT_TYPE, refresh_token: 'A'.repeat(43), 'pre-authorized_code': 'code' },
        { grant_type: REFRESH_TOKEN_GRANT_TYPE, refresh_token: 'A'.repeat(43), tx_code: '123456' },
        { grant_type: PRE_AUTHORIZED_CODE_GRANT_TYPE, 'pre-authorized_code': 'code', refresh_token: 'A'.repeat(43) },
        { grant_type: 'authorization_code', code: 'x' },
      ];
      for (const form of malformed) refused(await requestToken({ issuerUrl, form }), 400, 'invalid_request', 'BODY_INVALID');
      const json = await city.request('POST', '/oid4vci/token', { json: { grant_type: REFRESH_TOKEN_GRANT_TYPE, refresh_token: 'A'.repeat(43) } });
      expect({ status: json.status, error: json.body.error, code: json.body.code }).toEqual({ status: 400, error: 'invalid_request', code: 'CONTENT_TYPE_UNSUPPORTED' });
    });

    test('expiry: a refresh token unused for its lifetime (URBIS_REFRESH_TOKEN_TTL_DAYS, default 180) is refused', async () => {
      expect(city.config.refreshTokenTtlDays).toBe(180);
      const leo = await holder();
      skew += 180 * 86_400_000;
      refused(await refresh(leo.redeemed.refreshToken!), 400, 'invalid_grant', 'REFRESH_TOKEN_INVALID');
      // Staff sessions end with a working day: the next tests need a clerk signed in on the new date.
      clerk = await city.staffToken({ role: 'clerk' });
    });

    test('the refresh grant shares the token endpoint\'s rate limit (20 a minute per client): then 429 with Retry-After, even for a good token', async () => {
      const mia = await holder();
      // holder() spent one token request (the pre-authorized code exchange) in this window.
      for (let i = 0; i < 19; i++) expect((await refresh('A'.repeat(43))).status).toBe(400);
      const limited = await refresh(mia.redeemed.refreshToken!);
      expect(limited.status).toBe(429);
      expect(limited.body?.['code']).toBe('RATE_LIMITED');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      skew += 61_000;
      expect((await refresh(mia.redeemed.refreshToken!)).status).toBe(200);
    });
  });
}

refreshSuite('sqlite');
if (POSTGRES_AVAILABILITY.ok) refreshSuite('postgres');
else {
  describe.skip(`refresh tokens over HTTP [postgres] — skipped: PostgreSQL at ${TEST_POSTGRES_URL} did not answer (${POSTGRES_AVAILABILITY.reason})`, () => {
    test('needs PostgreSQL', () => undefined);
  });
}
