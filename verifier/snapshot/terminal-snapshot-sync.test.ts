import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FetchRequest, JsonRpcProvider, Network } from 'ethers';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import type { SigningKey } from '../../core/crypto/ports.js';
import { headBlock } from '../../registry/chain/head-block.js';
import type { StatusRegistryClient } from '../../registry/chain/status-registry-client.js';
import { buildSnapshot } from '../../registry/snapshot/build-snapshot.js';
import { accreditIssuer, applyStatusBatch } from '../../registry/snapshot/chain-fixtures.js';
import type { SnapshotListSpec } from '../../registry/snapshot/snapshot-content.js';
import { freePort } from '../../registry/testing/hardhat-node.js';
import { startDeployedRegistries, type DeployedRegistries } from '../../registry/testing/deployed-registries.js';
import { openLocalSnapshotKey } from './local-snapshot-key.js';
import { openTerminalSnapshot, type TerminalSnapshot } from './terminal-snapshot.js';

const crypto = createNodeCrypto();
const CITY_A = 'did:web:city-a.example';

/** One real Hardhat node (starting one costs seconds): build → open → revoke → sync → restart → chain down → recover. */
describe('terminal snapshot: delta sync against a real hardhat node', () => {
  let r: DeployedRegistries;
  let writer: StatusRegistryClient;
  let dir: string;
  let path: string;
  let keyPath: string;
  let spec: SnapshotListSpec;
  let localSigner: SigningKey;
  let snapshot: TerminalSnapshot;
  let clockNow = 1_790_000_000;
  const clock = () => clockNow;
  const federation = crypto.generateKeyPair();
  const trustedSigners = new Map([['federation-snapshots', federation.publicJwk]]);
  const issuerKey = crypto.generateKeyPair().publicJwk;
  const statusAt = (index: number) => snapshot.ports.status.statusOf({ format: 'bitstring-status-list', uri: spec.uri, index });
  const revoke = (index: number, value: 1 | 2 = 1) => applyStatusBatch({ writer, provider: r.chain.provider, listId: spec.listId, deltas: [{ index, value }] });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'urbis-terminal-sync-'));
    path = join(dir, 'terminal.snapshot');
    keyPath = join(dir, 'terminal-snapshot-key.json');
    r = await startDeployedRegistries();
    const owner = await r.signers[3]!.getAddress();
    spec = { listId: await r.status.createList({ owner, size: 131_072 }), uri: 'https://city-a.example/status/0' };
    writer = r.status.connect(r.signers[3]!);
    await accreditIssuer({ trust: r.trust, did: CITY_A, controller: await r.signers[1]!.getAddress(), keys: [issuerKey], credentialTypes: ['ResidentCredential'], hash: crypto.hash });
    await revoke(5);
    // The federation builds and signs a snapshot; the terminal is provisioned with it.
    const built = await buildSnapshot({
      chain: r.chain,
      statusClient: r.status,
      trustClient: r.trust,
      lists: [spec],
      issuerKeys: new Map([[CITY_A, [issuerKey]]]),
      signingKey: crypto.signingKeyFromJwk({ privateJwk: federation.privateJwk, kid: 'federation-snapshots' }),
      now: clockNow,
    });
    await writeFile(path, built.bytes);
    localSigner = await openLocalSnapshotKey({ path: keyPath });
  }, 120_000);

  afterAll(async () => {
    await r?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('a revocation on chain shows after sync; the synced snapshot is saved, re-signed by the terminal, and a restart resumes from it', async () => {
    snapshot = await openTerminalSnapshot({ path, trustedSigners, localSigner, network: r.chain, clock });
    const startBlock = snapshot.health().block!;
    expect(snapshot.health()).toMatchObject({ loaded: true, signedBy: 'federation', issuers: 1, lists: 1, entries: 131_072 });
    expect([statusAt(5), statusAt(7)]).toEqual([1, 0]);

    await revoke(7);
    await revoke(8, 2);
    clockNow += 60;
    const result = await snapshot.sync();
    if (!result.ok) throw result.error;
    expect(result).toMatchObject({ ok: true, persisted: true, stats: { events: 2, changes: 2, listsReread: [], rebuilt: false } });
    expect([statusAt(5), statusAt(7), statusAt(8)]).toEqual([1, 1, 2]);
    const head = await headBlock(r.chain.provider);
    expect(snapshot.health()).toMatchObject({
      loaded: true,
      block: head,
      syncedAt: clockNow,
      ageSeconds: 0,
      signedBy: 'terminal',
      issuers: 1,
      lastSync: { at: clockNow, ok: true, block: head, events: 2, changes: 2 },
    });
    expect(head).toBeGreaterThan(startBlock);
    expect(snapshot.ports.trust(CITY_A)?.keys).toHaveLength(1);

    // Restart: the terminal's own file loads (its key), with the revocations and the reorg journal.
    clockNow += 30;
    const restarted = await openTerminalSnapshot({ path, trustedSigners, localSigner: await openLocalSnapshotKey({ path: keyPath, create: false }), network: r.chain, clock });
    expect(restarted.health()).toMatchObject({ loaded: true, block: head, ageSeconds: 30, signedBy: 'terminal', lastLoad: { ok: true, from: 'startup' } });
    expect(restarted.current()!.content.journal).toHaveLength(1);
    expect(restarted.current()!.content.journal).toEqual(snapshot.current()!.content.journal);
    expect(restarted.ports.status.statusOf({ format: 'token-status-list', uri: spec.uri, index: 7 })).toBe(1);
    snapshot = restarted;
  });

  it('a sync with the chain down keeps the last good snapshot (memory and file) and reports CHAIN_UNREACHABLE; the next sync recovers', async () => {
    const good = snapshot.current();
    const fileBefore = await readFile(path);
    await revoke(9);

    const request = new FetchRequest(`http://127.0.0.1:${await freePort()}`);
    request.timeout = 2_000;
    const dead = new JsonRpcProvider(request, Network.from(7777), { staticNetwork: Network.from(7777) });
    clockNow += 60;
    try {
      const down = await snapshot.sync({ network: { provider: dead, chainId: 7777 } });
      expect(down).toMatchObject({ ok: false, code: 'CHAIN_UNREACHABLE' });
    } finally {
      dead.destroy();
    }
    expect(snapshot.current()).toBe(good);
    expect(statusAt(9)).toBe(0);
    expect(snapshot.health()).toMatchObject({ loaded: true, ageSeconds: 90, lastSync: { at: clockNow, ok: false, code: 'CHAIN_UNREACHABLE' } });
    expect(await readFile(path)).toEqual(fileBefore);

    const wrongChain = await snapshot.sync({ network: { provider: r.chain.provider, chainId: 1 } });
    expect(wrongChain).toMatchObject({ ok: false, code: 'CHAIN_ID_MISMATCH' });

    clockNow += 10;
    const recovered = await snapshot.sync();
    expect(recovered).toMatchObject({ ok: true, stats: { events: 1 } });
    expect(statusAt(9)).toBe(1);
    expect(snapshot.health()).toMatchObject({ ageSeconds: 0, lastSync: { ok: true } });
    expect(await readFile(path)).not.toEqual(fileBefore);
  });
});
