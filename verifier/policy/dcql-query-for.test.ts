import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { credentialQueryId, dcqlQueryFor } from './dcql-query-for.js';
import { MAX_DCQL_QUERY_CHARS, parseServicePolicies } from './parse-service-policies.js';

const policies = parseServicePolicies(readFileSync(new URL('./fixtures/gijon-policies.json', import.meta.url), 'utf8'));
const RESIDENT_VCT = 'urn:urbis:vct:resident:1';
const ENTITLEMENT_VCT = 'urn:urbis:vct:service-entitlement:1';

describe('dcqlQueryFor (OpenID4VP 1.0 §6)', () => {
  it('pools: one query per alternative and format, alternatives in a credential set, in order of preference', () => {
    expect(dcqlQueryFor(policies.get('pools')!)).toEqual({
      credentials: [
        {
          id: 'entitlement_vc',
          format: 'vc+sd-jwt',
          meta: { type_values: [['VerifiableCredential', 'ServiceEntitlementCredential']] },
          claims: [
            { path: ['credentialSubject', 'service_id'], values: ['pools'] },
            { path: ['credentialSubject', 'tier'], values: ['standard', 'youth', 'senior', 'family'] },
          ],
        },
        {
          id: 'entitlement_dc',
          format: 'dc+sd-jwt',
          meta: { vct_values: [ENTITLEMENT_VCT] },
          claims: [
            { path: ['service_id'], values: ['pools'] },
            { path: ['tier'], values: ['standard', 'youth', 'senior', 'family'] },
          ],
        },
        { id: 'senior_vc', format: 'vc+sd-jwt', meta: { type_values: [['VerifiableCredential', 'ResidentCredential']] }, claims: [{ path: ['credentialSubject', 'age_over_65'], values: [true] }] },
        { id: 'senior_dc', format: 'dc+sd-jwt', meta: { vct_values: [RESIDENT_VCT] }, claims: [{ path: ['age_over_65'], values: [true] }] },
      ],
      credential_sets: [{ options: [['entitlement_vc'], ['entitlement_dc'], ['senior_vc'], ['senior_dc']], required: true }],
    });
  });

  it('asks for exactly the claims the policy checks: a presence-only claim has no values; nothing else is asked', () => {
    const library = dcqlQueryFor(policies.get('library')!);
    expect(library.credentials.find((c) => c.format === 'dc+sd-jwt')!.claims).toEqual([{ path: ['service_id'], values: ['library'] }, { path: ['pseudonym'] }]);
    // A bus validator does not learn the pseudonym; a waste centre does not learn the street, only the locality.
    const paths = (serviceId: string) => dcqlQueryFor(policies.get(serviceId)!).credentials.flatMap((c) => (c.claims ?? []).map((cl) => cl.path.join('.')));
    expect(new Set(paths('transport'))).toEqual(new Set(['credentialSubject.service_id', 'credentialSubject.tier', 'service_id', 'tier']));
    expect(paths('waste-centre').filter((p) => p.includes('address'))).toEqual(['credentialSubject.address.locality', 'address.locality']);
    for (const policy of policies.values()) {
      for (const path of dcqlQueryFor(policy).credentials.flatMap((c) => (c.claims ?? []).map((cl) => cl.path.at(-1)))) {
        expect(['birthdate', 'given_name', 'family_name', 'street_address']).not.toContain(path);
      }
    }
  });

  it('one alternative in one format: no credential_sets (the one query is required)', () => {
    const single = parseServicePolicies({ version: 1, policies: [{ serviceId: 'youth-pass', formats: ['dc+sd-jwt'], accept: [{ type: 'ServiceEntitlementCredential' }] }] });
    expect(dcqlQueryFor(single.get('youth-pass')!)).toEqual({
      credentials: [{ id: 'entitlement_dc', format: 'dc+sd-jwt', meta: { vct_values: [ENTITLEMENT_VCT] }, claims: [{ path: ['service_id'], values: ['youth-pass'] }] }],
    });
  });

  it('no claims at all: the query has no claims member', () => {
    const any = parseServicePolicies({ version: 1, policies: [{ serviceId: 'pools', formats: ['dc+sd-jwt'], accept: [{ type: 'ResidentCredential' }] }] });
    expect(dcqlQueryFor(any.get('pools')!).credentials[0]).toEqual({ id: 'resident_dc', format: 'dc+sd-jwt', meta: { vct_values: [RESIDENT_VCT] } });
  });

  it("stays within the wallet's DCQL bounds for every Gijón policy", () => {
    for (const policy of policies.values()) {
      const query = dcqlQueryFor(policy);
      expect(query.credentials.length).toBeLessThanOrEqual(16);
      expect(new Set(query.credentials.map((c) => c.id)).size).toBe(query.credentials.length);
      for (const c of query.credentials) {
        expect(c.id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
        expect((c.claims ?? []).length).toBeLessThanOrEqual(32);
      }
      expect(JSON.stringify(query).length).toBeLessThanOrEqual(MAX_DCQL_QUERY_CHARS);
    }
  });

  it('credentialQueryId', () => {
    expect(credentialQueryId({ accepted: { id: 'senior' }, format: 'dc+sd-jwt' })).toBe('senior_dc');
    expect(credentialQueryId({ accepted: { id: 'senior' }, format: 'vc+sd-jwt' })).toBe('senior_vc');
  });
});
