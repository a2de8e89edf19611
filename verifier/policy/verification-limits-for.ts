import type { VerificationLimits } from '../../core/verification/verification-policy.js';
import type { ServicePolicy } from './service-policy.js';

/**
 * The overrides of core's verification limits a service policy sets, for
 * `createPresentationVerifier({ limits })` / `verifyPresentation({ limits })`:
 * always the snapshot age (`snapshotMaxAgeSeconds`, `staleSnapshot`), so
 * core's own snapshot-age policy applies this service's limit; the clock
 * skew and key-binding window only when the policy sets them (otherwise
 * core's DESIGN §4 defaults hold).
 *
 * @example
 * ```ts
 * const verify = createPresentationVerifier({ crypto, trust, status, replayCache, limits: verificationLimitsFor(policy) });
 * ```
 */
export function verificationLimitsFor(policy: ServicePolicy): Partial<VerificationLimits> {
  const limits: Partial<VerificationLimits> = {
    snapshotMaxAgeSeconds: policy.maxSnapshotAgeSeconds,
    staleSnapshot: policy.staleSnapshot,
  };
  if (policy.clockSkewSeconds !== undefined) limits.clockSkewSeconds = policy.clockSkewSeconds;
  if (policy.kbMaxAgeSeconds !== undefined) limits.kbMaxAgeSeconds = policy.kbMaxAgeSeconds;
  if (policy.kbMaxFutureSeconds !== undefined) limits.kbMaxFutureSeconds = policy.kbMaxFutureSeconds;
  return limits;
}
