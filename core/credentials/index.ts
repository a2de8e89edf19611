export {
  CREDENTIAL_TYPES,
  SERVICE_TIERS,
  credentialTypeByName,
  credentialTypeByVct,
  credentialTypeFromVcType,
  type ClaimPath,
  type ClaimsByType,
  type ClaimsOf,
  type CredentialTypeDefinition,
  type CredentialTypeName,
  type DeepPartial,
  type DisclosedClaimsOf,
  type JsonSchema,
  type ResidentAddress,
  type ResidentClaims,
  type ServiceEntitlementClaims,
  type ServiceTier,
} from './credential-types.js';
export {
  MAX_SCHEMA_ISSUES,
  presentationSchemaOf,
  schemaIssuesOf,
  validateClaims,
  type ClaimsValidationMode,
  type SchemaIssue,
} from './validate-claims.js';
export { ageOver, residentAgePredicates, type LeapDayBirthdayRule, type ResidentAgePredicates } from './age-predicates.js';
export {
  MIN_PSEUDONYM_SECRET_BYTES,
  PSEUDONYM_DOMAIN,
  derivePseudonym,
  pseudonymInput,
  type HmacSha256,
} from './pseudonym.js';
