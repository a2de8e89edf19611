import { describe, expect, it } from '@jest/globals';
import { checkTxCodePresence, MAX_REFRESH_TOKEN_LENGTH, parseTokenRequest, REFRESH_TOKEN_GRANT_TYPE, SUPPORTED_GRANT_TYPES } from './token-request.js';
import { PRE_AUTHORIZED_CODE_GRANT_TYPE } from '../../core/oid4vci/credential-offer.js';

const grant_type = PRE_AUTHORIZED_CODE_GRANT_TYPE;
const refresh = REFRESH_TOKEN_GRANT_TYPE;
const TOKEN = 'r'.repeat(43);

describe('token requests (OID4VCI 1.0 §6.1)', () => {
  it('reads the pre-authorized code and the tx_code, ignoring unknown parameters', () => {
    expect(parseTokenRequest({ grant_type, 'pre-authorized_code': 'code' })).toEqual({ grantType: grant_type, preAuthorizedCode: 'code' });
    expect(parseTokenRequest({ grant_type, 'pre-authorized_code': 'code', tx_code: '493536', client_id: 'w' })).toEqual({
      grantType: grant_type,
      preAuthorizedCode: 'code',
      txCode: '493536',
    });
  });

  it('reads URLSearchParams too', () => {
    const form = new URLSearchParams({ grant_type, 'pre-authorized_code': 'code', tx_code: '1234' });
    expect(parseTokenRequest(form)).toEqual({ grantType: grant_type, preAuthorizedCode: 'code', txCode: '1234' });
  });

  it.each([
    ['no body', undefined],
    ['a string body', 'grant_type=x'],
    ['an array body', []],
    ['no grant_type', { 'pre-authorized_code': 'code' }],
    ['an empty grant_type', { grant_type: '', 'pre-authorized_code': 'code' }],
    ['the authorization code grant', { grant_type: 'authorization_code', code: 'x' }],
    ['the client credentials grant', { grant_type: 'client_credentials', 'pre-authorized_code': 'code' }],
    ['a grant type differing in case', { grant_type: 'Refresh_Token', refresh_token: TOKEN }],
    ['a repeated grant_type', { grant_type: [grant_type, grant_type], 'pre-authorized_code': 'code' }],
    ['no pre-authorized_code', { grant_type }],
    ['an empty pre-authorized_code', { grant_type, 'pre-authorized_code': '' }],
    ['a nested pre-authorized_code', { grant_type, 'pre-authorized_code': { a: 1 } }],
    ['a repeated pre-authorized_code', { grant_type, 'pre-authorized_code': ['a', 'b'] }],
    ['an over-long pre-authorized_code', { grant_type, 'pre-authorized_code': 'c'.repeat(513) }],
    ['an empty tx_code', { grant_type, 'pre-authorized_code': 'code', tx_code: '' }],
    ['a repeated tx_code', { grant_type, 'pre-authorized_code': 'code', tx_code: ['1', '2'] }],
    ['an over-long tx_code', { grant_type, 'pre-authorized_code': 'code', tx_code: '1'.repeat(65) }],
    ['a pre-authorized code grant with a refresh_token too', { grant_type, 'pre-authorized_code': 'code', refresh_token: TOKEN }],
    ['a repeated parameter in URLSearchParams', new URLSearchParams([['grant_type', grant_type], ['pre-authorized_code', 'a'], ['pre-authorized_code', 'b']])],
  ])('refuses %s with BODY_INVALID', (_label, body) => {
    expect(() => parseTokenRequest(body)).toThrow(expect.objectContaining({ code: 'BODY_INVALID' }));
  });

  it('§6.3: a missing or unexpected tx_code is BODY_INVALID (invalid_request)', () => {
    expect(() => checkTxCodePresence({ required: true, txCode: '1234' })).not.toThrow();
    expect(() => checkTxCodePresence({ required: false, txCode: undefined })).not.toThrow();
    expect(() => checkTxCodePresence({ required: true, txCode: undefined })).toThrow(expect.objectContaining({ code: 'BODY_INVALID' }));
    expect(() => checkTxCodePresence({ required: false, txCode: '1234' })).toThrow(expect.objectContaining({ code: 'BODY_INVALID' }));
  });
});

