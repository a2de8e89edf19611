import type { PolicyErrorCode } from '../../core/errors/urbis-error.js';
import type { VerificationFailure } from '../../core/verification/verification-result.js';

/**
 * Codes of a service policy's refusals: the presentation verified, but this
 * service does not take it (core's `PolicyErrorCode`, check `'policy'`).
 */
export type ServicePolicyErrorCode = PolicyErrorCode;

/** Every policy code, in the order the checks run. */
export const SERVICE_POLICY_ERROR_CODES: readonly ServicePolicyErrorCode[] = Object.freeze([
  'POLICY_TYPE_NOT_ACCEPTED',
  'POLICY_PAPER_REFUSED',
  'POLICY_FORMAT_NOT_ACCEPTED',
  'POLICY_ISSUER_NOT_ACCEPTED',
  'POLICY_SERVICE_MISMATCH',
  'POLICY_TIER_NOT_ACCEPTED',
  'POLICY_CLAIM_MISSING',
  'POLICY_CLAIM_MISMATCH',
  'POLICY_PREDICATE_FAILED',
]);

/**
 * A policy refusal as one of core's verification failures (check
 * `'policy'`). `detail` names claim paths and checks, never values.
 *
 * @example
 * ```ts
 * failures.push(policyFailure({ code: 'POLICY_CLAIM_MISSING', detail: 'the claim address.locality is not disclosed' }));
 * ```
 */
export function policyFailure({ code, detail }: { code: ServicePolicyErrorCode; detail: string }): VerificationFailure {
  return { check: 'policy', code, detail };
}
