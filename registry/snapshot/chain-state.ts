import { toQuantity, type JsonRpcProvider } from 'ethers';
import type { Hasher } from '../../core/crypto/ports.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { toChainError } from '../chain/chain-errors.js';
import type { StatusRegistryClient } from '../chain/status-registry-client.js';
import type { TrustedIssuerRegistryClient } from '../chain/trusted-issuer-registry-client.js';
import { readListFromChain } from '../publish/read-list-from-chain.js';
import { snapshotIssuerOf, type IssuerKeyMap } from './issuer-entries.js';
import type { SnapshotContent, SnapshotIssuer, SnapshotList, SnapshotListSpec } from './snapshot-content.js';

/** The chain a snapshot is read from: a provider checked to be `chainId` (a `ChainConnection`). */
export interface SnapshotChain {
  provider: JsonRpcProvider;
  chainId: number;
}

/** A block's identity. */
export interface BlockRef {
  number: number;
  hash: string;
  timestamp: number;
}

/**
 * The block at `blockNumber`, or `undefined` when the chain has none there.
 * Asked with a raw `eth_getBlockByNumber`: ethers' provider caches identical
 * requests for 250 ms, which would hide a reorg that just happened.
 * @throws UrbisError `CHAIN_UNREACHABLE`.
 */
export async function readBlock(provider: JsonRpcProvider, blockNumber: number): Promise<BlockRef | undefined> {
  let block: { number?: unknown; hash?: unknown; timestamp?: unknown } | null;
  try {
    block = (await provider.send('eth_getBlockByNumber', [toQuantity(blockNumber), false])) as typeof block;
  } catch (error) {
    throw toChainError(error, 'eth_getBlockByNumber');
  }
  if (block === null || typeof block !== 'object' || typeof block.hash !== 'string') return undefined;
  return { number: Number(block.number), hash: block.hash, timestamp: Number(block.timestamp) };
}


/**
 * The issuers of the trusted-issuer registry at `blockTag`, as snapshot
 * entries (keys from `issuerKeys`, else kept from `previous` issuers).
 */
export async function readSnapshotIssuers({
  trustClient,
  blockTag,
  issuerKeys,
  previous = [],
  hash,
}: {
  trustClient: TrustedIssuerRegistryClient;
  blockTag: number;
  issuerKeys?: IssuerKeyMap;
  previous?: readonly SnapshotIssuer[];
  hash: Hasher;
}): Promise<SnapshotIssuer[]> {
  const registered = await trustClient.issuers({ blockTag });
  const byDid = new Map(previous.map((i) => [i.did, i]));
  const out: SnapshotIssuer[] = [];
  for (const entry of registered) {
    const before = byDid.get(entry.did);
    out.push(
      await snapshotIssuerOf({
        registered: entry,
        hash,
        ...(issuerKeys === undefined ? {} : { issuerKeys }),
        ...(before === undefined ? {} : { previous: before }),
      }),
    );
  }
  return out;
}

/**
 * Reads a whole snapshot from chain STATE at one block: every list in full
 * (`readListFromChain`) and every issuer, then checks that the block is still
 * the same one (a reorg while reading would mix two chains).
 *
 * @throws UrbisError `CHAIN_UNREACHABLE`, `STATUS_LIST_UNKNOWN`,
 *   `STATUS_LIST_TOO_LARGE`, `INVALID_ARGUMENT` (a list id or URI named
 *   twice; no block at `blockNumber`), `CHAIN_REORG_TOO_DEEP` (the block
 *   changed while it was read).
 */
export async function readSnapshotFromState({
  chain,
  statusClient,
  trustClient,
  lists,
  issuerKeys,
  previousIssuers,
  blockNumber,
  syncedAt,
  hash,
}: {
  chain: SnapshotChain;
  statusClient: StatusRegistryClient;
  trustClient: TrustedIssuerRegistryClient;
  lists: readonly SnapshotListSpec[];
  issuerKeys?: IssuerKeyMap;
  previousIssuers?: readonly SnapshotIssuer[];
  blockNumber: number;
  syncedAt: number;
  hash: Hasher;
}): Promise<SnapshotContent> {
  checkListSpecs(lists);
  const block = await readBlock(chain.provider, blockNumber);
  if (block === undefined) throw new UrbisError('INVALID_ARGUMENT', `the chain has no block ${blockNumber}`);
  const read: SnapshotList[] = [];
  for (const spec of lists) {
    const state = await readListFromChain({ client: statusClient, provider: chain.provider, listId: spec.listId, blockTag: blockNumber });
    read.push({ listId: spec.listId, uri: spec.uri, sequence: state.sequence, list: state.list });
  }
  const issuers = await readSnapshotIssuers({
    trustClient,
    blockTag: blockNumber,
    hash,
    ...(issuerKeys === undefined ? {} : { issuerKeys }),
    ...(previousIssuers === undefined ? {} : { previous: previousIssuers }),
  });
  await assertSameBlock(chain.provider, block);
  return {
    chainId: chain.chainId,
    statusRegistry: statusClient.address,
    trustedIssuerRegistry: trustClient.address,
    sync: { blockNumber, blockHash: block.hash, blockTime: block.timestamp, syncedAt },
    issuers,
    lists: read,
    journal: [],
  };
}

/**
 * Checks that the chain still has `block` at its height.
 * @throws UrbisError `CHAIN_REORG_TOO_DEEP`, `CHAIN_UNREACHABLE`.
 */
export async function assertSameBlock(provider: JsonRpcProvider, block: BlockRef): Promise<void> {
  const again = await readBlock(provider, block.number);
  if (again?.hash !== block.hash) {
    throw new UrbisError('CHAIN_REORG_TOO_DEEP', `the chain reorganised at block ${block.number} while it was being read; try again`);
  }
}

/** @throws UrbisError `INVALID_ARGUMENT` for a list id or URI named twice, or a bad id or URI. */
export function checkListSpecs(lists: readonly SnapshotListSpec[]): void {
  const ids = new Set<number>();
  const uris = new Set<string>();
  for (const { listId, uri } of lists) {
    if (!Number.isSafeInteger(listId) || listId < 0) throw new UrbisError('INVALID_ARGUMENT', 'a list id is a non-negative integer');
    if (typeof uri !== 'string' || uri.length === 0) throw new UrbisError('INVALID_ARGUMENT', 'a list needs the URI credentials point at');
    if (ids.has(listId) || uris.has(uri)) throw new UrbisError('INVALID_ARGUMENT', 'each list id and URI appears once in a snapshot');
    ids.add(listId);
    uris.add(uri);
  }
}
