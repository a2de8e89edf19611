/**
 * The Compression port contract (`compression.ts`), run against every
 * implementation — node:zlib and pako — so both are held to the same
 * behaviour and the same error codes (a shared behaviour suite in the style
 * of OpenZeppelin's). Implementation-specific tests sit beside each one.
 */
import { describe, expect, it } from '@jest/globals';
import { Deflate, constants, deflate as pakoDeflate } from 'pako';
import {
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  checkCompressedInput,
  compressedBound,
  resolveDecompressOptions,
  type Compression,
} from './compression.js';
import { createNodeCompression } from './node-compression.js';
import { createPakoCompression } from './pako-compression.js';

const MiB = 1024 * 1024;

/** The ZLIB header for level 9 (CMF 0x78, FLG 0xDA). */
const ZLIB_HEADER = Uint8Array.of(0x78, 0xda);

/**
 * A DEFLATE block of 1 MiB of zeros, not final, ending on a byte boundary
 * (a sync flush). Repeating it N times makes a valid, unterminated stream of
 * N MiB of zeros: a bomb that costs ~1 KiB of input per MiB of output and
 * that no decoder can finish (it has no final block), so a decoder that
 * reports TOO_LARGE on it must have stopped at the cap, before the end.
 */
function unterminatedZeroBomb({ mebibytes, block }: { mebibytes: number; block: Uint8Array }): Uint8Array {
  const out = new Uint8Array(ZLIB_HEADER.length + block.length * mebibytes);
  out.set(ZLIB_HEADER, 0);
  for (let i = 0; i < mebibytes; i++) out.set(block, ZLIB_HEADER.length + i * block.length);
  return out;
}

/** GZIP member header (no name, mtime 0, XFL 2, OS 3) for the same trick. */
const GZIP_HEADER = Uint8Array.of(0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x02, 0x03);

/** One raw DEFLATE block of 1 MiB of zeros, sync-flushed (not final). */
function syncFlushedZeroMiB(): Uint8Array {
  const deflater = new Deflate({ raw: true, level: 9 });
  const chunks: Uint8Array[] = [];
  deflater.onData = (chunk) => {
    chunks.push(chunk as Uint8Array);
  };
  deflater.push(new Uint8Array(MiB), constants.Z_SYNC_FLUSH);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** Byte equality without Jest's slow element-by-element diff of large typed arrays. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.compare(Buffer.from(actual), Buffer.from(expected))).toBe(0);
}

