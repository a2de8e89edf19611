import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { startDeployedRegistries } from '../testing/deployed-registries.js';
import { Outbox } from './outbox.js';
import type { StatusChangeInput } from './status-change.js';
import type { PublisherLogEntry } from './status-publisher.js';
import { checkExactlyOnce } from './testing/exactly-once.js';
import { startPublisherChild, type PublisherChild } from './testing/publisher-child.js';
import { LIST_SIZE, startPublisherFixture, waitFor, WRITER_KEY, type PublisherFixture } from './testing/publisher-fixture.js';

describe('StatusPublisher: its own crash mid-batch, and a chain that restarts empty (real Hardhat node)', () => {
  let f: PublisherFixture;
  beforeAll(async () => {
    f = await startPublisherFixture();
  }, 90_000);
  afterAll(async () => {
    await f?.close();
  });

  it('SIGKILLed right after sending a batch (tx landed), then right before (tx lost): restarted on the same file, every change applies exactly once', async () => {
    const lists = [await f.newList(), await f.newList()];
    const changes: StatusChangeInput[] = [];
    for (let i = 0; i < 600; i++) changes.push({ listId: lists[i % 2]!, index: 1_000 + i * 97, value: i % 5 === 0 ? 1 : 2 });
    // suspensions lifted later (other batches): the same index twice, in order
    for (let i = 1; i < 120; i += 5) changes.push({ listId: lists[i % 2]!, index: 1_000 + i * 97, value: 0, reason: 'suspension-lifted' });
    const outboxPath = join(f.dir, 'crash.sqlite');
    const outbox = Outbox.open({ path: outboxPath });
    outbox.enqueueMany(changes);
    outbox.close();
    const config = { outboxPath, rpcUrl: f.proxy.url, chainId: 7777, registryAddress: f.registries.deployment.statusRegistry, privateKey: WRITER_KEY, maxBatchSize: 100 };

    // 1. killed right after its 2nd batch reached the node (the tx is mined; the response never arrives)
    let child: PublisherChild;
    let sends = 0;
    f.proxy.hooks.afterForward = (call) => {
      if (call.method === 'eth_sendRawTransaction' && ++sends === 2) child.kill();
    };
    child = startPublisherChild(config);
    expect(await child.exited).toMatchObject({ signal: 'SIGKILL' });
    const afterFirst = Outbox.open({ path: outboxPath });
    expect(afterFirst.counts()).toMatchObject({ confirmed: 100, inFlight: 100 });
    expect(afterFirst.openBatches()).toHaveLength(1);
    afterFirst.close();

    // 2. restarted, it reconciles the landed batch, plans the next one and is killed before that one reaches the node
    f.proxy.hooks.afterForward = undefined;
    f.proxy.hooks.beforeForward = (call) => {
      if (call.method !== 'eth_sendRawTransaction') return;
      child.kill();
      return 'drop';
    };
    child = startPublisherChild(config);
    expect(await child.exited).toMatchObject({ signal: 'SIGKILL' });
    const recovered = child.lines.filter((l) => l.event === 'batch-mined') as unknown as PublisherLogEntry[];
    expect(recovered).toHaveLength(1); // found by reconciliation, with the hash recorded before broadcast
    expect(recovered[0]).toMatchObject({ listId: lists[1], sequence: 0, ownTx: true });

    // 3. restarted again, no faults: it resends the lost batch with the same sequence and finishes
    f.proxy.hooks.beforeForward = undefined;
    child = startPublisherChild(config);
    const exit = await child.exited;
    expect({ exit, last: child.lines[child.lines.length - 1] }).toMatchObject({ exit: { code: 0 }, last: { idle: true } });

    const done = Outbox.open({ path: outboxPath });
    try {
      const report = await checkExactlyOnce({ client: f.reader, provider: f.registries.chain.provider, outbox: done, listIds: lists, changes, listSize: LIST_SIZE });
      for (const listId of lists) {
        const n = report.sequences[listId]!.length;
        expect(report.sequences[listId]).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(report.batchesVsEvents[listId]).toEqual({ batches: n, events: n });
        expect(report.stateDiff[listId]).toEqual({});
      }
      expect(report.mismatchedBatches).toEqual([]);
      expect(report.changesNotInTheirEvent).toEqual([]);
      expect(done.counts()).toEqual({ pending: 0, inFlight: 0, confirmed: changes.length, rejected: 0 });
      // each change in exactly one applied batch: the events carry exactly one delta per change (no superseding across these batches)
      const applied = lists.flatMap((listId) => report.events[listId]!.flatMap((e) => e.deltas.map((d) => `${listId}:${d.index}:${d.value}`)));
      expect(applied.sort()).toEqual(changes.map((c) => `${c.listId}:${c.index}:${c.value}`).sort());
    } finally {
      done.close();
    }
  }, 60_000);

  it('a Hardhat node restarted (a new, empty chain at the same URL, registries redeployed at the same addresses) → CHAIN_ID_MISMATCH, outbox intact', async () => {
    const list = await f.newList();
    const outbox = f.newOutbox('restart');
    outbox.enqueueMany(Array.from({ length: 50 }, (_, i) => ({ listId: list, index: 10 * i, value: 1 as const })));
    await f.newPublisher({ outbox }).run({ untilIdle: true });
    const confirmedBefore = outbox.changes({ state: 'confirmed' });
    expect(confirmedBefore).toHaveLength(50);
    outbox.enqueueMany(Array.from({ length: 50 }, (_, i) => ({ listId: list, index: 10 * i + 1, value: 2 as const })));

    // the next batch never reaches the node; meanwhile the node dies and a new one starts
    f.proxy.addRule({ methods: ['eth_sendRawTransaction'], action: { kind: 'drop' } });
    const logs: PublisherLogEntry[] = [];
    const publisher = f.newPublisher({ outbox, logs });
    publisher.start();
    await waitFor(() => logs.some((l) => l.event === 'retry'), { what: 'the first failed send' });
    await f.registries.node.stop();
    await waitFor(() => logs.filter((l) => l.event === 'retry').length >= 3, { what: 'retries while the node is down' });
    const restarted = await startDeployedRegistries();
    try {
      expect(restarted.deployment.statusRegistry).toBe(f.registries.deployment.statusRegistry);
      for (let id = 0; id <= list; id++) await restarted.status.createList({ owner: f.writerAddress, size: LIST_SIZE }); // same list ids exist again
      f.proxy.clearRules();
      f.proxy.setTarget(restarted.node.url);
      await waitFor(() => publisher.haltedWith !== undefined, { what: 'the publisher to halt' });
      expect(publisher.haltedWith).toMatchObject({ code: 'CHAIN_ID_MISMATCH' });
      await publisher.stop();

      // outbox intact: the 50 confirmed stay as they were, the 50 others are not confirmed, nothing reached the new chain
      expect(outbox.changes({ state: 'confirmed' })).toEqual(confirmedBefore);
      expect(outbox.counts()).toMatchObject({ confirmed: 50, rejected: 0 });
      expect(outbox.counts().pending + outbox.counts().inFlight).toBe(50);
      const newChainReader = restarted.status;
      expect(await newChainReader.fetchUpdates({ fromBlock: 0, toBlock: await restarted.chain.provider.getBlockNumber() })).toEqual([]);
      // and a new publisher on that outbox refuses the new chain at once
      await expect(f.newPublisher({ outbox }).run({ untilIdle: true })).rejects.toMatchObject({ code: 'CHAIN_ID_MISMATCH' });
    } finally {
      await restarted.stop();
    }
  }, 90_000);
});
