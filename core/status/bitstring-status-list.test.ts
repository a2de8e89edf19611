import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { lsbFirstToMsbFirst, readEntry } from './bit-packing.js';
import {
  BITSTRING_STATUS_LIST_MIN_ENTRIES,
  URBIS_STATUS_MESSAGES,
  buildBitstringStatusListCredential,
  buildBitstringStatusListEntry,
  decodeBitstringStatusList,
  encodeBitstringStatusList,
  expandBitstring,
} from './bitstring-status-list.js';
import { createNodeCompression } from './node-compression.js';
import { createPakoCompression } from './pako-compression.js';
import { StatusList, StatusValue } from './status-list.js';
import { decodeTokenStatusList, encodeTokenStatusList } from './token-status-list.js';

/** Byte equality without Jest's slow element-by-element diff of large typed arrays. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.compare(Buffer.from(actual), Buffer.from(expected))).toBe(0);
}

interface W3cVectors {
  examples: {
    section: string;
    title: string;
    statusPurpose: string;
    statusSize: 1;
    entries: number;
    bitstringBytes: number;
    setIndices: number[];
    encodedList: string;
  }[];
}

const w3c = JSON.parse(readFileSync(new URL('./fixtures/bitstring-status-list-vectors.json', import.meta.url), 'utf8')) as W3cVectors;
const node = createNodeCompression();
const pako = createPakoCompression();
const MIN = BITSTRING_STATUS_LIST_MIN_ENTRIES;

function urbisList(marks: [number, number][] = []): StatusList {
  const list = StatusList.create({ size: MIN, bits: 2 });
  for (const [i, v] of marks) list.set(i, v);
  return list;
}

describe('W3C Bitstring Status List 1.0 spec example', () => {
  for (const example of w3c.examples) {
    it(`§${example.section} ${example.title}: decodes to ${example.entries} entries, none set`, () => {
      for (const compression of [node, pako]) {
        const bitstring = expandBitstring({ encodedList: example.encodedList, compression });
        expect(bitstring.length).toBe(example.bitstringBytes);
        const list = decodeBitstringStatusList({ encodedList: example.encodedList, statusSize: example.statusSize, compression });
        expect(list.size).toBe(example.entries);
        expect(list.asBytes().every((b) => b === 0)).toBe(true);
      }
    });
  }
});

describe('encodeBitstringStatusList / decodeBitstringStatusList (§3.3, §3.4)', () => {
  it('round-trips a 2-bit Urbis list (statusSize 2)', () => {
    const list = urbisList([
      [0, StatusValue.REVOKED],
      [1, StatusValue.SUSPENDED],
      [94_567, StatusValue.REVOKED],
      [MIN - 1, StatusValue.SUSPENDED],
    ]);
    for (const compression of [node, pako]) {
      const encodedList = encodeBitstringStatusList({ list, compression });
      expect(encodedList.startsWith('uH4sI')).toBe(true); // multibase 'u' + base64url of the GZIP magic 1f 8b 08
      const back = decodeBitstringStatusList({ encodedList, statusSize: 2, compression });
      expect(back.size).toBe(MIN);
      expectSameBytes(back.asBytes(), list.asBytes());
      expect([back.get(0), back.get(1), back.get(2), back.get(94_567), back.get(MIN - 1)]).toEqual([1, 2, 0, 1, 2]);
    }
  });

  it('lays the bitstring out MSB-first: index 0 is the left-most bit of byte 0 (§2.2, §3.6)', () => {
    const list = urbisList([
      [0, StatusValue.REVOKED],
      [5, StatusValue.SUSPENDED],
    ]);
    const bitstring = expandBitstring({ encodedList: encodeBitstringStatusList({ list, compression: node }), compression: node });
    expect(bitstring[0]).toBe(0b01_00_00_00);
    expect(bitstring[1]).toBe(0b00_10_00_00);
    // …while the Token Status List form of the same list is LSB-first.
    expect(list.asBytes()[0]).toBe(0b00_00_00_01);
    expect(list.asBytes()[1]).toBe(0b00_00_10_00);
  });

  it('the MSB-first (W3C) and LSB-first (IETF) forms of one list carry the same statuses (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: MIN - 1 }), fc.integer({ min: 0, max: 3 })), { maxLength: 300 }), (marks) => {
        const list = urbisList(marks);
        const encodedList = encodeBitstringStatusList({ list, compression: node });
        const lst = encodeTokenStatusList({ list, compression: node });
        const bitstring = expandBitstring({ encodedList, compression: node });
        const fromTsl = decodeTokenStatusList({ statusList: lst, compression: node });
        const fromW3c = decodeBitstringStatusList({ encodedList, statusSize: 2, compression: node });
        expectSameBytes(fromW3c.asBytes(), fromTsl.asBytes());
        for (const [i] of marks) {
          const value = list.get(i);
          if (readEntry(bitstring, 2, i, 'msb-first') !== value || fromTsl.get(i) !== value || fromW3c.get(i) !== value) return false;
        }
        return true;
      }),
      { numRuns: 25 },
    );
  });

  it('handles statusSize 1, 4 and 8 too', () => {
    for (const bits of [1, 4, 8] as const) {
      const list = StatusList.create({ size: MIN, bits });
      list.set(3, 1);
      list.set(MIN - 2, 2 ** bits - 1);
      const back = decodeBitstringStatusList({ encodedList: encodeBitstringStatusList({ list, compression: node }), statusSize: bits, compression: pako });
      expect([back.get(3), back.get(MIN - 2), back.get(4)]).toEqual([1, 2 ** bits - 1, 0]);
      expect(Buffer.from(lsbFirstToMsbFirst({ bytes: back.asBytes(), bits })).equals(Buffer.from(expandBitstring({ encodedList: encodeBitstringStatusList({ list, compression: node }), compression: node })))).toBe(true);
    }
  });
});

describe('Bitstring Status List negative cases', () => {
  const good = encodeBitstringStatusList({ list: urbisList([[1, 1]]), compression: node });
  const decode = (encodedList: unknown, more: Record<string, unknown> = {}) => () =>
    decodeBitstringStatusList({ encodedList, statusSize: 2, compression: node, ...more });

  it('wrong multibase prefix → STATUS_LIST_MALFORMED', () => {
    for (const bad of [good.slice(1), `z${good.slice(1)}`, `U${good.slice(1)}`, `m${Buffer.from(good.slice(1), 'base64url').toString('base64')}`, '', 42, null]) {
      expect(decode(bad)).toThrow(expect.objectContaining({ code: 'STATUS_LIST_MALFORMED' }));
    }
  });

  it('bad base64url after the prefix → STATUS_LIST_MALFORMED', () => {
    for (const bad of [`${good}=`, `u${good.slice(1, 20)}+/${good.slice(22)}`, 'u!!!!', 'uA']) {
      expect(decode(bad)).toThrow(expect.objectContaining({ code: 'STATUS_LIST_MALFORMED' }));
    }
  });

  it('ZLIB instead of GZIP, truncated or corrupt GZIP → STATUS_LIST_MALFORMED', () => {
    const bitstring = new Uint8Array(MIN / 4);
    const gz = Buffer.from(node.gzip(bitstring));
    const corrupt = Buffer.from(gz);
    corrupt[12] = corrupt[12]! ^ 0xff;
    for (const bytes of [Buffer.from(node.deflate(bitstring)), gz.subarray(0, gz.length - 4), corrupt]) {
      for (const compression of [node, pako]) {
        expect(() => decodeBitstringStatusList({ encodedList: `u${bytes.toString('base64url')}`, statusSize: 2, compression })).toThrow(
          expect.objectContaining({ code: 'STATUS_LIST_MALFORMED' }),
        );
      }
    }
  });

  it('decompression bomb (20 MiB of zeros) → STATUS_LIST_TOO_LARGE', () => {
    const bomb = `u${Buffer.from(node.gzip(new Uint8Array(20 * 1024 * 1024))).toString('base64url')}`;
    for (const compression of [node, pako]) {
      expect(() => decodeBitstringStatusList({ encodedList: bomb, statusSize: 2, compression })).toThrow(
        expect.objectContaining({ code: 'STATUS_LIST_TOO_LARGE' }),
      );
    }
  });

  it('fewer than 131,072 entries → STATUS_LIST_TOO_SMALL (on encode and on decode, §3.2)', () => {
    const small = StatusList.fromBytes({ bytes: new Uint8Array(1024), bits: 2 });
    expect(() => encodeBitstringStatusList({ list: small, compression: node })).toThrow(expect.objectContaining({ code: 'STATUS_LIST_TOO_SMALL' }));
    // 16 KB is the minimum for 1-bit entries only: at statusSize 2 it holds 65,536.
    const sixteenKb = `u${Buffer.from(node.gzip(new Uint8Array(16_384))).toString('base64url')}`;
    expect(decode(sixteenKb)).toThrow(expect.objectContaining({ code: 'STATUS_LIST_TOO_SMALL' }));
    expect(decodeBitstringStatusList({ encodedList: sixteenKb, statusSize: 1, compression: node }).size).toBe(MIN);
    // An ecosystem may set another bound (§3.2).
    expect(decode(sixteenKb, { minEntries: 65_536 })().size).toBe(65_536);
  });

  it('statusSize other than 1, 2, 4, 8 → STATUS_LIST_MALFORMED', () => {
    for (const statusSize of [0, 3, 16, 2.5]) {
      expect(decode(good, { statusSize })).toThrow(expect.objectContaining({ code: 'STATUS_LIST_MALFORMED' }));
    }
  });
});

describe('BitstringStatusListCredential and BitstringStatusListEntry (§2.1, §2.2)', () => {
  const list = urbisList([[7, StatusValue.REVOKED]]);

  it('builds the unsigned VCDM 2.0 status list credential (Urbis: message purpose, 2 bits)', () => {
    const credential = buildBitstringStatusListCredential({
      id: 'https://city.example/status/3',
      issuer: 'did:web:city.example',
      validFrom: new Date('2026-01-02T03:04:05.678Z'),
      validUntil: '2026-01-03T03:04:05Z',
      ttl: 300_000,
      list,
      compression: node,
    });
    expect(credential).toEqual({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: 'https://city.example/status/3',
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: 'did:web:city.example',
      validFrom: '2026-01-02T03:04:05Z',
      validUntil: '2026-01-03T03:04:05Z',
      credentialSubject: {
        id: 'https://city.example/status/3#list',
        type: 'BitstringStatusList',
        statusPurpose: 'message',
        encodedList: encodeBitstringStatusList({ list, compression: node }),
        ttl: 300_000,
        statusSize: 2,
        statusMessage: [
          { status: '0x0', message: 'valid' },
          { status: '0x1', message: 'revoked' },
          { status: '0x2', message: 'suspended' },
          { status: '0x3', message: 'undefined' },
        ],
      },
    });
    const back = decodeBitstringStatusList({ encodedList: credential.credentialSubject.encodedList, statusSize: 2, compression: pako });
    expect(back.get(7)).toBe(StatusValue.REVOKED);
  });

  it('builds a single-purpose 1-bit credential without statusSize/statusMessage, as in the §2.2 example', () => {
    const credential = buildBitstringStatusListCredential({
      id: 'https://example.com/credentials/status/3',
      issuer: 'did:example:12345',
      validFrom: '2021-04-05T14:27:40Z',
      statusPurpose: 'revocation',
      encodedList: w3c.examples[0]!.encodedList,
      statusSize: 1,
    });
    expect(credential.credentialSubject).toEqual({
      id: 'https://example.com/credentials/status/3#list',
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      encodedList: w3c.examples[0]!.encodedList,
    });
  });

  it('builds the Urbis BitstringStatusListEntry for a credential', () => {
    expect(buildBitstringStatusListEntry({ statusListCredential: 'https://city.example/status/3', statusListIndex: 94_567, listSize: MIN })).toEqual({
      id: 'https://city.example/status/3#94567',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'message',
      statusListIndex: '94567',
      statusListCredential: 'https://city.example/status/3',
      statusSize: 2,
      statusMessage: [...URBIS_STATUS_MESSAGES],
    });
  });

  it('statusMessage has 2^statusSize elements (§2.1) and URBIS_STATUS_MESSAGES cannot be mutated', () => {
    expect(URBIS_STATUS_MESSAGES).toHaveLength(4);
    expect(Object.isFrozen(URBIS_STATUS_MESSAGES)).toBe(true);
    expect(() =>
      buildBitstringStatusListEntry({
        statusListCredential: 'https://city.example/status/3',
        statusListIndex: 1,
        statusMessage: URBIS_STATUS_MESSAGES.slice(0, 3),
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    const entry = buildBitstringStatusListEntry({ statusListCredential: 'https://x.example/s', statusListIndex: 1, statusPurpose: 'revocation', statusSize: 1 });
    expect(entry.statusSize).toBeUndefined();
    expect(entry.statusMessage).toBeUndefined();
  });

  it('rejects bad entries and credentials with exact codes', () => {
    for (const statusListIndex of [-1, 1.5, Number.NaN, MIN]) {
      expect(() => buildBitstringStatusListEntry({ statusListCredential: 'https://x.example/s', statusListIndex, listSize: MIN })).toThrow(
        expect.objectContaining({ code: 'STATUS_INDEX_OUT_OF_RANGE' }),
      );
    }
    expect(() => buildBitstringStatusListEntry({ statusListCredential: '', statusListIndex: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    const base = { id: 'https://x.example/s', issuer: 'did:web:x.example', list, compression: node };
    for (const validFrom of ['yesterday', '2026-01-02', new Date(Number.NaN)]) {
      expect(() => buildBitstringStatusListCredential({ ...base, validFrom })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    expect(() => buildBitstringStatusListCredential({ ...base, validFrom: new Date(), ttl: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() =>
      buildBitstringStatusListCredential({ ...base, validFrom: new Date(), list: StatusList.fromBytes({ bytes: new Uint8Array(8), bits: 2 }) }),
    ).toThrow(expect.objectContaining({ code: 'STATUS_LIST_TOO_SMALL' }));
  });
});
