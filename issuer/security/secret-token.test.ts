import { createHash } from 'node:crypto';
import { isUrbisError } from '../../core/errors/urbis-error.js';
import { constantTimeEqual, hashSecret, newSecretToken } from './secret-token.js';

describe('newSecretToken', () => {
  test('32 random bytes by default, as 43 base64url characters, never repeating', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => newSecretToken()));
    expect(tokens.size).toBe(200);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(newSecretToken(16), 'base64url')).toHaveLength(16);
  });

  test.each([0, 15, 1025, 1.5, Number.NaN])('refuses %p bytes with INVALID_ARGUMENT', (bytes) => {
    expect(() => newSecretToken(bytes)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('hashSecret', () => {
  test('is SHA-256 of the UTF-8 text, unpadded base64url', () => {
    expect(hashSecret('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
    expect(hashSecret('é')).toBe(createHash('sha256').update(Buffer.from('é', 'utf8')).digest('base64url'));
    expect(hashSecret('a')).not.toBe(hashSecret('b'));
  });

  test('refuses a non-string with INVALID_ARGUMENT', () => {
    try {
      hashSecret(42 as unknown as string);
      throw new Error('expected a throw');
    } catch (error) {
      expect(isUrbisError(error, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});

describe('constantTimeEqual', () => {
  test('equal strings only, whatever their lengths', () => {
    expect(constantTimeEqual('token', 'token')).toBe(true);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('token', 'tokem')).toBe(false);
    expect(constantTimeEqual('token', 'token!')).toBe(false);
    expect(constantTimeEqual('', 'x')).toBe(false);
    expect(constantTimeEqual('token', undefined as unknown as string)).toBe(false);
  });
});
