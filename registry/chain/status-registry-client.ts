import { Contract, getAddress, getBytes, hexlify, isAddress, type ContractRunner, type JsonRpcProvider, type Log } from 'ethers';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { toChainError } from './chain-errors.js';
import { callView, eventArgument, sendAndWait } from './contract-calls.js';
import { STATUS_REGISTRY_ABI, STATUS_REGISTRY_ERRORS } from './contract-abis.js';
import { packStatusDeltas, unpackStatusDeltas, type StatusDelta } from './status-deltas.js';

/** What the chain says about one list. */
export interface StatusListInfo {
  listId: number;
  owner: string;
  size: number;
  /** Batches applied so far (the next batch must carry this as `expectedSequence`). */
  sequence: number;
  lastUpdateBlock: number;
}

/** One `StatusesUpdated` event, decoded. */
export interface StatusUpdateEvent {
  listId: number;
  sequence: number;
  deltas: StatusDelta[];
  blockNumber: number;
  blockHash: string;
  transactionHash: string;
  logIndex: number;
}

/** Entries per 256-bit storage word (2 bits each). */
export const ENTRIES_PER_WORD = 128;

/** Most words one `readWords` call returns (the contract's bound). */
export const MAX_WORDS_PER_READ = 4096;

/**
 * A typed client of a deployed StatusRegistry over JSON-RPC. Reads need a
 * provider; writes need a signer (`runner`). Reverts are mapped to Urbis
 * codes by the decoded custom error (see `chain-errors.ts`).
 */
export class StatusRegistryClient {
  readonly address: string;
  readonly #contract: Contract;
  readonly #provider: JsonRpcProvider;

  constructor({ address, provider, runner }: { address: string; provider: JsonRpcProvider; runner?: ContractRunner }) {
    this.address = address;
    this.#provider = provider;
    this.#contract = new Contract(address, [...STATUS_REGISTRY_ABI, ...STATUS_REGISTRY_ERRORS], runner ?? provider);
  }

