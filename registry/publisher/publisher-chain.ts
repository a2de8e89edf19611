import { Interface, isError, Transaction, type JsonRpcProvider, type Signer } from 'ethers';
import { isUrbisError, UrbisError } from '../../core/errors/urbis-error.js';
import { CONTRACT_ERROR_CODES, toChainError } from '../chain/chain-errors.js';
import { STATUS_REGISTRY_ERRORS } from '../chain/contract-abis.js';
import type { StatusDelta } from '../chain/status-deltas.js';
import { StatusRegistryClient, type StatusListInfo, type StatusUpdateEvent } from '../chain/status-registry-client.js';

/** A custom error decoded from revert data: its name and arguments. */
export interface DecodedRevert {
  name: string;
  args: readonly unknown[];
}

/**
 * What became of one send:
 * - `sent`: the node accepted the signed transaction (it may still revert or be dropped);
 * - `refused`: the contract refused the batch before anything was sent (`eth_estimateGas`), with its Urbis code and decoded custom error, or (`tooLarge`) the batch needs more gas than one transaction may use;
 * - `nonce-used`: the nonce was consumed by another transaction of the same key (ethers `NONCE_EXPIRED`);
 * - `nonce-pending`: a transaction with this nonce is waiting in the pool (ethers `REPLACEMENT_UNDERPRICED`).
 */
export type SendOutcome =
  | { kind: 'sent'; txHash: string }
  | { kind: 'refused'; error: UrbisError; revert?: DecodedRevert; tooLarge?: boolean }
  | { kind: 'nonce-used'; txHash: string; error: UrbisError }
  | { kind: 'nonce-pending'; txHash: string; error: UrbisError };

/** The part of a receipt the publisher needs. */
export interface BatchReceipt {
  txHash: string;
  status: 'success' | 'reverted';
  blockNumber: number;
  blockHash: string;
}

/**
 * What the publisher needs from the chain: a narrow port, so that the worker
 * is written against intentions (list state, find the batch with sequence s,
 * send a signed batch) rather than raw JSON-RPC. Every method throws
 * `UrbisError` with a chain code (`CHAIN_UNREACHABLE` for transport failures).
 */
export interface PublisherChain {
  readonly chainId: number;
  readonly registryAddress: string;
  /** The address whose key signs the batches. */
  writerAddress(): Promise<string>;
  /** Hash of block 0: a restarted development node (a new chain) has another one. */
  genesisHash(): Promise<string>;
  /** Whether contract code is deployed at the registry address. */
  registryDeployed(): Promise<boolean>;
  blockNumber(): Promise<number>;
  /** Hash of a canonical block, `undefined` if the chain has no such block. */
  blockHash(blockNumber: number): Promise<string | undefined>;
  /** @throws UrbisError `STATUS_LIST_UNKNOWN`. */
  listInfo(listId: number): Promise<StatusListInfo>;
  /** Current status of some entries (one `statusOf` call each). */
  statusesOf({ listId, indices }: { listId: number; indices: readonly number[] }): Promise<Map<number, number>>;
  /** The `StatusesUpdated` event of `listId` with `sequence`, searched from `fromBlock` to the head. */
  findUpdate({ listId, sequence, fromBlock }: { listId: number; sequence: number; fromBlock: number }): Promise<StatusUpdateEvent | undefined>;
  /** Transaction counts of the writer: mined (`latest`) and including the pool (`pending`). */
  nonces(): Promise<{ latest: number; pending: number }>;
  /**
   * Checks the batch against the contract (`eth_estimateGas`), signs it with
   * `nonce`, hands the transaction hash to `beforeBroadcast` (which records
   * it durably) and only then broadcasts it.
   */
  sendBatch(args: {
    listId: number;
    expectedSequence: number;
    deltas: readonly StatusDelta[];
    nonce: number;
    beforeBroadcast: (sent: { txHash: string; nonce: number }) => void | Promise<void>;
  }): Promise<SendOutcome>;
  /** The receipt of a mined transaction, `undefined` while it is not mined (or unknown). */
  receipt(txHash: string): Promise<BatchReceipt | undefined>;
  /** Releases what the port opened (not the caller's connection). */
  close(): void;
}

const REGISTRY_ERRORS = new Interface([...STATUS_REGISTRY_ERRORS]);

