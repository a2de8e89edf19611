/**
 * One error class for all of Urbis, with a stable machine-readable `code`
 * (in the style of jose's `JOSEError`). Callers branch on `code`, never on
 * `message`. Messages never contain claim values or other personal data:
 * they name the check and the structural problem only.
 *
 * @example
 * ```ts
 * try {
 *   decodeTokenStatusList({ jwtPayload, compression })
 * } catch (e) {
 *   if (e instanceof UrbisError && e.code === 'STATUS_LIST_TOO_LARGE') { ... }
 * }
 * ```
 */

/** Input and encoding problems. */
export type InputErrorCode =
  | 'INPUT_TOO_LARGE'
  | 'INVALID_ARGUMENT'
  | 'BASE64URL_INVALID'
  | 'JSON_INVALID';

/** JOSE-level problems with a compact JWS (issuer JWT or KB-JWT). */
export type JoseErrorCode =
  | 'JWS_MALFORMED'
  | 'ALG_NONE'
  | 'ALG_HMAC'
  | 'ALG_NOT_ALLOWED'
  | 'HEADER_EMBEDDED_KEY'
  | 'HEADER_CRIT_UNSUPPORTED'
  | 'TYP_INVALID'
  | 'SIGNATURE_INVALID'
  | 'CREDENTIAL_UNSECURED';

/** Keys and DIDs. */
export type KeyErrorCode =
  | 'KEY_INVALID'
  | 'KEY_PRIVATE_IN_PUBLIC'
  | 'DID_INVALID'
  | 'DID_METHOD_UNSUPPORTED'
  | 'DID_NOT_FOUND'
  | 'DID_KEY_UNSUPPORTED';

/** Credential payload and validity problems. */
export type CredentialErrorCode =
  | 'CREDENTIAL_EXPIRED'
  | 'CREDENTIAL_NOT_YET_VALID'
  | 'IAT_IN_FUTURE'
  | 'CLAIM_MISSING'
  | 'CLAIM_INVALID'
  | 'PROTECTED_CLAIM_DISCLOSABLE'
  | 'CREDENTIAL_TYPE_UNKNOWN'
  | 'SCHEMA_INVALID'
  | 'HOLDER_BINDING_MISSING';

/** SD-JWT structure and disclosure problems (RFC 9901 §4, §7.1, §7.3, §9). */
export type SdJwtErrorCode =
  | 'SD_JWT_MISSING_TILDE'
  | 'SD_ALG_UNSUPPORTED'
  | 'SD_ALG_NESTED'
  | 'SD_DIGEST_NOT_STRING'
  | 'DIGEST_DUPLICATE'
  | 'DISCLOSURE_MALFORMED'
  | 'DISCLOSURE_ARITY'
  | 'DISCLOSURE_DUPLICATE'
  | 'DISCLOSURE_UNREFERENCED'
  | 'DISCLOSURE_ALTERED'
  | 'CLAIM_NAME_FORBIDDEN'
  | 'CLAIM_NAME_COLLISION'
  | 'DISCLOSURE_NOT_AVAILABLE';

/** Key-binding JWT problems (RFC 9901 §4.3, §7.3). */
export type KeyBindingErrorCode =
  | 'KB_MISSING'
  | 'KB_TYP_INVALID'
  | 'KB_SIGNATURE_INVALID'
  | 'KB_NONCE_MISMATCH'
  | 'KB_AUD_MISMATCH'
  | 'KB_AUD_ARRAY'
  | 'KB_IAT_OUT_OF_WINDOW'
  | 'KB_SD_HASH_MISMATCH'
  | 'KB_REPLAYED'
  | 'KB_UNEXPECTED'
  /** A paper pass (bearer, no holder key) where this verification expects key binding. */
  | 'PAPER_NOT_ACCEPTED'
  /** Checked as a paper pass, but the credential is holder-bound (or a paper pass carries a holder key). */
  | 'PAPER_PASS_EXPECTED';

/** Trust model: is this issuer and key trusted for this type? */
export type TrustErrorCode =
  | 'ISSUER_UNTRUSTED'
  | 'ISSUER_KEY_UNKNOWN'
  | 'ISSUER_NOT_ACCREDITED'
  | 'ISSUER_SUSPENDED'
  | 'ISSUER_TRUST_EXPIRED';

/** Status lists (IETF Token Status List, W3C Bitstring Status List). */
export type StatusErrorCode =
  | 'STATUS_REVOKED'
  | 'STATUS_SUSPENDED'
  | 'STATUS_UNKNOWN'
  | 'STATUS_INDEX_OUT_OF_RANGE'
  | 'STATUS_LIST_MALFORMED'
  | 'STATUS_LIST_TOO_LARGE'
  | 'STATUS_LIST_TOO_SMALL'
  | 'STATUS_TRANSITION_FORBIDDEN'
  | 'STATUS_INDICES_EXHAUSTED'
  | 'SNAPSHOT_STALE';

/** The permissioned chain and its contracts (registry/). */
export type ChainErrorCode =
  | 'CHAIN_UNREACHABLE'
  | 'CHAIN_ID_MISMATCH'
  | 'CONTRACT_NOT_DEPLOYED'
  | 'DEPLOYMENT_NOT_FOUND'
  | 'CHAIN_TX_REVERTED'
  | 'CHAIN_NOT_AUTHORIZED'
  | 'STATUS_SEQUENCE_CONFLICT'
  | 'STATUS_LIST_UNKNOWN'
  | 'CHAIN_REORG_TOO_DEEP';

