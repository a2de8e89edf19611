import { describe, expect, it } from '@jest/globals';
import { SERVICE_POLICY_ERROR_CODES, policyFailure } from './policy-failure.js';

describe('policyFailure', () => {
  it("is a core verification failure of the 'policy' check", () => {
    expect(policyFailure({ code: 'POLICY_CLAIM_MISSING', detail: 'the claim tier is not disclosed' })).toEqual({
      check: 'policy',
      code: 'POLICY_CLAIM_MISSING',
      detail: 'the claim tier is not disclosed',
    });
  });

  it('codes are distinct, POLICY_-prefixed, upper snake case', () => {
    expect(new Set(SERVICE_POLICY_ERROR_CODES).size).toBe(SERVICE_POLICY_ERROR_CODES.length);
    for (const code of SERVICE_POLICY_ERROR_CODES) expect(code).toMatch(/^POLICY_[A-Z_]+$/);
  });
});
