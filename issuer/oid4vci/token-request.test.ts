import { describe, expect, it } from '@jest/globals';
import { checkTxCodePresence, parseTokenRequest, PRE_AUTHORIZED_CODE_GRANT_TYPE } from './token-request.js';

const grant_type = PRE_AUTHORIZED_CODE_GRANT_TYPE;

describe('token requests (OID4VCI 1.0 §6.1)', () => {
  it('reads the pre-authorized code and the tx_code, ignoring unknown parameters', () => {
    expect(parseTokenRequest({ grant_type, 'pre-authorized_code': 'code' })).toEqual({ preAuthorizedCode: 'code' });
    expect(parseTokenRequest({ grant_type, 'pre-authorized_code': 'code', tx_code: '493536', client_id: 'w' })).toEqual({
      preAuthorizedCode: 'code',
      txCode: '493536',
    });
  });

  it('reads URLSearchParams too', () => {
    const form = new URLSearchParams({ grant_type, 'pre-authorized_code': 'code', tx_code: '1234' });
    expect(parseTokenRequest(form)).toEqual({ preAuthorizedCode: 'code', txCode: '1234' });
  });

  it.each([
    ['no body', undefined],
    ['a string body', 'grant_type=x'],
    ['an array body', []],
    ['no grant_type', { 'pre-authorized_code': 'code' }],
    ['the authorization code grant', { grant_type: 'authorization_code', code: 'x' }],
    ['the client credentials grant', { grant_type: 'client_credentials', 'pre-authorized_code': 'code' }],
    ['a repeated grant_type', { grant_type: [grant_type, grant_type], 'pre-authorized_code': 'code' }],
    ['no pre-authorized_code', { grant_type }],
    ['an empty pre-authorized_code', { grant_type, 'pre-authorized_code': '' }],
    ['a nested pre-authorized_code', { grant_type, 'pre-authorized_code': { a: 1 } }],
    ['a repeated pre-authorized_code', { grant_type, 'pre-authorized_code': ['a', 'b'] }],
    ['an over-long pre-authorized_code', { grant_type, 'pre-authorized_code': 'c'.repeat(513) }],
    ['an empty tx_code', { grant_type, 'pre-authorized_code': 'code', tx_code: '' }],
    ['a repeated tx_code', { grant_type, 'pre-authorized_code': 'code', tx_code: ['1', '2'] }],
    ['an over-long tx_code', { grant_type, 'pre-authorized_code': 'code', tx_code: '1'.repeat(65) }],
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
