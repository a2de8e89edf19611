import type { UrbisErrorCode } from './urbis-error.js';

/**
 * Every {@link UrbisErrorCode}, at run time. The `satisfies` clause makes the
 * type checker fail here when core adds or removes a code, so the list cannot
 * drift from the union (e.g. the terminal's counters refuse anything else).
 */
const CODES = {
  // InputErrorCode
  INPUT_TOO_LARGE: true,
  INVALID_ARGUMENT: true,
  BASE64URL_INVALID: true,
  JSON_INVALID: true,
  // JoseErrorCode
  JWS_MALFORMED: true,
  ALG_NONE: true,
  ALG_HMAC: true,
  ALG_NOT_ALLOWED: true,
  HEADER_EMBEDDED_KEY: true,
  HEADER_CRIT_UNSUPPORTED: true,
  TYP_INVALID: true,
  SIGNATURE_INVALID: true,
  CREDENTIAL_UNSECURED: true,
  // KeyErrorCode
  KEY_INVALID: true,
  KEY_PRIVATE_IN_PUBLIC: true,
  DID_INVALID: true,
  DID_METHOD_UNSUPPORTED: true,
  DID_NOT_FOUND: true,
  DID_KEY_UNSUPPORTED: true,
  // CredentialErrorCode
  CREDENTIAL_EXPIRED: true,
  CREDENTIAL_NOT_YET_VALID: true,
  IAT_IN_FUTURE: true,
  CLAIM_MISSING: true,
  CLAIM_INVALID: true,
  PROTECTED_CLAIM_DISCLOSABLE: true,
  CREDENTIAL_TYPE_UNKNOWN: true,
  SCHEMA_INVALID: true,
  HOLDER_BINDING_MISSING: true,
  // SdJwtErrorCode
  SD_JWT_MISSING_TILDE: true,
  SD_ALG_UNSUPPORTED: true,
  SD_ALG_NESTED: true,
  SD_DIGEST_NOT_STRING: true,
  DIGEST_DUPLICATE: true,
  DISCLOSURE_MALFORMED: true,
  DISCLOSURE_ARITY: true,
  DISCLOSURE_DUPLICATE: true,
  DISCLOSURE_UNREFERENCED: true,
  DISCLOSURE_ALTERED: true,
  CLAIM_NAME_FORBIDDEN: true,
  CLAIM_NAME_COLLISION: true,
  DISCLOSURE_NOT_AVAILABLE: true,
  // KeyBindingErrorCode
  KB_MISSING: true,
  KB_TYP_INVALID: true,
  KB_SIGNATURE_INVALID: true,
  KB_NONCE_MISMATCH: true,
  KB_AUD_MISMATCH: true,
  KB_AUD_ARRAY: true,
  KB_IAT_OUT_OF_WINDOW: true,
  KB_SD_HASH_MISMATCH: true,
  KB_REPLAYED: true,
  KB_UNEXPECTED: true,
  PAPER_NOT_ACCEPTED: true,
  PAPER_PASS_EXPECTED: true,
  // TrustErrorCode
  ISSUER_UNTRUSTED: true,
  ISSUER_KEY_UNKNOWN: true,
  ISSUER_NOT_ACCREDITED: true,
  ISSUER_SUSPENDED: true,
  ISSUER_TRUST_EXPIRED: true,
  // StatusErrorCode
  STATUS_REVOKED: true,
  STATUS_SUSPENDED: true,
  STATUS_UNKNOWN: true,
  STATUS_INDEX_OUT_OF_RANGE: true,
  STATUS_LIST_MALFORMED: true,
  STATUS_LIST_TOO_LARGE: true,
  STATUS_LIST_TOO_SMALL: true,
  STATUS_TRANSITION_FORBIDDEN: true,
  STATUS_INDICES_EXHAUSTED: true,
  SNAPSHOT_STALE: true,
  // ChainErrorCode
  CHAIN_UNREACHABLE: true,
  CHAIN_ID_MISMATCH: true,
  CONTRACT_NOT_DEPLOYED: true,
  DEPLOYMENT_NOT_FOUND: true,
  CHAIN_TX_REVERTED: true,
  CHAIN_NOT_AUTHORIZED: true,
  STATUS_SEQUENCE_CONFLICT: true,
  STATUS_LIST_UNKNOWN: true,
  CHAIN_REORG_TOO_DEEP: true,
  // SnapshotErrorCode
  SNAPSHOT_MALFORMED: true,
  SNAPSHOT_SIGNATURE_INVALID: true,
  SNAPSHOT_SIGNER_UNKNOWN: true,
  SNAPSHOT_TOO_LARGE: true,
  OUTBOX_UNAVAILABLE: true,
  OUTBOX_CHANGE_INVALID: true,
  SNAPSHOT_MISSING: true,
  SNAPSHOT_STORAGE_FAILED: true,
  REPLAY_JOURNAL_DAMAGED: true,
  // JwtVcErrorCode
  JWT_VC_INVALID: true,
  // RequestErrorCode
  BODY_INVALID: true,
  CONTENT_TYPE_UNSUPPORTED: true,
  RESOURCE_NOT_FOUND: true,
  AUTH_REQUIRED: true,
  AUTH_FAILED: true,
  OTP_INVALID: true,
  OTP_EXPIRED: true,
  SESSION_INVALID: true,
  FORBIDDEN: true,
  RATE_LIMITED: true,
  STATE_CONFLICT: true,
  CONFIG_INVALID: true,
  DATABASE_UNAVAILABLE: true,
  // IssuerErrorCode
  SERVICE_UNKNOWN: true,
  CONSENT_MISSING: true,
  PROCESSING_RESTRICTED: true,
  PROCESSING_OBJECTED: true,
  DOCUMENT_TYPE_UNSUPPORTED: true,
  DOCUMENT_TOO_LARGE: true,
  DOCUMENT_CORRUPTED: true,
  CARD_NUMBER_TAKEN: true,
  WEBHOOK_DELIVERY_FAILED: true,
  // Oid4vciErrorCode
  OFFER_NOT_FOUND: true,
  OFFER_EXPIRED: true,
  PRE_AUTH_CODE_INVALID: true,
  PRE_AUTH_CODE_REPLAYED: true,
  TX_CODE_INVALID: true,
  TX_CODE_ATTEMPTS_EXCEEDED: true,
  ACCESS_TOKEN_INVALID: true,
  CREDENTIAL_CONFIGURATION_UNKNOWN: true,
  CREDENTIAL_REQUEST_INVALID: true,
  PROOF_INVALID: true,
  PROOF_NONCE_INVALID: true,
  PROOF_AUD_INVALID: true,
  BATCH_SIZE_INVALID: true,
  ISSUANCE_PENDING: true,
  TRANSACTION_ID_INVALID: true,
  REFRESH_TOKEN_INVALID: true,
  // WalletErrorCode
  WALLET_PASSPHRASE_WRONG: true,
  WALLET_STORE_CORRUPTED: true,
  WALLET_FORMAT_NEWER: true,
  WALLET_EXISTS: true,
  WALLET_NOT_FOUND: true,
  ISSUER_UNREACHABLE: true,
  REFRESH_NOT_AVAILABLE: true,
  // PolicyErrorCode
  POLICY_TYPE_NOT_ACCEPTED: true,
  POLICY_FORMAT_NOT_ACCEPTED: true,
  POLICY_ISSUER_NOT_ACCEPTED: true,
  POLICY_SERVICE_MISMATCH: true,
  POLICY_TIER_NOT_ACCEPTED: true,
  POLICY_CLAIM_MISSING: true,
  POLICY_CLAIM_MISMATCH: true,
  POLICY_PREDICATE_FAILED: true,
  POLICY_PAPER_REFUSED: true,
  // TerminalReportErrorCode
  REPORT_TERMINAL_UNKNOWN: true,
  REPORT_AUD_INVALID: true,
  REPORT_STALE: true,
} as const satisfies Record<UrbisErrorCode, true>;

/** The set of every Urbis error code. */
export const URBIS_ERROR_CODES: ReadonlySet<UrbisErrorCode> = new Set(Object.keys(CODES) as UrbisErrorCode[]);

/**
 * Whether `value` is an Urbis error code.
 *
 * @example
 * ```ts
 * isUrbisErrorCode('KB_REPLAYED'); // true
 * isUrbisErrorCode('Ana García'); // false
 * ```
 */
export function isUrbisErrorCode(value: unknown): value is UrbisErrorCode {
  return typeof value === 'string' && URBIS_ERROR_CODES.has(value as UrbisErrorCode);
}
