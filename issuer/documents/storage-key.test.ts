import { describe, expect, it } from '@jest/globals';
import { assertStorageKey, isStorageKey, newStorageKey } from './storage-key.js';

describe('storage keys', () => {
  it('are 22 base64url characters and pass their own check', () => {
    const keys = new Set(Array.from({ length: 500 }, () => newStorageKey()));
    expect(keys.size).toBe(500);
    for (const key of keys) {
      expect(key).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(isStorageKey(key)).toBe(true);
      expect(Buffer.from(key, 'base64url')).toHaveLength(16);
    }
  });

  it.each([
    ['a parent path', '../x'],
    ['a deep parent path', '../../../../../etc/passwd'],
    ['an absolute path', '/etc/passwd'],
    ['a backslash path', '..\\..\\windows\\win.ini'],
    ['a dot-only name', '.'.repeat(22)],
    ['a slash inside a key', 'AAAAAAAAAA/AAAAAAAAAAA'],
    ['a NUL byte', `${'A'.repeat(21)}\0`],
    ['a temporary file name', `${'A'.repeat(22)}.udoc.0011aabbccdd.tmp`],
    ['a key with a suffix', `${'A'.repeat(22)}.udoc`],
    ['too short', 'A'.repeat(21)],
    ['too long', 'A'.repeat(23)],
    ['base64 with padding', `${'A'.repeat(22)}==`],
    ['standard base64 characters', `${'+'.repeat(21)}A`],
    ['non-canonical last character', `${'A'.repeat(21)}B`],
    ['empty', ''],
  ])('refuse %s with INVALID_ARGUMENT', (_name, value) => {
    expect(isStorageKey(value)).toBe(false);
    expect(() => assertStorageKey(value)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('refuse non-strings', () => {
    expect(isStorageKey(undefined)).toBe(false);
    expect(() => assertStorageKey(42)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
