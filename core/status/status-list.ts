import { UrbisError } from '../errors/urbis-error.js';
import {
  assertStatusIndex,
  byteLengthFor,
  isStatusBits,
  readEntry,
  writeEntry,
  type StatusBits,
} from './bit-packing.js';
import { DEFAULT_MAX_DECOMPRESSED_BYTES } from './compression.js';

/**
 * Status values Urbis writes (DESIGN §3), which are also the IETF Status Types
 * (draft-ietf-oauth-status-list §7.1): 0x00 VALID, 0x01 INVALID (revoked),
 * 0x02 SUSPENDED, 0x03 application-specific (reserved in Urbis, never written
 * through {@link StatusList.transition}).
 */
export const StatusValue = Object.freeze({
  VALID: 0,
  REVOKED: 1,
  SUSPENDED: 2,
  RESERVED: 3,
} as const);

/** One of the {@link StatusValue} numbers. */
export type StatusValue = (typeof StatusValue)[keyof typeof StatusValue];

/**
 * The smallest list Urbis creates: 131,072 entries, the W3C Bitstring Status
 * List minimum (§3.2 `minimumNumberOfEntries`), so that one index hides among
 * at least that many (herd privacy, DESIGN §3).
 */
export const MIN_STATUS_LIST_SIZE = 131_072;

/**
 * An in-memory status list: `size` entries of `bits` bits each, packed into a
 * `Uint8Array` in Token Status List order (LSB-first: entry 0 in the least
 * significant bits of byte 0). The W3C codec converts to MSB-first on the way
 * out and back on the way in.
 *
 * @example
 * ```ts
 * const list = StatusList.create({ size: 131_072 });   // 2 bits, all VALID
 * list.transition(42, StatusValue.SUSPENDED);
 * list.transition(42, StatusValue.VALID);              // suspension lifted
 * list.transition(42, StatusValue.REVOKED);
 * list.transition(42, StatusValue.VALID);              // throws STATUS_TRANSITION_FORBIDDEN
 * ```
 */
export class StatusList {
  /** Number of entries. */
  readonly size: number;
  /** Bits per entry. */
  readonly bits: StatusBits;
  private readonly _bytes: Uint8Array;

  private constructor(bytes: Uint8Array, bits: StatusBits, size: number) {
    this._bytes = bytes;
    this.bits = bits;
    this.size = size;
  }

