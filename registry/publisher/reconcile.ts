import { hexlify } from 'ethers';
import { isUrbisError, UrbisError } from '../../core/errors/urbis-error.js';
import { packStatusDeltas, type StatusDelta } from '../chain/status-deltas.js';
import type { StatusListInfo, StatusUpdateEvent } from '../chain/status-registry-client.js';
import type { Outbox, OutboxBatch } from './outbox.js';
import type { PublisherChain } from './publisher-chain.js';

/**
 * Where an open batch stands on the chain:
 * - `applied`: the list's batch number `expectedSequence` carries exactly our deltas: it is ours, on chain (maybe sent by a process that crashed, or whose response was lost);
 * - `foreign`: that sequence was used by another batch (another writer): ours was not applied and never can be;
 * - `not-applied`: the list is still at `expectedSequence`: (re)send.
 */
export type BatchReconciliation =
  | { kind: 'applied'; event: StatusUpdateEvent }
  | { kind: 'foreign'; event: StatusUpdateEvent }
  | { kind: 'not-applied'; list: StatusListInfo };

/**
 * Reconciles one open batch with the chain, which is the source of truth:
 * the contract applies a batch only when the list's sequence equals the
 * batch's `expectedSequence`, so at most one batch ever holds a given
 * sequence. If the list's sequence moved past it, the `StatusesUpdated`
 * event with that sequence says whether it was ours (same packed deltas).
 *
 * @throws UrbisError `CHAIN_REORG_TOO_DEEP` (the list's sequence went back:
 *   the chain lost batches), `STATUS_SEQUENCE_CONFLICT` (the sequence moved
 *   but its event is not visible yet: retried), chain errors.
 *
 * @example
 * ```ts
 * const r = await reconcileBatch({ chain, batch });
 * if (r.kind === 'applied') outbox.markMined({ batchId: batch.id, txHash: r.event.transactionHash, ... });
 * ```
 */
export async function reconcileBatch({ chain, batch }: { chain: PublisherChain; batch: OutboxBatch }): Promise<BatchReconciliation> {
  const list = await chain.listInfo(batch.listId);
  if (list.sequence < batch.expectedSequence) {
    throw new UrbisError('CHAIN_REORG_TOO_DEEP', `list ${batch.listId} is at batch ${list.sequence}, behind a batch this outbox planned at ${batch.expectedSequence}`);
  }
  if (list.sequence === batch.expectedSequence) return { kind: 'not-applied', list };
  const event = await chain.findUpdate({ listId: batch.listId, sequence: batch.expectedSequence, fromBlock: batch.fromBlock });
  if (event === undefined) {
    throw new UrbisError('STATUS_SEQUENCE_CONFLICT', `list ${batch.listId} moved past batch ${batch.expectedSequence} but its event is not visible yet`);
  }
  return sameDeltas(batch.packedDeltas, event.deltas) ? { kind: 'applied', event } : { kind: 'foreign', event };
}

/** Whether an event's deltas are exactly the batch's recorded packed deltas. */
export function sameDeltas(packedHex: string, deltas: readonly StatusDelta[]): boolean {
  return deltas.length > 0 && hexlify(packStatusDeltas(deltas)) === packedHex.toLowerCase() && deltas.length * 4 === (packedHex.length - 2) / 2;
}

/**
 * Checks that the chain answering is the chain the outbox publishes to, and
 * binds a fresh outbox to it (chain id, genesis hash, registry address).
 * With `deep`, also checks that the registry has code and that the last
 * confirmed batch of every list is still there (list exists, its sequence is
 * past that batch, the batch's block is still canonical).
 *
 * A Hardhat node keeps nothing across a restart: the restarted node is a new
 * chain with another genesis block (its timestamp differs), even if the
 * registries are redeployed at the same addresses. That is refused here,
 * before anything is read from or sent to the new chain.
 *
 * @throws UrbisError `CHAIN_ID_MISMATCH` (other chain id or genesis),
 *   `INVALID_ARGUMENT` (outbox bound to another registry address),
 *   `CONTRACT_NOT_DEPLOYED`, `STATUS_LIST_UNKNOWN`, `CHAIN_REORG_TOO_DEEP`,
 *   chain errors.
 *
 * @example
 * ```ts
 * await verifyChainBinding({ chain, outbox, deep: true });
 * ```
 */
export async function verifyChainBinding({ chain, outbox, deep }: { chain: PublisherChain; outbox: Outbox; deep: boolean }): Promise<void> {
  const genesisHash = await chain.genesisHash();
  const bound = outbox.chainBinding();
  if (bound === undefined) {
    if (!(await chain.registryDeployed())) throw new UrbisError('CONTRACT_NOT_DEPLOYED', 'no StatusRegistry is deployed at the configured address');
    outbox.bindChain({ chainId: chain.chainId, genesisHash, registryAddress: chain.registryAddress });
    return;
  }
  if (bound.chainId !== chain.chainId || bound.genesisHash !== genesisHash) {
    throw new UrbisError(
      'CHAIN_ID_MISMATCH',
      'the chain answering is not the chain this outbox publishes to (another chain id or genesis block: a restarted development node is a new, empty chain); the outbox is kept as it is',
    );
  }
  if (bound.registryAddress.toLowerCase() !== chain.registryAddress.toLowerCase()) {
    throw new UrbisError('INVALID_ARGUMENT', 'this outbox publishes to another StatusRegistry address');
  }
  if (!deep) return;
  if (!(await chain.registryDeployed())) throw new UrbisError('CONTRACT_NOT_DEPLOYED', 'the StatusRegistry this outbox publishes to has no code any more');
  for (const batch of outbox.lastConfirmedBatches()) {
    let list: StatusListInfo;
    try {
      list = await chain.listInfo(batch.listId);
    } catch (error) {
      if (isUrbisError(error, 'STATUS_LIST_UNKNOWN')) throw new UrbisError('STATUS_LIST_UNKNOWN', `list ${batch.listId}, which this outbox published to, is gone from the chain`);
      throw error;
    }
    if (list.sequence <= batch.expectedSequence) {
      throw new UrbisError('CHAIN_REORG_TOO_DEEP', `list ${batch.listId} lost confirmed batch ${batch.expectedSequence}`);
    }
    if (batch.blockNumber !== undefined && (await chain.blockHash(batch.blockNumber)) !== batch.blockHash) {
      throw new UrbisError('CHAIN_REORG_TOO_DEEP', `the block of confirmed batch ${batch.expectedSequence} of list ${batch.listId} is no longer canonical`);
    }
  }
}
