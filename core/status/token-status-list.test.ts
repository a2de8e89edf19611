import { describe, expect, it } from '@jest/globals';
import {
  StatusList as SdJwtStatusList,
  createHeaderAndPayload,
  getListFromStatusListJWT,
  type BitsPerStatus,
} from '@sd-jwt/jwt-status-list';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { base64urlEncodeString } from '../encoding/base64url.js';
import { createNodeCompression } from './node-compression.js';
import { createPakoCompression } from './pako-compression.js';
import { StatusList } from './status-list.js';
import {
  buildStatusListTokenHeader,
  buildStatusListTokenPayload,
  decodeTokenStatusList,
  encodeTokenStatusList,
  parseTokenStatusListObject,
} from './token-status-list.js';
import type { StatusBits } from './bit-packing.js';

/** Byte equality without Jest's slow element-by-element diff of large typed arrays. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.compare(Buffer.from(actual), Buffer.from(expected))).toBe(0);
}

interface Vectors {
  examples: {
    section: string;
    jsonSection: string;
    title: string;
    bits: StatusBits;
    statuses: number[];
    byteArrayHex: string;
    compressedHex: string;
    statusList: { bits: StatusBits; lst: string };
  }[];
  statusListToken: { section: string; header: Record<string, unknown>; payload: Record<string, unknown> };
  testVectors: {
    section: string;
    title: string;
    bits: StatusBits;
    size: number;
    entries: [number, number][];
    statusList: { bits: StatusBits; lst: string };
  }[];
}

const vectors = JSON.parse(
  readFileSync(new URL('./fixtures/token-status-list-vectors.json', import.meta.url), 'utf8'),
) as Vectors;

const node = createNodeCompression();
const pako = createPakoCompression();
const implementations = [
  ['node:zlib', node],
  ['pako', pako],
] as const;

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** A list of exactly the statuses given (no Urbis minimum: spec-sized lists). */
function listOf(statuses: number[], bits: StatusBits): StatusList {
  const list = StatusList.fromBytes({ bytes: new Uint8Array(Math.ceil((statuses.length * bits) / 8)), bits });
  statuses.forEach((value, index) => list.set(index, value));
  return list;
}

describe('draft-ietf-oauth-status-list §4.1/§4.2 examples', () => {
  for (const example of vectors.examples) {
    describe(`§${example.section} ${example.title}`, () => {
      it(`§${example.section}: packs the statuses LSB-first into ${example.byteArrayHex}`, () => {
        expect(hex(listOf(example.statuses, example.bits).asBytes())).toBe(example.byteArrayHex);
      });

      for (const [name, compression] of implementations) {
        it(`§${example.jsonSection}: encodes to lst ${example.statusList.lst} (${name}, level 9)`, () => {
          const encoded = encodeTokenStatusList({ list: listOf(example.statuses, example.bits), compression });
          expect(encoded).toEqual(example.statusList);
          expect(hex(Buffer.from(encoded.lst, 'base64url'))).toBe(example.compressedHex);
        });

        it(`§${example.jsonSection}: decodes lst back to every status (${name})`, () => {
          const list = decodeTokenStatusList({ statusList: example.statusList, compression });
          expect(list.bits).toBe(example.bits);
          expect(list.size).toBe(example.statuses.length);
          expect(Array.from({ length: list.size }, (_, i) => list.get(i))).toEqual(example.statuses);
        });
      }
    });
  }
});

