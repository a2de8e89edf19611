/**
 * A TypeScript reference for `StatusRegistry` (contracts/src/StatusRegistry.sol):
 * packing and unpacking of the 4-byte deltas `(index << 2) | value`, and a
 * model of one 2-bit list with the contract's rules (revocation final,
 * value 3 reserved, index below size, batches atomic and applied in order,
 * the first offending delta naming the error). Words are 128 entries, entry
 * `i` at bits `2 * (i % 128)` of word `i / 128`, least significant first.
 */

export const ENTRIES_PER_WORD = 128;
export const MIN_LIST_SIZE = 131_072;
export const MAX_LIST_SIZE = 2 ** 30;

export const Status = { Valid: 0, Revoked: 1, Suspended: 2, Reserved: 3 } as const;

export interface Delta {
  index: number;
  value: number;
}

/** Packs deltas, in the given order, as the contract reads them. */
export function packDeltas(deltas: readonly Delta[]): Uint8Array {
  const out = new Uint8Array(deltas.length * 4);
  const view = new DataView(out.buffer);
  deltas.forEach(({ index, value }, i) => {
    if (!Number.isInteger(index) || index < 0 || index >= MAX_LIST_SIZE) throw new RangeError(`index ${index} does not fit in 30 bits`);
    if (!Number.isInteger(value) || value < 0 || value > 3) throw new RangeError(`value ${value} does not fit in 2 bits`);
    view.setUint32(i * 4, index * 4 + value);
  });
  return out;
}

/** Unpacks deltas (the `packedDeltas` of a `StatusesUpdated` event). */
export function unpackDeltas(packed: Uint8Array): Delta[] {
  if (packed.length % 4 !== 0) throw new RangeError(`packed deltas of ${packed.length} bytes`);
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const out: Delta[] = [];
  for (let i = 0; i < packed.length; i += 4) {
    const word = view.getUint32(i);
    out.push({ index: word >>> 2, value: word & 3 });
  }
  return out;
}

/** The error `updateStatuses` reverts with, as name and arguments (listId omitted where the contract puts it first). */
export type ModelError =
  | { name: 'StatusRegistryMalformedDeltas'; args: [length: number] }
  | { name: 'StatusRegistryReservedStatus'; args: [index: number] }
  | { name: 'StatusRegistryIndexOutOfRange'; args: [index: number, size: number] }
  | { name: 'StatusRegistryRevocationIsFinal'; args: [index: number] };

/** One status list as the contract keeps it. */
export class StatusListModel {
  readonly #entries = new Map<number, number>();
  sequence = 0;

  constructor(readonly size: number) {}

  get wordCount(): number {
    return Math.ceil(this.size / ENTRIES_PER_WORD);
  }

  statusOf(index: number): number {
    return this.#entries.get(index) ?? 0;
  }

  /** Applies a batch atomically; returns the error the contract would revert with, or undefined. */
  apply(deltas: readonly Delta[]): ModelError | undefined {
    if (deltas.length === 0) return { name: 'StatusRegistryMalformedDeltas', args: [0] };
    const next = new Map(this.#entries);
    for (const { index, value } of deltas) {
      if (value === Status.Reserved) return { name: 'StatusRegistryReservedStatus', args: [index] };
      if (index >= this.size) return { name: 'StatusRegistryIndexOutOfRange', args: [index, this.size] };
      const old = next.get(index) ?? 0;
      if (old === value) continue;
      if (old === Status.Revoked) return { name: 'StatusRegistryRevocationIsFinal', args: [index] };
      if (value === 0) next.delete(index);
      else next.set(index, value);
    }
    this.#entries.clear();
    for (const [k, v] of next) this.#entries.set(k, v);
    this.sequence += 1;
    return undefined;
  }

  word(w: number): bigint {
    let word = 0n;
    const first = w * ENTRIES_PER_WORD;
    for (let i = 0; i < ENTRIES_PER_WORD; i++) {
      const v = this.#entries.get(first + i);
      if (v) word |= BigInt(v) << BigInt(2 * i);
    }
    return word;
  }

  words(): bigint[] {
    return Array.from({ length: this.wordCount }, (_, w) => this.word(w));
  }

  /** Indices of words holding at least one non-zero entry. */
  nonZeroWords(): number[] {
    return [...new Set([...this.#entries.keys()].map((i) => Math.floor(i / ENTRIES_PER_WORD)))].sort((a, b) => a - b);
  }
}
