import { Contract, type JsonRpcProvider } from 'ethers';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { byteLengthFor } from '../../core/status/bit-packing.js';
import { DEFAULT_MAX_DECOMPRESSED_BYTES } from '../../core/status/compression.js';
import { StatusList } from '../../core/status/status-list.js';
import { toChainError } from '../chain/chain-errors.js';
import { headBlock } from '../chain/head-block.js';
import { STATUS_REGISTRY_ABI, STATUS_REGISTRY_ERRORS } from '../chain/contract-abis.js';
import {
  ENTRIES_PER_WORD,
  MAX_WORDS_PER_READ,
  wordsToStatusBytes,
  type StatusListInfo,
  type StatusRegistryClient,
} from '../chain/status-registry-client.js';

/**
 * Reading a whole status list from chain STATE (not from events), pinned to
 * one block so that a list read in several `readWords` calls is consistent.
 */

/** A list as the chain held it at one block. */
export interface ChainListState extends StatusListInfo {
  /** The block every read was made at. */
  blockNumber: number;
  /** The list's 2-bit entries, LSB-first (Token Status List order). */
  list: StatusList;
}

/** Most `readWords` calls in flight at once for one list. */
const READ_CONCURRENCY = 4;

/**
 * `listInfo(listId)` at a given block. (`StatusRegistryClient.listInfo` reads
 * the latest block only; a snapshot needs the sequence at its own block.)
 *
 * @throws UrbisError `STATUS_LIST_UNKNOWN`, `CHAIN_UNREACHABLE`.
 *
 * @example
 * ```ts
 * const info = await readListInfo({ provider, address: deployment.statusRegistry, listId: 0, blockTag: 42 });
 * info.sequence; // batches applied up to block 42
 * ```
 */
export async function readListInfo({
  provider,
  address,
  listId,
  blockTag,
}: {
  provider: JsonRpcProvider;
  address: string;
  listId: number;
  blockTag?: number;
}): Promise<StatusListInfo> {
  const contract = new Contract(address, [...STATUS_REGISTRY_ABI, ...STATUS_REGISTRY_ERRORS], provider);
  let answer: [string, bigint, bigint, bigint];
  try {
    answer = (await contract.getFunction('listInfo').staticCall(listId, ...(blockTag === undefined ? [] : [{ blockTag }]))) as [
      string,
      bigint,
      bigint,
      bigint,
    ];
  } catch (error) {
    throw toChainError(error, 'listInfo');
  }
  const [owner, size, sequence, lastUpdateBlock] = answer;
  return { listId, owner, size: Number(size), sequence: Number(sequence), lastUpdateBlock: Number(lastUpdateBlock) };
}

/**
 * Reads list `listId` in full from the StatusRegistry's storage: its info,
 * then every word in chunks of {@link MAX_WORDS_PER_READ} (4,096 words =
 * 524,288 entries per call), all at the same block (`blockTag`, default the
 * latest block at the time of the call), converted to a core
 * {@link StatusList} with `wordsToStatusBytes` (both are LSB-first).
 *
 * @throws UrbisError `STATUS_LIST_UNKNOWN`; `STATUS_LIST_TOO_LARGE` for a list
 *   above the 10 MiB verifiers accept (DESIGN §4), refused before reading it;
 *   `STATUS_LIST_MALFORMED` when the chain returns fewer words than the list
 *   needs; `CHAIN_UNREACHABLE`.
 *
 * @example
 * ```ts
 * const { list, sequence, blockNumber } = await readListFromChain({ client: status, provider, listId: 0 });
 * list.get(94_567); // 0 valid, 1 revoked, 2 suspended
 * ```
 */
export async function readListFromChain({
  client,
  provider,
  listId,
  blockTag,
}: {
  client: StatusRegistryClient;
  provider: JsonRpcProvider;
  listId: number;
  blockTag?: number;
}): Promise<ChainListState> {
  const blockNumber = blockTag ?? (await headBlock(provider));
  const info = await readListInfo({ provider, address: client.address, listId, blockTag: blockNumber });
  const byteLength = byteLengthFor(info.size, 2);
  if (byteLength > DEFAULT_MAX_DECOMPRESSED_BYTES) {
    throw new UrbisError('STATUS_LIST_TOO_LARGE', 'the list is above the 10 MiB verifiers accept');
  }
  const wordCount = Math.ceil(info.size / ENTRIES_PER_WORD);
  const starts: number[] = [];
  for (let fromWord = 0; fromWord < wordCount; fromWord += MAX_WORDS_PER_READ) starts.push(fromWord);
  const chunks: bigint[][] = new Array(starts.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < starts.length) {
      const i = next++;
      const fromWord = starts[i]!;
      const count = Math.min(MAX_WORDS_PER_READ, wordCount - fromWord);
      chunks[i] = await client.readWords({ listId, fromWord, count, blockTag: blockNumber });
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, starts.length) }, worker));
  const words = chunks.flat();
  if (words.length !== wordCount) {
    throw new UrbisError('STATUS_LIST_MALFORMED', 'the chain returned fewer words than the list holds');
  }
  const bytes = wordsToStatusBytes(words).subarray(0, byteLength);
  return { ...info, blockNumber, list: StatusList.fromBytes({ bytes, bits: 2, size: info.size }) };
}

