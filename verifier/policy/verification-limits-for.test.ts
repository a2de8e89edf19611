import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parseServicePolicies } from './parse-service-policies.js';
import { verificationLimitsFor } from './verification-limits-for.js';

const policies = parseServicePolicies(readFileSync(new URL('./fixtures/gijon-policies.json', import.meta.url), 'utf8'));

describe('verificationLimitsFor', () => {
  it("always sets the snapshot age for core's snapshot-age policy; other limits only when the policy sets them", () => {
    expect(verificationLimitsFor(policies.get('pools')!)).toEqual({ snapshotMaxAgeSeconds: 86_400, staleSnapshot: 'fail' });
    expect(verificationLimitsFor(policies.get('parking')!)).toEqual({ snapshotMaxAgeSeconds: 259_200, staleSnapshot: 'warn', clockSkewSeconds: 120 });
    const all = parseServicePolicies({
      version: 1,
      policies: [{ serviceId: 'transport', accept: [{ type: 'ServiceEntitlementCredential' }], clockSkewSeconds: 0, kbMaxAgeSeconds: 30, kbMaxFutureSeconds: 5 }],
    });
    expect(verificationLimitsFor(all.get('transport')!)).toEqual({ snapshotMaxAgeSeconds: 86_400, staleSnapshot: 'fail', clockSkewSeconds: 0, kbMaxAgeSeconds: 30, kbMaxFutureSeconds: 5 });
  });
});