  /** The same client writing with another signer. */
  connect(runner: ContractRunner): StatusRegistryClient {
    return new StatusRegistryClient({ address: this.address, provider: this.#provider, runner });
  }

  /** Creates a list owned by `owner`; returns its id once the transaction is mined. */
  async createList({ owner, size }: { owner: string; size: number }): Promise<number> {
    const receipt = await sendAndWait(this.#contract, 'createList', checkedAddress(owner), size);
    return Number(eventArgument(this.#contract, receipt, 'ListCreated', 'listId'));
  }

  /**
   * Grants list `listId`'s writer role to `account`. Only a current writer
   * of the list may (the role administers itself; the registry admin cannot).
   * @throws UrbisError `INVALID_ARGUMENT` (not an address),
   *   `STATUS_LIST_UNKNOWN`, `CHAIN_NOT_AUTHORIZED` (the signer is not a
   *   writer of the list), `CHAIN_UNREACHABLE`.
   */
  async grantWriter({ listId, account }: { listId: number; account: string }): Promise<void> {
    await this.#changeWriter('grantRole', listId, account);
  }

  /**
   * Revokes list `listId`'s writer role from `account` (the owner's too:
   * all writers are peers). A list left without writers is frozen for good.
   * @throws UrbisError as `grantWriter`.
   */
  async revokeWriter({ listId, account }: { listId: number; account: string }): Promise<void> {
    await this.#changeWriter('revokeRole', listId, account);
  }

  /** Whether `account` holds list `listId`'s writer role. */
  async isWriter({ listId, account }: { listId: number; account: string }): Promise<boolean> {
    const role = (await callView(this.#contract, 'writerRole', listId)) as string;
    return (await callView(this.#contract, 'hasRole', role, checkedAddress(account))) as boolean;
  }

  async #changeWriter(method: 'grantRole' | 'revokeRole', listId: number, account: string): Promise<void> {
    const address = checkedAddress(account);
    if (!Number.isSafeInteger(listId) || listId < 0) throw new UrbisError('INVALID_ARGUMENT', 'a list id is a non-negative integer');
    // For a list that does not exist, revokeRole would fall to DEFAULT_ADMIN_ROLE (and succeed as a no-op): ask first.
    await this.listInfo(listId);
    const role = (await callView(this.#contract, 'writerRole', listId)) as string;
    await sendAndWait(this.#contract, method, role, address);
  }

  /**
   * Sends one batch of changes (packed, sorted, deduplicated) without waiting
   * for it to be mined: the publisher tracks the transaction itself.
   */
  async sendUpdate({
    listId,
    expectedSequence,
    deltas,
    nonce,
  }: {
    listId: number;
    expectedSequence: number;
    deltas: readonly StatusDelta[];
    nonce?: number;
  }): Promise<{ hash: string; nonce: number }> {
    const packed = hexlify(packStatusDeltas(deltas));
    try {
      const fn = this.#contract.getFunction('updateStatuses');
      const tx = nonce === undefined ? await fn(listId, expectedSequence, packed) : await fn(listId, expectedSequence, packed, { nonce });
      return { hash: tx.hash, nonce: tx.nonce };
    } catch (error) {
      throw toChainError(error, 'updateStatuses', { errors: this.#contract.interface });
    }
  }

  /** The calldata of an update (for gas estimation and tests). */
  encodeUpdate({ listId, expectedSequence, deltas }: { listId: number; expectedSequence: number; deltas: readonly StatusDelta[] }): string {
    return this.#contract.interface.encodeFunctionData('updateStatuses', [listId, expectedSequence, hexlify(packStatusDeltas(deltas))]);
  }

  async statusOf({ listId, index }: { listId: number; index: number }): Promise<number> {
    return Number(await callView(this.#contract, 'statusOf', listId, index));
  }

  async listInfo(listId: number): Promise<StatusListInfo> {
    const [owner, size, sequence, lastUpdateBlock] = (await callView(this.#contract, 'listInfo', listId)) as [string, bigint, bigint, bigint];
    return { listId, owner, size: Number(size), sequence: Number(sequence), lastUpdateBlock: Number(lastUpdateBlock) };
  }

  async listCount(): Promise<number> {
    return Number(await callView(this.#contract, 'listCount'));
  }

  /** Raw 256-bit words from `fromWord` (128 entries each, LSB-first). */
  async readWords({ listId, fromWord, count, blockTag }: { listId: number; fromWord: number; count: number; blockTag?: number }): Promise<bigint[]> {
    const words = (await callView(this.#contract, 'readWords', listId, fromWord, count, ...(blockTag === undefined ? [] : [{ blockTag }]))) as bigint[];
    return [...words];
  }

  /**
   * Decoded `StatusesUpdated` events between two blocks (inclusive), in chain order.
   * @throws UrbisError `CHAIN_UNREACHABLE`, `STATUS_LIST_MALFORMED` (undecodable event data).
   */
  async fetchUpdates({ fromBlock, toBlock, listId }: { fromBlock: number; toBlock: number; listId?: number }): Promise<StatusUpdateEvent[]> {
    const topic = this.#contract.interface.getEvent('StatusesUpdated')!.topicHash;
    const topics: (string | null)[] = [topic];
    if (listId !== undefined) topics.push(`0x${listId.toString(16).padStart(64, '0')}`);
    let logs: Log[];
    try {
      logs = await this.#provider.getLogs({ address: this.address, topics, fromBlock, toBlock });
    } catch (error) {
      throw toChainError(error, 'eth_getLogs');
    }
    return logs.map((log) => this.decodeUpdate(log));
  }

  /** Decodes one `StatusesUpdated` log. */
  decodeUpdate(log: Log): StatusUpdateEvent {
    const parsed = this.#contract.interface.parseLog(log);
    if (parsed?.name !== 'StatusesUpdated') throw new UrbisError('STATUS_LIST_MALFORMED', 'not a StatusesUpdated event');
    return {
      listId: Number(parsed.args.listId),
      sequence: Number(parsed.args.sequence),
      deltas: unpackStatusDeltas(getBytes(parsed.args.packedDeltas as string)),
      blockNumber: log.blockNumber,
      blockHash: log.blockHash,
      transactionHash: log.transactionHash,
      logIndex: log.index,
    };
  }
}

/**
 * An account address in checksum form.
 * @throws UrbisError `INVALID_ARGUMENT` when it is not a 20-byte hex address (or a mixed-case one with a wrong checksum).
 */
export function checkedAddress(value: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(value) || !isAddress(value)) throw new UrbisError('INVALID_ARGUMENT', `"${value}" is not an account address (0x + 40 hex digits)`);
  return getAddress(value);
}

/** Converts chain words (128 LSB-first 2-bit entries each) into Token Status List bytes (LSB-first per byte). */
export function wordsToStatusBytes(words: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(words.length * 32);
  words.forEach((word, w) => {
    let rest = word;
    for (let b = 0; b < 32; b++) {
      out[w * 32 + b] = Number(rest & 0xffn);
      rest >>= 8n;
    }
  });
  return out;
}
