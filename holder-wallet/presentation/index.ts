/** Presentations (issue 5, point 5): OpenID4VP 1.0 requests with DCQL, the scanner-only flow, consent, one-time spending. Re-exports only. */
export {
  DCQL_LIMITS,
  matchCredentialQuery,
  parseDcqlQuery,
  selectCredentialQueries,
  type CredentialMatch,
  type DcqlClaimsQuery,
  type DcqlCredentialQuery,
  type DcqlCredentialSet,
  type DcqlFormat,
  type DcqlQuery,
} from './dcql-query.js';
export {
  MAX_NONCE_LENGTH,
  MAX_PRESENTATION_REQUEST_LENGTH,
  MIN_NONCE_LENGTH,
  PRESENTATION_REQUEST_SCHEME,
  parsePresentationRequest,
  scannerBinding,
  type PresentationRequest,
  type ScannerBinding,
} from './presentation-request.js';
export { LOW_ON_COPIES, prepareConsent, webHasher, type Consent, type ConsentItem } from './consent.js';
export { presentWithConsent, type PresentationResult } from './present.js';
