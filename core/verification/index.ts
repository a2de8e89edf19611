export {
  createPresentationVerifier,
  type PresentationVerificationRequest,
  type PresentationVerifier,
  type PresentationVerifierConfig,
} from './create-presentation-verifier.js';
export { parsePresentation, toFailure } from './parse-presentation.js';
export type { PresentationContext, PresentationPolicy } from './presentation-context.js';
export { credentialTypePolicy, VCDM2_CONTEXT } from './policies/credential-type-policy.js';
export { disclosurePolicy, unreferencedDisclosurePolicy } from './policies/disclosure-policy.js';
export { issuerSignaturePolicy } from './policies/issuer-signature-policy.js';
export { issuerTrustPolicy } from './policies/issuer-trust-policy.js';
export { joseHeaderPolicy } from './policies/jose-header-policy.js';
export { DEFAULT_SCANNER_MAX_AGE_SECONDS, SCANNER_NONCE_LENGTH, keyBindingPolicy, type KeyBindingExpectation } from './policies/key-binding-policy.js';
export { PROTECTED_CLAIMS, protectedClaimsPolicy } from './policies/protected-claims-policy.js';
export { replayPolicy } from './policies/replay-policy.js';
export { schemaPolicy } from './policies/schema-policy.js';
export { snapshotAgePolicy } from './policies/snapshot-age-policy.js';
export { readStatusRef, statusPolicy } from './policies/status-policy.js';
export { validityPolicy } from './policies/validity-policy.js';
export { subjectClaimsOf } from './subject-claims.js';
export { DEFAULT_VERIFICATION_LIMITS, type VerificationLimits } from './verification-policy.js';
export type {
  PresentationVerificationResult,
  RejectedPresentation,
  SdJwtCredentialFormat,
  VerificationCheck,
  VerificationFailure,
  VerifiedPresentation,
} from './verification-result.js';
export { verifyPresentation, type VerifyPresentationOptions } from './verify-presentation.js';
export { verifySdJwt, type SdJwtVerificationResult } from './verify-sd-jwt.js';
