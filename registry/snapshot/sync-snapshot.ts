import { Log, id as eventTopic, toQuantity } from 'ethers';
import { performance } from 'node:perf_hooks';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import type { Hasher } from '../../core/crypto/ports.js';
import { UrbisError, isUrbisError } from '../../core/errors/urbis-error.js';
import type { StatusList } from '../../core/status/status-list.js';
import { toChainError } from '../chain/chain-errors.js';
import type { StatusRegistryClient, StatusUpdateEvent } from '../chain/status-registry-client.js';
import type { TrustedIssuerRegistryClient } from '../chain/trusted-issuer-registry-client.js';
import { readListFromChain, readListInfo } from '../publish/read-list-from-chain.js';
import { headBlock } from '../chain/head-block.js';
import { assertSameBlock, readBlock, readSnapshotFromState, readSnapshotIssuers, type BlockRef, type SnapshotChain } from './chain-state.js';
import type { IssuerKeyMap } from './issuer-entries.js';
import { trafficSince, type RpcTraffic } from './rpc-traffic.js';
import type { ListUndo, SnapshotCheckpoint, SnapshotContent } from './snapshot-content.js';

/**
 * Delta sync of a snapshot from the chain (issue #3, DESIGN §3).
 *
 * 1. Target block `T = min(toBlock ?? head, head - confirmations)`.
 * 2. Reorg check: the chain must still have the snapshot's block hash at its
 *    height. If not, walk the snapshot's journal (earlier sync points inside
 *    the reorg window, newest first) to the newest checkpoint whose hash the
 *    chain still has, undo every change made after it (the journal keeps,
 *    per checkpoint, each changed entry's earlier value and each list's
 *    earlier sequence), and continue from there. If no checkpoint matches (a
 *    reorg deeper than the window, or another chain), rebuild the whole
 *    snapshot from state at `T`.
 * 3. `StatusesUpdated` logs from the base block + 1 to `T`, in pages of
 *    `pageSize` blocks (`eth_getLogs` ranges), filtered to the snapshot's
 *    lists, applied in chain order to copies of the lists. Per-list sequence
 *    continuity: an event whose sequence is not the list's next one (a missed
 *    or repeated event) stops event replay for that list, which is then
 *    re-read from state at `T`. Afterwards every list's sequence is compared
 *    with `listInfo` at `T`, and any list that disagrees is re-read too.
 * 4. The trust registry is re-read in full at `T` (it is small). Keys of
 *    issuers come from `issuerKeys` when given, else from the snapshot (by
 *    thumbprint), so a rotated-in key needs `issuerKeys`.
 * 5. `T` must still be the same block at the end (else the chain reorganised
 *    during the sync: `CHAIN_REORG_TOO_DEEP`, retry later).
 * 6. The base becomes a journal checkpoint (with its undo data); checkpoints
 *    older than `T - reorgDepth` are dropped, since deeper reorgs rebuild.
 *
 * Failures never touch the given snapshot: the outcome carries it back with
 * the typed error, and the terminal keeps verifying with it.
 */

/** What a sync did. */
export interface SyncStats {
  /** First block whose events were fetched (after any rollback). */
  fromBlock: number;
  /** The block the new snapshot reflects. */
  toBlock: number;
  /** `eth_getLogs` calls. */
  pages: number;
  /** `StatusesUpdated` events applied. */
  events: number;
  /** Entry changes applied from events. */
  changes: number;
  /** Lists re-read from state (sequence gap, or a rollback that could not undo them). */
  listsReread: number[];
  /** The checkpoint a reorg rolled the snapshot back to. */
  rolledBackTo?: number;
  /** A reorg deeper than the journal: everything was re-read from state. */
  rebuilt: boolean;
  /** Nothing new on chain: only the sync time moved. */
  upToDate: boolean;
  /** Milliseconds spent applying events to the lists (no network). */
  applyMs: number;
  /** Milliseconds for the whole sync. */
  totalMs: number;
  /** JSON-RPC traffic of the sync, when a counter was passed. */
  rpc?: RpcTraffic;
}

