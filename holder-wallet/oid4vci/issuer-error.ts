import { UrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';

/**
 * Turns an issuer's error answer into an `UrbisError`: by the problem
 * body's `code` member (RFC 9457 problem with the stable Urbis code) when
 * it is one an issuer may legitimately answer with, else by the OAuth /
 * OID4VCI `error` string (RFC 6749 §5.2, RFC 6750 §3.1, OID4VCI 1.0
 * §8.3.1.2, §9.3), else by the HTTP status. Never by message text: the
 * issuer's `detail` and `error_description` are not read.
 */

/** Codes an issuer may answer with. Anything else (`INTERNAL`, a wallet-side code such as `ISSUER_UNTRUSTED`) is not taken from it. */
const ISSUER_CODES: ReadonlySet<string> = new Set<UrbisErrorCode>([
  'OFFER_NOT_FOUND',
  'OFFER_EXPIRED',
  'PRE_AUTH_CODE_INVALID',
  'PRE_AUTH_CODE_REPLAYED',
  'TX_CODE_INVALID',
  'TX_CODE_ATTEMPTS_EXCEEDED',
  'ACCESS_TOKEN_INVALID',
  'CREDENTIAL_CONFIGURATION_UNKNOWN',
  'CREDENTIAL_REQUEST_INVALID',
  'PROOF_INVALID',
  'PROOF_NONCE_INVALID',
  'PROOF_AUD_INVALID',
  'BATCH_SIZE_INVALID',
  'ISSUANCE_PENDING',
  'TRANSACTION_ID_INVALID',
  'REFRESH_TOKEN_INVALID',
  'BODY_INVALID',
  'CONTENT_TYPE_UNSUPPORTED',
  'INPUT_TOO_LARGE',
  'RESOURCE_NOT_FOUND',
  'RATE_LIMITED',
  'CONSENT_MISSING',
  'PROCESSING_RESTRICTED',
  'PROCESSING_OBJECTED',
  'STATE_CONFLICT',
  'FORBIDDEN',
]);

/** OAuth / OID4VCI `error` strings, when the answer carries no Urbis code. */
const OAUTH_ERRORS: Readonly<Record<string, UrbisErrorCode>> = {
  invalid_request: 'BODY_INVALID',
  unsupported_grant_type: 'BODY_INVALID',
  invalid_client: 'PRE_AUTH_CODE_INVALID',
  unauthorized_client: 'PRE_AUTH_CODE_INVALID',
  invalid_grant: 'PRE_AUTH_CODE_INVALID',
  invalid_token: 'ACCESS_TOKEN_INVALID',
  insufficient_scope: 'ACCESS_TOKEN_INVALID',
  invalid_proof: 'PROOF_INVALID',
  invalid_nonce: 'PROOF_NONCE_INVALID',
  unknown_credential_configuration: 'CREDENTIAL_CONFIGURATION_UNKNOWN',
  unknown_credential_identifier: 'CREDENTIAL_CONFIGURATION_UNKNOWN',
  invalid_credential_request: 'CREDENTIAL_REQUEST_INVALID',
  invalid_encryption_parameters: 'CREDENTIAL_REQUEST_INVALID',
  credential_request_denied: 'FORBIDDEN',
  invalid_transaction_id: 'TRANSACTION_ID_INVALID',
  issuance_pending: 'ISSUANCE_PENDING',
  slow_down: 'RATE_LIMITED',
};

/** The Urbis code an error answer stands for (see the module comment for the order of precedence). */
export function issuerErrorCode({ status, body }: { status: number; body: unknown }): UrbisErrorCode {
  const members = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (typeof members.code === 'string' && ISSUER_CODES.has(members.code)) return members.code as UrbisErrorCode;
  if (typeof members.error === 'string' && Object.prototype.hasOwnProperty.call(OAUTH_ERRORS, members.error)) return OAUTH_ERRORS[members.error]!;
  if (status === 429) return 'RATE_LIMITED';
  if (status === 404 || status === 410) return 'RESOURCE_NOT_FOUND';
  if (status === 413) return 'INPUT_TOO_LARGE';
  if (status === 415) return 'CONTENT_TYPE_UNSUPPORTED';
  return 'BODY_INVALID';
}

/**
 * The `UrbisError` for an issuer's error answer at step `what`. The message
 * names the step, the HTTP status and the OAuth `error` (a fixed token,
 * never free text); `cause` holds `{ status, code, error }` as received.
 *
 * @example
 * ```ts
 * throw issuerError({ what: 'token request', status: 400, body: { code: 'TX_CODE_INVALID', error: 'invalid_grant' } });
 * // UrbisError TX_CODE_INVALID
 * ```
 */
export function issuerError({ what, status, body }: { what: string; status: number; body: unknown }): UrbisError {
  const code = issuerErrorCode({ status, body });
  const members = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const oauthError = typeof members.error === 'string' && /^[a-z_]{1,64}$/.test(members.error) ? members.error : undefined;
  return new UrbisError(code, `${what}: the issuer answered HTTP ${status}${oauthError === undefined ? '' : ` ${oauthError}`}`, {
    cause: { status, code: members.code, error: members.error },
  });
}
