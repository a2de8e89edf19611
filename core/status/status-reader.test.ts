import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { lsbFirstToMsbFirst } from './bit-packing.js';
import { encodeBitstringStatusList } from './bitstring-status-list.js';
import type { Compression } from './compression.js';
import { createNodeCompression } from './node-compression.js';
import { createPakoCompression } from './pako-compression.js';
import { MIN_STATUS_LIST_SIZE, StatusList, StatusValue } from './status-list.js';
import {
  assertStatusValid,
  createStatusReader,
  statusReaderFromBitstring,
  statusReaderFromTokenStatusList,
  statusResultCode,
} from './status-reader.js';
import { encodeTokenStatusList } from './token-status-list.js';

const node = createNodeCompression();
const pako = createPakoCompression();
const vectors = JSON.parse(readFileSync(new URL('./fixtures/token-status-list-vectors.json', import.meta.url), 'utf8')) as {
  examples: { section: string; statuses: number[]; statusList: { bits: 1 | 2; lst: string } }[];
};

/** Counts calls into a compression implementation. */
function counting(inner: Compression): Compression & { calls: { inflate: number; gunzip: number } } {
  const calls = { inflate: 0, gunzip: 0 };
  return {
    ...inner,
    calls,
    inflate: (b, o) => {
      calls.inflate++;
      return inner.inflate(b, o);
    },
    gunzip: (b, o) => {
      calls.gunzip++;
      return inner.gunzip(b, o);
    },
  };
}

