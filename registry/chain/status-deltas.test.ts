import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { packStatusDeltas, unpackStatusDeltas } from './status-deltas.js';

describe('packed status deltas (the StatusRegistry batch format)', () => {
  it('packs (index << 2) | value, 4 bytes big-endian, sorted by index', () => {
    expect([...packStatusDeltas([{ index: 7, value: 1 }, { index: 1, value: 2 }])]).toEqual([0, 0, 0, 6, 0, 0, 0, 29]);
  });

  it('keeps the newest change when a batch names an index twice', () => {
    expect(unpackStatusDeltas(packStatusDeltas([{ index: 3, value: 2 }, { index: 3, value: 0 }]))).toEqual([{ index: 3, value: 0 }]);
  });

  it('round-trips any batch (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ index: fc.integer({ min: 0, max: 2 ** 30 - 1 }), value: fc.constantFrom(0 as const, 1 as const, 2 as const) }), { minLength: 1, maxLength: 50 }), (deltas) => {
        const latest = new Map(deltas.map((d) => [d.index, d.value]));
        const expected = [...latest.entries()].sort((a, b) => a[0] - b[0]).map(([index, value]) => ({ index, value }));
        expect(unpackStatusDeltas(packStatusDeltas(deltas))).toEqual(expected);
      }),
    );
  });

  it.each([
    ['an empty batch', [], 'INVALID_ARGUMENT'],
    ['a negative index', [{ index: -1, value: 1 }], 'STATUS_INDEX_OUT_OF_RANGE'],
    ['an index of 2^30', [{ index: 2 ** 30, value: 1 }], 'STATUS_INDEX_OUT_OF_RANGE'],
    ['the reserved value 3', [{ index: 1, value: 3 }], 'INVALID_ARGUMENT'],
  ])('refuses %s', (_label, deltas, code) => {
    expect(() => packStatusDeltas(deltas as never)).toThrow(expect.objectContaining({ code }));
  });

  it.each([
    ['an empty payload', new Uint8Array(0)],
    ['a length that is not a multiple of 4', new Uint8Array(5)],
    ['the reserved value 3', Uint8Array.of(0, 0, 0, 7)],
  ])('refuses to unpack %s → STATUS_LIST_MALFORMED', (_label, bytes) => {
    expect(() => unpackStatusDeltas(bytes)).toThrow(expect.objectContaining({ code: 'STATUS_LIST_MALFORMED' }));
  });
});
