/**
 * Terminal snapshot benchmark (issue #3):
 *
 * 1. Size on disk and load time of a snapshot holding 10 status lists of
 *    1,000,000 entries each, 1% of entries (distinct, at random) revoked or
 *    suspended (3 revoked for 1 suspended), and 20 trusted issuers with two
 *    keys each. Built directly from `StatusList`s (no chain). Load = what a
 *    terminal does at start: framing, ES256 signature over the SHA-256 of the
 *    body, header parse, inflation of every list, readers and issuer lookup
 *    (`verifyAndLoadSnapshot`), from bytes in memory. Median of several runs.
 *    Goals: < 10 MB, < 50 ms.
 * 2. Delta sync of 1,000 status changes against a real `hardhat node`, from a
 *    snapshot of 10 lists × 131,072 entries (the Urbis minimum; the bytes of a
 *    delta sync do not depend on list size, and 1,000 random changes in a
 *    fresh 1,000,000-entry list touch ~1,000 zero words, over a block's gas)
 *    and 3 accredited issuers (two keys each), built from chain state: bytes
 *    of JSON-RPC request and response bodies (counted on the provider's
 *    HTTP exchanges), the time to apply the events to the lists, and the
 *    whole sync's time (medians over repeated syncs of the same input). Three
 *    shapes of the same 1,000 changes: one batch (one transaction), ten
 *    batches of 100 (one per list, as the publisher batches), and 1,000
 *    single-change transactions (no batching, the worst case).
 *    Goal: < 50 KB over the wire.
 *
 * Writes no files; returns a report for `bench/run.ts`.
 */
import { performance } from 'node:perf_hooks';
import { createNodeCrypto } from '../core/crypto/node-crypto.js';
import { calculateJwkThumbprint } from '../core/keys/jwk-thumbprint.js';
import { StatusValue } from '../core/status/status-list.js';
import { markedList, xorshift32 } from './bench-data.js';
import { median } from './measure.js';
import type { StatusDelta } from '../registry/chain/status-deltas.js';
import { StatusRegistryClient } from '../registry/chain/status-registry-client.js';
import { TrustedIssuerRegistryClient } from '../registry/chain/trusted-issuer-registry-client.js';
import { buildSnapshot } from '../registry/snapshot/build-snapshot.js';
import { accreditIssuer, applyStatusBatch, waitMined } from '../registry/snapshot/chain-fixtures.js';
import { readListInfo } from '../registry/publish/read-list-from-chain.js';
import { headBlock } from '../registry/chain/head-block.js';
import { verifyAndLoadSnapshot } from '../registry/snapshot/load-snapshot.js';
import { connectCountingChain } from '../registry/snapshot/rpc-traffic.js';
import type { SnapshotContent, SnapshotIssuer } from '../registry/snapshot/snapshot-content.js';
import { encodeSnapshot } from '../registry/snapshot/snapshot-codec.js';
import { syncSnapshot, type SyncStats } from '../registry/snapshot/sync-snapshot.js';
import { startDeployedRegistries } from '../registry/testing/deployed-registries.js';

export interface SnapshotSizeReport {
  lists: number;
  entriesPerList: number;
  markedShare: number;
  issuers: number;
  /** Bytes of the signed snapshot file. */
  bytesOnDisk: number;
  /** The lists' raw 2-bit bytes, for comparison. */
  rawListBytes: number;
  encodeMs: number;
  loadMsMedian: number;
  loadMsMin: number;
  loadRuns: number;
}

export interface DeltaSyncRow {
  scenario: string;
  transactions: number;
  changes: number;
  events: number;
  pages: number;
  rpcRequests: number;
  /** JSON-RPC response bodies received. */
  responseBytes: number;
  /** JSON-RPC request bodies sent. */
  requestBytes: number;
  /** Applying the events to copies of the lists (no network), median. */
  applyMsMedian: number;
  /** The whole sync against the local node, median. */
  syncMsMedian: number;
}

export interface SnapshotBenchReport {
  snapshot: SnapshotSizeReport;
  deltaSync: DeltaSyncRow[];
  goals: Record<string, { goal: number; measured: number; met: boolean }>;
}

const LISTS = 10;
const ENTRIES = 1_000_000;
const CHAIN_LIST_ENTRIES = 131_072;
const CHAIN_ISSUERS = 3;
const MARKED_SHARE = 0.01;
const ISSUERS = 20;
const LOAD_RUNS = 11;
const SYNC_RUNS = 5;
const CHANGES = 1_000;
const SEED = 0x5eed_4321;

