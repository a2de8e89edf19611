import { UrbisError } from '../errors/urbis-error.js';
import { assertStatusIndex, byteLengthFor, isStatusBits, readEntry, type BitOrder, type StatusBits } from './bit-packing.js';
import { expandCheckedBitstring, type BitstringStatusPurpose, type EncodedBitstringInput } from './bitstring-status-list.js';
import type { Compression, DecompressionLimits } from './compression.js';
import { StatusValue, type StatusList } from './status-list.js';
import { decodeTokenStatusList } from './token-status-list.js';

/**
 * Status lookups on a decoded list: the list is decompressed once, its bytes
 * kept, and every `statusAt(index)` is a range check plus one bit test — O(1),
 * no per-entry array, no second decode. Works on either bit order, so a W3C
 * bitstring is read in place without conversion.
 */

/** Answers the status of one index. */
export interface StatusReader {
  /** Number of entries. */
  readonly size: number;
  /** Bits per entry. */
  readonly bits: StatusBits;
  /**
   * The raw status value at `index`.
   * @throws UrbisError `STATUS_INDEX_OUT_OF_RANGE` (negative, fractional, ≥ size).
   */
  statusAt(index: number): number;
}

/**
 * A reader over packed bytes (not copied: do not mutate them afterwards), or
 * over a {@link StatusList} (reads its bytes live, no copy).
 *
 * @throws UrbisError `STATUS_LIST_MALFORMED` when `size` does not fit the bytes;
 *   `INVALID_ARGUMENT` for bad `bits` or `bitOrder`.
 *
 * @example
 * ```ts
 * const reader = createStatusReader({ list });
 * statusResultCode(reader.statusAt(idx)); // 'VALID' | 'STATUS_REVOKED' | ...
 * ```
 */
export function createStatusReader(
  args: { list: StatusList } | { bytes: Uint8Array; bits: StatusBits; bitOrder: BitOrder; size?: number },
): StatusReader {
  if ('list' in args) {
    return packedReader(args.list.asBytes(), args.list.bits, 'lsb-first', args.list.size);
  }
  const { bytes, bits, bitOrder } = args;
  if (!isStatusBits(bits)) throw new UrbisError('INVALID_ARGUMENT', 'bits must be 1, 2, 4 or 8');
  if (bitOrder !== 'lsb-first' && bitOrder !== 'msb-first') {
    throw new UrbisError('INVALID_ARGUMENT', 'bitOrder must be lsb-first or msb-first');
  }
  const size = args.size ?? (bytes.length * 8) / bits;
  if (!Number.isSafeInteger(size) || size < 0 || byteLengthFor(size, bits) > bytes.length) {
    throw new UrbisError('STATUS_LIST_MALFORMED', 'status list size does not fit its byte length');
  }
  return packedReader(bytes, bits, bitOrder, size);
}

function packedReader(bytes: Uint8Array, bits: StatusBits, order: BitOrder, size: number): StatusReader {
  return {
    size,
    bits,
    statusAt(index: number): number {
      assertStatusIndex(index, size);
      return readEntry(bytes, bits, index, order);
    },
  };
}

/**
 * Decompresses a Token Status List `status_list` object once and returns a
 * reader over it.
 *
 * @throws UrbisError as `decodeTokenStatusList` (`STATUS_LIST_MALFORMED`,
 *   `STATUS_LIST_TOO_LARGE`).
 *
 * @example
 * ```ts
 * const reader = statusReaderFromTokenStatusList({ statusList: payload.status_list, compression });
 * reader.statusAt(referencedToken.status.status_list.idx);
 * ```
 */
export function statusReaderFromTokenStatusList({
  statusList,
  compression,
  limits,
}: {
  statusList: unknown;
  compression: Compression;
  limits?: DecompressionLimits;
}): StatusReader {
  const list = decodeTokenStatusList({ statusList, compression, ...(limits === undefined ? {} : { limits }) });
  return createStatusReader({ list });
}

/**
 * Decompresses a W3C `encodedList` once and returns a reader that tests bits
 * in the MSB-first bitstring directly.
 *
 * @throws UrbisError `STATUS_LIST_MALFORMED`, `STATUS_LIST_TOO_LARGE`,
 *   `STATUS_LIST_TOO_SMALL` (below `minEntries`, default 131,072).
 *
 * @example
 * ```ts
 * const reader = statusReaderFromBitstring({ encodedList: subject.encodedList, statusSize: 2, compression });
 * reader.statusAt(Number(entry.statusListIndex));
 * ```
 */
export function statusReaderFromBitstring(input: EncodedBitstringInput): StatusReader {
  const { bitstring, bits } = expandCheckedBitstring(input);
  return packedReader(bitstring, bits, 'msb-first', (bitstring.length * 8) / bits);
}

/** Outcome of a status value: valid, or the error code a verifier reports. */
export type StatusResultCode = 'VALID' | 'STATUS_REVOKED' | 'STATUS_SUSPENDED' | 'STATUS_UNKNOWN';

/**
 * Maps a status value to a result. For IETF lists and W3C `message` lists
 * (Urbis): 0 → `VALID`, 1 → `STATUS_REVOKED`, 2 → `STATUS_SUSPENDED`, 3 and
 * anything else → `STATUS_UNKNOWN`. For single-purpose W3C lists a set bit
 * means the purpose: `revocation` → `STATUS_REVOKED`, `suspension` →
 * `STATUS_SUSPENDED`, any other purpose → `STATUS_UNKNOWN`.
 *
 * @example
 * ```ts
 * statusResultCode(2);                   // 'STATUS_SUSPENDED'
 * statusResultCode(1, 'suspension');     // 'STATUS_SUSPENDED'
 * ```
 */
export function statusResultCode(value: number, purpose: BitstringStatusPurpose = 'message'): StatusResultCode {
  if (value === StatusValue.VALID) return 'VALID';
  if (purpose === 'message') {
    if (value === StatusValue.REVOKED) return 'STATUS_REVOKED';
    if (value === StatusValue.SUSPENDED) return 'STATUS_SUSPENDED';
    return 'STATUS_UNKNOWN';
  }
  if (value !== 1) return 'STATUS_UNKNOWN';
  if (purpose === 'revocation') return 'STATUS_REVOKED';
  if (purpose === 'suspension') return 'STATUS_SUSPENDED';
  return 'STATUS_UNKNOWN';
}

/**
 * Throws unless the value means valid.
 * @throws UrbisError `STATUS_REVOKED`, `STATUS_SUSPENDED` or `STATUS_UNKNOWN`.
 */
export function assertStatusValid(value: number, purpose: BitstringStatusPurpose = 'message'): void {
  const code = statusResultCode(value, purpose);
  if (code !== 'VALID') throw new UrbisError(code, 'credential status is not valid');
}
