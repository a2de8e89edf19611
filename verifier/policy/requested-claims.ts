import type { ClaimPath } from '../../core/credentials/credential-types.js';
import type { AcceptedCredential, ServicePolicy } from './service-policy.js';

/** Which rule of a policy asks for a claim: it decides the failure code when the claim does not match. */
export type RequestedClaimRule = 'service' | 'tier' | 'predicate' | 'claim';

/** One claim an alternative asks the wallet to disclose, and what it must equal. */
export interface RequestedClaim {
  path: ClaimPath;
  /** Absent: only disclosure is required. */
  values?: readonly (string | number | boolean)[];
  rule: RequestedClaimRule;
}

/**
 * Exactly the claims one alternative of a policy needs, nothing more
 * (minimal disclosure): an entitlement's `service_id` (equal to the
 * policy's service), its `tier` when tiers are restricted, each age
 * predicate (equal to `true`), then the policy's other claims. Both the
 * DCQL query and the evaluation are built from this list.
 *
 * @example
 * ```ts
 * requestedClaims({ policy: pools, accepted: pools.accepts[0]! });
 * // [{ path: ['service_id'], values: ['pools'], rule: 'service' }, { path: ['tier'], values: ['standard', 'youth'], rule: 'tier' }]
 * ```
 */
export function requestedClaims({ policy, accepted }: { policy: Pick<ServicePolicy, 'serviceId'>; accepted: AcceptedCredential }): RequestedClaim[] {
  const out: RequestedClaim[] = [];
  if (accepted.type === 'ServiceEntitlementCredential') {
    out.push({ path: ['service_id'], values: [policy.serviceId], rule: 'service' });
    if (accepted.tiers !== undefined) out.push({ path: ['tier'], values: accepted.tiers, rule: 'tier' });
  }
  for (const predicate of accepted.predicates) out.push({ path: [predicate], values: [true], rule: 'predicate' });
  for (const claim of accepted.claims) {
    out.push(claim.values === undefined ? { path: claim.path, rule: 'claim' } : { path: claim.path, values: claim.values, rule: 'claim' });
  }
  return out;
}