export async function benchSnapshot({ log = () => undefined }: { log?: (line: string) => void } = {}): Promise<SnapshotBenchReport> {
  log('snapshot: 10 lists × 1,000,000 entries, 1% marked…');
  const snapshot = await benchSize();
  log('snapshot: delta sync of 1,000 changes against a hardhat node…');
  const deltaSync = await benchDeltaSync(log);
  const batched = deltaSync.find((row) => row.transactions === LISTS)!;
  const single = deltaSync.find((row) => row.transactions === 1)!;
  const goals = {
    'snapshot of 10 × 1,000,000 entries < 10 MB on disk (bytes)': { goal: 10_000_000, measured: snapshot.bytesOnDisk },
    'snapshot load < 50 ms (median ms)': { goal: 50, measured: snapshot.loadMsMedian },
    'delta sync of 1,000 changes < 50 KB over the wire (10 batches of 100, response bytes)': { goal: 50_000, measured: batched.responseBytes },
    'delta sync of 1,000 changes < 50 KB over the wire (one batch, response bytes)': { goal: 50_000, measured: single.responseBytes },
  };
  return { snapshot, deltaSync, goals: Object.fromEntries(Object.entries(goals).map(([k, g]) => [k, { ...g, met: g.measured < g.goal }])) };
}

async function benchSize(): Promise<SnapshotSizeReport> {
  const crypto = createNodeCrypto();
  const random = xorshift32(SEED);
  const lists = Array.from({ length: LISTS }, (_, i) => ({ listId: i, uri: `https://city-${i % 3}.example/status/${i}`, sequence: 100, list: markedList({ random, size: ENTRIES, share: MARKED_SHARE, markOf: (draw) => (draw % 4 === 0 ? StatusValue.SUSPENDED : StatusValue.REVOKED) }) }));
  const issuers: SnapshotIssuer[] = [];
  for (let i = 0; i < ISSUERS; i++) {
    const did = `did:web:city-${i}.example`;
    const keys = await Promise.all(
      [0, 1].map(async (k) => {
        const publicJwk = crypto.generateKeyPair().publicJwk;
        const thumbprint = await calculateJwkThumbprint({ publicJwk, hash: crypto.hash });
        return { kid: `${did}#key-${k}`, thumbprint, publicJwk };
      }),
    );
    issuers.push({ did, keyThumbprints: keys.map((k) => k.thumbprint), keys, credentialTypes: ['ResidentCredential', 'ServiceEntitlementCredential'], validFrom: 1_700_000_000, validUntil: 2_000_000_000, suspended: false });
  }
  const content: SnapshotContent = {
    chainId: 7777,
    statusRegistry: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    trustedIssuerRegistry: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
    sync: { blockNumber: 123_456, blockHash: `0x${'5a'.repeat(32)}`, blockTime: 1_790_000_000, syncedAt: 1_790_000_010 },
    issuers,
    lists,
    journal: [],
  };
  const signer = crypto.generateKeyPair();
  const signingKey = crypto.signingKeyFromJwk({ privateJwk: signer.privateJwk, kid: 'federation-snapshots' });
  const t0 = performance.now();
  const bytes = await encodeSnapshot({ content, signingKey, iat: 1_790_000_010 });
  const encodeMs = performance.now() - t0;
  const trustedSigners = new Map([['federation-snapshots', signer.publicJwk]]);
  const times: number[] = [];
  for (let run = 0; run < LOAD_RUNS + 2; run++) {
    const start = performance.now();
    const loaded = await verifyAndLoadSnapshot({ bytes, trustedSigners, now: 1_790_000_020 });
    const elapsed = performance.now() - start;
    if (loaded.content.lists.length !== LISTS) throw new Error('snapshot did not load');
    if (run >= 2) times.push(elapsed); // two warm-up runs
  }
  times.sort((a, b) => a - b);
  return {
    lists: LISTS,
    entriesPerList: ENTRIES,
    markedShare: MARKED_SHARE,
    issuers: ISSUERS,
    bytesOnDisk: bytes.length,
    rawListBytes: lists.reduce((n, l) => n + l.list.byteLength, 0),
    encodeMs: round(encodeMs),
    loadMsMedian: round(times[Math.floor(times.length / 2)]!),
    loadMsMin: round(times[0]!),
    loadRuns: LOAD_RUNS,
  };
}

