import { UrbisError } from '../errors/urbis-error.js';

/**
 * Packing of fixed-width status entries into bytes, in the two bit orders the
 * published formats use (DESIGN §3):
 *
 * - `lsb-first` — IETF Token Status List (draft-ietf-oauth-status-list §4.1):
 *   entry 0 sits in the least significant bits of byte 0.
 * - `msb-first` — W3C Bitstring Status List 1.0 (§2.2, §3.6): entry 0 starts
 *   at the left-most (most significant) bit of byte 0; a multi-bit entry is
 *   read most significant bit first.
 *
 * Entry widths are 1, 2, 4 or 8 bits, so an entry never straddles two bytes
 * and converting between the orders only reverses the order of the entries
 * inside each byte (the bits of one entry keep their order).
 */

/** Bits per status entry (IETF `bits`, W3C `statusSize`) that Urbis handles. */
export type StatusBits = 1 | 2 | 4 | 8;

/** Order of entries inside a byte. */
export type BitOrder = 'lsb-first' | 'msb-first';

/** The allowed entry widths, in ascending order. */
export const STATUS_BITS: readonly StatusBits[] = Object.freeze([1, 2, 4, 8]);

/** Narrowing check for {@link StatusBits}. */
export function isStatusBits(value: unknown): value is StatusBits {
  return value === 1 || value === 2 || value === 4 || value === 8;
}

/**
 * Checks that `index` is an integer in `[0, size)`.
 * @throws UrbisError `STATUS_INDEX_OUT_OF_RANGE` for a negative, fractional,
 *   non-finite or too large index (or a non-number).
 */
export function assertStatusIndex(index: number, size: number): void {
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= size) {
    throw new UrbisError('STATUS_INDEX_OUT_OF_RANGE', 'status index is not an integer within the list');
  }
}

/** Number of bytes needed for `size` entries of `bits` bits. */
export function byteLengthFor(size: number, bits: StatusBits): number {
  return Math.ceil((size * bits) / 8);
}

/**
 * Reads entry `index` (already range-checked by the caller).
 * O(1): one byte load, one shift, one mask.
 */
export function readEntry(bytes: Uint8Array, bits: StatusBits, index: number, order: BitOrder): number {
  const bitOffset = index * bits;
  const byte = bytes[bitOffset >>> 3]!;
  const within = bitOffset & 7;
  const shift = order === 'lsb-first' ? within : 8 - bits - within;
  return (byte >>> shift) & ((1 << bits) - 1);
}

/** Writes entry `index` (index and value already checked by the caller). */
export function writeEntry(bytes: Uint8Array, bits: StatusBits, index: number, value: number, order: BitOrder): void {
  const bitOffset = index * bits;
  const byteIndex = bitOffset >>> 3;
  const within = bitOffset & 7;
  const shift = order === 'lsb-first' ? within : 8 - bits - within;
  const mask = ((1 << bits) - 1) << shift;
  bytes[byteIndex] = (bytes[byteIndex]! & ~mask) | ((value << shift) & mask);
}

const swapTables = new Map<StatusBits, Uint8Array>();

/** byte → the same byte with its `8 / bits` entries in reverse order. */
function swapTable(bits: StatusBits): Uint8Array {
  let table = swapTables.get(bits);
  if (table === undefined) {
    table = new Uint8Array(256);
    const perByte = 8 / bits;
    const mask = (1 << bits) - 1;
    for (let byte = 0; byte < 256; byte++) {
      let out = 0;
      for (let slot = 0; slot < perByte; slot++) {
        const entry = (byte >>> (slot * bits)) & mask;
        out |= entry << ((perByte - 1 - slot) * bits);
      }
      table[byte] = out;
    }
    swapTables.set(bits, table);
  }
  return table;
}

/**
 * Converts a packed list between LSB-first and MSB-first entry order. The
 * conversion is exact and its own inverse; it returns a new array (for 8-bit
 * entries, a plain copy).
 *
 * @example
 * ```ts
 * // IETF 2-bit example (§4.1): statuses 1,2,0,3 → 0xC9 LSB-first
 * reorderEntries({ bytes: Uint8Array.of(0xc9), bits: 2 }); // Uint8Array [0x63] (01 10 00 11)
 * ```
 */
export function reorderEntries({ bytes, bits }: { bytes: Uint8Array; bits: StatusBits }): Uint8Array {
  const table = swapTable(bits);
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = table[bytes[i]!]!;
  return out;
}

/** LSB-first (Token Status List) bytes → MSB-first (Bitstring Status List) bytes. */
export function lsbFirstToMsbFirst(args: { bytes: Uint8Array; bits: StatusBits }): Uint8Array {
  return reorderEntries(args);
}

/** MSB-first (Bitstring Status List) bytes → LSB-first (Token Status List) bytes. */
export function msbFirstToLsbFirst(args: { bytes: Uint8Array; bits: StatusBits }): Uint8Array {
  return reorderEntries(args);
}
