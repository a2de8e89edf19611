import { UrbisError } from '../../core/errors/urbis-error.js';

/**
 * Body of a successful Token Response (RFC 6749 §5.1, OID4VCI 1.0 §6.2), for
 * both grants. OID4VCI 1.0 has no `c_nonce` here: wallets get one from the
 * Nonce Endpoint.
 */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  /** Seconds the access token lives. */
  expires_in: number;
  /** The refresh token to use next (RFC 6749 §6): a new one on every answer, the one presented is spent. */
  refresh_token?: string;
}

/**
 * Builds the Token Response body; send it with `Cache-Control: no-store`
 * (`NO_STORE_HEADERS`).
 *
 * @throws UrbisError `INVALID_ARGUMENT` for an empty token or a lifetime that is not a positive integer.
 *
 * @example
 * ```ts
 * res.set(NO_STORE_HEADERS).json(buildTokenResponse({ accessToken, expiresIn: 86_400, refreshToken }));
 * // { access_token, token_type: 'Bearer', expires_in: 86400, refresh_token }
 * ```
 */
export function buildTokenResponse({ accessToken, expiresIn, refreshToken }: { accessToken: string; expiresIn: number; refreshToken?: string | undefined }): TokenResponse {
  if (typeof accessToken !== 'string' || accessToken === '') throw new UrbisError('INVALID_ARGUMENT', 'an access token is a non-empty string');
  if (!Number.isSafeInteger(expiresIn) || expiresIn <= 0) throw new UrbisError('INVALID_ARGUMENT', 'expires_in is a positive integer of seconds');
  if (refreshToken !== undefined && (typeof refreshToken !== 'string' || refreshToken === '')) throw new UrbisError('INVALID_ARGUMENT', 'a refresh token is a non-empty string');
  return { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }) };
}