/** The result of a sync: a new snapshot, or the unchanged input and why. */
export type SyncOutcome =
  | { ok: true; snapshot: SnapshotContent; stats: SyncStats }
  | { ok: false; snapshot: SnapshotContent; error: UrbisError };

const STATUSES_UPDATED = eventTopic('StatusesUpdated(uint256,uint64,bytes)');
/** Above this many lists, logs are fetched for the whole registry and filtered locally. */
const MAX_TOPIC_FILTER = 64;

/** A list being synced: copied before its first change. */
interface WorkingList {
  listId: number;
  list: StatusList;
  copied: boolean;
  sequence: number;
  /** Sequence at the base block (for the new checkpoint). */
  baseSequence: number;
  /** index → value at the base block. */
  undo: Map<number, number>;
  reread: boolean;
}

/**
 * Brings a snapshot up to the chain's head (minus `confirmations`) from its
 * events, reorg-aware; see the module comment for the method.
 *
 * @returns `{ ok: true, snapshot, stats }`, or `{ ok: false, snapshot, error }`
 *   with the input snapshot unchanged and an `UrbisError`
 *   (`CHAIN_UNREACHABLE`, `CHAIN_ID_MISMATCH`, `INVALID_ARGUMENT`,
 *   `STATUS_LIST_UNKNOWN`, `CHAIN_REORG_TOO_DEEP`, …).
 *
 * @example
 * ```ts
 * const outcome = await syncSnapshot({ snapshot: current, chain, statusClient, trustClient, confirmations: 2 });
 * if (outcome.ok) current = outcome.snapshot; // else keep verifying with current, log outcome.error.code
 * ```
 */
export async function syncSnapshot(args: {
  snapshot: SnapshotContent;
  chain: SnapshotChain;
  statusClient: StatusRegistryClient;
  trustClient: TrustedIssuerRegistryClient;
  issuerKeys?: IssuerKeyMap;
  /** Sync no further than this block. */
  toBlock?: number;
  /** Blocks per `eth_getLogs` call (default 2,000). */
  pageSize?: number;
  /** Blocks below the head to stay (default 0; a chain with instant finality such as QBFT needs none). */
  confirmations?: number;
  /** Blocks of history kept for rollbacks (default 12). */
  reorgDepth?: number;
  /** Epoch seconds (default now): the new `syncedAt`. */
  now?: number;
  /** A traffic counter (from `connectCountingChain`) to report the sync's bytes. */
  traffic?: RpcTraffic;
  hash?: Hasher;
}): Promise<SyncOutcome> {
  try {
    return { ok: true, ...(await sync(args)) };
  } catch (error) {
    const typed = isUrbisError(error) ? error : toChainError(error, 'snapshot sync');
    return { ok: false, snapshot: args.snapshot, error: typed };
  }
}

