import { describe, expect, it } from '@jest/globals';
import { splitSdJwt } from '../../core/sd-jwt/compact-sd-jwt.js';
import { prepareConsent } from './consent.js';
import { presentWithConsent } from './present.js';
import { parsePresentationRequest, scannerBinding } from './presentation-request.js';
import { ENTITLEMENT_VCT, requestLink, residentQuery, walletWithCopies } from '../testing/test-wallet.js';

const terminal = 'urn:urbis:terminal:gijon-pool-1';
const nonce = 'n-0123456789abcdef';
const link = (credentials: unknown[]) =>
  requestLink({ client_id: terminal, nonce, response_type: 'vp_token', dcql_query: JSON.stringify({ credentials }) });
const poolsQuery = { id: 'pools', format: 'dc+sd-jwt', meta: { vct_values: [ENTITLEMENT_VCT] }, claims: [{ path: ['service_id'], values: ['pools'] }, { path: ['pseudonym'] }] };

describe('consent and presentation', () => {
  it('consent: the oldest unspent matching copy, exactly the asked claims, copies left; presenting verifies, spends it and writes history', async () => {
    const { kit, store } = await walletWithCopies([
      { type: 'ResidentCredential', count: 4, spent: 1 },
      { type: 'ServiceEntitlementCredential', serviceId: 'library', count: 1 },
      { type: 'ServiceEntitlementCredential', serviceId: 'pools', count: 2 },
    ]);
    const request = parsePresentationRequest(link([residentQuery(), poolsQuery]));
    const consent = await prepareConsent({ request, document: await store.load() });
    expect(consent).toMatchObject({ flow: 'oid4vp', verifier: terminal, nonce });
    expect(consent.items).toEqual([
      expect.objectContaining({ queryId: 'resident', copyId: 'copy-2', credentialType: 'ResidentCredential', disclosed: [['age_over_18']], values: [true], remainingCopies: 2, lowOnCopies: true }),
      expect.objectContaining({ queryId: 'pools', copyId: 'copy-6', serviceId: 'pools', disclosed: [['service_id'], ['pseudonym']], values: ['pools', kit.entitlementClaims.pseudonym], remainingCopies: 1, lowOnCopies: true }),
    ]);
    // Nothing spent by the consent step.
    expect((await store.load()).credentials.filter((c) => c.spentAt !== undefined).map((c) => c.id)).toEqual(['copy-1']);

    const result = await presentWithConsent({ consent, store, now: kit.now });
    expect(Object.keys(result.vpToken)).toEqual(['resident', 'pools']);
    expect(result.text).toBe(JSON.stringify(result.vpToken));
    const resident = await kit.verify({ presentation: result.vpToken.resident![0], nonce, audience: terminal });
    expect(resident).toMatchObject({ ok: true, type: 'ResidentCredential', claims: { age_over_18: true } });
    expect(Object.keys((resident as { claims: object }).claims)).toEqual(['age_over_18']);
    expect(splitSdJwt(result.vpToken.resident![0], { maxBytes: 65_536 }).disclosures).toHaveLength(1);
    const pools = await kit.verify({ presentation: result.vpToken.pools![0], nonce, audience: terminal });
    expect(pools).toMatchObject({ ok: true, claims: { service_id: 'pools', pseudonym: kit.entitlementClaims.pseudonym } });
    expect(Object.keys((pools as { claims: object }).claims).sort()).toEqual(['pseudonym', 'service_id']);

    const after = await store.load();
    expect(after.credentials.filter((c) => c.spentAt !== undefined).map((c) => c.id)).toEqual(['copy-1', 'copy-2', 'copy-6']);
    expect(after.history).toEqual([
      expect.objectContaining({ at: kit.now, verifier: terminal, credentialId: 'copy-2', credentialType: 'ResidentCredential', disclosed: [['age_over_18']], flow: 'oid4vp' }),
      expect.objectContaining({ credentialId: 'copy-6', disclosed: [['service_id'], ['pseudonym']], flow: 'oid4vp' }),
    ]);

    // The same consent again: the copies are spent; refused, nothing written.
    await expect(presentWithConsent({ consent, store, now: kit.now + 1 })).rejects.toMatchObject({ code: 'STATE_CONFLICT' });
    expect(await store.load()).toEqual(after);
    // A new consent picks the next copies.
    const next = await prepareConsent({ request, document: after });
    expect(next.items.map((i) => i.copyId)).toEqual(['copy-3', 'copy-7']);
    expect(next.items.map((i) => i.remainingCopies)).toEqual([1, 0]);
  });

  it('no claims asked: only the non-disclosable claims go out', async () => {
    const { kit, store } = await walletWithCopies([{ type: 'ResidentCredential', count: 5 }]);
    const consent = await prepareConsent({ request: parsePresentationRequest(link([residentQuery([])])), document: await store.load() });
    expect(consent.items[0]).toMatchObject({ disclosed: [], remainingCopies: 4, lowOnCopies: false });
    const { text } = await presentWithConsent({ consent, store, now: kit.now });
    expect(splitSdJwt(text, { maxBytes: 65_536 }).disclosures).toEqual([]);
    expect(await kit.verify({ presentation: text, nonce, audience: terminal })).toMatchObject({ ok: true, claims: {} });
  });

  it('scanner-only flow: bound to the terminal id and a fresh nonce', async () => {
    const { kit, store } = await walletWithCopies([{ type: 'ResidentCredential', count: 2 }]);
    const scanner = scannerBinding({ terminalId: 'urbis:terminal:gijon-pool-1', dcqlQuery: { credentials: [residentQuery()] } });
    const consent = await prepareConsent({ scanner, document: await store.load() });
    expect(consent).toMatchObject({ flow: 'scanner', verifier: 'urbis:terminal:gijon-pool-1', nonce: scanner.nonce });
    const { text, history } = await presentWithConsent({ consent, store, now: kit.now });
    expect(history[0]).toMatchObject({ flow: 'scanner', verifier: 'urbis:terminal:gijon-pool-1' });
    expect(await kit.verify({ presentation: text, nonce: scanner.nonce, audience: 'urbis:terminal:gijon-pool-1' })).toMatchObject({ ok: true, claims: { age_over_18: true } });
    expect(await kit.verify({ presentation: text, nonce: scanner.nonce, audience: 'urbis:terminal:other' })).toMatchObject({ ok: false });
  });

  it('no matching copy, or every matching copy spent: RESOURCE_NOT_FOUND; one copy cannot answer two queries', async () => {
    const { store } = await walletWithCopies([
      { type: 'ResidentCredential', count: 2, spent: 2 },
      { type: 'ServiceEntitlementCredential', serviceId: 'library', count: 1 },
    ]);
    const document = await store.load();
    await expect(prepareConsent({ request: parsePresentationRequest(link([poolsQuery])), document })).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    await expect(prepareConsent({ request: parsePresentationRequest(link([residentQuery()])), document })).rejects.toMatchObject({
      code: 'RESOURCE_NOT_FOUND',
      message: expect.stringContaining('spent'),
    });
    const library = { ...poolsQuery, claims: [{ path: ['service_id'], values: ['library'] }] };
    await expect(prepareConsent({ request: parsePresentationRequest(link([library, { ...library, id: 'again' }])), document })).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    await expect(prepareConsent({ document })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('two consents racing for one copy: the second presentation is STATE_CONFLICT', async () => {
    const { kit, store } = await walletWithCopies([{ type: 'ResidentCredential', count: 1 }]);
    const request = parsePresentationRequest(link([residentQuery()]));
    const first = await prepareConsent({ request, document: await store.load() });
    const second = await prepareConsent({ request, document: await store.load() });
    expect(second.items[0]!.copyId).toBe(first.items[0]!.copyId);
    await presentWithConsent({ consent: first, store, now: kit.now });
    await expect(presentWithConsent({ consent: second, store, now: kit.now })).rejects.toMatchObject({ code: 'STATE_CONFLICT' });
    expect((await store.load()).history).toHaveLength(1);
  });
});