/**
 * {@link PublisherChain} over ethers v6 JSON-RPC, a deployed StatusRegistry
 * and a local signing key (`Wallet`).
 *
 * The provider must not cache responses (`connectChain` sets ethers'
 * `cacheTimeout: -1`): by default ethers shares the answer of identical
 * requests for 250 ms, which would hand the publisher a stale nonce, list
 * sequence or gas estimate right after its own transaction was mined.
 *
 * Transactions are signed locally and their hash recorded before broadcast,
 * so that even a lost `eth_sendRawTransaction` response leaves a hash to look
 * up. Reverts are decoded here from the revert data with the registry's
 * custom-error ABI (`StatusRegistryRevocationIsFinal(listId, index)` etc.):
 * `StatusRegistryClient.sendUpdate` cannot, because ethers does not decode
 * custom errors on the signer's `estimateGas` path (its `revert` is null).
 *
 * What is relied on to recognise nonce trouble: ethers' own error codes
 * `NONCE_EXPIRED` ("nonce too low", as Hardhat, geth and Besu word it) and
 * `REPLACEMENT_UNDERPRICED` on `eth_sendRawTransaction`. ethers derives them
 * from the node's message; Urbis reads only ethers' `code`. Anything else a
 * node says about the nonce (e.g. geth's "already known") surfaces as a
 * transient error, and the publisher's reconciliation (read the list's
 * sequence, look for the batch's event) decides what to do next.
 *
 * @example
 * ```ts
 * const chain = await connectChain({ rpcUrl, chainId: 7777 });
 * const publisherChain = new EthersPublisherChain({
 *   provider: chain.provider,
 *   chainId: chain.chainId,
 *   registryAddress: deployment.statusRegistry,
 *   signer: new Wallet(issuerKey, chain.provider),
 * });
 * ```
 */
export class EthersPublisherChain implements PublisherChain {
  readonly chainId: number;
  readonly registryAddress: string;
  readonly #provider: JsonRpcProvider;
  readonly #signer: Signer;
  readonly #client: StatusRegistryClient;
  readonly #logPageBlocks: number;
  readonly #gasMarginPercent: number;
  readonly #maxTxGas: bigint;
  #writer: string | undefined;

  constructor({
    provider,
    chainId,
    registryAddress,
    signer,
    logPageBlocks = 5_000,
    gasMarginPercent = 20,
    maxTxGas = 16_777_216,
  }: {
    provider: JsonRpcProvider;
    chainId: number;
    registryAddress: string;
    /** A local key (ethers `Wallet`); it is connected to `provider`. */
    signer: Signer;
    /** Blocks per `eth_getLogs` page when searching for a batch's event. */
    logPageBlocks?: number;
    /** Gas limit above the estimate, in percent (never above `maxTxGas`). */
    gasMarginPercent?: number;
    /** Most gas one transaction may use: 2^24 by default (EIP-7825, enforced by Hardhat 2.29's default hardfork). */
    maxTxGas?: number;
  }) {
    this.#provider = provider;
    this.chainId = chainId;
    this.registryAddress = registryAddress;
    this.#signer = signer.connect(this.#provider);
    this.#client = new StatusRegistryClient({ address: registryAddress, provider: this.#provider });
    this.#logPageBlocks = logPageBlocks;
    this.#gasMarginPercent = gasMarginPercent;
    this.#maxTxGas = BigInt(maxTxGas);
  }

  async writerAddress(): Promise<string> {
    this.#writer ??= await this.#signer.getAddress();
    return this.#writer;
  }

  async genesisHash(): Promise<string> {
    const block = await this.#read('eth_getBlockByNumber', () => this.#provider.getBlock(0));
    if (block?.hash == null) throw new UrbisError('CHAIN_UNREACHABLE', 'the chain did not return its genesis block');
    return block.hash;
  }

  async registryDeployed(): Promise<boolean> {
    const code = await this.#read('eth_getCode', () => this.#provider.getCode(this.registryAddress));
    return code !== '0x' && code !== '';
  }

  async blockNumber(): Promise<number> {
    const hex = await this.#read('eth_blockNumber', () => this.#provider.send('eth_blockNumber', []) as Promise<string>);
    return Number(BigInt(hex));
  }

  async blockHash(blockNumber: number): Promise<string | undefined> {
    const block = await this.#read('eth_getBlockByNumber', () => this.#provider.getBlock(blockNumber));
    return block?.hash ?? undefined;
  }

  listInfo(listId: number): Promise<StatusListInfo> {
    return this.#client.listInfo(listId);
  }

  async statusesOf({ listId, indices }: { listId: number; indices: readonly number[] }): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    const queue = [...new Set(indices)];
    const worker = async (): Promise<void> => {
      for (let index = queue.pop(); index !== undefined; index = queue.pop()) out.set(index, await this.#client.statusOf({ listId, index }));
    };
    await Promise.all(Array.from({ length: Math.min(8, queue.length) }, worker));
    return out;
  }

