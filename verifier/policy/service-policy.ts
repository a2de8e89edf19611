import type { ClaimPath, CredentialTypeName, ServiceTier } from '../../core/credentials/credential-types.js';
import type { SdJwtCredentialFormat } from '../../core/verification/verification-result.js';

/**
 * What one service point (a pool turnstile, a library desk, a bus
 * validator...) accepts, once a presentation has passed core's checks
 * (DESIGN §4: "→ policy (required claims, accepted issuers) → result").
 *
 * A policy lists **alternatives** ({@link AcceptedCredential}), in order of
 * preference: the pool takes a pools entitlement, or a resident credential
 * proving `age_over_65` for senior entry. Each alternative is one credential
 * of one type; the presentation satisfies the policy when it satisfies one
 * alternative. The same alternatives make the DCQL query of the terminal's
 * request (`dcqlQueryFor`), so what is asked and what is checked never
 * drift apart.
 *
 * Policies are configuration, not personal data: they name services,
 * credential types, claim paths, issuers' DIDs and, at most, a municipality.
 */

/** Age predicates a resident credential discloses as booleans (never the birthdate). */
export const AGE_PREDICATES = ['age_over_18', 'age_over_65'] as const;

/** One of {@link AGE_PREDICATES}: the disclosed claim must be `true`. */
export type AgePredicate = (typeof AGE_PREDICATES)[number];

/** The SD-JWT formats a terminal verifies, in the default order of preference. */
export const POLICY_FORMATS: readonly SdJwtCredentialFormat[] = Object.freeze(['vc+sd-jwt', 'dc+sd-jwt']);

/** `federation`: any issuer the trust snapshot lists as accredited for the type (core checks that). */
export type AcceptedIssuers = readonly string[] | 'federation';

/** A subject claim that must be disclosed, and optionally equal one of `values`. */
export interface ClaimRequirement {
  /** From the subject, as in `ClaimPath` (`['address', 'locality']`); never `credentialSubject`. */
  path: ClaimPath;
  /** The disclosed value must equal one of these (strings compared after NFC normalisation). */
  values?: readonly (string | number | boolean)[];
}

/** One credential the service accepts: an alternative of the policy. */
export interface AcceptedCredential {
  /** Alternative id (`^[a-z0-9][a-z0-9-]{0,31}$`), unique in the policy; names its DCQL credential queries. */
  id: string;
  type: CredentialTypeName;
  /** Accepted formats, in order of preference (the wallet answers with the first it holds). */
  formats: readonly SdJwtCredentialFormat[];
  issuers: AcceptedIssuers;
  /**
   * `ServiceEntitlementCredential` only: accepted tiers; `tier` is then
   * requested and checked. Absent: any tier, and `tier` is not requested.
   * (`service_id` is always requested and must equal the policy's `serviceId`.)
   */
  tiers?: readonly ServiceTier[];
  /** `ResidentCredential` only: predicates that must be disclosed and `true`. */
  predicates: readonly AgePredicate[];
  /** Other claims that must be disclosed (and match `values` when given). */
  claims: readonly ClaimRequirement[];
}

/** Display names of a service; every locale optional. */
export interface ServiceNames {
  fr?: string;
  es?: string;
  en?: string;
}

/** Whether a snapshot older than the policy allows refuses (`fail`, the default: fail closed) or only warns. */
export type StaleSnapshotMode = 'fail' | 'warn';

/** The verification policy of one service point, as {@link parseServicePolicies} returns it (defaults filled in, frozen). */
export interface ServicePolicy {
  /** The service's slug (`^[a-z0-9][a-z0-9-]{0,62}$`): the `service_id` its entitlements carry (`pools`, `transport`...). */
  serviceId: string;
  names: ServiceNames;
  /** Alternatives, in order of preference; at least one. */
  accepts: readonly AcceptedCredential[];
  /** Oldest trust/status snapshot accepted, in seconds. Default 86,400 (core's default). */
  maxSnapshotAgeSeconds: number;
  /** Default `fail`. */
  staleSnapshot: StaleSnapshotMode;
  /** Overrides of core's DESIGN §4 defaults for this service, when set. */
  clockSkewSeconds?: number;
  kbMaxAgeSeconds?: number;
  kbMaxFutureSeconds?: number;
  /**
   * Whether printed paper passes (`PaperServicePass`, bearer: no holder key)
   * are accepted here, checked against the policy's
   * `ServiceEntitlementCredential` alternatives. Default `false`: a service
   * where who shows the credential matters (age proofs, personal bookings)
   * leaves it off. See docs/paper-card.md.
   */
  paperAccepted: boolean;
}

/** The policies of a terminal's policy file, by `serviceId`, in file order. */
export type ServicePolicies = ReadonlyMap<string, ServicePolicy>;
