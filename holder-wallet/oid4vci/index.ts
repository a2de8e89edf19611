/**
 * The wallet's OpenID for Verifiable Credential Issuance 1.0 client
 * (issue 5, point 4). Re-exports only. Browser-safe: no Node built-in,
 * global `fetch`, keys through the `HolderKeyFactory` port.
 */
export { MAX_OFFERED_CONFIGURATIONS, PRE_AUTHORIZED_CODE_GRANT_TYPE, type PreAuthorizedCodeGrant, type TxCodeDescription } from '../../core/oid4vci/credential-offer.js';
export { checkTxCodeInput, parseCredentialOffer, type CredentialOffer } from './credential-offer.js';
export { MAX_CREDENTIAL_RESPONSE_BYTES, MAX_DEFERRED_INTERVAL_SECONDS, readCredentialAnswer, type CredentialAnswer } from './credential-response.js';
export { pollDeferred, type DeferredPollResult, type Sleep } from './deferred-issuance.js';
export { newHolderKeys, type HolderKey, type HolderKeyFactory } from './holder-key.js';
export { issueConfiguration, issueConfigurations } from './configuration-issuance.js';
export { exchangeToken, MAX_TOKEN_ANSWER_BYTES, type TokenExchange, type TokenGrant } from './token-exchange.js';
export { refreshIssuance, type RefreshedIssuance, type RefreshIssuanceArgs } from './refresh-issuance.js';
export { acceptOffer, DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE, type AcceptedOffer, type AcceptOfferArgs } from './issuance-client.js';
export type { ConfigurationIssuance, FailedConfiguration, IssuedConfiguration, IssuedCopy, PendingConfiguration, PendingIssuance } from './issuance-result.js';
export { checkIssuedCredential, MAX_CREDENTIAL_BYTES } from './issued-credential.js';
export { issuerError, issuerErrorCode } from './issuer-error.js';
export { DEFAULT_REQUEST_TIMEOUT_MS, expectJsonObject, sendToIssuer, type FetchLike, type IssuerAnswer } from './issuer-http.js';
export {
  AUTHORIZATION_SERVER_WELL_KNOWN,
  CREDENTIAL_ISSUER_WELL_KNOWN,
  fetchIssuerMetadata,
  fetchIssuerMetadataFor,
  MAX_METADATA_BYTES,
  validateAuthorizationServerMetadata,
  validateCredentialIssuerMetadata,
  type AuthorizationServerMetadata,
  type CredentialFormat,
  type CredentialIssuerMetadata,
  type DisplayName,
  type IssuerMetadata,
  type OfferedConfiguration,
} from './issuer-metadata.js';
export { checkCredentialIssuerId, checkEndpointUrl, checkFetchableUrl, isLoopbackHostname, wellKnownUrl } from './issuer-url.js';
export { buildKeyProof, PROOF_JWT_TYP } from './key-proof.js';
export { fetchOfferByReference, MAX_OFFER_BYTES, MAX_OFFER_LINK_LENGTH, parseOfferLink, resolveOffer, type OfferReference } from './offer-link.js';
export { inspectOffer, type OfferPreview } from './offer-preview.js';
export { createTrustList, MAX_TRUSTED_ISSUER_NAME_LENGTH, type TrustedCredentialIssuer, type TrustList } from './trust-list.js';
