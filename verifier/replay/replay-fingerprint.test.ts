import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { crc32 } from './crc32.js';
import { FINGERPRINT_WORDS, fingerprintReplayKey } from './replay-fingerprint.js';

const words = (key: string): number[] => {
  const out = new Uint32Array(FINGERPRINT_WORDS);
  fingerprintReplayKey({ key, out });
  return Array.from(out);
};

describe('fingerprintReplayKey', () => {
  it('is the first 16 bytes of the decoded digest, as little-endian words', () => {
    for (let i = 0; i < 200; i++) {
      const digest = createHash('sha256').update(randomBytes(40)).digest();
      const expected = Array.from(new Uint32Array(new Uint8Array(digest.subarray(0, 16)).buffer));
      expect(words(digest.toString('base64url'))).toEqual(expected);
    }
  });

  it('takes longer digests (SHA-384, SHA-512) by their first 16 bytes too', () => {
    const digest = createHash('sha512').update('x').digest();
    expect(words(digest.toString('base64url'))).toEqual(Array.from(new Uint32Array(new Uint8Array(digest.subarray(0, 16)).buffer)));
  });

  it.each([
    ['too short', 'A'.repeat(42)],
    ['too long', 'A'.repeat(129)],
    ['standard base64 characters', `${'A'.repeat(41)}+/`],
    ['padding', `${'A'.repeat(42)}=`],
    ['a non-ASCII character', `${'A'.repeat(42)}é`],
    ['not a string', 42 as unknown as string],
  ])('refuses a key with %s (INVALID_ARGUMENT)', (_name, key) => {
    expect(() => words(key)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('crc32', () => {
  it('matches the IEEE check value and node:zlib', async () => {
    expect(crc32({ bytes: new TextEncoder().encode('123456789') })).toBe(0xcbf43926);
    const { crc32: zlibCrc32 } = await import('node:zlib');
    const bytes = randomBytes(100);
    expect(crc32({ bytes, start: 10, end: 30 })).toBe(zlibCrc32(bytes.subarray(10, 30)));
  });
});
