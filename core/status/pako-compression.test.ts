import { describe, expect, it } from '@jest/globals';
import { createPakoCompression } from './pako-compression.js';

describe('createPakoCompression', () => {
  it('reproduces the IETF §4.1 compressed arrays byte for byte (level 9)', () => {
    const compression = createPakoCompression();
    expect(Buffer.from(compression.deflate(Uint8Array.of(0xb9, 0xa3))).toString('hex')).toBe('78dadbb918000217015d');
    expect(Buffer.from(compression.deflate(Uint8Array.of(0xc9, 0x44, 0xf9))).toString('hex')).toBe('78da3be9f2130003df0207');
  });

  it('enforces the cap per chunk whatever the chunk size', () => {
    const small = createPakoCompression({ chunkSize: 4096 });
    const data = new Uint8Array(100_000).map((_, i) => (i % 13 === 0 ? 1 : 0));
    const z = small.deflate(data);
    expect(small.inflate(z, { maxOutputBytes: 100_000 })).toHaveLength(100_000);
    expect(() => small.inflate(z, { maxOutputBytes: 99_999 })).toThrow(expect.objectContaining({ code: 'STATUS_LIST_TOO_LARGE' }));
    expect(() => small.inflate(z, { maxOutputBytes: 4095 })).toThrow(expect.objectContaining({ code: 'STATUS_LIST_TOO_LARGE' }));
  });

  it('rejects a chunk size below 1 KiB with INVALID_ARGUMENT', () => {
    expect(() => createPakoCompression({ chunkSize: 16 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
