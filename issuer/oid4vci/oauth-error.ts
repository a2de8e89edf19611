import { isUrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';

/** The OAuth-protected OID4VCI endpoints of the issuer, for error translation. */
export type Oid4vciEndpointName = 'token' | 'nonce' | 'credential' | 'deferred_credential';

/**
 * Error codes the OID4VCI endpoints answer with: RFC 6749 §5.2 (Token
 * Endpoint), RFC 6750 §3.1 (Bearer tokens), OID4VCI 1.0 §8.3.1.2 and §9.3
 * (Credential and Deferred Credential Endpoints).
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_grant'
  | 'invalid_token'
  | 'invalid_proof'
  | 'invalid_nonce'
  | 'unknown_credential_configuration'
  | 'invalid_credential_request'
  | 'credential_request_denied'
  | 'invalid_transaction_id';

/** An error answer ready to send: status, headers and JSON body. */
export interface OAuthErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: { error: OAuthErrorCode; error_description?: string };
}

const ALWAYS: Partial<Record<UrbisErrorCode, OAuthErrorCode>> = {
  PRE_AUTH_CODE_INVALID: 'invalid_grant',
  PRE_AUTH_CODE_REPLAYED: 'invalid_grant',
  OFFER_EXPIRED: 'invalid_grant',
  TX_CODE_INVALID: 'invalid_grant',
  TX_CODE_ATTEMPTS_EXCEEDED: 'invalid_grant',
  REFRESH_TOKEN_INVALID: 'invalid_grant',
  ACCESS_TOKEN_INVALID: 'invalid_token',
  PROOF_INVALID: 'invalid_proof',
  PROOF_AUD_INVALID: 'invalid_proof',
  PROOF_NONCE_INVALID: 'invalid_nonce',
  CREDENTIAL_CONFIGURATION_UNKNOWN: 'unknown_credential_configuration',
  CREDENTIAL_REQUEST_INVALID: 'invalid_credential_request',
  BATCH_SIZE_INVALID: 'invalid_credential_request',
  TRANSACTION_ID_INVALID: 'invalid_transaction_id',
};

const CREDENTIAL_ENDPOINTS: ReadonlySet<Oid4vciEndpointName | undefined> = new Set(['credential', 'deferred_credential']);

/**
 * The OAuth / OID4VCI `error` string for an Urbis error code, or `undefined`
 * when the code has no OAuth meaning (then answer with the issuer's generic
 * error handling).
 *
 * | Urbis code | `error` |
 * |---|---|
 * | `PRE_AUTH_CODE_INVALID`, `PRE_AUTH_CODE_REPLAYED`, `OFFER_EXPIRED`, `TX_CODE_INVALID`, `TX_CODE_ATTEMPTS_EXCEEDED` | `invalid_grant` (OID4VCI 1.0 §6.3; 1.0 has no `invalid_tx_code`) |
 * | `REFRESH_TOKEN_INVALID` (unknown, malformed, expired, revoked or spent refresh token) | `invalid_grant` (RFC 6749 §5.2) |
 * | `OFFER_NOT_FOUND` at the Token Endpoint | `invalid_grant` (elsewhere: none, a 404) |
 * | `BODY_INVALID`, `CONTENT_TYPE_UNSUPPORTED` | `invalid_credential_request` at the (deferred) Credential Endpoint (§8.3.1.2 takes precedence over RFC 6750's `invalid_request`), else `invalid_request` |
 * | `ACCESS_TOKEN_INVALID` | `invalid_token` (RFC 6750 §3.1) |
 * | `PROOF_INVALID`, `PROOF_AUD_INVALID` | `invalid_proof` |
 * | `PROOF_NONCE_INVALID` | `invalid_nonce` |
 * | `CREDENTIAL_CONFIGURATION_UNKNOWN` | `unknown_credential_configuration` |
 * | `CREDENTIAL_REQUEST_INVALID`, `BATCH_SIZE_INVALID` | `invalid_credential_request` |
 * | `CONSENT_MISSING`, `PROCESSING_RESTRICTED`, `PROCESSING_OBJECTED` at the (deferred) Credential Endpoint | `credential_request_denied` |
 * | `TRANSACTION_ID_INVALID` | `invalid_transaction_id` (§9.3) |
 * | `RATE_LIMITED` | none: answer HTTP 429 with `Retry-After` (RFC 6585). `slow_down` belongs to RFC 8628 device polling, which OID4VCI 1.0 does not use |
 * | `ISSUANCE_PENDING` | none: in OID4VCI 1.0 a pending issuance is not an error but HTTP 202 `{ transaction_id, interval }` |
 *
 * @example
 * ```ts
 * oauthErrorFor('BODY_INVALID', { endpoint: 'token' });      // 'invalid_request'
 * oauthErrorFor('BODY_INVALID', { endpoint: 'credential' }); // 'invalid_credential_request'
 * oauthErrorFor('TX_CODE_INVALID');                          // 'invalid_grant'
 * oauthErrorFor('REFRESH_TOKEN_INVALID');                    // 'invalid_grant'
 * ```
 */
export function oauthErrorFor(code: UrbisErrorCode, { endpoint }: { endpoint?: Oid4vciEndpointName } = {}): OAuthErrorCode | undefined {
  const mapped = ALWAYS[code];
  if (mapped !== undefined) return mapped;
  switch (code) {
    case 'OFFER_NOT_FOUND':
      return endpoint === 'token' ? 'invalid_grant' : undefined;
    case 'BODY_INVALID':
    case 'CONTENT_TYPE_UNSUPPORTED':
      return CREDENTIAL_ENDPOINTS.has(endpoint) ? 'invalid_credential_request' : 'invalid_request';
    case 'CONSENT_MISSING':
    case 'PROCESSING_RESTRICTED':
    case 'PROCESSING_OBJECTED':
      return CREDENTIAL_ENDPOINTS.has(endpoint) ? 'credential_request_denied' : undefined;
    default:
      return undefined;
  }
}

/**
 * The complete error answer for an error thrown while serving an OID4VCI
 * endpoint, or `undefined` when it is not an `UrbisError` with an OAuth
 * meaning (see {@link oauthErrorFor}).
 *
 * HTTP 401 with `WWW-Authenticate: Bearer error="invalid_token"` for
 * `invalid_token` (RFC 6750 §3), HTTP 400 otherwise; always
 * `Cache-Control: no-store`. `error_description` is the Urbis message
 * (never personal data) reduced to the characters RFC 6749 §5.2 allows.
 *
 * @example
 * ```ts
 * const answer = oauthErrorResponse({ error: e, endpoint: 'credential' });
 * if (answer) return res.status(answer.status).set(answer.headers).json(answer.body);
 * ```
 */
export function oauthErrorResponse({ error, endpoint }: { error: unknown; endpoint?: Oid4vciEndpointName }): OAuthErrorResponse | undefined {
  if (!isUrbisError(error)) return undefined;
  const code = oauthErrorFor(error.code, endpoint === undefined ? {} : { endpoint });
  if (code === undefined) return undefined;
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  const description = error.message.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '').trim();
  if (code === 'invalid_token') {
    headers['WWW-Authenticate'] = 'Bearer error="invalid_token"';
  }
  const body: OAuthErrorResponse['body'] = { error: code };
  if (description !== '') body.error_description = description;
  return { status: code === 'invalid_token' ? 401 : 400, headers, body };
}
