import { describe, expect, it } from '@jest/globals';
import type { FetchLike } from './issuer-http.js';
import { exchangeToken } from './token-exchange.js';

const TOKEN_ENDPOINT = 'https://sede.gijon.es/oid4vci/token';

function answering(body: unknown, status = 200): { fetch: FetchLike; forms: URLSearchParams[] } {
  const forms: URLSearchParams[] = [];
  return {
    forms,
    fetch: async (_url, init) => {
      expect(new Headers(init?.headers).get('content-type')).toBe('application/x-www-form-urlencoded');
      forms.push(new URLSearchParams(init?.body as string));
      return Response.json(body, { status });
    },
  };
}

describe('exchangeToken (OID4VCI 1.0 §6.1, RFC 6749 §6)', () => {
  it('sends the pre-authorized code grant with its tx_code, and reads the access and refresh tokens', async () => {
    const { fetch, forms } = answering({ access_token: 'at', token_type: 'Bearer', refresh_token: 'rt' });
    await expect(exchangeToken({ fetch, tokenEndpoint: TOKEN_ENDPOINT, grant: { preAuthorizedCode: 'code', txCode: '123456' } })).resolves.toEqual({ accessToken: 'at', refreshToken: 'rt' });
    expect(Object.fromEntries(forms[0]!)).toEqual({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': 'code', tx_code: '123456' });
  });

  it('sends the refresh_token grant and nothing else', async () => {
    const { fetch, forms } = answering({ access_token: 'at2', token_type: 'bearer', refresh_token: 'rt2' });
    await expect(exchangeToken({ fetch, tokenEndpoint: TOKEN_ENDPOINT, grant: { refreshToken: 'rt' } })).resolves.toEqual({ accessToken: 'at2', refreshToken: 'rt2' });
    expect(Object.fromEntries(forms[0]!)).toEqual({ grant_type: 'refresh_token', refresh_token: 'rt' });
  });

  it('reads an answer without a refresh token', async () => {
    const { fetch } = answering({ access_token: 'at', token_type: 'Bearer' });
    await expect(exchangeToken({ fetch, tokenEndpoint: TOKEN_ENDPOINT, grant: { preAuthorizedCode: 'code' } })).resolves.toEqual({ accessToken: 'at' });
  });

  it.each([
    ['no access token', { token_type: 'Bearer' }],
    ['an empty access token', { access_token: '', token_type: 'Bearer' }],
    ['a non-Bearer token', { access_token: 'at', token_type: 'DPoP' }],
    ['a refresh token that is not a string', { access_token: 'at', token_type: 'Bearer', refresh_token: 42 }],
    ['an empty refresh token', { access_token: 'at', token_type: 'Bearer', refresh_token: '' }],
    ['an over-long refresh token', { access_token: 'at', token_type: 'Bearer', refresh_token: 'x'.repeat(4097) }],
  ])('refuses %s with BODY_INVALID', async (_label, body) => {
    await expect(exchangeToken({ fetch: answering(body).fetch, tokenEndpoint: TOKEN_ENDPOINT, grant: { refreshToken: 'rt' } })).rejects.toMatchObject({ code: 'BODY_INVALID' });
  });

  it("maps the issuer's refusal of a refresh token to REFRESH_TOKEN_INVALID by its code", async () => {
    const { fetch } = answering({ error: 'invalid_grant', code: 'REFRESH_TOKEN_INVALID' }, 400);
    await expect(exchangeToken({ fetch, tokenEndpoint: TOKEN_ENDPOINT, grant: { refreshToken: 'spent' } })).rejects.toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
  });

  it('reads a bare invalid_grant as REFRESH_TOKEN_INVALID for a refresh, PRE_AUTH_CODE_INVALID for a code', async () => {
    const { fetch } = answering({ error: 'invalid_grant' }, 400);
    await expect(exchangeToken({ fetch, tokenEndpoint: TOKEN_ENDPOINT, grant: { refreshToken: 'spent' } })).rejects.toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
    await expect(exchangeToken({ fetch, tokenEndpoint: TOKEN_ENDPOINT, grant: { preAuthorizedCode: 'spent' } })).rejects.toMatchObject({ code: 'PRE_AUTH_CODE_INVALID' });
  });
});
