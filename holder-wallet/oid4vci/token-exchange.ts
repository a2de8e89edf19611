import { UrbisError } from '../../core/errors/urbis-error.js';
import { PRE_AUTHORIZED_CODE_GRANT_TYPE } from '../../core/oid4vci/credential-offer.js';
import { issuerErrorCode } from './issuer-error.js';
import { expectJsonObject, sendToIssuer, type FetchLike } from './issuer-http.js';

/** Longest token answer read. */
export const MAX_TOKEN_ANSWER_BYTES = 16 * 1024;

/** Longest access or refresh token the wallet keeps. */
const MAX_TOKEN_LENGTH = 4096;

/** The grant the wallet exchanges: a pre-authorized code (with its tx_code), or a refresh token. */
export type TokenGrant = { preAuthorizedCode: string; txCode?: string; refreshToken?: never } | { refreshToken: string; preAuthorizedCode?: never; txCode?: never };

/** What the token endpoint gave. */
export interface TokenExchange {
  accessToken: string;
  /** A refresh token (RFC 6749 §6), when the issuer gives one; after a refresh, the rotated one. */
  refreshToken?: string;
}

/**
 * Token Request (OID4VCI 1.0 §6.1; RFC 6749 §6 for `refresh_token`):
 * form-encoded, no client authentication (the wallet is a public client).
 * The answer must hold a Bearer `access_token`; a `refresh_token`, when
 * present, must be a non-empty string.
 *
 * @throws UrbisError `BODY_INVALID` (no Bearer access token, a malformed
 *   refresh token), `ISSUER_UNREACHABLE`, `INPUT_TOO_LARGE`, and the
 *   issuer's errors mapped by code (`TX_CODE_INVALID`,
 *   `PRE_AUTH_CODE_REPLAYED`, `REFRESH_TOKEN_INVALID`, `RATE_LIMITED`, ...).
 *
 * @example
 * ```ts
 * const { accessToken, refreshToken } = await exchangeToken({ tokenEndpoint, grant: { refreshToken: stored } });
 * ```
 */
export async function exchangeToken({ fetch = globalThis.fetch, tokenEndpoint, grant }: { fetch?: FetchLike; tokenEndpoint: string; grant: TokenGrant }): Promise<TokenExchange> {
  const form =
    grant.refreshToken !== undefined
      ? new URLSearchParams({ grant_type: 'refresh_token', refresh_token: grant.refreshToken })
      : new URLSearchParams({ grant_type: PRE_AUTHORIZED_CODE_GRANT_TYPE, 'pre-authorized_code': grant.preAuthorizedCode });
  if (grant.txCode !== undefined) form.set('tx_code', grant.txCode);
  const what = grant.refreshToken !== undefined ? 'refresh token request' : 'token request';
  const answer = await sendToIssuer({
    fetch,
    url: tokenEndpoint,
    what,
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    maxBytes: MAX_TOKEN_ANSWER_BYTES,
  });
  if (grant.refreshToken !== undefined && answer.status !== 200 && issuerErrorCode(answer) === 'PRE_AUTH_CODE_INVALID') {
    // A bare OAuth `invalid_grant` (no Urbis code) to a refresh request is about the refresh token.
    throw new UrbisError('REFRESH_TOKEN_INVALID', `${what}: the issuer answered HTTP ${answer.status} invalid_grant`);
  }
  const token = expectJsonObject({ answer, what });
  if (typeof token.access_token !== 'string' || token.access_token === '' || token.access_token.length > MAX_TOKEN_LENGTH) {
    throw new UrbisError('BODY_INVALID', `${what}: the answer has no access_token`);
  }
  if (typeof token.token_type !== 'string' || token.token_type.toLowerCase() !== 'bearer') {
    throw new UrbisError('BODY_INVALID', `${what}: the access token is not a Bearer token`);
  }
  const refresh = token.refresh_token;
  if (refresh !== undefined && (typeof refresh !== 'string' || refresh === '' || refresh.length > MAX_TOKEN_LENGTH)) {
    throw new UrbisError('BODY_INVALID', `${what}: refresh_token is not a usable token`);
  }
  return { accessToken: token.access_token, ...(refresh === undefined ? {} : { refreshToken: refresh }) };
}
