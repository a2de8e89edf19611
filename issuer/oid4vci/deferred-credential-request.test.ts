import { describe, expect, it } from '@jest/globals';
import { parseDeferredCredentialRequest } from './deferred-credential-request.js';

describe('deferred credential requests (OID4VCI 1.0 §9.1)', () => {
  it('reads the transaction id, ignoring unknown members', () => {
    expect(parseDeferredCredentialRequest({ transaction_id: '8xLOxBtZp8', extra: 1 })).toEqual({ transactionId: '8xLOxBtZp8' });
  });

  it.each([
    ['a non-object body', '8xLOxBtZp8'],
    ['no transaction_id', {}],
    ['a numeric transaction_id', { transaction_id: 8 }],
    ['response encryption', { transaction_id: 'x', credential_response_encryption: {} }],
  ])('refuses %s with CREDENTIAL_REQUEST_INVALID', (_label, body) => {
    expect(() => parseDeferredCredentialRequest(body)).toThrow(expect.objectContaining({ code: 'CREDENTIAL_REQUEST_INVALID' }));
  });

  it('refuses an empty or over-long transaction_id with TRANSACTION_ID_INVALID', () => {
    expect(() => parseDeferredCredentialRequest({ transaction_id: '' })).toThrow(expect.objectContaining({ code: 'TRANSACTION_ID_INVALID' }));
    expect(() => parseDeferredCredentialRequest({ transaction_id: 't'.repeat(257) })).toThrow(expect.objectContaining({ code: 'TRANSACTION_ID_INVALID' }));
  });
});
