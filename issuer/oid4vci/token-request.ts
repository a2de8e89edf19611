import { UrbisError } from '../../core/errors/urbis-error.js';
import { PRE_AUTHORIZED_CODE_GRANT_TYPE } from '../../core/oid4vci/credential-offer.js';

/** The grant type of a Refresh Token Request (RFC 6749 §6). */
export const REFRESH_TOKEN_GRANT_TYPE = 'refresh_token';

/** The grant types the Token Endpoint accepts, as the AS metadata lists them. */
export const SUPPORTED_GRANT_TYPES = [PRE_AUTHORIZED_CODE_GRANT_TYPE, REFRESH_TOKEN_GRANT_TYPE] as const;

/** Longest pre-authorized code accepted (the issuer's own are far shorter). */
export const MAX_PRE_AUTHORIZED_CODE_LENGTH = 512;

/** Longest transaction code accepted. */
export const MAX_TX_CODE_LENGTH = 64;

/** Longest refresh token accepted in a request (the issuer's own are 43 characters). */
export const MAX_REFRESH_TOKEN_LENGTH = 512;

/** A validated Token Request of the Pre-Authorized Code Flow. */
export interface PreAuthorizedCodeTokenRequest {
  grantType: typeof PRE_AUTHORIZED_CODE_GRANT_TYPE;
  preAuthorizedCode: string;
  /** The Transaction Code, when the wallet sent one. */
  txCode?: string;
}

/** A validated Refresh Token Request (RFC 6749 §6). */
export interface RefreshTokenRequest {
  grantType: typeof REFRESH_TOKEN_GRANT_TYPE;
  refreshToken: string;
}

/** A validated Token Request, by grant type. */
export type TokenRequest = PreAuthorizedCodeTokenRequest | RefreshTokenRequest;

/**
 * Validates the parsed `application/x-www-form-urlencoded` body of a Token
 * Request. Two grants:
 *
 * - the pre-authorized code grant (OID4VCI 1.0 §6.1, RFC 6749 §4.1.3):
 *   `pre-authorized_code` a non-empty string, `tx_code`, when present, a
 *   non-empty string; no `refresh_token`;
 * - the refresh token grant (RFC 6749 §6): `refresh_token` a non-empty
 *   string; no `pre-authorized_code` and no `tx_code` (a request naming two
 *   grants is ambiguous, never guessed at).
 *
 * Parameters may not repeat (RFC 6749 §3.2). Unknown parameters
 * (`client_id`, `authorization_details`, `scope`, ...) are ignored, as
 * OID4VCI §6.1 requires; `scope` can only narrow a refresh (RFC 6749 §6) and
 * the issuer never widens one, so it is ignored too.
 *
 * Accepts what `express.urlencoded()` produces (values are strings, arrays
 * for repeated parameters) or a `URLSearchParams`.
 *
 * Every problem is `BODY_INVALID`, which the Token Endpoint answers as
 * `invalid_request` (see `oauthErrorFor`); an unknown `grant_type` too, where
 * RFC 6749 §5.2 would allow the finer `unsupported_grant_type`: Urbis has
 * one code for malformed requests and the AS metadata lists the grants it
 * takes. Whether the `tx_code` is required is the offer's business (see
 * {@link checkTxCodePresence}); whether a refresh token is live is the
 * refresh token store's (`REFRESH_TOKEN_INVALID`, `invalid_grant`).
 *
 * @throws UrbisError `BODY_INVALID`
 *
 * @example
 * ```ts
 * const request = parseTokenRequest(req.body);
 * if (request.grantType === REFRESH_TOKEN_GRANT_TYPE) await refreshTokens.refresh({ refreshToken: request.refreshToken });
 * else await offers.redeem({ preAuthorizedCode: request.preAuthorizedCode, txCode: request.txCode });
 * ```
 */
export function parseTokenRequest(body: unknown): TokenRequest {
  const form = formFields(body);
  const grantType = single(form, 'grant_type');
  if (grantType === undefined) throw new UrbisError('BODY_INVALID', 'grant_type is required');
  if (grantType === REFRESH_TOKEN_GRANT_TYPE) return parseRefreshTokenGrant(form);
  if (grantType !== PRE_AUTHORIZED_CODE_GRANT_TYPE) {
    throw new UrbisError('BODY_INVALID', 'only the pre-authorized code and refresh token grant types are supported');
  }
  if (form.has('refresh_token')) throw new UrbisError('BODY_INVALID', 'a pre-authorized code request takes no refresh_token');
  const preAuthorizedCode = single(form, 'pre-authorized_code');
  if (preAuthorizedCode === undefined || preAuthorizedCode === '') {
    throw new UrbisError('BODY_INVALID', 'pre-authorized_code is required');
  }
  if (preAuthorizedCode.length > MAX_PRE_AUTHORIZED_CODE_LENGTH) {
    throw new UrbisError('BODY_INVALID', 'pre-authorized_code is too long');
  }
  const txCode = single(form, 'tx_code');
  if (txCode === undefined) return { grantType, preAuthorizedCode };
  if (txCode === '') throw new UrbisError('BODY_INVALID', 'tx_code must not be empty');
  if (txCode.length > MAX_TX_CODE_LENGTH) throw new UrbisError('BODY_INVALID', 'tx_code is too long');
  return { grantType, preAuthorizedCode, txCode };
}

function parseRefreshTokenGrant(form: Form): RefreshTokenRequest {
  if (form.has('pre-authorized_code') || form.has('tx_code')) {
    throw new UrbisError('BODY_INVALID', 'a refresh token request takes no pre-authorized_code or tx_code');
  }
  const refreshToken = single(form, 'refresh_token');
  if (refreshToken === undefined || refreshToken === '') throw new UrbisError('BODY_INVALID', 'refresh_token is required');
  if (refreshToken.length > MAX_REFRESH_TOKEN_LENGTH) throw new UrbisError('BODY_INVALID', 'refresh_token is too long');
  return { grantType: REFRESH_TOKEN_GRANT_TYPE, refreshToken };
}

/**
 * The Transaction Code must be sent exactly when the offer asked for one
 * (OID4VCI 1.0 §6.3: a missing or unexpected `tx_code` is `invalid_request`;
 * a wrong one is `invalid_grant`, i.e. `TX_CODE_INVALID`, checked by the
 * caller against its stored hash).
 *
 * @throws UrbisError `BODY_INVALID`
 *
 * @example
 * ```ts
 * checkTxCodePresence({ required: offer.txCodeHash !== null, txCode });
 * ```
 */
export function checkTxCodePresence({ required, txCode }: { required: boolean; txCode: string | undefined }): void {
  if (required && txCode === undefined) throw new UrbisError('BODY_INVALID', 'this offer requires a tx_code');
  if (!required && txCode !== undefined) throw new UrbisError('BODY_INVALID', 'this offer takes no tx_code');
}

type Form = Map<string, string[]>;

function formFields(body: unknown): Form {
  const form: Form = new Map();
  if (body instanceof URLSearchParams) {
    for (const [name, value] of body) form.set(name, [...(form.get(name) ?? []), value]);
    return form;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new UrbisError('BODY_INVALID', 'the token request is a form');
  }
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string') form.set(name, [value]);
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) form.set(name, value as string[]);
    else form.set(name, []);
  }
  return form;
}

function single(form: Form, name: string): string | undefined {
  const values = form.get(name);
  if (values === undefined) return undefined;
  if (values.length !== 1) throw new UrbisError('BODY_INVALID', `${name} must be one string, not repeated`);
  return values[0];
}
