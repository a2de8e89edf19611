import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import type { Hasher, SigningKey } from '../../core/crypto/ports.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { DEFAULT_MAX_DECOMPRESSED_BYTES, type Compression } from '../../core/status/compression.js';
import { createNodeCompression } from '../../core/status/node-compression.js';
import { StatusList } from '../../core/status/status-list.js';
import { assertDeployed } from '../chain/connect-chain.js';
import type { StatusRegistryClient } from '../chain/status-registry-client.js';
import type { TrustedIssuerRegistryClient } from '../chain/trusted-issuer-registry-client.js';
import { readListInfo } from '../publish/read-list-from-chain.js';
import { headBlock } from '../chain/head-block.js';
import { checkListSpecs, readBlock, readSnapshotFromState, type SnapshotChain } from './chain-state.js';
import type { IssuerKeyMap } from './issuer-entries.js';
import type { SnapshotContent, SnapshotListSpec } from './snapshot-content.js';
import { encodeSnapshot } from './snapshot-codec.js';
import { syncSnapshot, type SyncStats } from './sync-snapshot.js';

/** A snapshot read from chain state, and its signed file. */
export interface BuiltSnapshot {
  content: SnapshotContent;
  bytes: Uint8Array;
}

/**
 * Builds a terminal snapshot from chain STATE at one block (`at`, default
 * the head minus `confirmations`): every list in `lists` read in full, every
 * issuer of the trusted-issuer registry with the keys of `issuerKeys` whose
 * RFC 7638 thumbprint the registry lists, and the block's number, hash and
 * time; then signs it (ES256 over the SHA-256 of the body).
 *
 * @throws UrbisError `CONTRACT_NOT_DEPLOYED`, `CHAIN_UNREACHABLE`,
 *   `STATUS_LIST_UNKNOWN`, `STATUS_LIST_TOO_LARGE`, `INVALID_ARGUMENT`,
 *   `CHAIN_REORG_TOO_DEEP` (the block changed while it was read),
 *   `KEY_INVALID`, `ALG_NOT_ALLOWED`.
 *
 * @example
 * ```ts
 * const { bytes } = await buildSnapshot({
 *   chain, statusClient, trustClient,
 *   lists: [{ listId: 0, uri: 'https://city-a.example/status/0' }],
 *   issuerKeys: new Map([['did:web:city-a.example', [{ publicJwk, kid: 'did:web:city-a.example#key-1' }]]]),
 *   signingKey: snapshotKey,
 * });
 * ```
 */
export async function buildSnapshot({
  chain,
  statusClient,
  trustClient,
  lists,
  issuerKeys,
  signingKey,
  at,
  confirmations = 0,
  now = Math.floor(Date.now() / 1000),
  hash = createNodeCrypto().hash,
  compression = createNodeCompression(),
}: {
  chain: SnapshotChain;
  statusClient: StatusRegistryClient;
  trustClient: TrustedIssuerRegistryClient;
  lists: readonly SnapshotListSpec[];
  issuerKeys?: IssuerKeyMap;
  signingKey: SigningKey;
  /** Block to read at (default head − confirmations). */
  at?: number;
  confirmations?: number;
  /** Epoch seconds: the sync time and signature time. */
  now?: number;
  hash?: Hasher;
  compression?: Compression;
}): Promise<BuiltSnapshot> {
  checkListSpecs(lists);
  await assertDeployed({ provider: chain.provider, address: statusClient.address, name: 'StatusRegistry' });
  await assertDeployed({ provider: chain.provider, address: trustClient.address, name: 'TrustedIssuerRegistry' });
  const blockNumber = at ?? (await headBlock(chain.provider)) - confirmations;
  if (!Number.isSafeInteger(blockNumber) || blockNumber < 0) throw new UrbisError('INVALID_ARGUMENT', 'no block to build the snapshot at');
  const content = await readSnapshotFromState({
    chain,
    statusClient,
    trustClient,
    lists,
    blockNumber,
    syncedAt: now,
    hash,
    ...(issuerKeys === undefined ? {} : { issuerKeys }),
  });
  const bytes = await encodeSnapshot({ content, signingKey, iat: now, hash, compression });
  return { content, bytes };
}

/**
 * Rebuilds a snapshot from EVENTS alone: empty lists (all valid, sequence 0)
 * at block `fromBlock - 1` (the registries' deployment block − 1), then a
 * delta sync of every `StatusesUpdated` event up to `toBlock`. Used to check
 * that event replay and state reads agree; `stats.listsReread` is empty when
 * the events alone sufficed.
 *
 * @throws UrbisError as `syncSnapshot`, and `STATUS_LIST_UNKNOWN`.
 *
 * @example
 * ```ts
 * const { content, stats } = await buildSnapshotFromEvents({ chain, statusClient, trustClient, lists, fromBlock: deployment.deploymentBlock });
 * ```
 */
export async function buildSnapshotFromEvents({
  chain,
  statusClient,
  trustClient,
  lists,
  issuerKeys,
  fromBlock,
  toBlock,
  pageSize,
  now = Math.floor(Date.now() / 1000),
  hash = createNodeCrypto().hash,
}: {
  chain: SnapshotChain;
  statusClient: StatusRegistryClient;
  trustClient: TrustedIssuerRegistryClient;
  lists: readonly SnapshotListSpec[];
  issuerKeys?: IssuerKeyMap;
  fromBlock: number;
  toBlock?: number;
  pageSize?: number;
  now?: number;
  hash?: Hasher;
}): Promise<{ content: SnapshotContent; stats: SyncStats }> {
  checkListSpecs(lists);
  if (!Number.isSafeInteger(fromBlock) || fromBlock < 1) throw new UrbisError('INVALID_ARGUMENT', 'fromBlock must be ≥ 1');
  const genesis = await readBlock(chain.provider, fromBlock - 1);
  if (genesis === undefined) throw new UrbisError('INVALID_ARGUMENT', `the chain has no block ${fromBlock - 1}`);
  const empty: SnapshotContent = {
    chainId: chain.chainId,
    statusRegistry: statusClient.address,
    trustedIssuerRegistry: trustClient.address,
    sync: { blockNumber: genesis.number, blockHash: genesis.hash, blockTime: genesis.timestamp, syncedAt: now },
    issuers: [],
    lists: [],
    journal: [],
  };
  for (const spec of lists) {
    const { size } = await readListInfo({ provider: chain.provider, address: statusClient.address, listId: spec.listId });
    if (Math.ceil(size / 4) > DEFAULT_MAX_DECOMPRESSED_BYTES) throw new UrbisError('STATUS_LIST_TOO_LARGE', 'the list is above the 10 MiB verifiers accept');
    empty.lists.push({ listId: spec.listId, uri: spec.uri, sequence: 0, list: StatusList.fromBytes({ bytes: new Uint8Array(Math.ceil(size / 4)), bits: 2, size }) });
  }
  const outcome = await syncSnapshot({
    snapshot: empty,
    chain,
    statusClient,
    trustClient,
    reorgDepth: 0,
    now,
    hash,
    ...(issuerKeys === undefined ? {} : { issuerKeys }),
    ...(toBlock === undefined ? {} : { toBlock }),
    ...(pageSize === undefined ? {} : { pageSize }),
  });
  if (!outcome.ok) throw outcome.error;
  return { content: outcome.snapshot, stats: outcome.stats };
}
