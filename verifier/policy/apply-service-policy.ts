import type { ClaimPath } from '../../core/credentials/credential-types.js';
import type { PresentationVerificationResult, RejectedPresentation, VerifiedPresentation } from '../../core/verification/verification-result.js';
import { claimAt } from './claim-value.js';
import { evaluateServicePolicy } from './evaluate-service-policy.js';
import { requestedClaims } from './requested-claims.js';
import type { ServicePolicy } from './service-policy.js';

/** A presentation this service accepts: core's result, the alternative it satisfied, and only the claims the policy asked for. */
export interface ServiceAcceptedPresentation extends VerifiedPresentation {
  serviceId: string;
  /** The id of the alternative satisfied (`entitlement`, `senior`...): what the terminal shows or prices by. */
  accepted: string;
}

/** The final answer of a terminal for one service. */
export type ServiceVerificationResult = ServiceAcceptedPresentation | RejectedPresentation;

/** A copy of `claims` holding only `paths` (nested objects rebuilt along the way). */
function pick(claims: Record<string, unknown>, paths: readonly ClaimPath[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const found = claimAt({ claims, path });
    if (!found.found || path.length === 0) continue;
    let node = out;
    for (const step of path.slice(0, -1)) {
      const next = Object.prototype.hasOwnProperty.call(node, step) ? node[step] : undefined;
      if (typeof next !== 'object' || next === null) define(node, step, {});
      node = node[step] as Record<string, unknown>;
    }
    define(node, path[path.length - 1]!, structuredClone(found.value));
  }
  return out;
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Core's result and a service policy, in one answer: a rejected result
 * stays rejected (with a stale snapshot added when core did not report it);
 * a verified one is accepted only when {@link evaluateServicePolicy} finds
 * no failure, and then carries the alternative satisfied, the policy's
 * warnings added to core's, and **only the claims the policy asked for**
 * (anything else a wallet disclosed is dropped here, so it never reaches
 * the terminal's screen, counters or logs).
 *
 * @example
 * ```ts
 * const result = applyServicePolicy({ policy, result: await verify({ presentation, keyBinding }) });
 * if (result.ok) openGate(result.accepted); else count(result.failures.map((f) => f.code));
 * ```
 */
export function applyServicePolicy({
  policy,
  result,
  snapshotAgeSeconds,
}: {
  policy: ServicePolicy;
  result: PresentationVerificationResult;
  snapshotAgeSeconds?: number;
}): ServiceVerificationResult {
  const evaluation = evaluateServicePolicy({ policy, result, ...(snapshotAgeSeconds === undefined ? {} : { snapshotAgeSeconds }) });
  if (!result.ok) return { ok: false, failures: [...result.failures, ...evaluation.failures] };
  if (evaluation.accepted === undefined) return { ok: false, failures: evaluation.failures };
  const paths = requestedClaims({ policy, accepted: evaluation.accepted }).map((c) => c.path);
  return {
    ...result,
    claims: pick(result.claims, paths),
    warnings: [...result.warnings, ...evaluation.warnings],
    serviceId: policy.serviceId,
    accepted: evaluation.accepted.id,
  };
}
