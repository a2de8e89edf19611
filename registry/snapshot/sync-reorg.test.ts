import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FetchRequest, JsonRpcProvider, Network } from 'ethers';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import type { StatusDelta } from '../chain/status-deltas.js';
import { StatusRegistryClient } from '../chain/status-registry-client.js';
import { TrustedIssuerRegistryClient } from '../chain/trusted-issuer-registry-client.js';
import { startDeployedRegistries, type DeployedRegistries } from '../testing/deployed-registries.js';
import { buildSnapshot, buildSnapshotFromEvents } from './build-snapshot.js';
import { accreditIssuer, applyStatusBatch, comparableState, evmRevert, evmSnapshot, mineBlocks } from './chain-fixtures.js';
import { headBlock } from '../chain/head-block.js';
import { verifyAndLoadSnapshot } from './load-snapshot.js';
import type { SnapshotContent, SnapshotListSpec } from './snapshot-content.js';
import { encodeSnapshot } from './snapshot-codec.js';
import { syncSnapshot, type SyncOutcome } from './sync-snapshot.js';

/**
 * Reorgs on a real Hardhat node: `evm_snapshot` marks a block, `evm_revert`
 * drops every block after it, and the blocks mined next replace them with
 * other transactions — to a client, exactly a reorg.
 */

const crypto = createNodeCrypto();
const NOW = 1_790_000_000;

function ok(outcome: SyncOutcome): Extract<SyncOutcome, { ok: true }> {
  if (!outcome.ok) throw outcome.error;
  return outcome;
}

