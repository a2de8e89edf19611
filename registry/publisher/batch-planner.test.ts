import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { planBatch, type PlannableChange } from './batch-planner.js';

const SIZE = 131_072;

describe('planBatch (pure: sort, dedupe, refuse)', () => {
  it('sorts deltas by index, one per index', () => {
    const plan = planBatch({
      changes: [
        { id: 1, index: 900, value: 1 },
        { id: 2, index: 7, value: 2 },
        { id: 3, index: 128, value: 1 },
      ],
      listSize: SIZE,
    });
    expect(plan.deltas).toEqual([
      { index: 7, value: 2 },
      { index: 128, value: 1 },
      { index: 900, value: 1 },
    ]);
    expect(plan.applied).toEqual([2, 3, 1]);
    expect(plan.superseded).toEqual([]);
    expect(plan.rejected).toEqual([]);
  });

  it('the same index twice: the newest change wins, the older is superseded (suspend then unsuspend ends valid)', () => {
    const plan = planBatch({
      changes: [
        { id: 10, index: 5, value: 2 },
        { id: 11, index: 5, value: 0 },
      ],
      listSize: SIZE,
    });
    expect(plan.deltas).toEqual([{ index: 5, value: 0 }]);
    expect(plan.applied).toEqual([11]);
    expect(plan.superseded).toEqual([10]);
  });

  it('enqueue order is the id order, whatever order the changes are given in', () => {
    const plan = planBatch({
      changes: [
        { id: 11, index: 5, value: 0 },
        { id: 10, index: 5, value: 2 },
      ],
      listSize: SIZE,
    });
    expect(plan.deltas).toEqual([{ index: 5, value: 0 }]);
  });

  it('revoked then anything else in one batch: the later change is refused, the revocation stays', () => {
    const plan = planBatch({
      changes: [
        { id: 1, index: 5, value: 1 },
        { id: 2, index: 5, value: 0 },
        { id: 3, index: 5, value: 2 },
        { id: 4, index: 5, value: 1 },
      ],
      listSize: SIZE,
    });
    expect(plan.deltas).toEqual([{ index: 5, value: 1 }]);
    expect(plan.applied).toEqual([4]);
    expect(plan.superseded).toEqual([1]);
    expect(plan.rejected).toEqual([
      { id: 2, code: 'STATUS_TRANSITION_FORBIDDEN' },
      { id: 3, code: 'STATUS_TRANSITION_FORBIDDEN' },
    ]);
  });

  it('revoked on chain: changes to 0 or 2 are refused, a repeated revocation is kept (a no-op on chain)', () => {
    const plan = planBatch({
      changes: [
        { id: 1, index: 5, value: 2 },
        { id: 2, index: 6, value: 2 },
        { id: 3, index: 5, value: 1 },
      ],
      listSize: SIZE,
      revokedOnChain: new Set([5]),
    });
    expect(plan.deltas).toEqual([
      { index: 5, value: 1 },
      { index: 6, value: 2 },
    ]);
    expect(plan.rejected).toEqual([{ id: 1, code: 'STATUS_TRANSITION_FORBIDDEN' }]);
  });

  it('an index at or above the list size is refused with STATUS_INDEX_OUT_OF_RANGE', () => {
    const plan = planBatch({
      changes: [
        { id: 1, index: SIZE, value: 1 },
        { id: 2, index: SIZE - 1, value: 1 },
      ],
      listSize: SIZE,
    });
    expect(plan.deltas).toEqual([{ index: SIZE - 1, value: 1 }]);
    expect(plan.rejected).toEqual([{ id: 1, code: 'STATUS_INDEX_OUT_OF_RANGE' }]);
  });

  it('everything refused: no delta', () => {
    expect(planBatch({ changes: [{ id: 1, index: 3, value: 0 }], listSize: SIZE, revokedOnChain: new Set([3]) }).deltas).toEqual([]);
  });

  it('property: applying the plan equals applying the changes one by one (revocation final), and every change is accounted for once', () => {
    const change = fc.record({ index: fc.integer({ min: 0, max: 40 }), value: fc.constantFrom(0 as const, 1 as const, 2 as const) });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 80 }), fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 5 }), (raw, revokedList) => {
        const changes: PlannableChange[] = raw.map((c, i) => ({ id: i + 1, ...c }));
        const revoked = new Set(revokedList);
        const plan = planBatch({ changes, listSize: 38, revokedOnChain: revoked });
        // sequential model
        const model = new Map<number, number>([...revoked].map((i) => [i, 1]));
        for (const c of changes) if (c.index < 38 && !(model.get(c.index) === 1 && c.value !== 1)) model.set(c.index, c.value);
        const after = new Map<number, number>([...revoked].map((i) => [i, 1]));
        for (const d of plan.deltas) after.set(d.index, d.value);
        const nonZero = (m: Map<number, number>) => [...m].filter(([, v]) => v !== 0).sort((a, b) => a[0] - b[0]);
        expect(nonZero(after)).toEqual(nonZero(model));
        const ids = [...plan.applied, ...plan.superseded, ...plan.rejected.map((r) => r.id)].sort((a, b) => a - b);
        expect(ids).toEqual(changes.map((c) => c.id));
        expect(plan.deltas.map((d) => d.index)).toEqual([...new Set(plan.deltas.map((d) => d.index))].sort((a, b) => a - b));
      }),
    );
  });
});