  async findUpdate({ listId, sequence, fromBlock }: { listId: number; sequence: number; fromBlock: number }): Promise<StatusUpdateEvent | undefined> {
    const head = await this.blockNumber();
    for (let from = fromBlock; from <= head; from += this.#logPageBlocks) {
      const to = Math.min(head, from + this.#logPageBlocks - 1);
      const found = (await this.#client.fetchUpdates({ fromBlock: from, toBlock: to, listId })).find((event) => event.sequence === sequence);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  async nonces(): Promise<{ latest: number; pending: number }> {
    const address = await this.writerAddress();
    const [latest, pending] = await Promise.all([
      this.#read('eth_getTransactionCount', () => this.#provider.getTransactionCount(address, 'latest')),
      this.#read('eth_getTransactionCount', () => this.#provider.getTransactionCount(address, 'pending')),
    ]);
    return { latest, pending: Math.max(latest, pending) };
  }

  async sendBatch({
    listId,
    expectedSequence,
    deltas,
    nonce,
    beforeBroadcast,
  }: {
    listId: number;
    expectedSequence: number;
    deltas: readonly StatusDelta[];
    nonce: number;
    beforeBroadcast: (sent: { txHash: string; nonce: number }) => void | Promise<void>;
  }): Promise<SendOutcome> {
    const from = await this.writerAddress();
    const data = this.#client.encodeUpdate({ listId, expectedSequence, deltas });
    const request = { from, to: this.registryAddress, data };
    let gas: bigint;
    try {
      gas = await this.#provider.estimateGas(request);
    } catch (error) {
      const refusal = decodeRefusal(error);
      if (refusal !== undefined) return refusal;
      throw toChainError(error, 'eth_estimateGas');
    }
    if (gas > this.#maxTxGas) {
      return { kind: 'refused', tooLarge: true, error: new UrbisError('CHAIN_TX_REVERTED', 'the batch needs more gas than one transaction may use') };
    }
    const withMargin = (gas * BigInt(100 + this.#gasMarginPercent)) / 100n;
    let signed: string;
    try {
      const populated = await this.#signer.populateTransaction({
        to: this.registryAddress,
        data,
        nonce,
        chainId: this.chainId,
        gasLimit: withMargin < this.#maxTxGas ? withMargin : this.#maxTxGas,
      });
      signed = await this.#signer.signTransaction(populated);
    } catch (error) {
      throw toChainError(error, 'preparing the transaction');
    }
    const txHash = Transaction.from(signed).hash!;
    await beforeBroadcast({ txHash, nonce });
    try {
      await this.#provider.broadcastTransaction(signed);
    } catch (error) {
      if (isError(error, 'NONCE_EXPIRED')) return { kind: 'nonce-used', txHash, error: new UrbisError('CHAIN_TX_REVERTED', 'the nonce was already used', { cause: error }) };
      if (isError(error, 'REPLACEMENT_UNDERPRICED')) {
        return { kind: 'nonce-pending', txHash, error: new UrbisError('CHAIN_TX_REVERTED', 'a transaction with this nonce is pending', { cause: error }) };
      }
      throw toChainError(error, 'eth_sendRawTransaction');
    }
    return { kind: 'sent', txHash };
  }

  async receipt(txHash: string): Promise<BatchReceipt | undefined> {
    const receipt = await this.#read('eth_getTransactionReceipt', () => this.#provider.getTransactionReceipt(txHash));
    if (receipt === null) return undefined;
    return { txHash, status: receipt.status === 1 ? 'success' : 'reverted', blockNumber: receipt.blockNumber, blockHash: receipt.blockHash };
  }

  close(): void {
    this.#provider.destroy();
  }

  async #read<T>(context: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw toChainError(error, context);
    }
  }
}

/**
 * A contract refusal from `eth_estimateGas`, decoded from the revert data
 * (`error.data`) with the registry's custom errors; `undefined` when the
 * error is not a call exception (transport trouble).
 */
export function decodeRefusal(error: unknown): SendOutcome | undefined {
  if (isUrbisError(error) || !isError(error, 'CALL_EXCEPTION')) return undefined;
  const data = error.data;
  let revert: DecodedRevert | undefined;
  if (typeof data === 'string' && data.length >= 10) {
    const parsed = REGISTRY_ERRORS.parseError(data);
    if (parsed !== null) revert = { name: parsed.name, args: [...parsed.args] };
  }
  const code = revert === undefined ? undefined : CONTRACT_ERROR_CODES[revert.name];
  const message = `updateStatuses: the contract refused${revert === undefined ? '' : ` (${revert.name})`}`;
  return revert === undefined
    ? { kind: 'refused', error: new UrbisError('CHAIN_TX_REVERTED', message, { cause: error }) }
    : { kind: 'refused', error: new UrbisError(code ?? 'CHAIN_TX_REVERTED', message, { cause: error }), revert };
}
