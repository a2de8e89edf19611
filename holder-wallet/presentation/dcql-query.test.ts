import { describe, expect, it } from '@jest/globals';
import { matchCredentialQuery, parseDcqlQuery, selectCredentialQueries } from './dcql-query.js';
import { webHasher } from './consent.js';
import { ENTITLEMENT_VCT, RESIDENT_VCT, residentQuery, walletWithCopies } from '../testing/test-wallet.js';

describe('DCQL query (OpenID4VP 1.0 §6 subset)', () => {
  it('parses a valid query and fills in credential_sets[].required', () => {
    const query = parseDcqlQuery({
      credentials: [residentQuery(), { id: 'pools', format: 'dc+sd-jwt', meta: { vct_values: [ENTITLEMENT_VCT] }, claims: [{ id: 'svc', path: ['service_id'], values: ['pools'] }, { path: ['pseudonym'] }] }],
      credential_sets: [{ options: [['resident'], ['pools']] }, { options: [['pools']], required: false }],
    });
    expect(query.credentials.map((c) => c.id)).toEqual(['resident', 'pools']);
    expect(query.credential_sets!.map((s) => s.required)).toEqual([true, false]);
    expect(parseDcqlQuery(query)).toEqual(query);
  });

  it.each<[string, unknown]>([
    ['not an object', 'x'],
    ['no credentials', {}],
    ['empty credentials', { credentials: [] }],
    ['bad id', { credentials: [{ ...residentQuery(), id: 'a b' }] }],
    ['duplicate id', { credentials: [residentQuery(), residentQuery()] }],
    ['unsupported format', { credentials: [{ ...residentQuery(), format: 'mso_mdoc' }] }],
    ['vct_values on vc+sd-jwt', { credentials: [{ ...residentQuery(), format: 'vc+sd-jwt' }] }],
    ['empty path', { credentials: [{ ...residentQuery(), claims: [{ path: [] }] }] }],
    ['null path step (array wildcard)', { credentials: [{ ...residentQuery(), claims: [{ path: ['address', null] }] }] }],
    ['index path step', { credentials: [{ ...residentQuery(), claims: [{ path: ['nationalities', 0] }] }] }],
    ['object in values', { credentials: [{ ...residentQuery(), claims: [{ path: ['age_over_18'], values: [{}] }] }] }],
    ['claim_sets', { credentials: [{ ...residentQuery(), claim_sets: [['a']] }] }],
    ['trusted_authorities', { credentials: [{ ...residentQuery(), trusted_authorities: [] }] }],
    ['multiple: true', { credentials: [{ ...residentQuery(), multiple: true }] }],
    ['no holder binding', { credentials: [{ ...residentQuery(), require_cryptographic_holder_binding: false }] }],
    ['unknown member', { credentials: [{ ...residentQuery(), whatever: 1 }] }],
    ['unknown top-level member', { credentials: [residentQuery()], extra: true }],
    ['set naming no query', { credentials: [residentQuery()], credential_sets: [{ options: [['nope']] }] }],
    ['set required not boolean', { credentials: [residentQuery()], credential_sets: [{ options: [['resident']], required: 'yes' }] }],
  ])('refuses %s with BODY_INVALID', (_name, value) => {
    expect(() => parseDcqlQuery(value)).toThrow(expect.objectContaining({ code: 'BODY_INVALID' }));
  });

  it('selectCredentialQueries: all queries without sets; the first satisfiable option of each required set; optional sets left out', () => {
    const query = parseDcqlQuery({
      credentials: [residentQuery([], 'a'), residentQuery([], 'b'), residentQuery([], 'c')],
      credential_sets: [{ options: [['a'], ['b']] }, { options: [['c']], required: false }],
    });
    expect(selectCredentialQueries({ query, canAnswer: () => true })).toEqual(['a']);
    expect(selectCredentialQueries({ query, canAnswer: (id) => id !== 'a' })).toEqual(['b']);
    expect(selectCredentialQueries({ query, canAnswer: (id) => id === 'c' })).toBeUndefined();
    const plain = parseDcqlQuery({ credentials: [residentQuery([], 'a'), residentQuery([], 'b')] });
    expect(selectCredentialQueries({ query: plain, canAnswer: () => true })).toEqual(['a', 'b']);
    expect(selectCredentialQueries({ query: plain, canAnswer: (id) => id === 'a' })).toBeUndefined();
  });

  it('matches real copies: discloses exactly the asked claims; no claims → nothing selectively disclosed; vct, type and values filter', async () => {
    const { document } = await walletWithCopies([
      { type: 'ResidentCredential', count: 1 },
      { type: 'ServiceEntitlementCredential', serviceId: 'pools', count: 1 },
      { type: 'ResidentCredential', format: 'vc+sd-jwt', count: 1 },
    ]);
    const [resident, pools, vcResident] = document.credentials as [never, never, never];
    const q = (value: unknown) => parseDcqlQuery({ credentials: [value] }).credentials[0]!;
    const match = (value: unknown, copy: never) => matchCredentialQuery({ query: q(value), copy, hash: webHasher });

    expect((await match(residentQuery([['age_over_18'], ['address', 'locality']]), resident))?.disclose).toEqual([['age_over_18'], ['address', 'locality']]);
    expect((await match(residentQuery([]), resident))?.disclose).toEqual([]);
    // Always in the clear: needs no disclosure.
    expect((await match(residentQuery([['vct'], ['iss']]), resident))?.disclose).toEqual([]);
    expect(await match(residentQuery([['no_such_claim']]), resident)).toBeUndefined();
    expect(await match(residentQuery(), pools)).toBeUndefined();
    expect(await match(residentQuery(), vcResident)).toBeUndefined();
    const poolsQuery = (service: string) => ({ id: 'p', format: 'dc+sd-jwt', meta: { vct_values: [ENTITLEMENT_VCT] }, claims: [{ path: ['service_id'], values: [service] }, { path: ['pseudonym'] }] });
    expect((await match(poolsQuery('pools'), pools))?.disclose).toEqual([['service_id'], ['pseudonym']]);
    expect(await match(poolsQuery('library'), pools)).toBeUndefined();

    const vcQuery = (types: string[][], path: string[]) => ({ id: 'v', format: 'vc+sd-jwt', meta: { type_values: types }, claims: [{ path }] });
    expect((await match(vcQuery([['VerifiableCredential', 'ResidentCredential']], ['credentialSubject', 'age_over_18']), vcResident))?.disclose).toEqual([['age_over_18']]);
    expect(await match(vcQuery([['ServiceEntitlementCredential']], ['credentialSubject', 'age_over_18']), vcResident)).toBeUndefined();
    expect(RESIDENT_VCT).toMatch(/resident/);
  });
});
