import { describe, expect, it } from '@jest/globals';
import { requestedClaims } from './requested-claims.js';
import type { AcceptedCredential } from './service-policy.js';

const base = { id: 'x', formats: ['dc+sd-jwt'], issuers: 'federation', predicates: [], claims: [] } as const;

describe('requestedClaims', () => {
  it("an entitlement: service_id equal to the policy's service, the tier when restricted, then the other claims", () => {
    const accepted: AcceptedCredential = { ...base, type: 'ServiceEntitlementCredential', tiers: ['youth'], claims: [{ path: ['pseudonym'] }] };
    expect(requestedClaims({ policy: { serviceId: 'youth-pass' }, accepted })).toEqual([
      { path: ['service_id'], values: ['youth-pass'], rule: 'service' },
      { path: ['tier'], values: ['youth'], rule: 'tier' },
      { path: ['pseudonym'], rule: 'claim' },
    ]);
    expect(requestedClaims({ policy: { serviceId: 'pools' }, accepted: { ...base, type: 'ServiceEntitlementCredential' } })).toEqual([
      { path: ['service_id'], values: ['pools'], rule: 'service' },
    ]);
  });

  it('a resident: each predicate equal to true, then the other claims; nothing at all when nothing is asked', () => {
    const accepted: AcceptedCredential = { ...base, type: 'ResidentCredential', predicates: ['age_over_18'], claims: [{ path: ['address', 'locality'], values: ['Gijón'] }] };
    expect(requestedClaims({ policy: { serviceId: 'pools' }, accepted })).toEqual([
      { path: ['age_over_18'], values: [true], rule: 'predicate' },
      { path: ['address', 'locality'], values: ['Gijón'], rule: 'claim' },
    ]);
    expect(requestedClaims({ policy: { serviceId: 'pools' }, accepted: { ...base, type: 'ResidentCredential' } })).toEqual([]);
  });
});
