import { hexlify, type JsonRpcProvider } from 'ethers';
import { packStatusDeltas } from '../../chain/status-deltas.js';
import type { StatusRegistryClient, StatusUpdateEvent } from '../../chain/status-registry-client.js';
import type { Outbox } from '../outbox.js';
import type { StatusChangeInput } from '../status-change.js';
import { chainStatuses, modelStatuses } from './status-model.js';

/** What {@link checkExactlyOnce} found, for `expect(...).toEqual(...)` style assertions with readable diffs. */
export interface ExactlyOnceReport {
  /** Per list: the event sequences in chain order (should be 0 … n − 1). */
  sequences: Record<number, number[]>;
  /** Per list: confirmed batches in the outbox vs. events on chain (should be equal). */
  batchesVsEvents: Record<number, { batches: number; events: number }>;
  /** Confirmed batches whose event (by sequence) has another tx hash or other deltas. */
  mismatchedBatches: number[];
  /** Confirmed, non-superseded changes not found with their value in their batch's event. */
  changesNotInTheirEvent: number[];
  /** Per list: entries whose chain status differs from the model (index → [chain, model]). */
  stateDiff: Record<number, Record<number, [number, number]>>;
  /** Changes still pending or in flight. */
  unsettled: number;
  events: Record<number, StatusUpdateEvent[]>;
}

/**
 * Compares a finished run with the chain: every list's events have contiguous
 * sequences, each confirmed batch is exactly one event (same tx hash, same
 * deltas), each confirmed change is in its batch's event, and the list state
 * read from chain storage equals the sequential model of the enqueued changes.
 * The outbox must be the only writer of the lists.
 */
export async function checkExactlyOnce({
  client,
  provider,
  outbox,
  listIds,
  changes,
  listSize,
}: {
  client: StatusRegistryClient;
  /** Straight to the node (reads the head). */
  provider: JsonRpcProvider;
  outbox: Outbox;
  listIds: readonly number[];
  changes: readonly StatusChangeInput[];
  listSize: number;
}): Promise<ExactlyOnceReport> {
  const head = await provider.getBlockNumber();
  const model = modelStatuses({ changes, listSize });
  const report: ExactlyOnceReport = { sequences: {}, batchesVsEvents: {}, mismatchedBatches: [], changesNotInTheirEvent: [], stateDiff: {}, unsettled: 0, events: {} };
  const counts = outbox.counts();
  report.unsettled = counts.pending + counts.inFlight;
  for (const listId of listIds) {
    const events = await client.fetchUpdates({ fromBlock: 0, toBlock: head, listId });
    report.events[listId] = events;
    report.sequences[listId] = events.map((e) => e.sequence);
    const confirmed = outbox.batches({ listId }).filter((b) => b.state === 'confirmed');
    report.batchesVsEvents[listId] = { batches: confirmed.length, events: events.length };
    const bySequence = new Map(events.map((e) => [e.sequence, e]));
    for (const batch of confirmed) {
      const event = bySequence.get(batch.expectedSequence);
      if (event === undefined || event.transactionHash !== batch.txHash || hexlify(packStatusDeltas(event.deltas)) !== batch.packedDeltas) report.mismatchedBatches.push(batch.id);
    }
    const batchEvent = new Map(confirmed.map((b) => [b.id, bySequence.get(b.expectedSequence)]));
    for (const change of outbox.changes({ listId, state: 'confirmed' })) {
      if (change.superseded) continue;
      const event = batchEvent.get(change.batchId!);
      if (event === undefined || !event.deltas.some((d) => d.index === change.index && d.value === change.value) || event.transactionHash !== change.txHash) {
        report.changesNotInTheirEvent.push(change.id);
      }
    }
    const onChain = await chainStatuses({ client, listId });
    const expected = model.get(listId) ?? new Map<number, number>();
    const diff: Record<number, [number, number]> = {};
    for (const index of new Set([...onChain.keys(), ...expected.keys()])) {
      const a = onChain.get(index) ?? 0;
      const b = expected.get(index) ?? 0;
      if (a !== b) diff[index] = [a, b];
    }
    report.stateDiff[listId] = diff;
  }
  return report;
}