  /**
   * Creates a list with every entry VALID (0). This is the Urbis builder: it
   * enforces {@link MIN_STATUS_LIST_SIZE}.
   *
   * @throws UrbisError `STATUS_LIST_TOO_SMALL` below 131,072 entries;
   *   `STATUS_LIST_TOO_LARGE` above 10 MiB of packed bytes (what verifiers
   *   accept, DESIGN §4: 41,943,040 entries at 2 bits); `INVALID_ARGUMENT` for a non-integer size or `bits` outside 1, 2, 4, 8.
   */
  static create({ size, bits = 2 }: { size: number; bits?: StatusBits }): StatusList {
    if (!isStatusBits(bits)) throw new UrbisError('INVALID_ARGUMENT', 'bits must be 1, 2, 4 or 8');
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new UrbisError('INVALID_ARGUMENT', 'status list size must be a non-negative integer');
    }
    if (size < MIN_STATUS_LIST_SIZE) {
      throw new UrbisError('STATUS_LIST_TOO_SMALL', 'status list is below the minimum number of entries');
    }
    if (byteLengthFor(size, bits) > DEFAULT_MAX_DECOMPRESSED_BYTES) {
      // Verifiers refuse lists above 10 MiB decompressed (DESIGN §4): never build one.
      throw new UrbisError('STATUS_LIST_TOO_LARGE', 'status list would exceed the 10 MiB verifier limit');
    }
    return new StatusList(new Uint8Array(byteLengthFor(size, bits)), bits, size);
  }

  /**
   * Wraps already packed LSB-first bytes (decoder side: any size a spec
   * allows, no minimum). The list takes ownership of `bytes` — it is not
   * copied, so do not mutate it afterwards.
   *
   * `size` defaults to every entry the bytes can hold (`bytes.length * 8 / bits`,
   * as the IETF spec reads a decompressed list); when given it must need
   * exactly `bytes.length` bytes.
   *
   * @throws UrbisError `STATUS_LIST_MALFORMED` for an empty byte array or a
   *   size that does not match the byte length; `INVALID_ARGUMENT` for bad `bits`.
   */
  static fromBytes({ bytes, bits, size }: { bytes: Uint8Array; bits: StatusBits; size?: number }): StatusList {
    if (!isStatusBits(bits)) throw new UrbisError('INVALID_ARGUMENT', 'bits must be 1, 2, 4 or 8');
    if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
      throw new UrbisError('STATUS_LIST_MALFORMED', 'status list byte array is empty');
    }
    const entries = size ?? (bytes.length * 8) / bits;
    if (!Number.isSafeInteger(entries) || entries <= 0 || byteLengthFor(entries, bits) !== bytes.length) {
      throw new UrbisError('STATUS_LIST_MALFORMED', 'status list size does not match its byte length');
    }
    return new StatusList(bytes, bits, entries);
  }

  /**
   * Status of entry `index`.
   * @throws UrbisError `STATUS_INDEX_OUT_OF_RANGE`
   */
  get(index: number): number {
    assertStatusIndex(index, this.size);
    return readEntry(this._bytes, this.bits, index, 'lsb-first');
  }

  /**
   * Sets entry `index` to `value`, with no lifecycle rule (use
   * {@link StatusList.transition} for issuer-side updates).
   * @throws UrbisError `STATUS_INDEX_OUT_OF_RANGE`; `INVALID_ARGUMENT` when
   *   `value` does not fit in `bits`.
   */
  set(index: number, value: number): void {
    assertStatusIndex(index, this.size);
    if (!Number.isInteger(value) || value < 0 || value >= 1 << this.bits) {
      throw new UrbisError('INVALID_ARGUMENT', 'status value does not fit the list bit width');
    }
    writeEntry(this._bytes, this.bits, index, value, 'lsb-first');
  }

  /**
   * Sets entry `index` to `to` if the Urbis lifecycle allows it (see
   * {@link assertStatusTransition}).
   * @throws UrbisError `STATUS_TRANSITION_FORBIDDEN`, `STATUS_INDEX_OUT_OF_RANGE`, `INVALID_ARGUMENT`
   */
  transition(index: number, to: number): void {
    const from = this.get(index);
    assertStatusTransition({ from, to });
    this.set(index, to);
  }

  /** Length of the packed byte array. */
  get byteLength(): number {
    return this._bytes.length;
  }

  /**
   * The packed LSB-first bytes, not copied (for encoders and readers).
   * Treat as read-only; use {@link StatusList.toBytes} for a copy.
   */
  asBytes(): Uint8Array {
    return this._bytes;
  }

  /** A copy of the packed LSB-first bytes. */
  toBytes(): Uint8Array {
    return this._bytes.slice();
  }

  /** A deep copy. */
  clone(): StatusList {
    return new StatusList(this._bytes.slice(), this.bits, this.size);
  }
}

/**
 * The Urbis status lifecycle:
 * - VALID → VALID, REVOKED or SUSPENDED;
 * - SUSPENDED → VALID (suspension lifted), SUSPENDED or REVOKED;
 * - REVOKED is final: only REVOKED → REVOKED (idempotent) is allowed;
 * - RESERVED (3) and larger values are never a target, and an entry holding
 *   one is never changed by the lifecycle.
 *
 * @throws UrbisError `STATUS_TRANSITION_FORBIDDEN`
 *
 * @example
 * ```ts
 * assertStatusTransition({ from: StatusValue.SUSPENDED, to: StatusValue.VALID }); // ok
 * assertStatusTransition({ from: StatusValue.REVOKED, to: StatusValue.VALID });   // throws
 * ```
 */
export function assertStatusTransition({ from, to }: { from: number; to: number }): void {
  const lifecycle = (v: number): boolean =>
    v === StatusValue.VALID || v === StatusValue.REVOKED || v === StatusValue.SUSPENDED;
  if (!lifecycle(to) || !lifecycle(from)) {
    throw new UrbisError('STATUS_TRANSITION_FORBIDDEN', 'status value is outside the Urbis lifecycle');
  }
  if (from === StatusValue.REVOKED && to !== StatusValue.REVOKED) {
    throw new UrbisError('STATUS_TRANSITION_FORBIDDEN', 'a revoked entry cannot change status');
  }
}
