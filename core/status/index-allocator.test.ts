import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createNodeCrypto } from '../crypto/node-crypto.js';
import type { RandomBytes } from '../crypto/ports.js';
import { DEFAULT_MAX_FILL_RATIO, allocateStatusIndices } from './index-allocator.js';
import { MIN_STATUS_LIST_SIZE } from './status-list.js';

const { randomBytes } = createNodeCrypto();

/** Deterministic random source for properties: xorshift32 seeded by fast-check. */
function seededRandom(seed: number): RandomBytes {
  let x = seed | 1;
  return (length) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = x & 0xff;
    }
    return out;
  };
}

/** A random source that yields the given 32-bit words, big-endian, then zeros. */
function scriptedRandom(words: number[]): RandomBytes {
  let next = 0;
  return (length) => {
    const out = new Uint8Array(length);
    for (let i = 0; i + 4 <= length; i += 4) {
      const w = words[next++] ?? 0;
      out[i] = w >>> 24;
      out[i + 1] = (w >>> 16) & 0xff;
      out[i + 2] = (w >>> 8) & 0xff;
      out[i + 3] = w & 0xff;
    }
    return out;
  };
}

describe('allocateStatusIndices', () => {
  it('draws distinct, unused indices in range from a 131,072-entry list', () => {
    const used = new Set([1, 2, 3]);
    const indices = allocateStatusIndices({
      size: MIN_STATUS_LIST_SIZE,
      count: 10,
      usedCount: used.size,
      isUsed: (i) => used.has(i),
      randomBytes,
    });
    expect(indices).toHaveLength(10);
    expect(new Set(indices).size).toBe(10);
    for (const i of indices) {
      expect(Number.isInteger(i) && i >= 0 && i < MIN_STATUS_LIST_SIZE).toBe(true);
      expect(used.has(i)).toBe(false);
    }
  });

  it('rejection sampling: a draw ≥ size is thrown away, never reduced modulo size (no bias)', () => {
    // size 5 → 3-bit mask; words whose low bits are 5, 6, 7 must be skipped.
    const indices = allocateStatusIndices({
      size: 5,
      count: 3,
      usedCount: 0,
      isUsed: () => false,
      randomBytes: scriptedRandom([0xffff_fff7, 5, 6, 0x10, 7, 4, 3]),
      maxFillRatio: 1,
    });
    expect(indices).toEqual([0, 4, 3]);
  });

  it('skips used indices and duplicates within one call', () => {
    const indices = allocateStatusIndices({
      size: 8,
      count: 2,
      usedCount: 1,
      isUsed: (i) => i === 2,
      randomBytes: scriptedRandom([2, 6, 6, 2, 1]),
    });
    expect(indices).toEqual([6, 1]);
  });

  it('never returns duplicates or used indices (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer(),
        fc.array(fc.nat(), { maxLength: 3000 }),
        fc.integer({ min: 0, max: 200 }),
        (size, seed, rawUsed, wanted) => {
          const used = new Set(rawUsed.map((u) => u % size));
          const capacity = Math.floor(size * DEFAULT_MAX_FILL_RATIO) - used.size;
          const count = Math.max(0, Math.min(wanted, capacity));
          if (capacity < 0) return true;
          const indices = allocateStatusIndices({ size, count, usedCount: used.size, isUsed: (i) => used.has(i), randomBytes: seededRandom(seed) });
          return (
            indices.length === count &&
            new Set(indices).size === count &&
            indices.every((i) => Number.isInteger(i) && i >= 0 && i < size && !used.has(i))
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is roughly uniform over the free indices (chi-square, 20 bins)', () => {
    const size = 20;
    const counts = new Array<number>(size).fill(0);
    const draws = 20_000;
    const random = seededRandom(0x5eed);
    for (let n = 0; n < draws; n++) {
      const [i] = allocateStatusIndices({ size, count: 1, usedCount: 0, isUsed: () => false, randomBytes: random });
      counts[i!]!++;
    }
    const expected = draws / size;
    const chi2 = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(43.8); // p = 0.001 at 19 degrees of freedom
  });

  it('stops at 90% full: STATUS_INDICES_EXHAUSTED', () => {
    const size = MIN_STATUS_LIST_SIZE;
    const limit = Math.floor(size * 0.9);
    expect(() => allocateStatusIndices({ size, count: 1, usedCount: limit, isUsed: () => false, randomBytes })).toThrow(
      expect.objectContaining({ code: 'STATUS_INDICES_EXHAUSTED' }),
    );
    expect(() => allocateStatusIndices({ size, count: 11, usedCount: limit - 10, isUsed: () => false, randomBytes })).toThrow(
      expect.objectContaining({ code: 'STATUS_INDICES_EXHAUSTED' }),
    );
    expect(allocateStatusIndices({ size, count: 10, usedCount: limit - 10, isUsed: () => false, randomBytes })).toHaveLength(10);
  });

  it('fills up to exactly the threshold, then refuses (small list, honest isUsed)', () => {
    const size = 100;
    const used = new Set<number>();
    const random = seededRandom(42);
    while (used.size < 90) {
      for (const i of allocateStatusIndices({ size, count: Math.min(7, 90 - used.size), usedCount: used.size, isUsed: (i) => used.has(i), randomBytes: random })) {
        expect(used.has(i)).toBe(false);
        used.add(i);
      }
    }
    expect(used.size).toBe(90);
    expect(() => allocateStatusIndices({ size, count: 1, usedCount: 90, isUsed: (i) => used.has(i), randomBytes: random })).toThrow(
      expect.objectContaining({ code: 'STATUS_INDICES_EXHAUSTED' }),
    );
  });

  it('an isUsed that contradicts usedCount exhausts the draw budget (STATUS_INDICES_EXHAUSTED), never loops forever', () => {
    expect(() => allocateStatusIndices({ size: 1000, count: 1, usedCount: 0, isUsed: () => true, randomBytes: seededRandom(1) })).toThrow(
      expect.objectContaining({ code: 'STATUS_INDICES_EXHAUSTED' }),
    );
  });

  it('count 0 returns [] without drawing', () => {
    expect(allocateStatusIndices({ size: 10, count: 0, usedCount: 0, isUsed: () => false, randomBytes: () => { throw new Error('drawn'); } })).toEqual([]);
  });

  it('rejects bad arguments with INVALID_ARGUMENT', () => {
    const base = { size: 10, count: 1, usedCount: 0, isUsed: () => false, randomBytes };
    for (const bad of [{ size: 0 }, { size: 2 ** 32 + 1 }, { size: 1.5 }, { count: -1 }, { count: 0.5 }, { usedCount: 11 }, { usedCount: -1 }, { maxFillRatio: 0 }, { maxFillRatio: 1.5 }, { randomBytes: () => new Uint8Array(3) }]) {
      expect(() => allocateStatusIndices({ ...base, ...bad })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });

  it('handles lists up to 2^32 entries (32-bit draws)', () => {
    const indices = allocateStatusIndices({ size: 2 ** 32, count: 5, usedCount: 0, isUsed: () => false, randomBytes });
    expect(indices.every((i) => i >= 0 && i < 2 ** 32 && Number.isInteger(i))).toBe(true);
  });
});