async function sync({
  snapshot,
  chain,
  statusClient,
  trustClient,
  issuerKeys,
  toBlock,
  pageSize = 2_000,
  confirmations = 0,
  reorgDepth = 12,
  now = Math.floor(Date.now() / 1000),
  traffic,
  hash = createNodeCrypto().hash,
}: Parameters<typeof syncSnapshot>[0]): Promise<{ snapshot: SnapshotContent; stats: SyncStats }> {
  const started = performance.now();
  const trafficBefore = traffic === undefined ? undefined : { ...traffic };
  const finish = (stats: Omit<SyncStats, 'totalMs' | 'rpc'>): SyncStats => ({
    ...stats,
    totalMs: round(performance.now() - started),
    ...(traffic === undefined || trafficBefore === undefined ? {} : { rpc: trafficSince(trafficBefore, traffic) }),
  });
  checkArguments({ snapshot, chain, statusClient, trustClient, pageSize, confirmations, reorgDepth });

  const head = await headBlock(chain.provider);
  const target = Math.min(toBlock ?? head, head - confirmations);
  if (target < 0) throw new UrbisError('INVALID_ARGUMENT', 'the chain has fewer blocks than the confirmations asked for');
  const targetBlock = await readBlock(chain.provider, target);
  if (targetBlock === undefined) throw new UrbisError('CHAIN_UNREACHABLE', `the chain did not return block ${target}`);

  const own = snapshot.sync.blockNumber <= head ? await readBlock(chain.provider, snapshot.sync.blockNumber) : undefined;
  const working = new Map<number, WorkingList>(
    snapshot.lists.map((l) => [l.listId, { listId: l.listId, list: l.list, copied: false, sequence: l.sequence, baseSequence: l.sequence, undo: new Map(), reread: false }]),
  );
  let journal: SnapshotCheckpoint[] = [...snapshot.journal];
  let base: { blockNumber: number; blockHash: string };
  let rolledBackTo: number | undefined;

  if (own?.hash === snapshot.sync.blockHash) {
    if (snapshot.sync.blockNumber >= target) {
      // Nothing newer to read; the chain still has our block, so the data is current as of now.
      return {
        snapshot: { ...snapshot, sync: { ...snapshot.sync, syncedAt: now } },
        stats: finish({ fromBlock: snapshot.sync.blockNumber + 1, toBlock: snapshot.sync.blockNumber, pages: 0, events: 0, changes: 0, listsReread: [], rebuilt: false, upToDate: true, applyMs: 0 }),
      };
    }
    base = { blockNumber: snapshot.sync.blockNumber, blockHash: snapshot.sync.blockHash };
  } else {
    const found = await newestCanonicalCheckpoint({ chain, journal, target });
    if (found === undefined) {
      const rebuilt = await readSnapshotFromState({
        chain,
        statusClient,
        trustClient,
        lists: snapshot.lists.map((l) => ({ listId: l.listId, uri: l.uri })),
        previousIssuers: snapshot.issuers,
        blockNumber: target,
        syncedAt: now,
        hash,
        ...(issuerKeys === undefined ? {} : { issuerKeys }),
      });
      return {
        snapshot: rebuilt,
        stats: finish({ fromBlock: target, toBlock: target, pages: 0, events: 0, changes: 0, listsReread: snapshot.lists.map((l) => l.listId), rebuilt: true, upToDate: false, applyMs: 0 }),
      };
    }
    for (let i = journal.length - 1; i >= found; i--) undoCheckpoint(working, journal[i]!);
    base = { blockNumber: journal[found]!.blockNumber, blockHash: journal[found]!.blockHash };
    rolledBackTo = base.blockNumber;
    journal = journal.slice(0, found);
    for (const w of working.values()) {
      w.baseSequence = w.sequence;
      w.undo.clear();
    }
  }

  // Events since the base, page by page.
  const fromBlock = base.blockNumber + 1;
  const events: StatusUpdateEvent[] = [];
  let pages = 0;
  for (let start = fromBlock; start <= target; start += pageSize) {
    const end = Math.min(start + pageSize - 1, target);
    events.push(...(await fetchUpdates({ chain, statusClient, listIds: [...working.keys()], fromBlock: start, toBlock: end })));
    pages += 1;
  }

  const applyStarted = performance.now();
  let applied = 0;
  let changes = 0;
  for (const event of events) {
    const w = working.get(event.listId);
    if (w === undefined || w.reread) continue;
    if (event.sequence !== w.sequence) {
      w.reread = true; // a missed or repeated batch: replay cannot be trusted for this list
      continue;
    }
    if (!w.copied) {
      w.list = w.list.clone();
      w.copied = true;
    }
    for (const { index, value } of event.deltas) {
      if (index >= w.list.size) {
        w.reread = true;
        break;
      }
      if (!w.undo.has(index)) w.undo.set(index, w.list.get(index));
      w.list.set(index, value);
      changes += 1;
    }
    w.sequence += 1;
    applied += 1;
  }
  const applyMs = round(performance.now() - applyStarted);

  // Safety net: every list's sequence must be the chain's at T.
  for (const w of working.values()) {
    if (w.reread) continue;
    const info = await readListInfo({ provider: chain.provider, address: statusClient.address, listId: w.listId, blockTag: target });
    if (info.sequence !== w.sequence || info.size !== w.list.size) w.reread = true;
  }
  const listsReread: number[] = [];
  for (const w of working.values()) {
    if (!w.reread) continue;
    const state = await readListFromChain({ client: statusClient, provider: chain.provider, listId: w.listId, blockTag: target });
    w.list = state.list;
    w.copied = true;
    w.sequence = state.sequence;
    listsReread.push(w.listId);
  }

  const issuers = await readSnapshotIssuers({
    trustClient,
    blockTag: target,
    previous: snapshot.issuers,
    hash,
    ...(issuerKeys === undefined ? {} : { issuerKeys }),
  });
  await assertSameBlock(chain.provider, targetBlock);

  const checkpoint: SnapshotCheckpoint = { blockNumber: base.blockNumber, blockHash: base.blockHash, undo: undoRecords(working) };
  const kept = [...journal, checkpoint].filter((c) => c.blockNumber < target && c.blockNumber >= target - reorgDepth);
  return {
    snapshot: {
      chainId: snapshot.chainId,
      statusRegistry: snapshot.statusRegistry,
      trustedIssuerRegistry: snapshot.trustedIssuerRegistry,
      sync: syncPoint(targetBlock, now),
      issuers,
      lists: snapshot.lists.map((l) => {
        const w = working.get(l.listId)!;
        return { listId: l.listId, uri: l.uri, sequence: w.sequence, list: w.list };
      }),
      journal: kept,
    },
    stats: finish({ fromBlock, toBlock: target, pages, events: applied, changes, listsReread, ...(rolledBackTo === undefined ? {} : { rolledBackTo }), rebuilt: false, upToDate: false, applyMs }),
  };
}