describe('draft-ietf-oauth-status-list Appendix C test vectors (2^20 entries)', () => {
  for (const vector of vectors.testVectors) {
    const expected = (): StatusList => {
      const list = StatusList.fromBytes({ bytes: new Uint8Array((vector.size * vector.bits) / 8), bits: vector.bits });
      for (const [index, value] of vector.entries) list.set(index, value);
      return list;
    };

    it(`Appendix ${vector.section} ${vector.title}: decodes to exactly the listed statuses (node:zlib and pako)`, () => {
      const want = expected();
      for (const [, compression] of implementations) {
        const list = decodeTokenStatusList({ statusList: vector.statusList, compression });
        expect(list.size).toBe(vector.size);
        expectSameBytes(list.asBytes(), want.asBytes());
        for (const [index, value] of vector.entries) expect(list.get(index)).toBe(value);
      }
    });

    it(`Appendix ${vector.section} ${vector.title}: pako level 9 reproduces the lst byte for byte`, () => {
      expect(encodeTokenStatusList({ list: expected(), compression: pako })).toEqual(vector.statusList);
    });

    it(`Appendix ${vector.section} ${vector.title}: node:zlib output decodes to the same list`, () => {
      // node:zlib (Chromium's zlib fork) may pick other, equally valid matches
      // at level 9: byte-identical for C.2 and C.3, not for C.1 and C.4.
      const encoded = encodeTokenStatusList({ list: expected(), compression: node });
      expect(encoded.bits).toBe(vector.bits);
      const round = decodeTokenStatusList({ statusList: encoded, compression: pako });
      expectSameBytes(round.asBytes(), expected().asBytes());
    });
  }
});

