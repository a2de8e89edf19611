import type { PresentationVerificationResult, VerificationFailure, VerifiedPresentation } from '../../core/verification/verification-result.js';
import { claimAt, claimValueAccepted, pathText } from './claim-value.js';
import { policyFailure, type ServicePolicyErrorCode } from './policy-failure.js';
import { requestedClaims, type RequestedClaimRule } from './requested-claims.js';
import type { AcceptedCredential, ServicePolicy } from './service-policy.js';

/** What a service policy says about one verification result. */
export interface ServicePolicyEvaluation {
  /** The alternative the presentation satisfied; absent when refused (or when core already refused). */
  accepted?: AcceptedCredential;
  /** Policy refusals, every one of them (for the closest alternative when none is satisfied). Empty when accepted. */
  failures: VerificationFailure[];
  /** A stale snapshot under `staleSnapshot: 'warn'`. */
  warnings: VerificationFailure[];
}

/** Failure code of a requested claim that is disclosed but does not match, by the rule that asked for it. */
const MISMATCH: Record<RequestedClaimRule, ServicePolicyErrorCode> = {
  service: 'POLICY_SERVICE_MISMATCH',
  tier: 'POLICY_TIER_NOT_ACCEPTED',
  predicate: 'POLICY_PREDICATE_FAILED',
  claim: 'POLICY_CLAIM_MISMATCH',
};

const MISMATCH_DETAIL: Record<RequestedClaimRule, (path: string) => string> = {
  service: () => 'the entitlement is for another service',
  tier: () => 'the entitlement tier is not accepted here',
  predicate: (path) => `the predicate ${path} is not true`,
  claim: (path) => `the claim ${path} is not among the accepted values`,
};

/** The policy failures of one alternative against a verified presentation (empty: it is satisfied). */
function checkAlternative({ policy, accepted, result }: { policy: ServicePolicy; accepted: AcceptedCredential; result: VerifiedPresentation }): VerificationFailure[] {
  const failures: VerificationFailure[] = [];
  if (!accepted.formats.includes(result.format)) {
    failures.push(policyFailure({ code: 'POLICY_FORMAT_NOT_ACCEPTED', detail: `the ${result.format} format is not accepted for ${accepted.id}` }));
  }
  if (accepted.issuers !== 'federation' && !accepted.issuers.includes(result.issuer)) {
    failures.push(policyFailure({ code: 'POLICY_ISSUER_NOT_ACCEPTED', detail: `the issuer is not among the issuers accepted for ${accepted.id}` }));
  }
  for (const { path, values, rule } of requestedClaims({ policy, accepted })) {
    const found = claimAt({ claims: result.claims, path });
    const text = pathText(path);
    if (!found.found) {
      failures.push(policyFailure({ code: 'POLICY_CLAIM_MISSING', detail: `the claim ${text} is not disclosed` }));
    } else if (values !== undefined && !claimValueAccepted({ value: found.value, values })) {
      failures.push(policyFailure({ code: MISMATCH[rule], detail: MISMATCH_DETAIL[rule](text) }));
    }
  }
  return failures;
}

/**
 * Whether the snapshot is too old for the policy: `!(age <= max)`, so an
 * age that is not a number counts as stale (fail closed).
 */
function snapshotFindings({
  policy,
  result,
  snapshotAgeSeconds,
}: {
  policy: ServicePolicy;
  result: PresentationVerificationResult;
  snapshotAgeSeconds: number | undefined;
}): { failures: VerificationFailure[]; warnings: VerificationFailure[] } {
  const none = { failures: [], warnings: [] };
  if (snapshotAgeSeconds === undefined || snapshotAgeSeconds <= policy.maxSnapshotAgeSeconds) return none;
  // Core's own snapshot-age policy may have said it already (verificationLimitsFor): say it once.
  const reported = result.ok ? result.warnings : result.failures;
  if (reported.some((f) => f.code === 'SNAPSHOT_STALE')) return none;
  const finding: VerificationFailure = { check: 'snapshot', code: 'SNAPSHOT_STALE', detail: `the trust and status snapshot is older than ${policy.maxSnapshotAgeSeconds} s` };
  return policy.staleSnapshot === 'warn' ? { failures: [], warnings: [finding] } : { failures: [finding], warnings: [] };
}