function checkArguments({
  snapshot,
  chain,
  statusClient,
  trustClient,
  pageSize,
  confirmations,
  reorgDepth,
}: {
  snapshot: SnapshotContent;
  chain: SnapshotChain;
  statusClient: StatusRegistryClient;
  trustClient: TrustedIssuerRegistryClient;
  pageSize: number;
  confirmations: number;
  reorgDepth: number;
}): void {
  if (snapshot.chainId !== chain.chainId) throw new UrbisError('CHAIN_ID_MISMATCH', `the snapshot is of chain ${snapshot.chainId}, the connection of chain ${chain.chainId}`);
  if (snapshot.statusRegistry.toLowerCase() !== statusClient.address.toLowerCase() || snapshot.trustedIssuerRegistry.toLowerCase() !== trustClient.address.toLowerCase()) {
    throw new UrbisError('INVALID_ARGUMENT', 'the clients are not of the registries the snapshot was read from');
  }
  for (const [name, value, min] of [
    ['pageSize', pageSize, 1],
    ['confirmations', confirmations, 0],
    ['reorgDepth', reorgDepth, 0],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < min) throw new UrbisError('INVALID_ARGUMENT', `${name} must be an integer ≥ ${min}`);
  }
}

/** Index of the newest journal checkpoint at or below `target` whose block the chain still has. */
async function newestCanonicalCheckpoint({ chain, journal, target }: { chain: SnapshotChain; journal: readonly SnapshotCheckpoint[]; target: number }): Promise<number | undefined> {
  for (let i = journal.length - 1; i >= 0; i--) {
    const checkpoint = journal[i]!;
    if (checkpoint.blockNumber > target) continue;
    const block = await readBlock(chain.provider, checkpoint.blockNumber);
    if (block?.hash === checkpoint.blockHash) return i;
  }
  return undefined;
}

