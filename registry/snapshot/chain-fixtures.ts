import { createHash } from 'node:crypto';
import type { JsonRpcProvider, NonceManager } from 'ethers';
import type { StatusDelta } from '../chain/status-deltas.js';
import type { StatusRegistryClient } from '../chain/status-registry-client.js';
import { accreditIssuer as accreditFederationIssuer, chainThumbprints } from '../federation/federation-votes.js';
import { readListInfo } from '../publish/read-list-from-chain.js';
import { headBlock } from '../chain/head-block.js';
import type { SnapshotContent } from './snapshot-content.js';

/**
 * Small drivers of a local Hardhat chain for the snapshot and publish tests
 * and the snapshot benchmark: status batches, federation changes, and the
 * Hardhat RPCs that simulate a reorg. Not used by production code.
 *
 * Waits poll raw `eth_getTransactionReceipt`: ethers' `waitForTransaction`
 * compares the receipt with `getBlockNumber()`, which may answer from a
 * 250 ms cache, and then waits for a block that an automining node never
 * produces.
 */

/** Waits until a transaction has a receipt; returns its block number. */
export async function waitMined(provider: JsonRpcProvider, hash: string, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const receipt = (await provider.send('eth_getTransactionReceipt', [hash])) as { blockNumber: string; status: string } | null;
    if (receipt !== null) {
      if (receipt.status !== '0x1') throw new Error(`transaction ${hash} reverted`);
      return Number(receipt.blockNumber);
    }
    if (Date.now() > deadline) throw new Error(`transaction ${hash} not mined`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sends one batch of changes to a list with the next sequence (read at the head) and waits for it. */
export async function applyStatusBatch({
  writer,
  provider,
  listId,
  deltas,
}: {
  writer: StatusRegistryClient;
  provider: JsonRpcProvider;
  listId: number;
  deltas: StatusDelta[];
}): Promise<number> {
  const info = await readListInfo({ provider, address: writer.address, listId, blockTag: await headBlock(provider) });
  const { hash } = await writer.sendUpdate({ listId, expectedSequence: info.sequence, deltas });
  return waitMined(provider, hash);
}

/** RFC 7638 thumbprints of keys, in the registry's bytes32 form (now in `registry/federation/`). */
export { chainThumbprints };

/**
 * Accredits an issuer (propose, and execute — the proposer's approval must
 * reach the threshold, else the contract refuses). Library code
 * (`registry/federation/federation-votes.ts`) does the vote.
 */
export async function accreditIssuer(args: Parameters<typeof accreditFederationIssuer>[0]): Promise<void> {
  const outcome = await accreditFederationIssuer(args);
  if (!outcome.executed) await args.trust.execute(outcome.proposalId);
}

/** Hardhat `evm_snapshot`: an id to revert the chain to. */
export async function evmSnapshot(provider: JsonRpcProvider): Promise<string> {
  return (await provider.send('evm_snapshot', [])) as string;
}

/**
 * Hardhat `evm_revert`: the chain goes back to the snapshot's block, and
 * blocks mined afterwards replace the ones dropped — a reorg, as seen by a
 * client. Resets the nonce managers, whose counts the revert made wrong.
 */
export async function evmRevert(provider: JsonRpcProvider, id: string, signers: readonly NonceManager[]): Promise<void> {
  const reverted = (await provider.send('evm_revert', [id])) as boolean;
  if (!reverted) throw new Error('evm_revert refused the snapshot id');
  for (const signer of signers) signer.reset();
}

/** Mines `count` empty blocks. */
export async function mineBlocks(provider: JsonRpcProvider, count: number): Promise<void> {
  await provider.send('hardhat_mine', [`0x${count.toString(16)}`]);
}

/**
 * What two snapshots must agree on when they describe the same block: the
 * block, every list (id, URI, sequence, a digest of its bits and its
 * non-valid entry count) and every issuer. Not the sync time or the journal,
 * which depend on how the snapshot was obtained.
 */
export function comparableState(content: SnapshotContent): unknown {
  return {
    chainId: content.chainId,
    blockNumber: content.sync.blockNumber,
    blockHash: content.sync.blockHash,
    blockTime: content.sync.blockTime,
    lists: content.lists.map((l) => {
      let marked = 0;
      for (const byte of l.list.asBytes()) {
        for (let shift = 0; shift < 8; shift += 2) if (((byte >> shift) & 3) !== 0) marked++;
      }
      return { listId: l.listId, uri: l.uri, sequence: l.sequence, size: l.list.size, marked, sha256: createHash('sha256').update(l.list.asBytes()).digest('hex') };
    }),
    issuers: content.issuers,
  };
}
