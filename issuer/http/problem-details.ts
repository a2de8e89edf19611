import type { ErrorRequestHandler, Response } from 'express';
import { problemTitle, problemType } from '../../core/errors/problem-type.js';
import { isUrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';
import { oauthErrorResponse, type Oid4vciEndpointName } from '../oid4vci/oauth-error.js';

const STATUS: Partial<Record<UrbisErrorCode, number>> = {
  BODY_INVALID: 400,
  INVALID_ARGUMENT: 400,
  JSON_INVALID: 400,
  SCHEMA_INVALID: 400,
  CONSENT_MISSING: 400,
  SERVICE_UNKNOWN: 400,
  CREDENTIAL_REQUEST_INVALID: 400,
  CREDENTIAL_CONFIGURATION_UNKNOWN: 400,
  BATCH_SIZE_INVALID: 400,
  PROOF_INVALID: 400,
  PROOF_NONCE_INVALID: 400,
  PROOF_AUD_INVALID: 400,
  PRE_AUTH_CODE_INVALID: 400,
  PRE_AUTH_CODE_REPLAYED: 400,
  TX_CODE_INVALID: 400,
  TX_CODE_ATTEMPTS_EXCEEDED: 400,
  REFRESH_TOKEN_INVALID: 400,
  OFFER_EXPIRED: 410,
  OFFER_NOT_FOUND: 404,
  TRANSACTION_ID_INVALID: 400,
  // Signed inputs the issuer checks itself (terminals' count reports): the client's fault.
  JWS_MALFORMED: 400,
  ALG_NONE: 400,
  ALG_HMAC: 400,
  ALG_NOT_ALLOWED: 400,
  HEADER_EMBEDDED_KEY: 400,
  HEADER_CRIT_UNSUPPORTED: 400,
  TYP_INVALID: 400,
  SIGNATURE_INVALID: 401,
  REPORT_TERMINAL_UNKNOWN: 401,
  REPORT_AUD_INVALID: 400,
  REPORT_STALE: 400,
  AUTH_REQUIRED: 401,
  AUTH_FAILED: 401,
  OTP_INVALID: 401,
  OTP_EXPIRED: 401,
  SESSION_INVALID: 401,
  ACCESS_TOKEN_INVALID: 401,
  FORBIDDEN: 403,
  PROCESSING_RESTRICTED: 403,
  PROCESSING_OBJECTED: 403,
  RESOURCE_NOT_FOUND: 404,
  STATUS_LIST_UNKNOWN: 404,
  STATE_CONFLICT: 409,
  CARD_NUMBER_TAKEN: 409,
  STATUS_TRANSITION_FORBIDDEN: 409,
  INPUT_TOO_LARGE: 413,
  DOCUMENT_TOO_LARGE: 413,
  CONTENT_TYPE_UNSUPPORTED: 415,
  DOCUMENT_TYPE_UNSUPPORTED: 415,
  DOCUMENT_CORRUPTED: 500,
  RATE_LIMITED: 429,
  STATUS_INDICES_EXHAUSTED: 503,
  CHAIN_UNREACHABLE: 503,
  DATABASE_UNAVAILABLE: 503,
  OUTBOX_UNAVAILABLE: 503,
};

/** HTTP status of an Urbis error code (500 for codes that mean the server is at fault). */
export function httpStatusOf(code: UrbisErrorCode): number {
  return STATUS[code] ?? 500;
}

/** The problem body (RFC 9457) sent for an error. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  /** The stable `UrbisError` code. */
  code: UrbisErrorCode | 'INTERNAL';
  detail?: string;
  /** OAuth / OID4VCI `error`, on the OID4VCI endpoints. */
  error?: string;
  error_description?: string;
}

/** Sends `body` as `application/problem+json`. */
export function sendProblem(res: Response, body: ProblemBody, headers: Record<string, string> = {}): void {
  res.status(body.status).set(headers).type('application/problem+json').send(JSON.stringify(body));
}

/**
 * Express error handler: an `UrbisError` becomes an RFC 9457 problem whose
 * `type` is stable per code; on the OID4VCI endpoints (marked by
 * `res.locals.oid4vciEndpoint`) it also carries the OAuth `error` member
 * wallets read. Messages of `UrbisError`s never hold personal data; any
 * other error is answered as a bare 500 (its message may hold anything) and
 * reported to `onInternalError` for the operator's log without request data.
 */
export function problemHandler({ onInternalError }: { onInternalError?: (error: unknown) => void } = {}): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (!isUrbisError(error)) {
      onInternalError?.(error);
      sendProblem(res, { type: problemType('INTERNAL'), title: 'Internal error', status: 500, code: 'INTERNAL' });
      return;
    }
    const status = httpStatusOf(error.code);
    const body: ProblemBody = { type: problemType(error.code), title: problemTitle(error.code), status, code: error.code, detail: error.message };
    const headers: Record<string, string> = {};
    const endpoint = res.locals['oid4vciEndpoint'] as Oid4vciEndpointName | undefined;
    if (endpoint !== undefined) {
      const oauth = oauthErrorResponse({ error, endpoint });
      if (oauth !== undefined) {
        Object.assign(headers, oauth.headers);
        body.error = oauth.body.error;
        if (oauth.body.error_description !== undefined) body.error_description = oauth.body.error_description;
        body.status = oauth.status;
      }
    }
    if (error.code === 'RATE_LIMITED' && typeof res.locals['retryAfterSeconds'] === 'number') headers['Retry-After'] = String(res.locals['retryAfterSeconds']);
    if (status >= 500) onInternalError?.(error);
    sendProblem(res, body, headers);
  };
}