/** Reverts the lists to a checkpoint: earlier values back, sequences back, un-undoable lists marked for re-reading. */
function undoCheckpoint(working: Map<number, WorkingList>, checkpoint: SnapshotCheckpoint): void {
  for (const undo of checkpoint.undo) {
    const w = working.get(undo.listId);
    if (w === undefined) continue;
    if (!w.copied) {
      w.list = w.list.clone();
      w.copied = true;
    }
    for (let k = 0; k < undo.entries.length; k += 2) w.list.set(undo.entries[k]!, undo.entries[k + 1]!);
    w.sequence = undo.sequence;
    if (undo.reread) w.reread = true;
  }
}

/** The undo data of this sync, per list that changed. */
function undoRecords(working: Map<number, WorkingList>): ListUndo[] {
  const out: ListUndo[] = [];
  for (const w of working.values()) {
    if (w.undo.size === 0 && !w.reread && w.sequence === w.baseSequence) continue;
    const entries: number[] = [];
    for (const [index, value] of w.undo) entries.push(index, value);
    out.push({ listId: w.listId, sequence: w.baseSequence, reread: w.reread, entries: w.reread ? [] : entries });
  }
  return out;
}

/** `StatusesUpdated` logs of the snapshot's lists in a block range, decoded, in chain order. */
async function fetchUpdates({
  chain,
  statusClient,
  listIds,
  fromBlock,
  toBlock,
}: {
  chain: SnapshotChain;
  statusClient: StatusRegistryClient;
  listIds: number[];
  fromBlock: number;
  toBlock: number;
}): Promise<StatusUpdateEvent[]> {
  if (listIds.length === 0) return [];
  const topics: (string | string[] | null)[] = [STATUSES_UPDATED];
  if (listIds.length <= MAX_TOPIC_FILTER) topics.push(listIds.map((id) => `0x${id.toString(16).padStart(64, '0')}`));
  // A raw eth_getLogs: ethers' getLogs() may answer an identical filter from a 250 ms cache (stale after a reorg).
  let raw: unknown;
  try {
    raw = await chain.provider.send('eth_getLogs', [{ address: statusClient.address, topics, fromBlock: toQuantity(fromBlock), toBlock: toQuantity(toBlock) }]);
  } catch (error) {
    throw toChainError(error, 'eth_getLogs');
  }
  if (!Array.isArray(raw)) throw new UrbisError('CHAIN_UNREACHABLE', 'eth_getLogs gave no list');
  return raw
    .map((entry) => toLog(entry as RawLog, chain))
    .filter((log) => !log.removed)
    .sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index)
    .map((log) => statusClient.decodeUpdate(log));
}

/** A JSON-RPC log object. */
interface RawLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  transactionIndex: string;
  logIndex: string;
  removed?: boolean;
}

function toLog(raw: RawLog, chain: SnapshotChain): Log {
  if (typeof raw !== 'object' || raw === null || !Array.isArray(raw.topics) || typeof raw.data !== 'string') {
    throw new UrbisError('STATUS_LIST_MALFORMED', 'eth_getLogs returned something that is not a log');
  }
  return new Log(
    {
      address: raw.address,
      topics: raw.topics,
      data: raw.data,
      blockNumber: Number(raw.blockNumber),
      blockHash: raw.blockHash,
      transactionHash: raw.transactionHash,
      transactionIndex: Number(raw.transactionIndex),
      index: Number(raw.logIndex),
      removed: raw.removed === true,
    },
    chain.provider,
  );
}

function syncPoint(block: BlockRef, now: number): SnapshotContent['sync'] {
  return { blockNumber: block.number, blockHash: block.hash, blockTime: block.timestamp, syncedAt: now };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
