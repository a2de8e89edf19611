import { issuerError, issuerErrorCode } from './issuer-error.js';

describe('issuer error answers → UrbisError codes', () => {
  test.each([
    ['TX_CODE_INVALID', 'invalid_grant'],
    ['PRE_AUTH_CODE_REPLAYED', 'invalid_grant'],
    ['OFFER_EXPIRED', 'invalid_grant'],
    ['TX_CODE_ATTEMPTS_EXCEEDED', 'invalid_grant'],
    ['PROOF_AUD_INVALID', 'invalid_proof'],
    ['BATCH_SIZE_INVALID', 'invalid_credential_request'],
    ['PROCESSING_RESTRICTED', 'credential_request_denied'],
  ])('the problem code %s wins over the OAuth error %s', (code, error) => {
    expect(issuerErrorCode({ status: 400, body: { code, error } })).toBe(code);
  });

  test.each([
    ['invalid_grant', 'PRE_AUTH_CODE_INVALID'],
    ['invalid_request', 'BODY_INVALID'],
    ['invalid_token', 'ACCESS_TOKEN_INVALID'],
    ['invalid_proof', 'PROOF_INVALID'],
    ['invalid_nonce', 'PROOF_NONCE_INVALID'],
    ['unknown_credential_configuration', 'CREDENTIAL_CONFIGURATION_UNKNOWN'],
    ['invalid_credential_request', 'CREDENTIAL_REQUEST_INVALID'],
    ['credential_request_denied', 'FORBIDDEN'],
    ['invalid_transaction_id', 'TRANSACTION_ID_INVALID'],
    ['issuance_pending', 'ISSUANCE_PENDING'],
  ])('without a code, the OAuth error %s maps to %s', (error, code) => {
    expect(issuerErrorCode({ status: 400, body: { error, error_description: 'OFFER_EXPIRED' } })).toBe(code);
  });

  test('codes an issuer may not answer with (wallet-side or internal) are not taken from it', () => {
    expect(issuerErrorCode({ status: 400, body: { code: 'ISSUER_UNTRUSTED', error: 'invalid_proof' } })).toBe('PROOF_INVALID');
    expect(issuerErrorCode({ status: 500, body: { code: 'INTERNAL' } })).toBe('BODY_INVALID');
    expect(issuerErrorCode({ status: 400, body: { error: 'toString' } })).toBe('BODY_INVALID');
  });

  test('without code or error, the HTTP status decides; message text is never read', () => {
    expect(issuerErrorCode({ status: 429, body: undefined })).toBe('RATE_LIMITED');
    expect(issuerErrorCode({ status: 404, body: 'TX_CODE_INVALID' })).toBe('RESOURCE_NOT_FOUND');
    expect(issuerErrorCode({ status: 413, body: undefined })).toBe('INPUT_TOO_LARGE');
    expect(issuerErrorCode({ status: 502, body: { detail: 'PRE_AUTH_CODE_REPLAYED' } })).toBe('BODY_INVALID');
  });

  test('the error names the step, the status and the OAuth error token only', () => {
    const error = issuerError({ what: 'token request', status: 400, body: { code: 'TX_CODE_INVALID', error: 'invalid_grant', error_description: 'some free text' } });
    expect(error.code).toBe('TX_CODE_INVALID');
    expect(error.message).toBe('token request: the issuer answered HTTP 400 invalid_grant');
  });
});