describe('status readers', () => {
  it('§4.1 examples: the reader answers every index of the spec lists', () => {
    for (const example of vectors.examples) {
      const reader = statusReaderFromTokenStatusList({ statusList: example.statusList, compression: node });
      expect(reader.size).toBe(example.statuses.length);
      expect(example.statuses.map((_, i) => reader.statusAt(i))).toEqual(example.statuses);
    }
  });

  it('decompresses once, then answers any number of lookups from the kept bytes', () => {
    const list = StatusList.create({ size: MIN_STATUS_LIST_SIZE });
    list.set(12_345, StatusValue.SUSPENDED);
    const compression = counting(node);
    const tsl = statusReaderFromTokenStatusList({ statusList: encodeTokenStatusList({ list, compression: node }), compression });
    const w3c = statusReaderFromBitstring({ encodedList: encodeBitstringStatusList({ list, compression: node }), statusSize: 2, compression });
    for (let i = 0; i < 10_000; i++) {
      tsl.statusAt((i * 7919) % MIN_STATUS_LIST_SIZE);
      w3c.statusAt((i * 7919) % MIN_STATUS_LIST_SIZE);
    }
    expect(compression.calls).toEqual({ inflate: 1, gunzip: 1 });
    expect(tsl.statusAt(12_345)).toBe(StatusValue.SUSPENDED);
    expect(w3c.statusAt(12_345)).toBe(StatusValue.SUSPENDED);
  });

  it('agrees with the in-memory list at random indices, for both formats and both implementations (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: MIN_STATUS_LIST_SIZE - 1 }), fc.integer({ min: 0, max: 3 })), { maxLength: 500 }),
        fc.array(fc.nat({ max: MIN_STATUS_LIST_SIZE - 1 }), { minLength: 1, maxLength: 200 }),
        fc.constantFrom(node, pako),
        (marks, probes, compression) => {
          const list = StatusList.create({ size: MIN_STATUS_LIST_SIZE });
          for (const [i, v] of marks) list.set(i, v);
          const readers = [
            createStatusReader({ list }),
            statusReaderFromTokenStatusList({ statusList: encodeTokenStatusList({ list, compression }), compression }),
            statusReaderFromBitstring({ encodedList: encodeBitstringStatusList({ list, compression }), statusSize: 2, compression }),
            createStatusReader({ bytes: lsbFirstToMsbFirst({ bytes: list.asBytes(), bits: 2 }), bits: 2, bitOrder: 'msb-first' }),
          ];
          for (const index of [...probes, ...marks.map(([i]) => i)]) {
            const want = list.get(index);
            if (readers.some((r) => r.statusAt(index) !== want)) return false;
          }
          return readers.every((r) => r.size === MIN_STATUS_LIST_SIZE && r.bits === 2);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('a reader over a StatusList sees later updates (no copy)', () => {
    const list = StatusList.create({ size: MIN_STATUS_LIST_SIZE });
    const reader = createStatusReader({ list });
    list.transition(5, StatusValue.REVOKED);
    expect(reader.statusAt(5)).toBe(StatusValue.REVOKED);
  });

  it('index out of range: negative, non-integer, ≥ size → STATUS_INDEX_OUT_OF_RANGE', () => {
    const reader = statusReaderFromTokenStatusList({ statusList: vectors.examples[1]!.statusList, compression: node });
    for (const index of [-1, 1.5, 12, 1e12, Number.NaN, Number.NEGATIVE_INFINITY]) {
      expect(() => reader.statusAt(index)).toThrow(expect.objectContaining({ code: 'STATUS_INDEX_OUT_OF_RANGE' }));
    }
    expect(reader.statusAt(11)).toBe(3);
  });

  it('createStatusReader validates its arguments', () => {
    expect(() => createStatusReader({ bytes: new Uint8Array(2), bits: 2, bitOrder: 'lsb-first', size: 9 })).toThrow(
      expect.objectContaining({ code: 'STATUS_LIST_MALFORMED' }),
    );
    expect(() => createStatusReader({ bytes: new Uint8Array(2), bits: 3 as 2, bitOrder: 'lsb-first' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => createStatusReader({ bytes: new Uint8Array(2), bits: 2, bitOrder: 'big' as 'lsb-first' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(createStatusReader({ bytes: new Uint8Array(2), bits: 2, bitOrder: 'lsb-first', size: 7 }).size).toBe(7);
  });

  it('reader constructors pass the decoders’ errors through', () => {
    expect(() => statusReaderFromTokenStatusList({ statusList: { bits: 2, lst: '!!' }, compression: node })).toThrow(
      expect.objectContaining({ code: 'STATUS_LIST_MALFORMED' }),
    );
    expect(() =>
      statusReaderFromTokenStatusList({ statusList: vectors.examples[1]!.statusList, compression: node, limits: { maxDecompressedBytes: 1 } }),
    ).toThrow(expect.objectContaining({ code: 'STATUS_LIST_TOO_LARGE' }));
    const small = `u${Buffer.from(node.gzip(new Uint8Array(100))).toString('base64url')}`;
    expect(() => statusReaderFromBitstring({ encodedList: small, statusSize: 2, compression: node })).toThrow(
      expect.objectContaining({ code: 'STATUS_LIST_TOO_SMALL' }),
    );
    expect(() => statusReaderFromBitstring({ encodedList: small.slice(1), compression: node })).toThrow(
      expect.objectContaining({ code: 'STATUS_LIST_MALFORMED' }),
    );
  });
});

describe('statusResultCode / assertStatusValid', () => {
  it('maps 0 → VALID, 1 → STATUS_REVOKED, 2 → STATUS_SUSPENDED, 3 → STATUS_UNKNOWN', () => {
    expect([0, 1, 2, 3].map((v) => statusResultCode(v))).toEqual(['VALID', 'STATUS_REVOKED', 'STATUS_SUSPENDED', 'STATUS_UNKNOWN']);
    expect(statusResultCode(200)).toBe('STATUS_UNKNOWN');
  });

  it('reads a set bit by purpose for single-purpose W3C lists', () => {
    expect(statusResultCode(1, 'revocation')).toBe('STATUS_REVOKED');
    expect(statusResultCode(1, 'suspension')).toBe('STATUS_SUSPENDED');
    expect(statusResultCode(1, 'refresh')).toBe('STATUS_UNKNOWN');
    expect(statusResultCode(0, 'suspension')).toBe('VALID');
    expect(statusResultCode(2, 'revocation')).toBe('STATUS_UNKNOWN');
  });

  it('assertStatusValid throws the matching UrbisError code', () => {
    expect(() => assertStatusValid(0)).not.toThrow();
    expect(() => assertStatusValid(1)).toThrow(expect.objectContaining({ name: 'UrbisError', code: 'STATUS_REVOKED' }));
    expect(() => assertStatusValid(2)).toThrow(expect.objectContaining({ code: 'STATUS_SUSPENDED' }));
    expect(() => assertStatusValid(3)).toThrow(expect.objectContaining({ code: 'STATUS_UNKNOWN' }));
  });
});
