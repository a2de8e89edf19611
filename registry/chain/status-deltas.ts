import { UrbisError } from '../../core/errors/urbis-error.js';

/** One status change: set entry `index` to `value` (0 valid, 1 revoked, 2 suspended). */
export interface StatusDelta {
  index: number;
  value: 0 | 1 | 2;
}

/** Largest index a packed delta can carry (30 bits; lists are at most 2^30 entries). */
export const MAX_DELTA_INDEX = 2 ** 30 - 1;

/**
 * Packs changes as the StatusRegistry reads them: 4 bytes each, big-endian
 * `(index << 2) | value`, sorted by index so that consecutive changes share a
 * storage word on chain (128 entries per word). When one batch names an index
 * twice, the last change wins (it is the newest).
 *
 * @throws UrbisError `INVALID_ARGUMENT` (empty batch, bad value),
 *   `STATUS_INDEX_OUT_OF_RANGE` (index not in 0 .. 2^30 - 1).
 *
 * @example
 * ```ts
 * packStatusDeltas([{ index: 7, value: 1 }]); // Uint8Array [0, 0, 0, 29]
 * ```
 */
export function packStatusDeltas(deltas: readonly StatusDelta[]): Uint8Array {
  if (deltas.length === 0) throw new UrbisError('INVALID_ARGUMENT', 'a batch has at least one change');
  const latest = new Map<number, number>();
  for (const { index, value } of deltas) {
    if (!Number.isInteger(index) || index < 0 || index > MAX_DELTA_INDEX) {
      throw new UrbisError('STATUS_INDEX_OUT_OF_RANGE', 'a status index is an integer below 2^30');
    }
    if (value !== 0 && value !== 1 && value !== 2) throw new UrbisError('INVALID_ARGUMENT', 'a status change sets 0, 1 or 2');
    latest.set(index, value);
  }
  const indices = [...latest.keys()].sort((a, b) => a - b);
  const out = new Uint8Array(indices.length * 4);
  const view = new DataView(out.buffer);
  indices.forEach((index, i) => view.setUint32(i * 4, index * 4 + latest.get(index)!, false));
  return out;
}

/**
 * Unpacks a StatusRegistry batch (as carried by the `StatusesUpdated` event).
 * @throws UrbisError `STATUS_LIST_MALFORMED` when the length is not a positive multiple of 4 or a value is 3.
 */
export function unpackStatusDeltas(packed: Uint8Array): StatusDelta[] {
  if (packed.length === 0 || packed.length % 4 !== 0) {
    throw new UrbisError('STATUS_LIST_MALFORMED', 'packed status deltas are 4 bytes each');
  }
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const out: StatusDelta[] = [];
  for (let offset = 0; offset < packed.length; offset += 4) {
    const word = view.getUint32(offset, false);
    const value = word & 3;
    if (value === 3) throw new UrbisError('STATUS_LIST_MALFORMED', 'status value 3 is reserved');
    out.push({ index: word >>> 2, value: value as 0 | 1 | 2 });
  }
  return out;
}
