import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MIN_STATUS_LIST_SIZE, StatusList, StatusValue, assertStatusTransition } from './status-list.js';
import type { StatusBits } from './bit-packing.js';

describe('StatusList.create (Urbis builder)', () => {
  it('creates an all-VALID 2-bit list of 131,072 entries by default width', () => {
    const list = StatusList.create({ size: MIN_STATUS_LIST_SIZE });
    expect(list.bits).toBe(2);
    expect(list.size).toBe(131_072);
    expect(list.byteLength).toBe(32_768);
    expect(list.get(0)).toBe(StatusValue.VALID);
    expect(list.get(131_071)).toBe(StatusValue.VALID);
  });

  it('supports any size ≥ 131,072 and the IETF widths', () => {
    for (const bits of [1, 2, 4, 8] as const) {
      const list = StatusList.create({ size: 131_073, bits });
      expect(list.byteLength).toBe(Math.ceil((131_073 * bits) / 8));
      list.set(131_072, 2 ** bits - 1);
      expect(list.get(131_072)).toBe(2 ** bits - 1);
    }
  });

  it('refuses fewer than 131,072 entries with STATUS_LIST_TOO_SMALL', () => {
    for (const size of [0, 1, 16, 131_071]) {
      expect(() => StatusList.create({ size })).toThrow(expect.objectContaining({ code: 'STATUS_LIST_TOO_SMALL' }));
    }
  });

  it('refuses lists verifiers would refuse (above 10 MiB packed) with STATUS_LIST_TOO_LARGE', () => {
    expect(StatusList.create({ size: 41_943_040, bits: 2 }).byteLength).toBe(10 * 1024 * 1024);
    expect(() => StatusList.create({ size: 41_943_041, bits: 2 })).toThrow(expect.objectContaining({ code: 'STATUS_LIST_TOO_LARGE' }));
  });

  it('refuses a bad size or width with INVALID_ARGUMENT', () => {
    expect(() => StatusList.create({ size: 131_072.5 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => StatusList.create({ size: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => StatusList.create({ size: 131_072, bits: 3 as StatusBits })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('StatusList.fromBytes (decoder side)', () => {
  it('wraps LSB-first bytes of any size, deriving the size from the byte length', () => {
    const list = StatusList.fromBytes({ bytes: Uint8Array.of(0xb9, 0xa3), bits: 1 });
    expect(list.size).toBe(16);
    expect(Array.from({ length: 16 }, (_, i) => list.get(i))).toEqual([1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1]);
  });

  it('accepts an explicit size that needs exactly the given bytes', () => {
    expect(StatusList.fromBytes({ bytes: new Uint8Array(3), bits: 2, size: 10 }).size).toBe(10);
  });

  it('refuses an empty array or a size that does not match (STATUS_LIST_MALFORMED)', () => {
    expect(() => StatusList.fromBytes({ bytes: new Uint8Array(0), bits: 1 })).toThrow(expect.objectContaining({ code: 'STATUS_LIST_MALFORMED' }));
    expect(() => StatusList.fromBytes({ bytes: new Uint8Array(3), bits: 2, size: 13 })).toThrow(
      expect.objectContaining({ code: 'STATUS_LIST_MALFORMED' }),
    );
    expect(() => StatusList.fromBytes({ bytes: new Uint8Array(3), bits: 2, size: 8 })).toThrow(
      expect.objectContaining({ code: 'STATUS_LIST_MALFORMED' }),
    );
  });

  it('toBytes and clone copy; asBytes does not', () => {
    const bytes = new Uint8Array(2);
    const list = StatusList.fromBytes({ bytes, bits: 2 });
    const copy = list.toBytes();
    const clone = list.clone();
    list.set(0, 3);
    expect(bytes[0]).toBe(3);
    expect(list.asBytes()).toBe(bytes);
    expect(copy[0]).toBe(0);
    expect(clone.get(0)).toBe(0);
  });
});

describe('StatusList.get / set', () => {
  const list = StatusList.create({ size: MIN_STATUS_LIST_SIZE, bits: 2 });

  it('range-checks indices: negative, non-integer, ≥ size → STATUS_INDEX_OUT_OF_RANGE', () => {
    for (const index of [-1, 0.5, 131_072, 2 ** 40, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => list.get(index)).toThrow(expect.objectContaining({ code: 'STATUS_INDEX_OUT_OF_RANGE' }));
      expect(() => list.set(index, 1)).toThrow(expect.objectContaining({ code: 'STATUS_INDEX_OUT_OF_RANGE' }));
      expect(() => list.transition(index, 1)).toThrow(expect.objectContaining({ code: 'STATUS_INDEX_OUT_OF_RANGE' }));
    }
  });

  it('refuses values that do not fit the width (INVALID_ARGUMENT)', () => {
    for (const value of [-1, 4, 1.5, Number.NaN]) {
      expect(() => list.set(5, value)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    const oneBit = StatusList.create({ size: MIN_STATUS_LIST_SIZE, bits: 1 });
    expect(() => oneBit.set(0, StatusValue.SUSPENDED)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('agrees with a plain array model under random writes (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<StatusBits>(1, 2, 4, 8),
        fc.array(fc.tuple(fc.nat({ max: 999 }), fc.nat()), { maxLength: 300 }),
        (bits, writes) => {
          const l = StatusList.fromBytes({ bytes: new Uint8Array((1000 * bits) / 8), bits });
          const model = new Array<number>(1000).fill(0);
          for (const [i, v] of writes) {
            l.set(i, v % 2 ** bits);
            model[i] = v % 2 ** bits;
          }
          return model.every((value, i) => l.get(i) === value);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('status lifecycle (transition rule)', () => {
  const { VALID, REVOKED, SUSPENDED, RESERVED } = StatusValue;

  it('valid → suspended → valid → revoked; revoked → revoked is idempotent', () => {
    const list = StatusList.create({ size: MIN_STATUS_LIST_SIZE });
    list.transition(9, SUSPENDED);
    expect(list.get(9)).toBe(SUSPENDED);
    list.transition(9, VALID);
    expect(list.get(9)).toBe(VALID);
    list.transition(9, REVOKED);
    list.transition(9, REVOKED);
    expect(list.get(9)).toBe(REVOKED);
  });

  it('revoked is final: revoked → valid and revoked → suspended → STATUS_TRANSITION_FORBIDDEN, entry unchanged', () => {
    const list = StatusList.create({ size: MIN_STATUS_LIST_SIZE });
    list.transition(3, REVOKED);
    for (const to of [VALID, SUSPENDED]) {
      expect(() => list.transition(3, to)).toThrow(expect.objectContaining({ code: 'STATUS_TRANSITION_FORBIDDEN' }));
      expect(list.get(3)).toBe(REVOKED);
    }
  });

  it('suspended → revoked is allowed', () => {
    expect(() => assertStatusTransition({ from: SUSPENDED, to: REVOKED })).not.toThrow();
  });

  it('reserved (3) is never a target nor left by the lifecycle', () => {
    for (const from of [VALID, REVOKED, SUSPENDED]) {
      expect(() => assertStatusTransition({ from, to: RESERVED })).toThrow(expect.objectContaining({ code: 'STATUS_TRANSITION_FORBIDDEN' }));
    }
    expect(() => assertStatusTransition({ from: RESERVED, to: VALID })).toThrow(expect.objectContaining({ code: 'STATUS_TRANSITION_FORBIDDEN' }));
  });

  it('the full matrix', () => {
    const allowed = new Set(['0>0', '0>1', '0>2', '2>0', '2>1', '2>2', '1>1']);
    for (const from of [0, 1, 2, 3]) {
      for (const to of [0, 1, 2, 3]) {
        const run = () => assertStatusTransition({ from, to });
        if (allowed.has(`${from}>${to}`)) expect(run).not.toThrow();
        else expect(run).toThrow(expect.objectContaining({ code: 'STATUS_TRANSITION_FORBIDDEN' }));
      }
    }
  });
});