/**
 * The alternatives a paper pass is checked against: a `PaperServicePass` is
 * the printed form of a service entitlement, so it must satisfy one of the
 * policy's `ServiceEntitlementCredential` alternatives (issuer, service,
 * tier, claims) — and only where the policy has `paperAccepted`.
 * `undefined`: the service refuses paper.
 */
function paperCandidates(policy: ServicePolicy): AcceptedCredential[] | undefined {
  if (!policy.paperAccepted) return undefined;
  const entitlements = policy.accepts.filter((a) => a.type === 'ServiceEntitlementCredential');
  return entitlements.length === 0 ? undefined : entitlements;
}

/**
 * Applies a service policy to the result of core's verifier: the failures
 * it adds when the credential verified but this service does not take it.
 * Every failed check is listed, each with its own code:
 * `POLICY_TYPE_NOT_ACCEPTED` (no alternative for this type),
 * `POLICY_PAPER_REFUSED` (a paper pass where the service takes none: no
 * `paperAccepted`, or no entitlement alternative), and per
 * alternative `POLICY_FORMAT_NOT_ACCEPTED`, `POLICY_ISSUER_NOT_ACCEPTED`,
 * `POLICY_CLAIM_MISSING`, `POLICY_SERVICE_MISMATCH`,
 * `POLICY_TIER_NOT_ACCEPTED`, `POLICY_PREDICATE_FAILED`,
 * `POLICY_CLAIM_MISMATCH`. When several alternatives take the type and
 * none is satisfied, the failures of the closest one (fewest failures,
 * then policy order) are returned.
 *
 * With `snapshotAgeSeconds`, a snapshot older than the policy's
 * `maxSnapshotAgeSeconds` gives `SNAPSHOT_STALE` (check `snapshot`) as a
 * failure, or as a warning under `staleSnapshot: 'warn'`, unless core
 * already reported it (give core {@link verificationLimitsFor} and this is
 * not needed). A result core rejected gets no claim checks (its claims are
 * unknown), only the snapshot finding.
 *
 * Details name checks and claim paths, never values or issuers.
 *
 * @example
 * ```ts
 * const result = await verify({ presentation, keyBinding: { nonce: pending.nonce, audience: pending.clientId } });
 * const { accepted, failures, warnings } = evaluateServicePolicy({ policy: pending.policy, result });
 * ```
 */
export function evaluateServicePolicy({
  policy,
  result,
  snapshotAgeSeconds,
}: {
  policy: ServicePolicy;
  result: PresentationVerificationResult;
  snapshotAgeSeconds?: number;
}): ServicePolicyEvaluation {
  const { failures, warnings } = snapshotFindings({ policy, result, snapshotAgeSeconds });
  if (!result.ok) return { failures, warnings };
  const candidates = result.type === 'PaperServicePass' ? paperCandidates(policy) : policy.accepts.filter((a) => a.type === result.type);
  if (candidates === undefined) {
    failures.push(policyFailure({ code: 'POLICY_PAPER_REFUSED', detail: 'this service does not accept paper passes' }));
    return { failures, warnings };
  }
  if (candidates.length === 0) {
    failures.push(policyFailure({ code: 'POLICY_TYPE_NOT_ACCEPTED', detail: `${result.type} is not accepted by this service` }));
    return { failures, warnings };
  }
  let closest: VerificationFailure[] | undefined;
  for (const accepted of candidates) {
    const found = checkAlternative({ policy, accepted, result });
    if (found.length === 0) return failures.length === 0 ? { accepted, failures, warnings } : { failures, warnings };
    if (closest === undefined || found.length < closest.length) closest = found;
  }
  failures.push(...closest!);
  return { failures, warnings };
}
