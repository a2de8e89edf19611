import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Wallet } from 'ethers';
import type { OutboxChange } from './outbox.js';
import type { StatusChangeInput } from './status-change.js';
import type { PublisherLogEntry } from './status-publisher.js';
import { checkExactlyOnce } from './testing/exactly-once.js';
import { LIST_SIZE, startPublisherFixture, waitFor, WRITER_KEY, type PublisherFixture } from './testing/publisher-fixture.js';

/** A deterministic generator (tests must be reproducible). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** `count` distinct random indices below the list size. */
function distinctIndices(random: () => number, count: number): number[] {
  const seen = new Set<number>();
  while (seen.size < count) seen.add(Math.floor(random() * LIST_SIZE));
  return [...seen];
}

describe('StatusPublisher against a real Hardhat node (through a fault-injection proxy)', () => {
  let f: PublisherFixture;
  beforeAll(async () => {
    f = await startPublisherFixture();
  }, 90_000);
  afterAll(async () => {
    await f?.close();
  });

  async function expectExactlyOnce(outbox: ReturnType<PublisherFixture['newOutbox']>, listIds: number[], changes: StatusChangeInput[]) {
    const report = await checkExactlyOnce({ client: f.reader, provider: f.registries.chain.provider, outbox, listIds, changes, listSize: LIST_SIZE });
    for (const listId of listIds) {
      const n = report.sequences[listId]!.length;
      expect(report.sequences[listId]).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(report.batchesVsEvents[listId]).toEqual({ batches: n, events: n });
      expect(report.stateDiff[listId]).toEqual({});
    }
    expect(report.mismatchedBatches).toEqual([]);
    expect(report.changesNotInTheirEvent).toEqual([]);
    expect(report.unsettled).toBe(0);
    return report;
  }

  it('2,500 changes across 2 lists, 2 confirmations: all confirmed once, one event per batch, contiguous sequences, chain state = model', async () => {
    const [a, b] = [await f.newList(), await f.newList()];
    const random = rng(1);
    const changes: StatusChangeInput[] = [];
    for (const listId of [a!, b!]) {
      const indices = distinctIndices(random, 1_100);
      // 1,100 revocations or suspensions, then 150 suspensions lifted (some in the same batch, most in a later one)
      const first = indices.map((index) => ({ listId, index, value: (index % 3 === 0 ? 1 : 2) as 0 | 1 | 2 }));
      const lifted = first.filter((c) => c.value === 2).slice(0, 150).map((c) => ({ ...c, value: 0 as const, reason: 'suspension-lifted' as const }));
      changes.push(...first, ...lifted);
    }
    // interleave the two lists in enqueue order
    changes.sort((x, y) => (x.value === 0 ? 1 : 0) - (y.value === 0 ? 1 : 0) || x.index - y.index);
    expect(changes).toHaveLength(2_500);
    const outbox = f.newOutbox('bulk');
    outbox.enqueueMany(changes);

    const confirmed: OutboxChange[] = [];
    const confirmationsSeen: number[] = [];
    const logs: PublisherLogEntry[] = [];
    const publisher = f.newPublisher({
      outbox,
      logs,
      confirmations: 2,
      onConfirmed: async (change) => {
        if (confirmed.length === 0 || confirmed[confirmed.length - 1]!.batchId !== change.batchId) {
          confirmationsSeen.push((await f.registries.chain.provider.getBlockNumber()) - change.blockNumber! + 1);
        }
        confirmed.push(change);
      },
    });
    const ticker = setInterval(() => void f.mine().catch(() => undefined), 60);
    try {
      await publisher.run({ untilIdle: true });
    } finally {
      clearInterval(ticker);
    }
    expect(outbox.counts()).toEqual({ pending: 0, inFlight: 0, confirmed: 2_500, rejected: 0 });
    expect(new Set(confirmed.map((c) => c.id)).size).toBe(2_500);
    expect(confirmed).toHaveLength(2_500);
    expect(Math.min(...confirmationsSeen)).toBeGreaterThanOrEqual(2);
    const report = await expectExactlyOnce(outbox, [a!, b!], changes);
    // at most 1,000 changes and 500 storage words per batch
    const events = [...report.events[a!]!, ...report.events[b!]!];
    expect(events.every((e) => e.deltas.length <= 1_000 && new Set(e.deltas.map((d) => d.index >> 7)).size <= 500)).toBe(true);
    expect(logs.filter((l) => l.event === 'batch-confirmed')).toHaveLength(events.length);
    expect(JSON.stringify(logs)).not.toMatch(/"index"/); // no entry indices in logs
  }, 60_000);

  it('an RPC outage (connections dropped, then JSON-RPC and HTTP errors) loses nothing: all confirmed once afterwards', async () => {
    const list = await f.newList();
    const changes = distinctIndices(rng(3), 300).map((index) => ({ listId: list, index, value: 1 as const }));
    const outbox = f.newOutbox('outage');
    outbox.enqueueMany(changes);
    const logs: PublisherLogEntry[] = [];
    const publisher = f.newPublisher({ outbox, logs, maxBatchSize: 100 });
    const removeDrop = f.proxy.addRule({ action: { kind: 'drop' } });
    publisher.start();
    await waitFor(() => logs.filter((l) => l.event === 'retry').length >= 3, { what: 'retries during the outage' });
    expect(outbox.counts().confirmed).toBe(0);
    removeDrop();
    const removeErrors = [
      f.proxy.addRule({ methods: ['eth_call'], action: { kind: 'rpc-error', code: -32603, message: 'internal error' }, times: 2 }),
      f.proxy.addRule({ methods: ['eth_getLogs', 'eth_estimateGas'], action: { kind: 'http-error', status: 503 }, times: 2 }),
    ];
    await waitFor(() => outbox.counts().confirmed === 300, { what: 'all confirmed after the outage' });
    await publisher.stop();
    removeErrors.forEach((remove) => remove());
    expect(publisher.haltedWith).toBeUndefined();
    expect(logs.some((l) => l.event === 'retry' && l.code === 'CHAIN_UNREACHABLE')).toBe(true);
    await expectExactlyOnce(outbox, [list], changes);
  }, 60_000);

  it('lost responses to eth_sendRawTransaction (the tx lands, the client sees a reset or a timeout): no double application', async () => {
    const list = await f.newList();
    const changes = distinctIndices(rng(4), 300).map((index, i) => ({ listId: list, index, value: (i % 2 === 0 ? 1 : 2) as 1 | 2 }));
    const outbox = f.newOutbox('lost-response');
    outbox.enqueueMany(changes);
    const logs: PublisherLogEntry[] = [];
    f.proxy.addRule({ methods: ['eth_sendRawTransaction'], action: { kind: 'drop' }, afterForward: true, times: 1 });
    f.proxy.addRule({ methods: ['eth_sendRawTransaction'], action: { kind: 'hang' }, afterForward: true, times: 1 });
    const sentBefore = f.proxy.seen('eth_sendRawTransaction');
    await f.newPublisher({ outbox, logs, maxBatchSize: 100 }).run({ untilIdle: true });
    f.proxy.clearRules();
    expect(f.proxy.seen('eth_sendRawTransaction') - sentBefore).toBe(3); // no resend: reconciliation found both lost batches on chain
    const mined = logs.filter((l) => l.event === 'batch-mined');
    expect(mined.map((l) => l.ownTx)).toEqual([true, true, true]); // hashes are recorded before broadcast: even a lost send is known
    expect(logs.filter((l) => l.event === 'retry' && l.code === 'CHAIN_UNREACHABLE').length).toBeGreaterThanOrEqual(2);
    const report = await expectExactlyOnce(outbox, [list], changes);
    expect(report.sequences[list]).toEqual([0, 1, 2]);
  }, 60_000);

  it('nonce conflicts: another process uses the same key in between, and a "replacement underpriced" answer → recovers, applies once', async () => {
    const list = await f.newList();
    const changes = distinctIndices(rng(5), 200).map((index) => ({ listId: list, index, value: 2 as const }));
    const outbox = f.newOutbox('nonce');
    outbox.enqueueMany(changes);
    const logs: PublisherLogEntry[] = [];
    const other = new Wallet(WRITER_KEY, f.registries.chain.provider); // the same key, another process, straight to the node
    let interfered = 0;
    f.proxy.hooks.beforeForward = async (call) => {
      if (call.method !== 'eth_sendRawTransaction' || interfered >= 1) return;
      interfered += 1;
      const tx = await other.sendTransaction({ to: other.address, value: 0n });
      await tx.wait();
    };
    f.proxy.addRule({ methods: ['eth_sendRawTransaction'], action: { kind: 'rpc-error', code: -32000, message: 'replacement transaction underpriced' }, times: 1 });
    try {
      await f.newPublisher({ outbox, logs, maxBatchSize: 100 }).run({ untilIdle: true });
    } finally {
      f.proxy.hooks.beforeForward = undefined;
      f.proxy.clearRules();
    }
    expect(interfered).toBe(1);
    expect(logs.some((l) => l.event === 'nonce-pending')).toBe(true);
    expect(logs.filter((l) => l.event === 'nonce-allocated').length).toBeGreaterThanOrEqual(1);
    const report = await expectExactlyOnce(outbox, [list], changes);
    expect(report.sequences[list]).toEqual([0, 1]);
  }, 60_000);

  it('forbidden transitions are rejected with their code while the rest of the batch applies; unknown lists and out-of-range indices too', async () => {
    const list = await f.newList();
    const [a, b, c, d, e, g, h] = distinctIndices(rng(6), 7) as [number, number, number, number, number, number, number];
    const outbox = f.newOutbox('forbidden');
    const first: StatusChangeInput[] = [
      { listId: list, index: a, value: 1 },
      { listId: list, index: b, value: 1 },
      { listId: list, index: c, value: 2 },
    ];
    outbox.enqueueMany(first);
    await f.newPublisher({ outbox }).run({ untilIdle: true });
    const second: StatusChangeInput[] = [
      { listId: list, index: a, value: 0 }, // revoked → valid: forbidden (found by the chain)
      { listId: list, index: d, value: 2 },
      { listId: list, index: e, value: 1 },
      { listId: list, index: b, value: 2 }, // revoked → suspended: forbidden (found by the chain)
      { listId: list, index: LIST_SIZE + 5, value: 1 }, // out of range
      { listId: list, index: g, value: 1 },
      { listId: list, index: g, value: 0 }, // revoked earlier in this batch: forbidden (found by the planner)
      { listId: list, index: c, value: 0 }, // suspension lifted: fine
      { listId: 987_654, index: h, value: 1 }, // no such list
    ];
    const ids = outbox.enqueueMany(second);
    const rejected: OutboxChange[] = [];
    const logs: PublisherLogEntry[] = [];
    await f.newPublisher({ outbox, logs, onRejected: (change) => void rejected.push(change) }).run({ untilIdle: true });
    const codeOf = (i: number) => outbox.change(ids[i]!)!.rejectionCode;
    expect([0, 3, 4, 6, 8].map(codeOf)).toEqual(['STATUS_TRANSITION_FORBIDDEN', 'STATUS_TRANSITION_FORBIDDEN', 'STATUS_INDEX_OUT_OF_RANGE', 'STATUS_TRANSITION_FORBIDDEN', 'STATUS_LIST_UNKNOWN']);
    expect([1, 2, 5, 7].map((i) => outbox.change(ids[i]!)!.state)).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed']);
    expect(rejected.map((r) => r.id).sort((x, y) => x - y)).toEqual([0, 3, 4, 6, 8].map((i) => ids[i]));
    expect(logs.filter((l) => l.event === 'batch-revised')).toHaveLength(2);
    const report = await expectExactlyOnce(outbox, [list], [...first, ...second]);
    expect(report.sequences[list]).toEqual([0, 1]); // the rest of the batch applied in one transaction
    expect(report.events[list]![1]!.deltas).toHaveLength(4);
  }, 60_000);

  it('a batch too large for one transaction (gas cap) is halved until it fits, at the same sequence; the rest follows in order', async () => {
    const list = await f.newList();
    const changes: StatusChangeInput[] = Array.from({ length: 40 }, (_, i) => ({ listId: list, index: 128 * i * 3 + 1, value: i % 2 === 0 ? 2 : 1 })); // 40 distinct words
    changes.push({ listId: list, index: 1, value: 0 }); // lifts the first suspension, after it
    const outbox = f.newOutbox('too-large');
    outbox.enqueueMany(changes);
    const logs: PublisherLogEntry[] = [];
    await f.newPublisher({ outbox, logs, port: { maxTxGas: 400_000 } }).run({ untilIdle: true });
    expect(logs.filter((l) => l.event === 'batch-revised' && l.reason === 'too-large').length).toBeGreaterThanOrEqual(2);
    const report = await expectExactlyOnce(outbox, [list], changes);
    expect(report.sequences[list]!.length).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('a mined batch whose block leaves the chain before N confirmations is not confirmed; it is sent again and confirmed once', async () => {
    const list = await f.newList();
    const changes = distinctIndices(rng(7), 50).map((index) => ({ listId: list, index, value: 1 as const }));
    const outbox = f.newOutbox('reorg');
    outbox.enqueueMany(changes);
    const node = f.registries.chain.provider;
    let snapshot: string | undefined;
    f.proxy.hooks.beforeForward = async (call) => {
      if (call.method === 'eth_sendRawTransaction' && snapshot === undefined) snapshot = (await node.send('evm_snapshot', [])) as string;
    };
    let ticker: ReturnType<typeof setInterval> | undefined;
    const confirmedEarly: number[] = [];
    const logs: PublisherLogEntry[] = [];
    const publisher = f.newPublisher({
      outbox,
      confirmations: 3,
      log: (entry) => {
        logs.push(entry);
        if (entry.event === 'batch-mined' && logs.filter((l) => l.event === 'batch-mined').length === 1) {
          // the block of the batch disappears (as in a reorg), then the chain moves on
          void node.send('evm_revert', [snapshot]).then(() => {
            ticker = setInterval(() => void f.mine().catch(() => undefined), 50);
          });
        }
        if (entry.event === 'batch-confirmed') confirmedEarly.push(logs.filter((l) => l.event === 'batch-reorged').length);
      },
    });
    try {
      await publisher.run({ untilIdle: true });
    } finally {
      f.proxy.hooks.beforeForward = undefined;
      clearInterval(ticker);
    }
    expect(logs.filter((l) => l.event === 'batch-reorged')).toHaveLength(1);
    expect(confirmedEarly).toEqual([1]); // confirmed only after the reorg was seen
    const report = await expectExactlyOnce(outbox, [list], changes);
    expect(report.sequences[list]).toEqual([0]);
  }, 60_000);

  it('one publisher per outbox: a second one is refused with OUTBOX_UNAVAILABLE while the first runs', async () => {
    const outbox = f.newOutbox('lease');
    const first = f.newPublisher({ outbox });
    first.start();
    await waitFor(async () => (await Promise.resolve(outbox.chainBinding())) !== undefined, { what: 'the first publisher bound the outbox' });
    await expect(f.newPublisher({ outbox }).run({ untilIdle: true })).rejects.toMatchObject({ code: 'OUTBOX_UNAVAILABLE' });
    await first.stop();
    await f.newPublisher({ outbox }).run({ untilIdle: true });
  }, 30_000);
});