/** Offline snapshots for terminals, and the publisher's durable outbox. */
export type SnapshotErrorCode =
  | 'SNAPSHOT_MALFORMED'
  | 'SNAPSHOT_SIGNATURE_INVALID'
  | 'SNAPSHOT_SIGNER_UNKNOWN'
  | 'SNAPSHOT_TOO_LARGE'
  | 'OUTBOX_UNAVAILABLE'
  | 'OUTBOX_CHANGE_INVALID'
  | 'SNAPSHOT_MISSING'
  | 'SNAPSHOT_STORAGE_FAILED'
  | 'REPLAY_JOURNAL_DAMAGED';

/** JWT VC (`jwt_vc_json`) path, behind the JWT VC port. */
export type JwtVcErrorCode = 'JWT_VC_INVALID';

/** HTTP requests to the issuer and the terminal: bodies, content types, sessions, roles, rate limits. */
export type RequestErrorCode =
  | 'BODY_INVALID'
  | 'CONTENT_TYPE_UNSUPPORTED'
  | 'RESOURCE_NOT_FOUND'
  | 'AUTH_REQUIRED'
  | 'AUTH_FAILED'
  | 'OTP_INVALID'
  | 'OTP_EXPIRED'
  | 'SESSION_INVALID'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'STATE_CONFLICT'
  | 'CONFIG_INVALID'
  | 'DATABASE_UNAVAILABLE';

/** The issuer's domain: enrolment, documents, GDPR rights, webhooks. */
export type IssuerErrorCode =
  | 'SERVICE_UNKNOWN'
  | 'CONSENT_MISSING'
  | 'PROCESSING_RESTRICTED'
  | 'PROCESSING_OBJECTED'
  | 'DOCUMENT_TYPE_UNSUPPORTED'
  | 'DOCUMENT_TOO_LARGE'
  | 'DOCUMENT_CORRUPTED'
  | 'CARD_NUMBER_TAKEN'
  | 'WEBHOOK_DELIVERY_FAILED';

/** OpenID for Verifiable Credential Issuance 1.0 (offers, tokens, proofs, batch and deferred issuance). */
export type Oid4vciErrorCode =
  | 'OFFER_NOT_FOUND'
  | 'OFFER_EXPIRED'
  | 'PRE_AUTH_CODE_INVALID'
  | 'PRE_AUTH_CODE_REPLAYED'
  | 'TX_CODE_INVALID'
  | 'TX_CODE_ATTEMPTS_EXCEEDED'
  | 'ACCESS_TOKEN_INVALID'
  | 'CREDENTIAL_CONFIGURATION_UNKNOWN'
  | 'CREDENTIAL_REQUEST_INVALID'
  | 'PROOF_INVALID'
  | 'PROOF_NONCE_INVALID'
  | 'PROOF_AUD_INVALID'
  | 'BATCH_SIZE_INVALID'
  | 'ISSUANCE_PENDING'
  | 'TRANSACTION_ID_INVALID'
  | 'REFRESH_TOKEN_INVALID';

/** The citizen's wallet: its encrypted store and holder keys. */
export type WalletErrorCode =
  | 'WALLET_PASSPHRASE_WRONG'
  | 'WALLET_STORE_CORRUPTED'
  | 'WALLET_FORMAT_NEWER'
  | 'WALLET_EXISTS'
  | 'WALLET_NOT_FOUND'
  | 'ISSUER_UNREACHABLE'
  | 'REFRESH_NOT_AVAILABLE';

/** A terminal's per-service policy refused a presentation that verified (verifier/policy). */
export type PolicyErrorCode =
  | 'POLICY_TYPE_NOT_ACCEPTED'
  | 'POLICY_FORMAT_NOT_ACCEPTED'
  | 'POLICY_ISSUER_NOT_ACCEPTED'
  | 'POLICY_SERVICE_MISMATCH'
  | 'POLICY_TIER_NOT_ACCEPTED'
  | 'POLICY_CLAIM_MISSING'
  | 'POLICY_CLAIM_MISMATCH'
  | 'POLICY_PREDICATE_FAILED'
  /** The service does not take paper passes (or takes no entitlement a paper pass could stand for). */
  | 'POLICY_PAPER_REFUSED';

/** A terminal's signed count report refused by its issuer (issuer/statistics). */
export type TerminalReportErrorCode =
  /** The report's `iss` is not among the terminals the issuer takes reports from. */
  | 'REPORT_TERMINAL_UNKNOWN'
  /** The report is addressed to another issuer. */
  | 'REPORT_AUD_INVALID'
  /** The report was signed too long ago, or in the future. */
  | 'REPORT_STALE';

/** The stable union of every Urbis error code. */
export type UrbisErrorCode =
  | InputErrorCode
  | JoseErrorCode
  | KeyErrorCode
  | CredentialErrorCode
  | SdJwtErrorCode
  | KeyBindingErrorCode
  | TrustErrorCode
  | StatusErrorCode
  | ChainErrorCode
  | SnapshotErrorCode
  | JwtVcErrorCode
  | RequestErrorCode
  | IssuerErrorCode
  | Oid4vciErrorCode
  | WalletErrorCode
  | PolicyErrorCode
  | TerminalReportErrorCode;

/** The one error class thrown by Urbis code. */
export class UrbisError extends Error {
  /** Stable, machine-readable code. Branch on this, never on `message`. */
  readonly code: UrbisErrorCode;

  constructor(code: UrbisErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UrbisError';
    this.code = code;
  }
}

/** Narrowing helper: `isUrbisError(e, 'KB_REPLAYED')`. */
export function isUrbisError(error: unknown, code?: UrbisErrorCode): error is UrbisError {
  return error instanceof UrbisError && (code === undefined || error.code === code);
}
