import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { StatusListInfo, StatusUpdateEvent } from '../chain/status-registry-client.js';
import { planBatch } from './batch-planner.js';
import { Outbox, type OutboxBatch } from './outbox.js';
import type { PublisherChain } from './publisher-chain.js';
import { reconcileBatch, sameDeltas, verifyChainBinding } from './reconcile.js';
import { backoffDelay, DEFAULT_BACKOFF, isFatalPublisherError } from './retry-policy.js';

/** A chain as a few fields, for the decisions that do not need a node. */
function fakeChain(state: { genesis: string; code: boolean; lists: Map<number, StatusListInfo>; events: StatusUpdateEvent[]; blocks: Map<number, string> }): PublisherChain {
  const unused = (): never => {
    throw new Error('not used');
  };
  return {
    chainId: 7777,
    registryAddress: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    writerAddress: async () => '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    genesisHash: async () => state.genesis,
    registryDeployed: async () => state.code,
    blockNumber: async () => 100,
    blockHash: async (n) => state.blocks.get(n),
    listInfo: async (listId) => {
      const list = state.lists.get(listId);
      if (list === undefined) throw new UrbisError('STATUS_LIST_UNKNOWN', 'no such list');
      return list;
    },
    findUpdate: async ({ listId, sequence, fromBlock }) => state.events.find((e) => e.listId === listId && e.sequence === sequence && e.blockNumber >= fromBlock),
    statusesOf: unused,
    nonces: unused,
    sendBatch: unused,
    receipt: unused,
    close: () => undefined,
  };
}

