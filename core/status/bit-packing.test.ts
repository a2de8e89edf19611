import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  STATUS_BITS,
  assertStatusIndex,
  isStatusBits,
  lsbFirstToMsbFirst,
  msbFirstToLsbFirst,
  readEntry,
  reorderEntries,
  writeEntry,
  type StatusBits,
} from './bit-packing.js';

const bitsArb = fc.constantFrom<StatusBits>(1, 2, 4, 8);

describe('bit orders (DESIGN §3: TSL LSB-first, W3C MSB-first)', () => {
  it('IETF §4.1 1-bit example: 0xB9 0xA3 LSB-first is 0x9D 0xC5 MSB-first (bit reversal per byte)', () => {
    expect(Array.from(lsbFirstToMsbFirst({ bytes: Uint8Array.of(0xb9, 0xa3), bits: 1 }))).toEqual([0x9d, 0xc5]);
  });

  it('IETF §4.1 2-bit example: 0xC9 0x44 0xF9 LSB-first is 0x63 0x11 0x6F MSB-first (entry order reversed, entry bits kept)', () => {
    // statuses 1,2,0,3 | 0,1,0,1 | 1,2,3,3 → MSB-first 01 10 00 11 | 00 01 00 01 | 01 10 11 11
    expect(Array.from(lsbFirstToMsbFirst({ bytes: Uint8Array.of(0xc9, 0x44, 0xf9), bits: 2 }))).toEqual([0x63, 0x11, 0x6f]);
  });

  it('4-bit entries swap nibbles; 8-bit entries are unchanged', () => {
    expect(Array.from(reorderEntries({ bytes: Uint8Array.of(0x12, 0xab), bits: 4 }))).toEqual([0x21, 0xba]);
    expect(Array.from(reorderEntries({ bytes: Uint8Array.of(0x12, 0xab), bits: 8 }))).toEqual([0x12, 0xab]);
  });

  it('the conversion is its own inverse, for every byte and width', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (const bits of STATUS_BITS) {
      expect(Array.from(msbFirstToLsbFirst({ bytes: lsbFirstToMsbFirst({ bytes: all, bits }), bits }))).toEqual(Array.from(all));
    }
  });

  it('LSB-first and MSB-first forms of one list carry the same statuses (property)', () => {
    fc.assert(
      fc.property(bitsArb, fc.uint8Array({ minLength: 1, maxLength: 64 }), (bits, lsb) => {
        const msb = lsbFirstToMsbFirst({ bytes: lsb, bits });
        const size = (lsb.length * 8) / bits;
        for (let i = 0; i < size; i++) if (readEntry(msb, bits, i, 'msb-first') !== readEntry(lsb, bits, i, 'lsb-first')) return false;
        return true;
      }),
    );
  });

  it('MSB-first puts index 0 in the most significant bits of byte 0 (W3C §3.6)', () => {
    const bytes = new Uint8Array(2);
    writeEntry(bytes, 2, 0, 1, 'msb-first');
    expect(bytes[0]).toBe(0b0100_0000);
    writeEntry(bytes, 2, 7, 2, 'msb-first');
    expect(bytes[1]).toBe(0b0000_0010);
    writeEntry(bytes, 1, 0, 1, 'msb-first');
    expect(bytes[0]).toBe(0b1100_0000);
  });

  it('writeEntry only touches its own entry (property)', () => {
    fc.assert(
      fc.property(bitsArb, fc.uint8Array({ minLength: 1, maxLength: 16 }), fc.nat(), fc.nat(), fc.constantFrom('lsb-first', 'msb-first' as const), (bits, original, i, v, order) => {
        const size = (original.length * 8) / bits;
        const index = i % size;
        const value = v % 2 ** bits;
        const bytes = original.slice();
        writeEntry(bytes, bits, index, value, order);
        for (let j = 0; j < size; j++) {
          if (readEntry(bytes, bits, j, order) !== (j === index ? value : readEntry(original, bits, j, order))) return false;
        }
        return true;
      }),
    );
  });
});

describe('assertStatusIndex / isStatusBits', () => {
  it('accepts integers in [0, size) only (STATUS_INDEX_OUT_OF_RANGE)', () => {
    expect(() => assertStatusIndex(0, 1)).not.toThrow();
    for (const bad of [-1, 1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, '0' as unknown as number]) {
      expect(() => assertStatusIndex(bad, 1)).toThrow(expect.objectContaining({ code: 'STATUS_INDEX_OUT_OF_RANGE' }));
    }
  });

  it('knows the IETF widths 1, 2, 4, 8', () => {
    expect([0, 1, 2, 3, 4, 8, 16, '2'].map(isStatusBits)).toEqual([false, true, true, false, true, true, false, false]);
  });
});
