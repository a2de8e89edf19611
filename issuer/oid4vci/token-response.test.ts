import { describe, expect, it } from '@jest/globals';
import { buildTokenResponse } from './token-response.js';

describe('token responses (RFC 6749 §5.1)', () => {
  it('carries the access token, Bearer, its lifetime and the refresh token', () => {
    expect(buildTokenResponse({ accessToken: 'a', expiresIn: 86_400, refreshToken: 'r' })).toEqual({ access_token: 'a', token_type: 'Bearer', expires_in: 86_400, refresh_token: 'r' });
  });

  it('has no refresh_token member when there is none (and never a c_nonce: OID4VCI 1.0 has a Nonce Endpoint)', () => {
    const body = buildTokenResponse({ accessToken: 'a', expiresIn: 60, refreshToken: undefined });
    expect(body).toEqual({ access_token: 'a', token_type: 'Bearer', expires_in: 60 });
    expect(Object.keys(body)).not.toContain('refresh_token');
    expect(Object.keys(body)).not.toContain('c_nonce');
  });

  it.each([
    ['an empty access token', { accessToken: '', expiresIn: 60 }],
    ['a zero lifetime', { accessToken: 'a', expiresIn: 0 }],
    ['a fractional lifetime', { accessToken: 'a', expiresIn: 1.5 }],
    ['an empty refresh token', { accessToken: 'a', expiresIn: 60, refreshToken: '' }],
  ])('refuses %s with INVALID_ARGUMENT', (_label, args) => {
    expect(() => buildTokenResponse(args)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