async function benchDeltaSync(log: (line: string) => void): Promise<DeltaSyncRow[]> {
  const registries = await startDeployedRegistries();
  const counting = await connectCountingChain({ rpcUrl: registries.node.url, chainId: 7777 });
  try {
    const { provider } = registries.chain;
    const owner = await registries.signers[3]!.getAddress();
    const listIds: number[] = [];
    for (let i = 0; i < LISTS; i++) listIds.push(await registries.status.createList({ owner, size: CHAIN_LIST_ENTRIES }));
    const writer = registries.status.connect(registries.signers[3]!);
    const crypto = createNodeCrypto();
    const controller = await registries.signers[1]!.getAddress();
    for (let i = 0; i < CHAIN_ISSUERS; i++) {
      const keys = [crypto.generateKeyPair().publicJwk, crypto.generateKeyPair().publicJwk];
      await accreditIssuer({ trust: registries.trust, did: `did:web:city-${i}.example`, controller, keys, credentialTypes: ['ResidentCredential', 'ServiceEntitlementCredential'], hash: crypto.hash });
    }
    const statusClient = new StatusRegistryClient({ address: registries.status.address, provider: counting.provider });
    const trustClient = new TrustedIssuerRegistryClient({ address: registries.trust.address, provider: counting.provider });
    const lists = listIds.map((listId) => ({ listId, uri: `https://city-a.example/status/${listId}` }));
    const signingKey = createNodeCrypto().signingKeyFromJwk({ privateJwk: createNodeCrypto().generateKeyPair().privateJwk });
    let snapshot = (await buildSnapshot({ chain: counting, statusClient, trustClient, lists, signingKey })).content;
    const random = xorshift32(SEED ^ 0xffff);
    const used = listIds.map(() => new Set<number>());
    const fresh = (list: number, count: number): StatusDelta[] => {
      const out: StatusDelta[] = [];
      while (out.length < count) {
        const index = random() % CHAIN_LIST_ENTRIES;
        if (used[list]!.has(index)) continue;
        used[list]!.add(index);
        out.push({ index, value: random() % 4 === 0 ? 2 : 1 });
      }
      return out;
    };

    const rows: DeltaSyncRow[] = [];
    const measure = async (scenario: string, transactions: number, send: () => Promise<void>): Promise<void> => {
      log(`  ${scenario}…`);
      await send();
      const runs: SyncStats[] = [];
      let next: SnapshotContent | undefined;
      for (let run = 0; run < SYNC_RUNS; run++) {
        const outcome = await syncSnapshot({ snapshot, chain: counting, statusClient, trustClient, traffic: counting.traffic });
        if (!outcome.ok) throw outcome.error;
        if (outcome.stats.changes !== CHANGES || outcome.stats.listsReread.length > 0) throw new Error(`${scenario}: unexpected sync ${JSON.stringify(outcome.stats)}`);
        runs.push(outcome.stats);
        next = outcome.snapshot;
      }
      const first = runs[0]!;
      rows.push({
        scenario,
        transactions,
        changes: first.changes,
        events: first.events,
        pages: first.pages,
        rpcRequests: first.rpc!.requests,
        responseBytes: first.rpc!.responseBytes,
        requestBytes: first.rpc!.requestBytes,
        applyMsMedian: round(median(runs.map((s) => s.applyMs))),
        syncMsMedian: round(median(runs.map((s) => s.totalMs))),
      });
      snapshot = next!;
    };

    await measure('one batch of 1,000 changes (1 transaction)', 1, async () => {
      await applyStatusBatch({ writer, provider, listId: listIds[0]!, deltas: fresh(0, CHANGES) });
    });
    await measure('10 batches of 100, one per list (10 transactions)', LISTS, async () => {
      for (let i = 0; i < LISTS; i++) await applyStatusBatch({ writer, provider, listId: listIds[i]!, deltas: fresh(i, CHANGES / LISTS) });
    });
    await measure('1,000 single-change transactions (no batching)', CHANGES, async () => {
      // Sent back to back with increasing sequences, then waited for: an automining node mines each at once.
      const head = await headBlock(provider);
      const sequences = await Promise.all(listIds.map(async (listId) => (await readListInfo({ provider, address: writer.address, listId, blockTag: head })).sequence));
      const hashes: string[] = [];
      for (let k = 0; k < CHANGES; k++) {
        const list = k % LISTS;
        const { hash } = await writer.sendUpdate({ listId: listIds[list]!, expectedSequence: sequences[list]!++, deltas: fresh(list, 1) });
        hashes.push(hash);
      }
      for (const hash of hashes) await waitMined(provider, hash);
    });
    return rows;
  } finally {
    counting.close();
    await registries.stop();
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
