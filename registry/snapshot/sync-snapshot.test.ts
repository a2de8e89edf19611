import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FetchRequest, JsonRpcProvider, Network } from 'ethers';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { calculateJwkThumbprint } from '../../core/keys/jwk-thumbprint.js';
import type { StatusDelta } from '../chain/status-deltas.js';
import { StatusRegistryClient } from '../chain/status-registry-client.js';
import { TrustedIssuerRegistryClient, issuerIdOf } from '../chain/trusted-issuer-registry-client.js';
import { freePort } from '../testing/hardhat-node.js';
import { startDeployedRegistries, type DeployedRegistries } from '../testing/deployed-registries.js';
import { buildSnapshot, buildSnapshotFromEvents } from './build-snapshot.js';
import { accreditIssuer, applyStatusBatch, chainThumbprints, comparableState, mineBlocks } from './chain-fixtures.js';
import { headBlock } from '../chain/head-block.js';
import type { IssuerKeyMap } from './issuer-entries.js';
import { verifyAndLoadSnapshot } from './load-snapshot.js';
import { connectCountingChain } from './rpc-traffic.js';
import type { SnapshotContent, SnapshotListSpec } from './snapshot-content.js';
import { encodeSnapshot } from './snapshot-codec.js';
import { syncSnapshot, type SyncOutcome } from './sync-snapshot.js';

const crypto = createNodeCrypto();
const NOW = 1_790_000_000;
const CITY_A = 'did:web:city-a.example';
const CITY_B = 'did:web:city-b.example';

function ok(outcome: SyncOutcome): Extract<SyncOutcome, { ok: true }> {
  if (!outcome.ok) throw outcome.error;
  return outcome;
}

