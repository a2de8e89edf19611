import { StatusList, StatusValue } from '../core/status/status-list.js';

/**
 * xorshift32 (13, 17, 5): a deterministic PRNG, so that benchmark data (and
 * sizes measured from it) are the same on every run. Returns unsigned 32-bit values.
 */
export function xorshift32(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

/**
 * A 2-bit list of `size` entries with `share` of them, distinct and drawn at
 * random, marked with the status `markOf` picks from a further random draw.
 */
export function markedList({
  random,
  size,
  share,
  markOf,
}: {
  random: () => number;
  size: number;
  share: number;
  markOf: (draw: number) => number;
}): StatusList {
  const list = StatusList.create({ size, bits: 2 });
  const target = Math.round(size * share);
  let marked = 0;
  while (marked < target) {
    const index = random() % size;
    if (list.get(index) !== StatusValue.VALID) continue;
    list.set(index, markOf(random()));
    marked++;
  }
  return list;
}
