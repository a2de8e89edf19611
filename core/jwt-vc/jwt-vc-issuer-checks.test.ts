import { describe, expect, it } from '@jest/globals';
import { checkJwtVcIssuer } from './jwt-vc-issuer-checks.js';

const P256 = 'did:key:zDnaeUKTWUXc1HDpGfKbEK31nKLN19yX5aunFd7VK1CUMeyJu';

describe('checkJwtVcIssuer', () => {
  it('accepts a P-256 did:key, trusted or with no trust list', () => {
    expect(checkJwtVcIssuer({ issuer: P256 })).toBeUndefined();
    expect(checkJwtVcIssuer({ issuer: P256, trustedIssuers: [P256] })).toBeUndefined();
  });
  it.each([
    ['https://city.example', 'DID_INVALID'],
    [`${P256}#key-1`, 'DID_INVALID'],
    ['did:web:city.example', 'DID_METHOD_UNSUPPORTED'],
    ['did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', 'DID_KEY_UNSUPPORTED'],
  ])('%s → %s', (issuer, code) => {
    expect(checkJwtVcIssuer({ issuer })?.code).toBe(code);
  });
  it('untrusted issuer → ISSUER_UNTRUSTED (an empty list trusts nobody)', () => {
    expect(checkJwtVcIssuer({ issuer: P256, trustedIssuers: ['did:key:zDnOther'] })).toEqual({
      check: 'trust',
      code: 'ISSUER_UNTRUSTED',
      detail: expect.any(String),
    });
    expect(checkJwtVcIssuer({ issuer: P256, trustedIssuers: [] })?.code).toBe('ISSUER_UNTRUSTED');
  });
  it('other methods when the verifier resolves them', () => {
    expect(checkJwtVcIssuer({ issuer: 'did:web:city.example', didMethods: ['web'] })).toBeUndefined();
  });
});