describe('Status List Token payload and header (§5.1)', () => {
  const example = vectors.statusListToken;

  it('§5.1: builds the example claims from an encoded status_list', () => {
    const payload = buildStatusListTokenPayload({
      sub: example.payload.sub as string,
      iat: example.payload.iat as number,
      exp: example.payload.exp as number,
      ttl: example.payload.ttl as number,
      statusList: example.payload.status_list as { bits: 1; lst: string },
    });
    expect(payload).toEqual(example.payload);
  });

  it('§5.1: builds the claims from a list, encoding it', () => {
    const list = listOf([1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1], 1);
    const payload = buildStatusListTokenPayload({
      sub: 'https://example.com/statuslists/1',
      iat: 1686920170,
      iss: 'https://example.com',
      list,
      compression: node,
    });
    expect(payload).toEqual({
      iss: 'https://example.com',
      sub: 'https://example.com/statuslists/1',
      iat: 1686920170,
      status_list: { bits: 1, lst: 'eNrbuRgAAhcBXQ' },
    });
  });

  it('§5.1: header is typ statuslist+jwt, alg ES256, kid', () => {
    expect(buildStatusListTokenHeader({ kid: '12' })).toEqual({ typ: 'statuslist+jwt', alg: 'ES256', kid: '12' });
    expect(buildStatusListTokenHeader()).toEqual({ typ: 'statuslist+jwt', alg: 'ES256' });
  });

  it('rejects bad claims with INVALID_ARGUMENT', () => {
    const statusList = { bits: 1 as const, lst: 'eNrbuRgAAhcBXQ' };
    const cases = [
      { sub: '', iat: 1 },
      { sub: 'x', iat: -1 },
      { sub: 'x', iat: 1.5 },
      { sub: 'x', iat: 10, exp: 10 },
      { sub: 'x', iat: 10, ttl: 0 },
      { sub: 'x', iat: 10, ttl: Number.NaN },
    ];
    for (const c of cases) {
      expect(() => buildStatusListTokenPayload({ ...c, statusList })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});

describe('decodeTokenStatusList rejects bad input with exact codes', () => {
  const valid = { bits: 2, lst: 'eNo76fITAAPfAgc' };
  const decode = (statusList: unknown, limits?: { maxDecompressedBytes?: number; maxCompressedBytes?: number }) => () =>
    decodeTokenStatusList({ statusList, compression: node, ...(limits ? { limits } : {}) });

  it('STATUS_LIST_MALFORMED for a bad status_list object', () => {
    for (const bad of [null, 'x', [], {}, { bits: 3, lst: valid.lst }, { bits: '2', lst: valid.lst }, { bits: 2 }, { bits: 2, lst: '' }, { bits: 2, lst: 5 }, { ...valid, aggregation_uri: 7 }]) {
      expect(decode(bad)).toThrow(expect.objectContaining({ code: 'STATUS_LIST_MALFORMED' }));
    }
  });

  it('STATUS_LIST_MALFORMED for lst that is not strict base64url', () => {
    for (const lst of ['eNo76fITAAPfAgc=', 'eNo7+fITAAPfAgc', 'eNo7/fITAAPfAgc', 'eNo7 6fITAAPfAgc', 'eNo76fITAAPfAgd', 'a']) {
      expect(decode({ bits: 2, lst })).toThrow(expect.objectContaining({ code: 'STATUS_LIST_MALFORMED' }));
    }
  });

  it('STATUS_LIST_MALFORMED for bad compression bytes (not zlib, gzip, truncated, corrupt)', () => {
    const z = Buffer.from(valid.lst, 'base64url');
    const corrupt = Buffer.from(z);
    corrupt[4] = corrupt[4]! ^ 0x55;
    const bads = [
      Buffer.from('not compressed at all'),
      Buffer.from(node.gzip(Uint8Array.of(0xc9, 0x44, 0xf9))),
      z.subarray(0, z.length - 2),
      corrupt,
      Buffer.from(node.deflate(new Uint8Array(0))), // decompresses to an empty list
    ];
    for (const bytes of bads) {
      for (const [, compression] of implementations) {
        expect(() => decodeTokenStatusList({ statusList: { bits: 2, lst: bytes.toString('base64url') }, compression })).toThrow(
          expect.objectContaining({ code: 'STATUS_LIST_MALFORMED' }),
        );
      }
    }
  });

  it('STATUS_LIST_TOO_LARGE for a decompression bomb (20 MiB of zeros) and for an oversized lst', () => {
    const bomb = Buffer.from(node.deflate(new Uint8Array(20 * 1024 * 1024))).toString('base64url');
    for (const [, compression] of implementations) {
      expect(() => decodeTokenStatusList({ statusList: { bits: 2, lst: bomb }, compression })).toThrow(
        expect.objectContaining({ code: 'STATUS_LIST_TOO_LARGE' }),
      );
    }
    expect(decode(valid, { maxDecompressedBytes: 2 })).toThrow(expect.objectContaining({ code: 'STATUS_LIST_TOO_LARGE' }));
    expect(decode(valid, { maxCompressedBytes: 4 })).toThrow(expect.objectContaining({ code: 'STATUS_LIST_TOO_LARGE' }));
    expect(decode({ bits: 2, lst: 'A'.repeat(20_000_000) })).toThrow(expect.objectContaining({ code: 'STATUS_LIST_TOO_LARGE' }));
  });

  it('parseTokenStatusListObject keeps aggregation_uri', () => {
    expect(parseTokenStatusListObject({ ...valid, aggregation_uri: 'https://example.com/agg' })).toEqual({
      ...valid,
      aggregation_uri: 'https://example.com/agg',
    });
  });
});

describe('cross-check with @sd-jwt/jwt-status-list 0.19.0 (reference implementation)', () => {
  const bitsArb = fc.constantFrom<StatusBits>(1, 2, 4, 8);
  /** Random sparse lists, sizes a multiple of 8 (the library reads whole bytes). */
  const listArb = bitsArb.chain((bits) =>
    fc.integer({ min: 1, max: 256 }).chain((bytes) => {
      const size = (bytes * 8) / bits;
      return fc
        .array(fc.tuple(fc.integer({ min: 0, max: size - 1 }), fc.integer({ min: 0, max: 2 ** bits - 1 })), { maxLength: 40 })
        .map((entries) => ({ bits, size, entries }));
    }),
  );

  const build = ({ bits, size, entries }: { bits: StatusBits; size: number; entries: [number, number][] }) => {
    const values = new Array<number>(size).fill(0);
    for (const [i, v] of entries) values[i] = v;
    return { values, list: listOf(values, bits) };
  };

  it('lists we encode decode identically with the library', () => {
    fc.assert(
      fc.property(listArb, fc.constantFrom(node, pako), (spec, compression) => {
        const { values, list } = build(spec);
        const { lst } = encodeTokenStatusList({ list, compression });
        const theirs = SdJwtStatusList.decompressStatusList(lst, spec.bits as BitsPerStatus);
        expect(theirs.statusList).toEqual(values);
      }),
      { numRuns: 60 },
    );
  });

  it('lists the library encodes decode identically with ours', () => {
    fc.assert(
      fc.property(listArb, fc.constantFrom(node, pako), (spec, compression) => {
        const { values } = build(spec);
        const lst = new SdJwtStatusList(values.slice(), spec.bits as BitsPerStatus).compressStatusList();
        const ours = decodeTokenStatusList({ statusList: { bits: spec.bits, lst }, compression });
        expect(Array.from({ length: ours.size }, (_, i) => ours.get(i))).toEqual(values);
        // The library compresses with pako at level 9, as we do.
        expect(encodeTokenStatusList({ list: ours, compression: pako }).lst).toBe(lst);
      }),
      { numRuns: 60 },
    );
  });

  it('the library reads the status_list of a token payload we build (getListFromStatusListJWT)', () => {
    const values = [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3];
    const payload = buildStatusListTokenPayload({ sub: 'https://example.com/statuslists/1', iat: 1686920170, list: listOf(values, 2), compression: node });
    const jwt = `${base64urlEncodeString(JSON.stringify(buildStatusListTokenHeader({ kid: '12' })))}.${base64urlEncodeString(JSON.stringify(payload))}.sig`;
    expect(getListFromStatusListJWT(jwt).statusList).toEqual(values);
  });

  it('we decode the status_list the library puts in a payload (createHeaderAndPayload)', () => {
    const values = [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1];
    const { payload } = createHeaderAndPayload(
      new SdJwtStatusList(values, 1),
      { sub: 'https://example.com/statuslists/1', iat: 1686920170 },
      { alg: 'ES256', typ: 'statuslist+jwt' },
    );
    expect(payload.status_list).toEqual({ bits: 1, lst: 'eNrbuRgAAhcBXQ' });
    const list = decodeTokenStatusList({ statusList: payload.status_list, compression: pako });
    expect(Array.from({ length: list.size }, (_, i) => list.get(i))).toEqual(values);
  });
});

describe('round-trip properties (fast-check)', () => {
  it('encode → decode returns the same list, for bits 1/2/4/8 and random sparse index sets', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<StatusBits>(1, 2, 4, 8),
        fc.integer({ min: 1, max: 5000 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 200 }),
        fc.constantFrom(node, pako),
        (bits, bytes, raw, compression) => {
          const size = (bytes * 8) / bits;
          const list = StatusList.fromBytes({ bytes: new Uint8Array(bytes), bits });
          for (const [i, v] of raw) list.set(i % size, v % 2 ** bits);
          const decoded = decodeTokenStatusList({ statusList: encodeTokenStatusList({ list, compression }), compression });
          expect(decoded.size).toBe(size);
          expect(decoded.bits).toBe(bits);
          expectSameBytes(decoded.asBytes(), list.asBytes());
          for (const [i] of raw) expect(decoded.get(i % size)).toBe(list.get(i % size));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('an Urbis-sized list (131,072 entries, 2 bits) round-trips through both implementations', () => {
    const list = StatusList.create({ size: 131_072 });
    for (let i = 0; i < 131_072; i += 997) list.set(i, (i >> 3) % 4);
    const viaNode = decodeTokenStatusList({ statusList: encodeTokenStatusList({ list, compression: node }), compression: pako });
    const viaPako = decodeTokenStatusList({ statusList: encodeTokenStatusList({ list, compression: pako }), compression: node });
    expectSameBytes(viaNode.asBytes(), list.asBytes());
    expectSameBytes(viaPako.asBytes(), list.asBytes());
  });
});
