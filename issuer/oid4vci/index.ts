/**
 * OpenID for Verifiable Credential Issuance 1.0 for the city issuer: pure
 * building blocks (metadata, offers, request validation, key proofs, error
 * translation) that the HTTP layer wires to routes. Re-exports only.
 */
export { createCNonce, C_NONCE_BYTES, type NonceResponse } from './c-nonce.js';
export {
  checkCatalogueServices,
  credentialConfigurationIds,
  credentialConfigurationsSupported,
  parseCredentialConfigurationId,
  type CatalogueService,
  type ClaimDescription,
  type CredentialConfiguration,
  type CredentialDisplay,
  type LocalizedNames,
  type Oid4vciCredentialFormat,
  type ParsedCredentialConfigurationId,
} from './credential-configurations.js';
export {
  buildCredentialOffer,
  CREDENTIAL_OFFER_SCHEME,
  MAX_OFFER_LINK_LENGTH,
  offerDeepLink,
  offerQrSvg,
  parseCredentialOffer,
  parseOfferDeepLink,
  type OfferReference,
} from './credential-offer.js';
export {
  MAX_TX_CODE_DESCRIPTION_LENGTH,
  PRE_AUTHORIZED_CODE_GRANT_TYPE,
  type CredentialOffer,
  type PreAuthorizedCodeGrant,
  type TxCodeDescription,
} from '../../core/oid4vci/credential-offer.js';
export { parseCredentialRequest, type CredentialRequest } from './credential-request.js';
export {
  issuedCredentialsResponse,
  NO_STORE_HEADERS,
  pendingCredentialResponse,
  type IssuedCredentialsResponse,
  type PendingCredentialResponse,
} from './credential-response.js';
export { MAX_TRANSACTION_ID_LENGTH, parseDeferredCredentialRequest, type DeferredCredentialRequest } from './deferred-credential-request.js';
export { checkIssuerUrl, OID4VCI_PATHS, oid4vciEndpoints, wellKnownUrl, type Oid4vciEndpoints } from './endpoints.js';
export {
  buildAuthorizationServerMetadata,
  buildCredentialIssuerMetadata,
  type AuthorizationServerMetadata,
  type CredentialIssuerMetadata,
  type IssuerDisplay,
} from './issuer-metadata.js';
export {
  oauthErrorFor,
  oauthErrorResponse,
  type OAuthErrorCode,
  type OAuthErrorResponse,
  type Oid4vciEndpointName,
} from './oauth-error.js';
export {
  DEFAULT_PROOF_MAX_AGE_SECONDS,
  DEFAULT_PROOF_SKEW_SECONDS,
  MAX_PROOF_JWT_LENGTH,
  PROOF_JWT_TYP,
  verifyProofJwts,
  type ProofNonceCheck,
  type VerifyProofJwtsArgs,
} from './proof-jwt.js';
export {
  checkTxCodePresence,
  MAX_PRE_AUTHORIZED_CODE_LENGTH,
  MAX_REFRESH_TOKEN_LENGTH,
  MAX_TX_CODE_LENGTH,
  parseTokenRequest,
  REFRESH_TOKEN_GRANT_TYPE,
  SUPPORTED_GRANT_TYPES,
  type PreAuthorizedCodeTokenRequest,
  type RefreshTokenRequest,
  type TokenRequest,
} from './token-request.js';
export { buildTokenResponse, type TokenResponse } from './token-response.js';
