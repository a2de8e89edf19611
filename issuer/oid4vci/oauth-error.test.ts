import { describe, expect, it } from '@jest/globals';
import { UrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';
import { oauthErrorFor, oauthErrorResponse } from './oauth-error.js';

describe('OAuth error translation', () => {
  it.each([
    ['PRE_AUTH_CODE_INVALID', 'invalid_grant'],
    ['PRE_AUTH_CODE_REPLAYED', 'invalid_grant'],
    ['OFFER_EXPIRED', 'invalid_grant'],
    ['TX_CODE_INVALID', 'invalid_grant'],
    ['TX_CODE_ATTEMPTS_EXCEEDED', 'invalid_grant'],
    ['REFRESH_TOKEN_INVALID', 'invalid_grant'],
    ['ACCESS_TOKEN_INVALID', 'invalid_token'],
    ['PROOF_INVALID', 'invalid_proof'],
    ['PROOF_AUD_INVALID', 'invalid_proof'],
    ['PROOF_NONCE_INVALID', 'invalid_nonce'],
    ['CREDENTIAL_CONFIGURATION_UNKNOWN', 'unknown_credential_configuration'],
    ['CREDENTIAL_REQUEST_INVALID', 'invalid_credential_request'],
    ['BATCH_SIZE_INVALID', 'invalid_credential_request'],
    ['TRANSACTION_ID_INVALID', 'invalid_transaction_id'],
  ] as const)('%s → %s', (code, error) => {
    expect(oauthErrorFor(code)).toBe(error);
  });

  it('depends on the endpoint where OAuth does', () => {
    expect(oauthErrorFor('BODY_INVALID', { endpoint: 'token' })).toBe('invalid_request');
    expect(oauthErrorFor('BODY_INVALID')).toBe('invalid_request');
    expect(oauthErrorFor('BODY_INVALID', { endpoint: 'credential' })).toBe('invalid_credential_request');
    expect(oauthErrorFor('CONTENT_TYPE_UNSUPPORTED', { endpoint: 'deferred_credential' })).toBe('invalid_credential_request');
    expect(oauthErrorFor('OFFER_NOT_FOUND', { endpoint: 'token' })).toBe('invalid_grant');
    expect(oauthErrorFor('OFFER_NOT_FOUND')).toBeUndefined();
    expect(oauthErrorFor('PROCESSING_RESTRICTED', { endpoint: 'credential' })).toBe('credential_request_denied');
    expect(oauthErrorFor('PROCESSING_RESTRICTED', { endpoint: 'token' })).toBeUndefined();
  });

  it.each(['RATE_LIMITED', 'ISSUANCE_PENDING', 'DATABASE_UNAVAILABLE', 'SIGNATURE_INVALID'] as UrbisErrorCode[])('%s has no OAuth error', (code) => {
    expect(oauthErrorFor(code, { endpoint: 'credential' })).toBeUndefined();
  });

  it('builds 400 answers with no-store and a sanitized description', () => {
    const answer = oauthErrorResponse({ error: new UrbisError('PROOF_INVALID', 'key proof 0: "typ" must be … set\\'), endpoint: 'credential' });
    expect(answer).toEqual({
      status: 400,
      headers: { 'Cache-Control': 'no-store' },
      body: { error: 'invalid_proof', error_description: 'key proof 0: typ must be  set' },
    });
  });

  it('RFC 6750 §3: invalid_token is a 401 with a Bearer challenge', () => {
    expect(oauthErrorResponse({ error: new UrbisError('ACCESS_TOKEN_INVALID', 'unknown access token'), endpoint: 'credential' })).toEqual({
      status: 401,
      headers: { 'Cache-Control': 'no-store', 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      body: { error: 'invalid_token', error_description: 'unknown access token' },
    });
  });

  it('RFC 6749 §5.2: a bad refresh token is invalid_grant, a 400 with no Bearer challenge', () => {
    expect(oauthErrorResponse({ error: new UrbisError('REFRESH_TOKEN_INVALID', 'unknown refresh token'), endpoint: 'token' })).toEqual({
      status: 400,
      headers: { 'Cache-Control': 'no-store' },
      body: { error: 'invalid_grant', error_description: 'unknown refresh token' },
    });
  });

  it('leaves other errors to the generic handler', () => {
    expect(oauthErrorResponse({ error: new Error('boom'), endpoint: 'token' })).toBeUndefined();
    expect(oauthErrorResponse({ error: new UrbisError('RATE_LIMITED', 'slow down'), endpoint: 'token' })).toBeUndefined();
  });
});
