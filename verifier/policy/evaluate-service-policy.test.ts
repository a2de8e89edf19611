import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { PresentationVerificationResult, VerifiedPresentation } from '../../core/verification/verification-result.js';
import { evaluateServicePolicy } from './evaluate-service-policy.js';
import { parseServicePolicies } from './parse-service-policies.js';
import { SERVICE_POLICY_ERROR_CODES } from './policy-failure.js';

const policies = parseServicePolicies(readFileSync(new URL('./fixtures/gijon-policies.json', import.meta.url), 'utf8'));
const policy = (serviceId: string) => policies.get(serviceId)!;
const GIJON = 'did:web:gijon.urbis.example';
const PORTO = 'did:web:porto.urbis.example';
const PSEUDONYM = '1RwyfQi3aysqtxLK3R9f-t-Cqy8XtDyLp5lhEQKFbKk';

/** A result core's verifier would return for a presentation that passed every check. */
function verified(overrides: Partial<VerifiedPresentation> & Pick<VerifiedPresentation, 'type' | 'claims'>): VerifiedPresentation {
  return { ok: true, format: 'dc+sd-jwt', issuer: GIJON, statusRef: { format: 'token-status-list', uri: 'https://gijon.urbis.example/status/1', index: 7 }, warnings: [], ...overrides };
}
const entitlement = (claims: Record<string, unknown>, overrides: Partial<VerifiedPresentation> = {}) =>
  verified({ type: 'ServiceEntitlementCredential', claims, ...overrides });
const resident = (claims: Record<string, unknown>, overrides: Partial<VerifiedPresentation> = {}) => verified({ type: 'ResidentCredential', claims, ...overrides });
const codes = (result: { failures: { code: string }[] }) => result.failures.map((f) => f.code);

