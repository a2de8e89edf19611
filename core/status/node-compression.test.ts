import { describe, expect, it } from '@jest/globals';
import { createNodeCompression } from './node-compression.js';

// The port contract (round trips, caps, bombs, malformed input) runs against
// this implementation in compression.test.ts.
describe('createNodeCompression', () => {
  const compression = createNodeCompression();

  it('reproduces the IETF §4.1 compressed arrays byte for byte (level 9)', () => {
    expect(Buffer.from(compression.deflate(Uint8Array.of(0xb9, 0xa3))).toString('hex')).toBe('78dadbb918000217015d');
    expect(Buffer.from(compression.deflate(Uint8Array.of(0xc9, 0x44, 0xf9))).toString('hex')).toBe('78da3be9f2130003df0207');
  });

  it('accepts Buffers and subarray views as input', () => {
    const z = compression.deflate(Uint8Array.of(1, 2, 3));
    const padded = new Uint8Array(z.length + 8);
    padded.set(z, 4);
    expect(Array.from(compression.inflate(padded.subarray(4, 4 + z.length), { maxOutputBytes: 16 }))).toEqual([1, 2, 3]);
    expect(Array.from(compression.inflate(Buffer.from(z), { maxOutputBytes: 16 }))).toEqual([1, 2, 3]);
  });

  it('caps above the largest Buffer are clamped, not rejected', () => {
    const z = compression.deflate(Uint8Array.of(9));
    expect(Array.from(compression.inflate(z, { maxOutputBytes: 2 ** 40 }))).toEqual([9]);
  });
});
