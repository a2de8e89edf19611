/** OpenID for Verifiable Credential Issuance 1.0: what the issuer and the wallet share. Re-exports only. */
export {
  MAX_OFFERED_CONFIGURATIONS,
  MAX_PRE_AUTHORIZED_CODE_LENGTH,
  MAX_TX_CODE_DESCRIPTION_LENGTH,
  MAX_TX_CODE_LENGTH,
  PRE_AUTHORIZED_CODE_GRANT_TYPE,
  checkConfigurationIds,
  checkPreAuthorizedCodeGrant,
  checkTxCodeDescription,
  type CredentialOffer,
  type OfferProblem,
  type PreAuthorizedCodeGrant,
  type TxCodeDescription,
} from './credential-offer.js';