describe('delta sync across reorgs (real hardhat node)', () => {
  let r: DeployedRegistries;
  let writer: StatusRegistryClient;
  let specs: SnapshotListSpec[];
  const signingKey = crypto.signingKeyFromJwk({ privateJwk: crypto.generateKeyPair().privateJwk });

  const apply = (listId: number, deltas: StatusDelta[]) => applyStatusBatch({ writer, provider: r.chain.provider, listId, deltas });
  const clients = () => ({ chain: r.chain, statusClient: r.status, trustClient: r.trust });
  const build = async () => (await buildSnapshot({ ...clients(), lists: specs, signingKey, now: NOW })).content;
  const expectMatchesChain = async (content: SnapshotContent): Promise<void> => {
    const fromState = (await buildSnapshot({ ...clients(), lists: specs, signingKey, at: content.sync.blockNumber, now: NOW })).content;
    const fromEvents = await buildSnapshotFromEvents({ ...clients(), lists: specs, fromBlock: r.deployment.deploymentBlock, toBlock: content.sync.blockNumber, now: NOW });
    expect(comparableState(content)).toEqual(comparableState(fromState));
    expect(comparableState(fromEvents.content)).toEqual(comparableState(fromState));
  };
  /** Through the file format, as a terminal would keep it between syncs. */
  const persisted = async (content: SnapshotContent): Promise<SnapshotContent> =>
    (await verifyAndLoadSnapshot({ bytes: await encodeSnapshot({ content, signingKey }), trustedSigners: [signingKey.publicJwk] })).content;

  beforeAll(async () => {
    r = await startDeployedRegistries();
    const owner = await r.signers[3]!.getAddress();
    specs = [
      { listId: await r.status.createList({ owner, size: 131_072 }), uri: 'https://city-a.example/status/0' },
      { listId: await r.status.createList({ owner, size: 131_072 }), uri: 'https://city-a.example/status/1' },
    ];
    writer = r.status.connect(r.signers[3]!);
    await accreditIssuer({ trust: r.trust, did: 'did:web:city-a.example', controller: await r.signers[1]!.getAddress(), keys: [crypto.generateKeyPair().publicJwk], credentialTypes: ['ResidentCredential'], hash: crypto.hash });
    await apply(specs[0]!.listId, [{ index: 1, value: 1 }]);
  }, 120_000);

  afterAll(async () => {
    await r?.stop();
  });

  it('a reorg past the snapshot block rolls back to the newest checkpoint the chain still has, then replays the new branch', async () => {
    const [l0, l1] = specs.map((s) => s.listId) as [number, number];
    const s0 = await build();
    const fork = await evmSnapshot(r.chain.provider);

    // Branch 1: synced into s1, then dropped.
    await apply(l0, [{ index: 10, value: 2 }, { index: 11, value: 1 }]);
    await apply(l1, [{ index: 20, value: 1 }]);
    const s1 = ok(await syncSnapshot({ snapshot: s0, ...clients(), reorgDepth: 12, now: NOW })).snapshot;
    expect(s1.journal.map((c) => c.blockNumber)).toEqual([s0.sync.blockNumber]);
    expect(s1.lists[0]!.list.get(10)).toBe(2);
    const kept = await persisted(s1);

    // Branch 2 replaces it, and grows longer.
    await evmRevert(r.chain.provider, fork, r.signers);
    expect(await headBlock(r.chain.provider)).toBe(s0.sync.blockNumber);
    await apply(l1, [{ index: 30, value: 2 }]);
    await apply(l0, [{ index: 10, value: 1 }, { index: 12, value: 2 }]);
    await mineBlocks(r.chain.provider, 3);

    const outcome = ok(await syncSnapshot({ snapshot: kept, ...clients(), reorgDepth: 12, now: NOW + 60 }));
    expect(outcome.stats).toMatchObject({ rolledBackTo: s0.sync.blockNumber, rebuilt: false, listsReread: [], events: 2 });
    const l = outcome.snapshot.lists;
    expect([l[0]!.list.get(10), l[0]!.list.get(11), l[0]!.list.get(12), l[1]!.list.get(20), l[1]!.list.get(30)]).toEqual([1, 0, 2, 0, 2]);
    expect(l.map((x) => x.sequence)).toEqual([2, 1]);
    await expectMatchesChain(outcome.snapshot);
  });

  it('a reorg deeper than the journal rebuilds the snapshot from state', async () => {
    const fork = await evmSnapshot(r.chain.provider);
    await apply(specs[0]!.listId, [{ index: 40, value: 1 }]);
    const s = await build(); // journal empty: nothing to roll back to
    await evmRevert(r.chain.provider, fork, r.signers);
    await apply(specs[1]!.listId, [{ index: 41, value: 2 }]);
    await mineBlocks(r.chain.provider, 2);

    const outcome = ok(await syncSnapshot({ snapshot: s, ...clients(), now: NOW }));
    expect(outcome.stats.rebuilt).toBe(true);
    expect(outcome.snapshot.lists[0]!.list.get(40)).toBe(0);
    expect(outcome.snapshot.lists[1]!.list.get(41)).toBe(2);
    await expectMatchesChain(outcome.snapshot);
  });

  it('the journal keeps only checkpoints inside the reorg window', async () => {
    let s = await build();
    for (let i = 0; i < 4; i++) {
      await apply(specs[0]!.listId, [{ index: 50 + i, value: 2 }]);
      await mineBlocks(r.chain.provider, 1);
      s = ok(await syncSnapshot({ snapshot: s, ...clients(), reorgDepth: 4, now: NOW })).snapshot;
      for (const checkpoint of s.journal) expect(checkpoint.blockNumber).toBeGreaterThanOrEqual(s.sync.blockNumber - 4);
    }
    expect(s.journal.length).toBeGreaterThan(0);
    expect(s.journal.length).toBeLessThanOrEqual(2);
    expect(ok(await syncSnapshot({ snapshot: s, ...clients(), reorgDepth: 0, toBlock: s.sync.blockNumber + 0, now: NOW })).stats.upToDate).toBe(true);
  });

  it('a reorg while the sync runs → CHAIN_REORG_TOO_DEEP, and the snapshot is kept', async () => {
    const s = await build();
    const fork = await evmSnapshot(r.chain.provider);
    await apply(specs[0]!.listId, [{ index: 60, value: 1 }]);
    await apply(specs[0]!.listId, [{ index: 61, value: 1 }]);

    // The first eth_getLogs of the sync triggers a reorg on the node before it is answered.
    let reorganised = false;
    const request = new FetchRequest(r.node.url);
    const getUrl = FetchRequest.createGetUrlFunc();
    request.getUrlFunc = async (req, signal) => {
      if (!reorganised && req.body !== null && Buffer.from(req.body).toString().includes('"eth_getLogs"')) {
        reorganised = true;
        await evmRevert(r.chain.provider, fork, r.signers);
        await apply(specs[1]!.listId, [{ index: 62, value: 2 }]);
        await mineBlocks(r.chain.provider, 3);
      }
      return getUrl(req, signal);
    };
    const provider = new JsonRpcProvider(request, Network.from(7777), { staticNetwork: Network.from(7777) });
    try {
      const outcome = await syncSnapshot({
        snapshot: s,
        chain: { provider, chainId: 7777 },
        statusClient: new StatusRegistryClient({ address: r.status.address, provider }),
        trustClient: new TrustedIssuerRegistryClient({ address: r.trust.address, provider }),
        now: NOW,
      });
      expect(reorganised).toBe(true);
      expect(outcome).toMatchObject({ ok: false, error: { code: 'CHAIN_REORG_TOO_DEEP' } });
      expect(outcome.snapshot).toBe(s);
    } finally {
      provider.destroy();
    }
    // The next sync sees a settled chain and succeeds.
    const next = ok(await syncSnapshot({ snapshot: s, ...clients(), now: NOW }));
    expect(next.snapshot.lists[0]!.list.get(60)).toBe(0);
    expect(next.snapshot.lists[1]!.list.get(62)).toBe(2);
    await expectMatchesChain(next.snapshot);
  });
});
