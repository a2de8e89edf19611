import type { RandomBytes } from '../crypto/ports.js';
import { UrbisError } from '../errors/urbis-error.js';

/**
 * Random status-index allocation (DESIGN §2, §3; W3C Bitstring Status List
 * §2.1 "Implementations SHOULD assign indexes randomly"; IETF draft
 * "Default Values and Double Allocation"): each credential copy gets a fresh
 * index drawn uniformly from the unused ones, never reused.
 *
 * Fill threshold: allocation stops at 90% of the list ({@link DEFAULT_MAX_FILL_RATIO}).
 * Past that point random draws get slow (1 in 10 draws hits a free index at
 * 90%, 1 in 100 at 99%) and, more importantly, the few free indices left
 * become guessable: the next credential's index is one of a small known set,
 * which weakens the herd privacy the list size is there for. The issuer opens
 * a new list instead.
 */

/** Allocation stops when the list would be more than 90% used. */
export const DEFAULT_MAX_FILL_RATIO = 0.9;

/** Largest list the allocator draws from (32-bit candidates). */
export const MAX_ALLOCATABLE_SIZE = 2 ** 32;

/** Random bytes fetched per refill (candidates are 4 bytes each). */
const BATCH_CANDIDATES = 256;

/**
 * Draws `count` distinct indices uniformly at random from `[0, size)`, none of
 * which `isUsed` reports as taken. Rejection sampling on 32-bit draws masked
 * to the next power of two (no modulo bias): a draw ≥ `size`, already used,
 * or already picked in this call is thrown away and drawn again.
 *
 * `usedCount` is the number of indices already taken (the issuer's allocation
 * table knows it). The call is refused when `usedCount + count` would exceed
 * `floor(size * maxFillRatio)`. A safety budget on draws (a 2^-64 failure
 * chance while the fill is honest) also catches an `isUsed` that reports more
 * taken indices than `usedCount` says.
 *
 * @throws UrbisError `STATUS_INDICES_EXHAUSTED` when the list is too full;
 *   `INVALID_ARGUMENT` for a bad size, count, usedCount or ratio, or a
 *   random source returning the wrong length.
 *
 * @example
 * ```ts
 * const taken = new Set<number>(existingIndices);
 * const indices = allocateStatusIndices({
 *   size: 131_072,
 *   count: 10,                  // one per one-time credential copy
 *   usedCount: taken.size,
 *   isUsed: (i) => taken.has(i),
 *   randomBytes: crypto.randomBytes,
 * });
 * ```
 */
export function allocateStatusIndices({
  size,
  count,
  usedCount,
  isUsed,
  randomBytes,
  maxFillRatio = DEFAULT_MAX_FILL_RATIO,
}: {
  size: number;
  count: number;
  usedCount: number;
  isUsed: (index: number) => boolean;
  randomBytes: RandomBytes;
  maxFillRatio?: number;
}): number[] {
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_ALLOCATABLE_SIZE) {
    throw new UrbisError('INVALID_ARGUMENT', 'size must be an integer between 1 and 2^32');
  }
  if (!Number.isSafeInteger(count) || count < 0) throw new UrbisError('INVALID_ARGUMENT', 'count must be a non-negative integer');
  if (!Number.isSafeInteger(usedCount) || usedCount < 0 || usedCount > size) {
    throw new UrbisError('INVALID_ARGUMENT', 'usedCount must be an integer between 0 and size');
  }
  if (typeof maxFillRatio !== 'number' || !(maxFillRatio > 0 && maxFillRatio <= 1)) {
    throw new UrbisError('INVALID_ARGUMENT', 'maxFillRatio must be in (0, 1]');
  }
  if (usedCount + count > Math.floor(size * maxFillRatio)) {
    throw new UrbisError('STATUS_INDICES_EXHAUSTED', 'status list is too full to allocate more indices');
  }
  if (count === 0) return [];

  const mask = candidateMask(size);
  // Chance that one draw lands on a free index, at worst: the fill is at most
  // maxFillRatio (≤ the threshold) and the power-of-two mask wastes < half.
  const freeShare = Math.max(1 - (usedCount + count) / size, 1 / size);
  const hitChance = freeShare * (size / (mask + 1));
  // Draws after which a sequence of misses has probability < 2^-64, per index.
  const missBudget = Math.ceil(64 / -Math.log2(1 - Math.min(hitChance, 0.999999)));
  const maxDraws = count * missBudget + 1024;

  const picked = new Set<number>();
  const out: number[] = [];
  let draws = 0;
  let pool: Uint8Array = new Uint8Array(0);
  let offset = 0;
  while (out.length < count) {
    if (draws++ >= maxDraws) {
      throw new UrbisError('STATUS_INDICES_EXHAUSTED', 'no free status index found within the draw budget');
    }
    if (offset + 4 > pool.length) {
      pool = randomBytes(BATCH_CANDIDATES * 4);
      if (!(pool instanceof Uint8Array) || pool.length !== BATCH_CANDIDATES * 4) {
        throw new UrbisError('INVALID_ARGUMENT', 'random source returned the wrong number of bytes');
      }
      offset = 0;
    }
    const word = ((pool[offset]! << 24) | (pool[offset + 1]! << 16) | (pool[offset + 2]! << 8) | pool[offset + 3]!) >>> 0;
    offset += 4;
    const candidate = (word & mask) >>> 0;
    if (candidate >= size || picked.has(candidate) || isUsed(candidate)) continue;
    picked.add(candidate);
    out.push(candidate);
  }
  return out;
}

/** 2^k − 1 for the smallest k with 2^k ≥ size (so masked draws are uniform on [0, 2^k)). */
function candidateMask(size: number): number {
  let k = 0;
  while (2 ** k < size) k++;
  return 2 ** k - 1;
}
