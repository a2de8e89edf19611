import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { VerifiedPresentation } from '../../core/verification/verification-result.js';
import { applyServicePolicy } from './apply-service-policy.js';
import { parseServicePolicies } from './parse-service-policies.js';

const policies = parseServicePolicies(readFileSync(new URL('./fixtures/gijon-policies.json', import.meta.url), 'utf8'));
const PSEUDONYM = '1RwyfQi3aysqtxLK3R9f-t-Cqy8XtDyLp5lhEQKFbKk';
const base: Omit<VerifiedPresentation, 'type' | 'claims'> = {
  ok: true,
  format: 'dc+sd-jwt',
  issuer: 'did:web:gijon.urbis.example',
  statusRef: { format: 'token-status-list', uri: 'https://gijon.urbis.example/status/1', index: 7 },
  warnings: [],
};

describe('applyServicePolicy', () => {
  it('accepted: the alternative satisfied, and only the claims the policy asked for', () => {
    const result: VerifiedPresentation = {
      ...base,
      type: 'ResidentCredential',
      claims: { address: { locality: 'Gijón', street_address: 'Calle Corrida 1', postal_code: '33206' }, given_name: 'Ana', age_over_18: true },
      validUntil: 1_800_000_000,
      warnings: [{ check: 'snapshot', code: 'SNAPSHOT_STALE', detail: 'core' }],
    };
    const applied = applyServicePolicy({ policy: policies.get('waste-centre')!, result });
    expect(applied).toEqual({ ...result, claims: { address: { locality: 'Gijón' } }, serviceId: 'waste-centre', accepted: 'resident' });
    expect(JSON.stringify(applied)).not.toMatch(/Ana|Corrida|33206/);
    // Core's result is not changed.
    expect(result.claims.given_name).toBe('Ana');
  });

  it('keeps a whole object claim when the policy asks for it, and copies values', () => {
    const policy = parseServicePolicies({ version: 1, policies: [{ serviceId: 'parking', accept: [{ type: 'ResidentCredential', claims: [{ path: ['address'] }, { path: ['address', 'locality'], values: ['Gijón'] }] }] }] }).get('parking')!;
    const address = { locality: 'Gijón', street_address: 'Calle Corrida 1', postal_code: '33206', country: 'ES' };
    const applied = applyServicePolicy({ policy, result: { ...base, type: 'ResidentCredential', claims: { address, municipality: 'Gijón' } } });
    expect(applied).toMatchObject({ ok: true, claims: { address } });
    expect(applied.ok && applied.claims.address).not.toBe(address);
  });

  it("adds the policy's warnings to core's", () => {
    const applied = applyServicePolicy({
      policy: policies.get('parking')!,
      result: { ...base, type: 'ServiceEntitlementCredential', claims: { service_id: 'parking', tier: 'standard', pseudonym: PSEUDONYM } },
      snapshotAgeSeconds: 300_000,
    });
    expect(applied).toMatchObject({ ok: true, accepted: 'entitlement', warnings: [{ check: 'snapshot', code: 'SNAPSHOT_STALE' }] });
  });

  it('refused by the policy: every policy failure, no claims', () => {
    const applied = applyServicePolicy({ policy: policies.get('library')!, result: { ...base, type: 'ServiceEntitlementCredential', claims: { service_id: 'pools' } } });
    expect(applied).toEqual({
      ok: false,
      failures: [
        { check: 'policy', code: 'POLICY_SERVICE_MISMATCH', detail: 'the entitlement is for another service' },
        { check: 'policy', code: 'POLICY_CLAIM_MISSING', detail: 'the claim pseudonym is not disclosed' },
      ],
    });
  });

  it("rejected by core: core's failures, and a stale snapshot once", () => {
    const failures = [{ check: 'key-binding', code: 'KB_NONCE_MISMATCH', detail: 'x' }] as const;
    expect(applyServicePolicy({ policy: policies.get('pools')!, result: { ok: false, failures: [...failures] }, snapshotAgeSeconds: 100_000 })).toEqual({
      ok: false,
      failures: [...failures, { check: 'snapshot', code: 'SNAPSHOT_STALE', detail: 'the trust and status snapshot is older than 86400 s' }],
    });
  });
});
