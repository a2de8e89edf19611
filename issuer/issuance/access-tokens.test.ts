import { insertTestCitizen } from '../auth/testing/citizen-rows.js';
import { describeEachEngine } from '../db/testing/test-databases.js';
import { hashSecret } from '../security/secret-token.js';
import { DEFAULT_ACCESS_TOKEN_TTL_MS, insertAccessToken } from './access-tokens.js';

const T0 = 1_790_000_000_000;

describeEachEngine('access tokens', (database) => {
  test('a 256-bit base64url token, stored as its SHA-256 with its citizen, configurations, grant and refresh family', async () => {
    const { db } = database();
    const citizenId = await insertTestCitizen(db);
    const configurationIds = ['resident.dc+sd-jwt'];
    const { accessToken, expiresIn } = await db.transaction().execute((tx) =>
      insertAccessToken(tx, { citizenId, offerId: 'offer-1', configurationIds, grantType: 'refresh_token', refreshFamilyId: 'family-1', now: T0, ttlMs: 90_500 }),
    );
    expect(accessToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresIn).toBe(90);
    expect(await db.selectFrom('access_tokens').selectAll().execute()).toEqual([
      { token_hash: hashSecret(accessToken), offer_id: 'offer-1', citizen_id: citizenId, configuration_ids: JSON.stringify(configurationIds), expires_at: T0 + 90_500, refresh_family_id: 'family-1', grant_type: 'refresh_token' },
    ]);
    const second = await insertAccessToken(db, { citizenId, offerId: 'offer-1', configurationIds, grantType: 'pre-authorized_code', refreshFamilyId: null, now: T0, ttlMs: DEFAULT_ACCESS_TOKEN_TTL_MS });
    expect(second.accessToken).not.toBe(accessToken);
    expect(second.expiresIn).toBe(86_400);
  });
});