describe('offline snapshots: build, delta sync, federation changes, failures (real hardhat node)', () => {
  let r: DeployedRegistries;
  let writer: StatusRegistryClient;
  let specs: SnapshotListSpec[];
  let outside: number; // a list on chain the snapshot does not hold
  const snapshotKey = crypto.generateKeyPair();
  const snapshotSigner = crypto.signingKeyFromJwk({ privateJwk: snapshotKey.privateJwk, kid: 'federation-snapshots' });
  const trustedSigners = new Map([['federation-snapshots', snapshotKey.publicJwk]]);
  const keyA1 = crypto.generateKeyPair().publicJwk;
  const keyA2 = crypto.generateKeyPair().publicJwk;
  const keyB = crypto.generateKeyPair().publicJwk;
  const issuerKeys: IssuerKeyMap = new Map([
    [CITY_A, [{ publicJwk: keyA1, kid: `${CITY_A}#key-1` }, { publicJwk: keyA2, kid: '#key-2' }]],
    [CITY_B, [keyB]],
  ]);
  let synced: SnapshotContent; // the result of the first sync, reused by later tests

  const apply = (listId: number, deltas: StatusDelta[]) => applyStatusBatch({ writer, provider: r.chain.provider, listId, deltas });
  const clients = () => ({ chain: r.chain, statusClient: r.status, trustClient: r.trust });
  const rebuildFromState = async (blockNumber: number) =>
    (await buildSnapshot({ ...clients(), lists: specs, issuerKeys, signingKey: snapshotSigner, at: blockNumber, now: NOW })).content;

  beforeAll(async () => {
    r = await startDeployedRegistries();
    const owner = await r.signers[3]!.getAddress();
    const l0 = await r.status.createList({ owner, size: 131_072 });
    const l1 = await r.status.createList({ owner, size: 200_000 });
    outside = await r.status.createList({ owner, size: 131_072 });
    specs = [
      { listId: l0, uri: 'https://city-a.example/status/0' },
      { listId: l1, uri: 'https://city-a.example/status/1' },
    ];
    writer = r.status.connect(r.signers[3]!);
    await accreditIssuer({ trust: r.trust, did: CITY_A, controller: await r.signers[1]!.getAddress(), keys: [keyA1], credentialTypes: ['ResidentCredential'], hash: crypto.hash });
  }, 120_000);

  afterAll(async () => {
    await r?.stop();
  });

  it('build → status changes → sync equals a rebuild from state and a rebuild from every event since deployment', async () => {
    const [l0, l1] = specs.map((s) => s.listId) as [number, number];
    await apply(l0, [{ index: 5, value: 1 }]);
    const built = await buildSnapshot({ ...clients(), lists: specs, issuerKeys, signingKey: snapshotSigner, now: NOW });
    const loaded = await verifyAndLoadSnapshot({ bytes: built.bytes, trustedSigners, now: NOW + 30 });
    expect(loaded.ageSeconds).toBe(30);
    expect(loaded.trustedIssuers(CITY_A)).toMatchObject({ keys: [{ kid: `${CITY_A}#key-1`, publicJwk: keyA1 }], credentialTypes: ['ResidentCredential'], suspended: false });
    expect(loaded.status.statusOf({ format: 'token-status-list', uri: specs[0]!.uri, index: 5 })).toBe(1);
    const before = comparableState(loaded.content);

    await apply(l0, [{ index: 0, value: 2 }, { index: 127, value: 1 }, { index: 128, value: 2 }, { index: 131_071, value: 2 }]);
    await apply(l1, [{ index: 199_999, value: 1 }, { index: 1_000, value: 2 }]);
    await apply(outside, [{ index: 9, value: 1 }]);
    await mineBlocks(r.chain.provider, 5);
    await apply(l0, [{ index: 0, value: 0 }, { index: 128, value: 1 }, { index: 70_000, value: 2 }]);
    await apply(l1, [{ index: 1_000, value: 1 }]);

    const outcome = ok(await syncSnapshot({ snapshot: loaded.content, ...clients(), issuerKeys, pageSize: 3, now: NOW + 60 }));
    expect(outcome.stats).toMatchObject({ events: 4, changes: 10, listsReread: [], rebuilt: false, upToDate: false, fromBlock: loaded.syncPoint.blockNumber + 1 });
    expect(outcome.stats.pages).toBeGreaterThanOrEqual(4);
    expect(outcome.snapshot.sync.blockNumber).toBe(await headBlock(r.chain.provider));
    expect(outcome.snapshot.sync.syncedAt).toBe(NOW + 60);
    expect(outcome.snapshot.journal).toHaveLength(1);

    const fromState = await rebuildFromState(outcome.snapshot.sync.blockNumber);
    const fromEvents = await buildSnapshotFromEvents({ ...clients(), lists: specs, issuerKeys, fromBlock: r.deployment.deploymentBlock, toBlock: outcome.snapshot.sync.blockNumber, now: NOW });
    expect(fromEvents.stats.listsReread).toEqual([]);
    expect(fromEvents.stats.events).toBe(5);
    expect(comparableState(outcome.snapshot)).toEqual(comparableState(fromState));
    expect(comparableState(fromEvents.content)).toEqual(comparableState(fromState));

    // The input snapshot is untouched.
    expect(comparableState(loaded.content)).toEqual(before);
    expect(loaded.status.statusOf({ format: 'token-status-list', uri: specs[0]!.uri, index: 128 })).toBe(0);

    // The synced snapshot, signed and loaded, answers the new statuses.
    const reloaded = await verifyAndLoadSnapshot({ bytes: await encodeSnapshot({ content: outcome.snapshot, signingKey: snapshotSigner, iat: NOW + 60 }), trustedSigners, now: NOW + 60 });
    const status = (uri: string, index: number) => reloaded.status.statusOf({ format: 'bitstring-status-list', uri, index });
    expect([status(specs[0]!.uri, 0), status(specs[0]!.uri, 5), status(specs[0]!.uri, 127), status(specs[0]!.uri, 128), status(specs[0]!.uri, 70_000), status(specs[0]!.uri, 131_071)]).toEqual([0, 1, 1, 1, 2, 2]);
    expect([status(specs[1]!.uri, 1_000), status(specs[1]!.uri, 199_999)]).toEqual([1, 1]);
    synced = outcome.snapshot;
  });

  it('a federation change (accreditation, key rotation, suspension) appears after sync', async () => {
    const cityA = await r.signers[1]!.getAddress();
    const cityB = await r.signers[2]!.getAddress();
    await accreditIssuer({ trust: r.trust, did: CITY_B, controller: cityB, keys: [keyB], credentialTypes: ['ServiceEntitlementCredential'], hash: crypto.hash });
    await r.trust.rotateIssuerKeys({ issuerId: issuerIdOf(CITY_A), keyThumbprints: await chainThumbprints([keyA2], crypto.hash) });
    await r.trust.suspendOwnIssuer(issuerIdOf(CITY_A));
    expect(cityA).not.toBe(cityB);

    const outcome = ok(await syncSnapshot({ snapshot: synced, ...clients(), issuerKeys, now: NOW + 120 }));
    expect(outcome.stats.events).toBe(0);
    const view = await verifyAndLoadSnapshot({ bytes: await encodeSnapshot({ content: outcome.snapshot, signingKey: snapshotSigner }), trustedSigners });
    const tpA2 = await calculateJwkThumbprint({ publicJwk: keyA2, hash: crypto.hash });
    const tpB = await calculateJwkThumbprint({ publicJwk: keyB, hash: crypto.hash });
    expect(view.trustedIssuers(CITY_A)).toMatchObject({ suspended: true, keys: [{ kid: `${CITY_A}#key-2`, publicJwk: keyA2 }] });
    expect(view.content.issuers.find((i) => i.did === CITY_A)!.keyThumbprints).toEqual([tpA2]);
    expect(view.trustedIssuers(CITY_B)).toMatchObject({ suspended: false, credentialTypes: ['ServiceEntitlementCredential'], keys: [{ kid: `${CITY_B}#${tpB}`, publicJwk: keyB }] });
    expect(comparableState(outcome.snapshot)).toEqual(comparableState(await rebuildFromState(outcome.snapshot.sync.blockNumber)));

    // Without the key map, a rotated-in key is not known yet: listed by thumbprint, no key to verify with.
    const blind = ok(await syncSnapshot({ snapshot: synced, ...clients(), now: NOW + 120 }));
    const a = blind.snapshot.issuers.find((i) => i.did === CITY_A)!;
    expect(a.keyThumbprints).toEqual([tpA2]);
    expect(a.keys).toEqual([]);
    expect(blind.snapshot.issuers.find((i) => i.did === CITY_B)!.keys).toEqual([]);
    synced = outcome.snapshot;
  });

  it('a sequence gap (a missed or repeated event) re-reads that list from state', async () => {
    const l0 = specs[0]!.listId;
    await apply(l0, [{ index: 300, value: 2 }]);
    for (const shift of [-1, +1]) {
      const tampered: SnapshotContent = { ...synced, lists: synced.lists.map((l) => (l.listId === l0 ? { ...l, sequence: l.sequence + shift } : l)) };
      const outcome = ok(await syncSnapshot({ snapshot: tampered, ...clients(), issuerKeys, now: NOW + 180 }));
      expect(outcome.stats.listsReread).toEqual([l0]);
      expect(comparableState(outcome.snapshot)).toEqual(comparableState(await rebuildFromState(outcome.snapshot.sync.blockNumber)));
    }
  });

  it('nothing new: the sync only moves the sync time; confirmations keep the snapshot behind the head', async () => {
    const first = ok(await syncSnapshot({ snapshot: synced, ...clients(), issuerKeys, now: NOW + 200 }));
    const again = ok(await syncSnapshot({ snapshot: first.snapshot, ...clients(), issuerKeys, now: NOW + 300 }));
    expect(again.stats.upToDate).toBe(true);
    expect(again.snapshot.sync).toEqual({ ...first.snapshot.sync, syncedAt: NOW + 300 });
    expect(again.snapshot.lists).toBe(first.snapshot.lists);

    await apply(specs[1]!.listId, [{ index: 42, value: 2 }]);
    await mineBlocks(r.chain.provider, 1);
    const head = await headBlock(r.chain.provider);
    const behind = ok(await syncSnapshot({ snapshot: first.snapshot, ...clients(), issuerKeys, confirmations: 2, now: NOW + 400 }));
    expect(behind.snapshot.sync.blockNumber).toBe(head - 2);
    expect(behind.snapshot.lists[1]!.list.get(42)).toBe(0);
    const caughtUp = ok(await syncSnapshot({ snapshot: behind.snapshot, ...clients(), issuerKeys, now: NOW + 400 }));
    expect(caughtUp.snapshot.lists[1]!.list.get(42)).toBe(2);
    synced = caughtUp.snapshot;
  });

  it('a sync that fails returns the unchanged snapshot with a typed error', async () => {
    const frozen = comparableState(synced);
    await apply(specs[0]!.listId, [{ index: 301, value: 1 }]);

    const deadUrl = `http://127.0.0.1:${await freePort()}`;
    const deadRequest = new FetchRequest(deadUrl);
    deadRequest.timeout = 2_000;
    const dead = new JsonRpcProvider(deadRequest, Network.from(7777), { staticNetwork: Network.from(7777) });
    const unreachable = await syncSnapshot({
      snapshot: synced,
      chain: { provider: dead, chainId: 7777 },
      statusClient: new StatusRegistryClient({ address: r.status.address, provider: dead }),
      trustClient: new TrustedIssuerRegistryClient({ address: r.trust.address, provider: dead }),
    });
    dead.destroy();
    expect(unreachable).toMatchObject({ ok: false, error: { code: 'CHAIN_UNREACHABLE' } });
    expect(unreachable.snapshot).toBe(synced);

    // The RPC fails in the middle of the sync (eth_getLogs), after other calls succeeded.
    const flaky = new FetchRequest(r.node.url);
    const getUrl = FetchRequest.createGetUrlFunc();
    flaky.getUrlFunc = async (req, signal) => {
      if (req.body !== null && Buffer.from(req.body).toString().includes('"eth_getLogs"')) {
        throw Object.assign(new Error('connection reset'), { code: 'ECONNRESET' });
      }
      return getUrl(req, signal);
    };
    const flakyProvider = new JsonRpcProvider(flaky, Network.from(7777), { staticNetwork: Network.from(7777) });
    const midway = await syncSnapshot({
      snapshot: synced,
      chain: { provider: flakyProvider, chainId: 7777 },
      statusClient: new StatusRegistryClient({ address: r.status.address, provider: flakyProvider }),
      trustClient: new TrustedIssuerRegistryClient({ address: r.trust.address, provider: flakyProvider }),
    });
    flakyProvider.destroy();
    expect(midway).toMatchObject({ ok: false, error: { code: 'CHAIN_UNREACHABLE' } });
    expect(midway.snapshot).toBe(synced);

    expect(await syncSnapshot({ snapshot: synced, ...clients(), chain: { provider: r.chain.provider, chainId: 1 } })).toMatchObject({ ok: false, error: { code: 'CHAIN_ID_MISMATCH' } });
    const otherRegistry = new StatusRegistryClient({ address: r.trust.address, provider: r.chain.provider });
    expect(await syncSnapshot({ snapshot: synced, ...clients(), statusClient: otherRegistry })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(await syncSnapshot({ snapshot: synced, ...clients(), pageSize: 0 })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });

    expect(comparableState(synced)).toEqual(frozen);
    // …and the next sync over a working connection succeeds from it.
    const recovered = ok(await syncSnapshot({ snapshot: synced, ...clients(), issuerKeys }));
    expect(recovered.snapshot.lists[0]!.list.get(301)).toBe(1);
    synced = recovered.snapshot;
  });

  it('a built snapshot signed by a key the terminal does not accept → SNAPSHOT_SIGNER_UNKNOWN; an unknown list → STATUS_LIST_UNKNOWN', async () => {
    const built = await buildSnapshot({ ...clients(), lists: specs, issuerKeys, signingKey: snapshotSigner, now: NOW });
    await expect(verifyAndLoadSnapshot({ bytes: built.bytes, trustedSigners: [crypto.generateKeyPair().publicJwk] })).rejects.toMatchObject({ code: 'SNAPSHOT_SIGNER_UNKNOWN' });
    await expect(buildSnapshot({ ...clients(), lists: [{ listId: 99, uri: 'https://x.example/99' }], signingKey: snapshotSigner })).rejects.toMatchObject({ code: 'STATUS_LIST_UNKNOWN' });
    await expect(buildSnapshot({ ...clients(), lists: [specs[0]!, { ...specs[1]!, uri: specs[0]!.uri }], signingKey: snapshotSigner })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('delta sync of 1,000 changes in one batch: under 50 KB of JSON-RPC responses', async () => {
    const counting = await connectCountingChain({ rpcUrl: r.node.url, chainId: 7777 });
    try {
      const statusClient = new StatusRegistryClient({ address: r.status.address, provider: counting.provider });
      const trustClient = new TrustedIssuerRegistryClient({ address: r.trust.address, provider: counting.provider });
      const start = ok(await syncSnapshot({ snapshot: synced, chain: counting, statusClient, trustClient, issuerKeys })).snapshot;
      const indices = new Set<number>();
      for (let i = 0; indices.size < 1_000; i++) indices.add((i * 104_729 + 17) % 131_072);
      const deltas = [...indices].filter((index) => start.lists[0]!.list.get(index) !== 1).map((index, i) => ({ index, value: (i % 3 === 0 ? 2 : 1) as 1 | 2 }));
      await apply(specs[0]!.listId, deltas);
      const outcome = ok(await syncSnapshot({ snapshot: start, chain: counting, statusClient, trustClient, issuerKeys, traffic: counting.traffic }));
      expect(outcome.stats.changes).toBe(deltas.length);
      expect(outcome.stats.rpc!.responseBytes).toBeLessThan(50_000);
      expect(outcome.stats.rpc!.requests).toBeLessThan(20);
      expect(comparableState(outcome.snapshot)).toEqual(comparableState(await rebuildFromState(outcome.snapshot.sync.blockNumber)));
    } finally {
      counting.close();
    }
  });
});
