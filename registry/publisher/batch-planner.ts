import type { StatusDelta } from '../chain/status-deltas.js';
import { ENTRIES_PER_WORD } from '../chain/status-registry-client.js';
import type { StatusValue } from './status-change.js';

/** A change as the planner sees it: its outbox id (enqueue order) and what it sets. */
export interface PlannableChange {
  id: number;
  index: number;
  value: StatusValue;
}

/** Why the planner refuses a change for good. */
export type PlanRejectionCode = 'STATUS_TRANSITION_FORBIDDEN' | 'STATUS_INDEX_OUT_OF_RANGE';

/** One batch for one list, ready to be packed and sent. */
export interface BatchPlan {
  /** One delta per index, sorted by index (the order the contract applies cheapest). */
  deltas: StatusDelta[];
  /** Ids of the changes whose value is sent (one per delta, in delta order). */
  applied: number[];
  /** Ids of changes overwritten by a newer change to the same index in this batch: they are settled with the batch. */
  superseded: number[];
  /** Changes that can never apply, with the code they are rejected with. */
  rejected: { id: number; code: PlanRejectionCode }[];
}

/**
 * Plans one batch for one list from changes in enqueue order, so that the
 * batch has the effect of applying the changes one by one:
 *
 * - an index at or above `listSize` is rejected (`STATUS_INDEX_OUT_OF_RANGE`);
 * - revocation is final: once an index is revoked (on chain, per
 *   `revokedOnChain`, or by an earlier change of this batch), a later change
 *   to 0 or 2 is rejected (`STATUS_TRANSITION_FORBIDDEN`);
 * - when an index appears more than once, the newest change is sent and the
 *   older ones are `superseded` (suspend then unsuspend ends valid);
 * - deltas are sorted by index;
 * - with `maxWords`, the batch stops before the first change that would make
 *   it touch more than `maxWords` distinct storage words (128 entries each):
 *   that change and every later one stay pending for the next batch (the
 *   batch is always a prefix, in enqueue order, of the changes given). Gas
 *   grows with the words a batch writes (about 22,100 gas for a word never
 *   written before), not with its deltas.
 *
 * Pure: no chain, no outbox. Grouping per list and the batch size limit are
 * applied by the caller's query (the first `maxBatchSize` pending changes of
 * one list, in enqueue order), which keeps later changes to an index in later
 * batches.
 *
 * @example
 * ```ts
 * planBatch({
 *   changes: [{ id: 1, index: 9, value: 2 }, { id: 2, index: 3, value: 1 }, { id: 3, index: 9, value: 0 }],
 *   listSize: 131_072,
 * });
 * // { deltas: [{ index: 3, value: 1 }, { index: 9, value: 0 }], applied: [2, 3], superseded: [1], rejected: [] }
 * ```
 */
export function planBatch({
  changes,
  listSize,
  revokedOnChain = new Set<number>(),
  maxWords = Number.POSITIVE_INFINITY,
}: {
  changes: readonly PlannableChange[];
  listSize: number;
  revokedOnChain?: ReadonlySet<number>;
  maxWords?: number;
}): BatchPlan {
  const ordered = [...changes].sort((a, b) => a.id - b.id);
  const latest = new Map<number, { id: number; value: StatusValue; revoked: boolean }>();
  const superseded: number[] = [];
  const rejected: BatchPlan['rejected'] = [];
  const words = new Set<number>();
  for (const change of ordered) {
    const word = Math.floor(change.index / ENTRIES_PER_WORD);
    if (change.index < listSize && !words.has(word)) {
      if (words.size >= maxWords) break;
      words.add(word);
    }
    if (change.index >= listSize) {
      rejected.push({ id: change.id, code: 'STATUS_INDEX_OUT_OF_RANGE' });
      continue;
    }
    const entry = latest.get(change.index);
    const revoked = entry?.revoked ?? revokedOnChain.has(change.index);
    if (revoked && change.value !== 1) {
      rejected.push({ id: change.id, code: 'STATUS_TRANSITION_FORBIDDEN' });
      continue;
    }
    if (entry !== undefined) superseded.push(entry.id);
    latest.set(change.index, { id: change.id, value: change.value, revoked: revoked || change.value === 1 });
  }
  const indices = [...latest.keys()].sort((a, b) => a - b);
  return {
    deltas: indices.map((index) => ({ index, value: latest.get(index)!.value })),
    applied: indices.map((index) => latest.get(index)!.id),
    superseded: superseded.sort((a, b) => a - b),
    rejected,
  };
}
