/** Per-service verification policies of a terminal (issue 6, point 2): parse, evaluate, DCQL. Re-exports only. */
export { applyServicePolicy, type ServiceAcceptedPresentation, type ServiceVerificationResult } from './apply-service-policy.js';
export { claimAt, claimValueAccepted, pathText, type ClaimLookup } from './claim-value.js';
export {
  credentialQueryId,
  dcqlQueryFor,
  type DcqlClaimsQuery,
  type DcqlCredentialQuery,
  type DcqlCredentialSet,
  type DcqlQuery,
} from './dcql-query-for.js';
export { evaluateServicePolicy, type ServicePolicyEvaluation } from './evaluate-service-policy.js';
export { MAX_DCQL_QUERY_CHARS, MAX_POLICY_FILE_CHARS, parseServicePolicies } from './parse-service-policies.js';
export { SERVICE_POLICY_ERROR_CODES, policyFailure, type ServicePolicyErrorCode } from './policy-failure.js';
export { requestedClaims, type RequestedClaim, type RequestedClaimRule } from './requested-claims.js';
export {
  AGE_PREDICATES,
  POLICY_FORMATS,
  type AcceptedCredential,
  type AcceptedIssuers,
  type AgePredicate,
  type ClaimRequirement,
  type ServiceNames,
  type ServicePolicies,
  type ServicePolicy,
  type StaleSnapshotMode,
} from './service-policy.js';
export { verificationLimitsFor } from './verification-limits-for.js';
