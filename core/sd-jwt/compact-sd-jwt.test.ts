import { describe, expect, it } from '@jest/globals';
import type { UrbisError } from '../errors/urbis-error.js';
import { splitSdJwt } from './compact-sd-jwt.js';

const jwt = 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln';
const kb = 'eyJ0eXAiOiJrYitqd3QifQ.e30.c2ln';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as UrbisError).code;
  }
  return undefined;
}

describe('splitSdJwt', () => {
  it('RFC 9901 §4: splits an SD-JWT without key binding', () => {
    expect(splitSdJwt(`${jwt}~d1~d2~`, { maxBytes: 1000 })).toEqual({ issuerJwt: jwt, disclosures: ['d1', 'd2'], sdJwt: `${jwt}~d1~d2~` });
  });

  it('RFC 9901 §4: splits an SD-JWT+KB; sd_hash input ends with the last ~', () => {
    expect(splitSdJwt(`${jwt}~d1~${kb}`, { maxBytes: 1000 })).toEqual({ issuerJwt: jwt, disclosures: ['d1'], kbJwt: kb, sdJwt: `${jwt}~d1~` });
    expect(splitSdJwt(`${jwt}~${kb}`, { maxBytes: 1000 })).toEqual({ issuerJwt: jwt, disclosures: [], kbJwt: kb, sdJwt: `${jwt}~` });
  });

  it('refuses a JWT without any ~, and a last disclosure without its trailing ~ → SD_JWT_MISSING_TILDE', () => {
    expect(codeOf(() => splitSdJwt(jwt, { maxBytes: 1000 }))).toBe('SD_JWT_MISSING_TILDE');
    expect(codeOf(() => splitSdJwt(`${jwt}~d1~d2`, { maxBytes: 1000 }))).toBe('SD_JWT_MISSING_TILDE');
  });

  it('refuses an empty disclosure → DISCLOSURE_MALFORMED', () => {
    expect(codeOf(() => splitSdJwt(`${jwt}~d1~~`, { maxBytes: 1000 }))).toBe('DISCLOSURE_MALFORMED');
  });

  it('refuses input above maxBytes before splitting, counting UTF-8 bytes → INPUT_TOO_LARGE', () => {
    expect(codeOf(() => splitSdJwt(`${jwt}~${'a'.repeat(1000)}~`, { maxBytes: 1000 }))).toBe('INPUT_TOO_LARGE');
    expect(codeOf(() => splitSdJwt(`${jwt}~${'€'.repeat(400)}~`, { maxBytes: 1000 }))).toBe('INPUT_TOO_LARGE');
    expect(codeOf(() => splitSdJwt(`${jwt}~${'a'.repeat(900)}~`, { maxBytes: 1000 }))).toBeUndefined();
  });
});
