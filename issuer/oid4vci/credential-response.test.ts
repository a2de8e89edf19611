import { describe, expect, it } from '@jest/globals';
import { issuedCredentialsResponse, NO_STORE_HEADERS, pendingCredentialResponse } from './credential-response.js';

describe('credential responses (OID4VCI 1.0 §8.3)', () => {
  it('HTTP 200: one { credential } object per copy, in order', () => {
    expect(issuedCredentialsResponse({ credentials: ['a~', 'b~'] })).toEqual({ credentials: [{ credential: 'a~' }, { credential: 'b~' }] });
    expect(() => issuedCredentialsResponse({ credentials: [] })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => issuedCredentialsResponse({ credentials: [7 as unknown as string] })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('HTTP 202: transaction_id and a positive interval', () => {
    expect(pendingCredentialResponse({ transactionId: '8xLOxBtZp8', interval: 3600 })).toEqual({ transaction_id: '8xLOxBtZp8', interval: 3600 });
    expect(() => pendingCredentialResponse({ transactionId: '', interval: 5 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => pendingCredentialResponse({ transactionId: 't', interval: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('is never cached', () => {
    expect(NO_STORE_HEADERS).toEqual({ 'Cache-Control': 'no-store' });
  });
});