describe('refresh token requests (RFC 6749 §6)', () => {
  it('the supported grant types are the pre-authorized code and refresh_token', () => {
    expect(SUPPORTED_GRANT_TYPES).toEqual(['urn:ietf:params:oauth:grant-type:pre-authorized_code', 'refresh_token']);
  });

  it('reads the refresh token, ignoring unknown parameters (client_id, scope)', () => {
    expect(parseTokenRequest({ grant_type: refresh, refresh_token: TOKEN })).toEqual({ grantType: 'refresh_token', refreshToken: TOKEN });
    expect(parseTokenRequest({ grant_type: refresh, refresh_token: TOKEN, client_id: 'wallet', scope: 'x' })).toEqual({ grantType: 'refresh_token', refreshToken: TOKEN });
    expect(parseTokenRequest(new URLSearchParams({ grant_type: refresh, refresh_token: TOKEN }))).toEqual({ grantType: 'refresh_token', refreshToken: TOKEN });
  });

  it('takes any string up to the length limit: whether it is a live token is the store\'s business (REFRESH_TOKEN_INVALID)', () => {
    const longest = 'x'.repeat(MAX_REFRESH_TOKEN_LENGTH);
    expect(parseTokenRequest({ grant_type: refresh, refresh_token: longest })).toEqual({ grantType: 'refresh_token', refreshToken: longest });
    expect(parseTokenRequest({ grant_type: refresh, refresh_token: 'not base64url!' })).toEqual({ grantType: 'refresh_token', refreshToken: 'not base64url!' });
  });

  it.each([
    ['a missing refresh_token', { grant_type: refresh }],
    ['an empty refresh_token', { grant_type: refresh, refresh_token: '' }],
    ['an over-long refresh_token', { grant_type: refresh, refresh_token: 'r'.repeat(MAX_REFRESH_TOKEN_LENGTH + 1) }],
    ['a repeated refresh_token', { grant_type: refresh, refresh_token: [TOKEN, TOKEN] }],
    ['a nested refresh_token', { grant_type: refresh, refresh_token: { a: TOKEN } }],
    ['a refresh_token and a pre-authorized_code (both codes)', { grant_type: refresh, refresh_token: TOKEN, 'pre-authorized_code': 'code' }],
    ['a refresh_token and an empty pre-authorized_code', { grant_type: refresh, refresh_token: TOKEN, 'pre-authorized_code': '' }],
    ['a refresh_token with a tx_code', { grant_type: refresh, refresh_token: TOKEN, tx_code: '123456' }],
    ['a pre-authorized_code under the refresh grant', { grant_type: refresh, 'pre-authorized_code': 'code' }],
    ['an unknown grant carrying a refresh_token', { grant_type: 'urn:example:refresh', refresh_token: TOKEN }],
    ['a repeated refresh_token in URLSearchParams', new URLSearchParams([['grant_type', refresh], ['refresh_token', 'a'], ['refresh_token', 'b']])],
  ])('refuses %s with BODY_INVALID', (_label, body) => {
    expect(() => parseTokenRequest(body)).toThrow(expect.objectContaining({ code: 'BODY_INVALID' }));
  });

  it('messages never echo the token', () => {
    const secret = `S3cr3t-${'q'.repeat(MAX_REFRESH_TOKEN_LENGTH)}`;
    for (const body of [{ grant_type: refresh, refresh_token: secret }, { grant_type: refresh, refresh_token: 'S3cr3t', tx_code: '1' }]) {
      try {
        parseTokenRequest(body);
        throw new Error('expected a refusal');
      } catch (error) {
        expect(String((error as Error).message)).not.toContain('S3cr3t');
      }
    }
  });
});