const list = (listId: number, sequence: number): StatusListInfo => ({ listId, owner: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', size: 131_072, sequence, lastUpdateBlock: 0 });
const event = (listId: number, sequence: number, deltas: StatusUpdateEvent['deltas'], blockNumber = 50): StatusUpdateEvent => ({
  listId,
  sequence,
  deltas,
  blockNumber,
  blockHash: `0xb${blockNumber}`,
  transactionHash: `0xt${blockNumber}`,
  logIndex: 0,
});

describe('reconciliation and chain binding (decisions, with a fake chain)', () => {
  let dir: string;
  let outbox: Outbox;
  let batch: OutboxBatch;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'urbis-reconcile-'));
    outbox = Outbox.open({ path: join(dir, 'o.sqlite') });
    outbox.enqueueMany([
      { listId: 0, index: 3, value: 1 },
      { listId: 0, index: 9, value: 2 },
    ]);
    batch = outbox.createBatch({ listId: 0, expectedSequence: 4, fromBlock: 40, nonce: 0, plan: planBatch({ changes: outbox.pendingChanges({ listId: 0, limit: 10 }), listSize: 131_072 }) })!;
  });
  afterEach(() => {
    outbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ours = [
    { index: 3, value: 1 as const },
    { index: 9, value: 2 as const },
  ];

  it('list still at the expected sequence → not-applied (send)', async () => {
    const chain = fakeChain({ genesis: '0xg', code: true, lists: new Map([[0, list(0, 4)]]), events: [], blocks: new Map() });
    expect(await reconcileBatch({ chain, batch })).toMatchObject({ kind: 'not-applied' });
  });

  it('sequence moved and its event carries our deltas → applied', async () => {
    const chain = fakeChain({ genesis: '0xg', code: true, lists: new Map([[0, list(0, 6)]]), events: [event(0, 4, ours)], blocks: new Map() });
    expect(await reconcileBatch({ chain, batch })).toMatchObject({ kind: 'applied', event: { sequence: 4 } });
  });

  it('sequence moved and its event carries other deltas → foreign (ours never applied)', async () => {
    const chain = fakeChain({ genesis: '0xg', code: true, lists: new Map([[0, list(0, 5)]]), events: [event(0, 4, [{ index: 3, value: 1 }])], blocks: new Map() });
    expect(await reconcileBatch({ chain, batch })).toMatchObject({ kind: 'foreign' });
  });

  it('sequence moved but no event yet → STATUS_SEQUENCE_CONFLICT (retried); sequence behind → CHAIN_REORG_TOO_DEEP', async () => {
    const moved = fakeChain({ genesis: '0xg', code: true, lists: new Map([[0, list(0, 5)]]), events: [], blocks: new Map() });
    await expect(reconcileBatch({ chain: moved, batch })).rejects.toMatchObject({ code: 'STATUS_SEQUENCE_CONFLICT' });
    const behind = fakeChain({ genesis: '0xg', code: true, lists: new Map([[0, list(0, 3)]]), events: [], blocks: new Map() });
    await expect(reconcileBatch({ chain: behind, batch })).rejects.toMatchObject({ code: 'CHAIN_REORG_TOO_DEEP' });
  });

  it('sameDeltas compares the packed bytes exactly', () => {
    expect(sameDeltas(batch.packedDeltas, ours)).toBe(true);
    expect(sameDeltas(batch.packedDeltas, [ours[1]!, ours[0]!])).toBe(true); // same set, packing sorts
    expect(sameDeltas(batch.packedDeltas, [...ours, { index: 9, value: 2 }])).toBe(false);
    expect(sameDeltas(batch.packedDeltas, [])).toBe(false);
  });

  it('binds a fresh outbox, then refuses another genesis (CHAIN_ID_MISMATCH) or another registry (INVALID_ARGUMENT)', async () => {
    const state = { genesis: '0xg1', code: true, lists: new Map([[0, list(0, 4)]]), events: [] as StatusUpdateEvent[], blocks: new Map<number, string>() };
    await verifyChainBinding({ chain: fakeChain(state), outbox, deep: true });
    expect(outbox.chainBinding()).toEqual({ chainId: 7777, genesisHash: '0xg1', registryAddress: '0x5FbDB2315678afecb367f032d93F642f64180aa3' });
    await expect(verifyChainBinding({ chain: fakeChain({ ...state, genesis: '0xg2' }), outbox, deep: false })).rejects.toMatchObject({ code: 'CHAIN_ID_MISMATCH' });
    const elsewhere = { ...fakeChain(state), registryAddress: '0x0000000000000000000000000000000000000001' };
    await expect(verifyChainBinding({ chain: elsewhere, outbox, deep: false })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('a fresh outbox and no registry code → CONTRACT_NOT_DEPLOYED (nothing bound)', async () => {
    await expect(verifyChainBinding({ chain: fakeChain({ genesis: '0xg', code: false, lists: new Map(), events: [], blocks: new Map() }), outbox, deep: true })).rejects.toMatchObject({
      code: 'CONTRACT_NOT_DEPLOYED',
    });
    expect(outbox.chainBinding()).toBeUndefined();
  });

  it('deep check: registry gone, list gone, confirmed batch lost or its block replaced → typed errors', async () => {
    outbox.markMined({ batchId: batch.id, txHash: '0xt50', blockNumber: 50, blockHash: '0xb50' });
    outbox.confirmBatch(batch.id);
    const healthy = { genesis: '0xg', code: true, lists: new Map([[0, list(0, 5)]]), events: [] as StatusUpdateEvent[], blocks: new Map([[50, '0xb50']]) };
    await verifyChainBinding({ chain: fakeChain(healthy), outbox, deep: true });
    await expect(verifyChainBinding({ chain: fakeChain({ ...healthy, code: false }), outbox, deep: true })).rejects.toMatchObject({ code: 'CONTRACT_NOT_DEPLOYED' });
    await expect(verifyChainBinding({ chain: fakeChain({ ...healthy, lists: new Map() }), outbox, deep: true })).rejects.toMatchObject({ code: 'STATUS_LIST_UNKNOWN' });
    await expect(verifyChainBinding({ chain: fakeChain({ ...healthy, lists: new Map([[0, list(0, 4)]]) }), outbox, deep: true })).rejects.toMatchObject({ code: 'CHAIN_REORG_TOO_DEEP' });
    await expect(verifyChainBinding({ chain: fakeChain({ ...healthy, blocks: new Map([[50, '0xother']]) }), outbox, deep: true })).rejects.toMatchObject({ code: 'CHAIN_REORG_TOO_DEEP' });
    // without `deep`, only the genesis is checked
    await verifyChainBinding({ chain: fakeChain({ ...healthy, code: false }), outbox, deep: false });
  });
});

describe('retry policy', () => {
  it('fatal codes stop the publisher, transport trouble does not; non-Urbis errors are bugs (fatal)', () => {
    expect(isFatalPublisherError(new UrbisError('CHAIN_ID_MISMATCH', 'x'))).toBe(true);
    expect(isFatalPublisherError(new UrbisError('CHAIN_NOT_AUTHORIZED', 'x'))).toBe(true);
    expect(isFatalPublisherError(new UrbisError('CHAIN_UNREACHABLE', 'x'))).toBe(false);
    expect(isFatalPublisherError(new UrbisError('STATUS_SEQUENCE_CONFLICT', 'x'))).toBe(false);
    expect(isFatalPublisherError(new TypeError('bug'))).toBe(true);
  });

  it('backoff grows exponentially, is capped, and jitters within [base/2, base]', () => {
    expect(backoffDelay({ attempt: 1, options: DEFAULT_BACKOFF, random: () => 1 })).toBe(250);
    expect(backoffDelay({ attempt: 3, options: DEFAULT_BACKOFF, random: () => 1 })).toBe(1_000);
    expect(backoffDelay({ attempt: 3, options: DEFAULT_BACKOFF, random: () => 0 })).toBe(500);
    expect(backoffDelay({ attempt: 30, options: DEFAULT_BACKOFF, random: () => 1 })).toBe(10_000);
  });
});