/** Runs the compression contract against `create()`. */
function behavesLikeCompression({ name, create }: { name: string; create: () => Compression }): void {
  describe(`${name}: Compression port contract`, () => {
    const compression = create();
    const block = syncFlushedZeroMiB();
    const options = { maxOutputBytes: 10 * MiB };
    const sample = new Uint8Array(70_000).map((_, i) => (i * 7919) % 251);

    it('round-trips deflate → inflate and gzip → gunzip', () => {
      expectSameBytes(compression.inflate(compression.deflate(sample), options), sample);
      expectSameBytes(compression.gunzip(compression.gzip(sample), options), sample);
    });

    it('writes a ZLIB header of level 9 (78 DA) and a GZIP header (1F 8B 08)', () => {
      expect(Array.from(compression.deflate(sample).subarray(0, 2))).toEqual([0x78, 0xda]);
      expect(Array.from(compression.gzip(sample).subarray(0, 3))).toEqual([0x1f, 0x8b, 0x08]);
    });

    it('returns plain Uint8Arrays', () => {
      const out = compression.inflate(compression.deflate(sample), options);
      expect(Object.getPrototypeOf(out)).toBe(Uint8Array.prototype);
    });

    it('accepts output exactly at the cap, refuses one byte more (STATUS_LIST_TOO_LARGE)', () => {
      const z = compression.deflate(sample);
      expect(compression.inflate(z, { maxOutputBytes: sample.length })).toHaveLength(sample.length);
      expect(() => compression.inflate(z, { maxOutputBytes: sample.length - 1 })).toThrow(
        expect.objectContaining({ code: 'STATUS_LIST_TOO_LARGE' }),
      );
      const g = compression.gzip(sample);
      expect(() => compression.gunzip(g, { maxOutputBytes: sample.length - 1 })).toThrow(
        expect.objectContaining({ code: 'STATUS_LIST_TOO_LARGE' }),
      );
    });

    it('refuses compressed input above maxInputBytes before inflating (STATUS_LIST_TOO_LARGE)', () => {
      const z = compression.deflate(sample);
      expect(() => compression.inflate(z, { maxOutputBytes: 10 * MiB, maxInputBytes: z.length - 1 })).toThrow(
        expect.objectContaining({ code: 'STATUS_LIST_TOO_LARGE' }),
      );
      expect(() => compression.gunzip(new Uint8Array(11 * MiB), options)).toThrow(
        expect.objectContaining({ code: 'STATUS_LIST_TOO_LARGE' }),
      );
    });

    it('refuses a decompression bomb (20 MiB of zeros, compressed to ~20 KiB) with STATUS_LIST_TOO_LARGE', () => {
      const z = compression.deflate(new Uint8Array(20 * MiB));
      expect(z.length).toBeLessThan(64 * 1024);
      expect(() => compression.inflate(z, options)).toThrow(expect.objectContaining({ code: 'STATUS_LIST_TOO_LARGE' }));
      // The same through GZIP, on a hand-built member (gzip() of 20 MiB is slow in pure JS).
      const g = new Uint8Array(GZIP_HEADER.length + block.length * 20);
      g.set(GZIP_HEADER, 0);
      for (let i = 0; i < 20; i++) g.set(block, GZIP_HEADER.length + i * block.length);
      expect(() => compression.gunzip(g, options)).toThrow(expect.objectContaining({ code: 'STATUS_LIST_TOO_LARGE' }));
    });

    it('stops a 2 GiB bomb at the cap, without inflating it (no final block: only an early stop can say TOO_LARGE)', () => {
      const bomb = unterminatedZeroBomb({ mebibytes: 2048, block });
      // Sanity: the same bytes, cut short, are an unterminated stream → MALFORMED.
      const short = unterminatedZeroBomb({ mebibytes: 1, block });
      expect(() => compression.inflate(short, options)).toThrow(expect.objectContaining({ code: 'STATUS_LIST_MALFORMED' }));

      const before = process.memoryUsage().arrayBuffers;
      const started = Date.now();
      expect(() => compression.inflate(bomb, options)).toThrow(expect.objectContaining({ code: 'STATUS_LIST_TOO_LARGE' }));
      const elapsedMs = Date.now() - started;
      const grownBytes = process.memoryUsage().arrayBuffers - before;
      // Inflating 2 GiB needs 2 GiB of buffers and seconds (pure JS: tens of
      // seconds); stopping at the 10 MiB cap needs ~10 MiB and milliseconds.
      // Bounds are loose so that a loaded CI machine cannot fail them.
      expect(elapsedMs).toBeLessThan(5000);
      expect(grownBytes).toBeLessThan(64 * MiB); // measured: ~10 MiB (the cap), for both implementations

      const gzBomb = new Uint8Array(GZIP_HEADER.length + block.length * 64);
      gzBomb.set(GZIP_HEADER, 0);
      for (let i = 0; i < 64; i++) gzBomb.set(block, GZIP_HEADER.length + i * block.length);
      expect(() => compression.gunzip(gzBomb, options)).toThrow(expect.objectContaining({ code: 'STATUS_LIST_TOO_LARGE' }));
    });

    it('reports corrupt, truncated, empty or wrong-format input as STATUS_LIST_MALFORMED', () => {
      const z = compression.deflate(sample);
      const g = compression.gzip(sample);
      const corrupt = z.slice();
      corrupt[5] = corrupt[5]! ^ 0xff;
      const badChecksum = z.slice();
      badChecksum[badChecksum.length - 1] = badChecksum[badChecksum.length - 1]! ^ 1;
      const malformed = [
        new Uint8Array(0),
        Uint8Array.of(1, 2, 3, 4, 5),
        corrupt,
        badChecksum,
        z.subarray(0, z.length - 5),
        g, // GZIP where ZLIB is expected: no auto-detection
      ];
      for (const bytes of malformed) {
        expect(() => compression.inflate(bytes, options)).toThrow(expect.objectContaining({ code: 'STATUS_LIST_MALFORMED' }));
      }
      for (const bytes of [new Uint8Array(0), g.subarray(0, g.length - 3), z /* ZLIB where GZIP is expected */]) {
        expect(() => compression.gunzip(bytes, options)).toThrow(expect.objectContaining({ code: 'STATUS_LIST_MALFORMED' }));
      }
    });

    it('refuses bytes after the end of the stream (STATUS_LIST_MALFORMED)', () => {
      const z = compression.deflate(sample);
      const g = compression.gzip(sample);
      const withTail = (bytes: Uint8Array, tail: number[]): Uint8Array => {
        const out = new Uint8Array(bytes.length + tail.length);
        out.set(bytes);
        out.set(tail, bytes.length);
        return out;
      };
      expect(() => compression.inflate(withTail(z, [0]), options)).toThrow(expect.objectContaining({ code: 'STATUS_LIST_MALFORMED' }));
      expect(() => compression.inflate(withTail(z, [0x41, 0x42]), options)).toThrow(
        expect.objectContaining({ code: 'STATUS_LIST_MALFORMED' }),
      );
      expect(() => compression.gunzip(withTail(g, [0, 0]), options)).toThrow(expect.objectContaining({ code: 'STATUS_LIST_MALFORMED' }));
    });

    it('accepts concatenated GZIP members (RFC 1952 §2.2)', () => {
      const g = compression.gzip(sample);
      const twice = new Uint8Array(g.length * 2);
      twice.set(g);
      twice.set(g, g.length);
      const out = compression.gunzip(twice, options);
      expect(out).toHaveLength(sample.length * 2);
      expectSameBytes(out.subarray(sample.length), sample);
    });

    it('rejects a non-positive cap with INVALID_ARGUMENT', () => {
      expect(() => compression.inflate(compression.deflate(sample), { maxOutputBytes: 0 })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    });
  });
}

behavesLikeCompression({ name: 'createNodeCompression (node:zlib)', create: createNodeCompression });
behavesLikeCompression({ name: 'createPakoCompression (pure JS)', create: () => createPakoCompression() });

describe('compression limits', () => {
  it('defaults to 10 MiB decompressed (DESIGN §4) and a compressed cap just above it', () => {
    expect(DEFAULT_MAX_DECOMPRESSED_BYTES).toBe(10 * 1024 * 1024);
    const { maxOutputBytes, maxInputBytes } = resolveDecompressOptions();
    expect(maxOutputBytes).toBe(10 * 1024 * 1024);
    expect(maxInputBytes).toBe(compressedBound(maxOutputBytes));
    expect(maxInputBytes).toBeLessThan(maxOutputBytes * 1.001 + 1024);
  });

  it('bounds the compressed size of incompressible data', () => {
    const node = createNodeCompression();
    const pako = createPakoCompression();
    const noise = new Uint8Array(256 * 1024);
    let x = 0x12345678;
    for (let i = 0; i < noise.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      noise[i] = x & 0xff;
    }
    for (const c of [node, pako]) {
      expect(c.deflate(noise).length).toBeLessThanOrEqual(compressedBound(noise.length));
      expect(c.gzip(noise).length).toBeLessThanOrEqual(compressedBound(noise.length));
    }
  });

  it('rejects bad limits with INVALID_ARGUMENT and oversized input with STATUS_LIST_TOO_LARGE', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => resolveDecompressOptions({ maxDecompressedBytes: bad })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    }
    expect(() => checkCompressedInput(new Uint8Array(11), { maxOutputBytes: 100, maxInputBytes: 10 })).toThrow(
      expect.objectContaining({ code: 'STATUS_LIST_TOO_LARGE' }),
    );
    expect(checkCompressedInput(new Uint8Array(10), { maxOutputBytes: 100, maxInputBytes: 10 })).toEqual({
      maxOutputBytes: 100,
      maxInputBytes: 10,
    });
  });
});

describe('node:zlib and pako interoperate', () => {
  const node = createNodeCompression();
  const pako = createPakoCompression();
  const options = { maxOutputBytes: 1024 * 1024 };
  const data = new Uint8Array(200_000).map((_, i) => (i % 977 === 0 ? i & 0xff : 0));

  it('each inflates and gunzips what the other compressed', () => {
    expectSameBytes(pako.inflate(node.deflate(data), options), data);
    expectSameBytes(node.inflate(pako.deflate(data), options), data);
    expectSameBytes(pako.gunzip(node.gzip(data), options), data);
    expectSameBytes(node.gunzip(pako.gzip(data), options), data);
  });

  it('decode at any compression level', () => {
    for (const level of [0, 1, 6, 9] as const) {
      const z = Buffer.from(pakoDeflateAtLevel(data, level));
      expectSameBytes(node.inflate(z, options), data);
      expectSameBytes(pako.inflate(z, options), data);
    }
  });
});

function pakoDeflateAtLevel(data: Uint8Array, level: 0 | 1 | 6 | 9): Uint8Array {
  return pakoDeflate(data, { level });
}