describe('evaluateServicePolicy', () => {
  it('accepts what each alternative asks for, and says which alternative', () => {
    expect(evaluateServicePolicy({ policy: policy('pools'), result: entitlement({ service_id: 'pools', tier: 'youth' }) })).toEqual({
      accepted: policy('pools').accepts[0],
      failures: [],
      warnings: [],
    });
    // Senior entry: a resident of any federation city (core checked the issuer is accredited), age_over_65 true.
    const senior = evaluateServicePolicy({ policy: policy('pools'), result: resident({ age_over_65: true }, { issuer: PORTO, format: 'vc+sd-jwt' }) });
    expect(senior.accepted?.id).toBe('senior');
    expect(evaluateServicePolicy({ policy: policy('library'), result: entitlement({ service_id: 'library', pseudonym: PSEUDONYM }) }).accepted?.id).toBe('entitlement');
    expect(evaluateServicePolicy({ policy: policy('waste-centre'), result: resident({ address: { locality: 'Gijón' } }) }).accepted?.id).toBe('resident');
    // NFD in the credential, NFC in the policy.
    expect(evaluateServicePolicy({ policy: policy('waste-centre'), result: resident({ address: { locality: 'Gijo\u0301n' } }) }).accepted?.id).toBe('resident');
  });

  it('POLICY_TYPE_NOT_ACCEPTED: no alternative takes this credential type', () => {
    const result = evaluateServicePolicy({ policy: policy('library'), result: resident({ age_over_18: true }) });
    expect(result).toEqual({ failures: [{ check: 'policy', code: 'POLICY_TYPE_NOT_ACCEPTED', detail: 'ResidentCredential is not accepted by this service' }], warnings: [] });
  });

  it('POLICY_FORMAT_NOT_ACCEPTED', () => {
    const only = parseServicePolicies({ version: 1, policies: [{ serviceId: 'pools', formats: ['dc+sd-jwt'], accept: [{ type: 'ServiceEntitlementCredential' }] }] }).get('pools')!;
    expect(codes(evaluateServicePolicy({ policy: only, result: entitlement({ service_id: 'pools' }, { format: 'vc+sd-jwt' }) }))).toEqual(['POLICY_FORMAT_NOT_ACCEPTED']);
  });

  it('POLICY_ISSUER_NOT_ACCEPTED: trusted by the federation, not by this service', () => {
    expect(codes(evaluateServicePolicy({ policy: policy('transport'), result: entitlement({ service_id: 'transport', tier: 'youth' }, { issuer: PORTO }) }))).toEqual([
      'POLICY_ISSUER_NOT_ACCEPTED',
    ]);
  });

  it('POLICY_SERVICE_MISMATCH: an entitlement for another service', () => {
    expect(codes(evaluateServicePolicy({ policy: policy('youth-pass'), result: entitlement({ service_id: 'pools', tier: 'youth' }) }))).toEqual(['POLICY_SERVICE_MISMATCH']);
  });

  it('POLICY_TIER_NOT_ACCEPTED', () => {
    expect(codes(evaluateServicePolicy({ policy: policy('youth-pass'), result: entitlement({ service_id: 'youth-pass', tier: 'senior' }) }))).toEqual(['POLICY_TIER_NOT_ACCEPTED']);
  });

  it('POLICY_CLAIM_MISSING: for the service id, the tier, a predicate and a required claim', () => {
    const result = evaluateServicePolicy({ policy: policy('sports-booking'), result: entitlement({}) });
    expect(result.failures).toEqual([
      { check: 'policy', code: 'POLICY_CLAIM_MISSING', detail: 'the claim service_id is not disclosed' },
      { check: 'policy', code: 'POLICY_CLAIM_MISSING', detail: 'the claim tier is not disclosed' },
      { check: 'policy', code: 'POLICY_CLAIM_MISSING', detail: 'the claim pseudonym is not disclosed' },
    ]);
    expect(evaluateServicePolicy({ policy: policy('pools'), result: resident({ age_over_18: true }) }).failures).toEqual([
      { check: 'policy', code: 'POLICY_CLAIM_MISSING', detail: 'the claim age_over_65 is not disclosed' },
    ]);
    // Only own properties count: nothing is found through the prototype.
    expect(codes(evaluateServicePolicy({ policy: policy('waste-centre'), result: resident({ address: Object.create({ locality: 'Gijón' }) }) }))).toEqual(['POLICY_CLAIM_MISSING']);
    expect(codes(evaluateServicePolicy({ policy: policy('waste-centre'), result: resident({ address: 'Gijón' }) }))).toEqual(['POLICY_CLAIM_MISSING']);
  });

  it('POLICY_PREDICATE_FAILED: disclosed and not true', () => {
    expect(evaluateServicePolicy({ policy: policy('pools'), result: resident({ age_over_65: false }) }).failures).toEqual([
      { check: 'policy', code: 'POLICY_PREDICATE_FAILED', detail: 'the predicate age_over_65 is not true' },
    ]);
    expect(codes(evaluateServicePolicy({ policy: policy('pools'), result: resident({ age_over_65: 'true' }) }))).toEqual(['POLICY_PREDICATE_FAILED']);
  });

  it('POLICY_CLAIM_MISMATCH: a required value, without naming the value', () => {
    const result = evaluateServicePolicy({ policy: policy('waste-centre'), result: resident({ address: { locality: 'Porto' } }) });
    expect(result.failures).toEqual([{ check: 'policy', code: 'POLICY_CLAIM_MISMATCH', detail: 'the claim address.locality is not among the accepted values' }]);
    expect(JSON.stringify(result)).not.toContain('Porto');
    expect(codes(evaluateServicePolicy({ policy: policy('waste-centre'), result: resident({ address: { locality: 'gijón' } }) }))).toEqual(['POLICY_CLAIM_MISMATCH']);
  });

  it('lists every failed check, not just the first', () => {
    const result = evaluateServicePolicy({ policy: policy('parking'), result: entitlement({ service_id: 'pools', tier: 'youth' }, { issuer: PORTO }) });
    expect(codes(result)).toEqual(['POLICY_ISSUER_NOT_ACCEPTED', 'POLICY_SERVICE_MISMATCH', 'POLICY_TIER_NOT_ACCEPTED', 'POLICY_CLAIM_MISSING']);
    expect(result.accepted).toBeUndefined();
  });

  it('with several alternatives for one type and none satisfied, reports the closest', () => {
    const two = parseServicePolicies({
      version: 1,
      policies: [
        {
          serviceId: 'pools',
          accept: [
            { id: 'local-adult', type: 'ResidentCredential', predicates: ['age_over_18'], claims: [{ path: ['municipality'], values: ['Gijón'] }] },
            { id: 'senior', type: 'ResidentCredential', predicates: ['age_over_65'] },
          ],
        },
      ],
    }).get('pools')!;
    expect(evaluateServicePolicy({ policy: two, result: resident({ age_over_65: false }) }).failures).toEqual([
      { check: 'policy', code: 'POLICY_PREDICATE_FAILED', detail: 'the predicate age_over_65 is not true' },
    ]);
    expect(evaluateServicePolicy({ policy: two, result: resident({}) }).failures).toEqual([
      { check: 'policy', code: 'POLICY_CLAIM_MISSING', detail: 'the claim age_over_65 is not disclosed' },
    ]);
    // A tie goes to the first alternative.
    expect(evaluateServicePolicy({ policy: two, result: resident({ age_over_18: true }) }).failures).toEqual([
      { check: 'policy', code: 'POLICY_CLAIM_MISSING', detail: 'the claim municipality is not disclosed' },
    ]);
    expect(evaluateServicePolicy({ policy: two, result: resident({ age_over_18: true, municipality: 'Gijón' }) }).accepted?.id).toBe('local-adult');
  });

  describe('snapshot age', () => {
    const ok = entitlement({ service_id: 'pools', tier: 'standard' });
    it('SNAPSHOT_STALE fails closed by default, older than maxSnapshotAgeSeconds only', () => {
      expect(evaluateServicePolicy({ policy: policy('pools'), result: ok, snapshotAgeSeconds: 86_400 }).accepted).toBeDefined();
      expect(evaluateServicePolicy({ policy: policy('pools'), result: ok, snapshotAgeSeconds: 86_401 })).toEqual({
        failures: [{ check: 'snapshot', code: 'SNAPSHOT_STALE', detail: 'the trust and status snapshot is older than 86400 s' }],
        warnings: [],
      });
    });

    it("warns under staleSnapshot: 'warn' and still accepts", () => {
      const parking = evaluateServicePolicy({ policy: policy('parking'), result: entitlement({ service_id: 'parking', tier: 'disability', pseudonym: PSEUDONYM }), snapshotAgeSeconds: 259_201 });
      expect(parking.accepted?.id).toBe('entitlement');
      expect(parking.failures).toEqual([]);
      expect(parking.warnings.map((w) => w.code)).toEqual(['SNAPSHOT_STALE']);
    });

    it('an age that is not a number is stale (fail closed); a snapshot from a clock ahead is not', () => {
      expect(codes(evaluateServicePolicy({ policy: policy('pools'), result: ok, snapshotAgeSeconds: Number.NaN }))).toEqual(['SNAPSHOT_STALE']);
      expect(evaluateServicePolicy({ policy: policy('pools'), result: ok, snapshotAgeSeconds: -30 }).accepted).toBeDefined();
    });

    it('is reported once when core already reported it, as a failure or as a warning', () => {
      const rejected: PresentationVerificationResult = { ok: false, failures: [{ check: 'snapshot', code: 'SNAPSHOT_STALE', detail: 'x' }] };
      expect(evaluateServicePolicy({ policy: policy('pools'), result: rejected, snapshotAgeSeconds: 90_000 })).toEqual({ failures: [], warnings: [] });
      const warned = entitlement({ service_id: 'parking', tier: 'standard', pseudonym: PSEUDONYM }, { warnings: [{ check: 'snapshot', code: 'SNAPSHOT_STALE', detail: 'x' }] });
      expect(evaluateServicePolicy({ policy: policy('parking'), result: warned, snapshotAgeSeconds: 300_000 })).toMatchObject({ failures: [], warnings: [] });
    });

    it('stale failures come with the policy failures', () => {
      expect(codes(evaluateServicePolicy({ policy: policy('pools'), result: resident({ age_over_65: false }), snapshotAgeSeconds: 100_000 }))).toEqual([
        'SNAPSHOT_STALE',
        'POLICY_PREDICATE_FAILED',
      ]);
    });
  });

  it('adds no claim check to a result core rejected (its claims are unknown)', () => {
    const rejected: PresentationVerificationResult = { ok: false, failures: [{ check: 'signature', code: 'SIGNATURE_INVALID', detail: 'x' }] };
    expect(evaluateServicePolicy({ policy: policy('pools'), result: rejected })).toEqual({ failures: [], warnings: [] });
    expect(codes(evaluateServicePolicy({ policy: policy('pools'), result: rejected, snapshotAgeSeconds: 100_000 }))).toEqual(['SNAPSHOT_STALE']);
  });

  it("POLICY_PAPER_REFUSED: a paper pass where the service takes none; elsewhere it is checked as the service's entitlement", () => {
    const paper = (claims: Record<string, unknown>, overrides: Partial<VerifiedPresentation> = {}) => verified({ type: 'PaperServicePass', claims, ...overrides });
    const claims = { service_id: 'library', tier: 'standard', pseudonym: PSEUDONYM, municipality: 'Gijón' };
    expect(evaluateServicePolicy({ policy: policy('library'), result: paper(claims) }).accepted?.id).toBe('entitlement');
    expect(codes(evaluateServicePolicy({ policy: policy('pools'), result: paper({ ...claims, service_id: 'pools' }) }))).toEqual(['POLICY_PAPER_REFUSED']);
    expect(codes(evaluateServicePolicy({ policy: policy('waste-centre'), result: paper(claims) }))).toEqual(['POLICY_SERVICE_MISMATCH']);
    expect(codes(evaluateServicePolicy({ policy: policy('library'), result: paper(claims, { issuer: PORTO }) }))).toEqual(['POLICY_ISSUER_NOT_ACCEPTED']);
    expect(codes(evaluateServicePolicy({ policy: policy('parking'), result: paper({ ...claims, service_id: 'parking', tier: 'youth' }) }))).toEqual(['POLICY_TIER_NOT_ACCEPTED']);
    expect(() => parseServicePolicies({ version: 1, policies: [{ serviceId: 'senior-club', paperAccepted: true, accept: [{ type: 'ResidentCredential', predicates: ['age_over_65'] }] }] })).toThrow(
      /paperAccepted needs a ServiceEntitlementCredential alternative/,
    );
  });

  it('every policy code has a test above', () => {
    const source = readFileSync(new URL(import.meta.url), 'utf8');
    for (const code of SERVICE_POLICY_ERROR_CODES) expect(source.split(`'${code}'`).length).toBeGreaterThan(1);
  });
});
