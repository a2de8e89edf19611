import { randomUUID } from 'node:crypto';
import { getBytes } from 'ethers';
import { isUrbisError, UrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';
import { unpackStatusDeltas } from '../chain/status-deltas.js';
import type { StatusListInfo } from '../chain/status-registry-client.js';
import { planBatch, type PlannableChange } from './batch-planner.js';
import type { Outbox, OutboxBatch, OutboxChange, OutboxCounts } from './outbox.js';
import type { BatchReceipt, PublisherChain, SendOutcome } from './publisher-chain.js';
import { reconcileBatch, verifyChainBinding } from './reconcile.js';
import { asUrbisError, backoffDelay, DEFAULT_BACKOFF, isFatalPublisherError, type BackoffOptions } from './retry-policy.js';

/** What the publisher reports. Only counts, list ids, batch ids, sequences, nonces, blocks, hashes and codes: never indices or anything about a holder. */
export interface PublisherLogEntry {
  event:
    | 'batch-planned'
    | 'batch-sent'
    | 'batch-mined'
    | 'batch-confirmed'
    | 'batch-revised'
    | 'batch-abandoned'
    | 'batch-reorged'
    | 'tx-reverted'
    | 'nonce-allocated'
    | 'nonce-pending'
    | 'changes-rejected'
    | 'callback-failed'
    | 'retry'
    | 'halted';
  listId?: number;
  batchId?: number;
  sequence?: number;
  changes?: number;
  rejected?: number;
  nonce?: number;
  txHash?: string;
  blockNumber?: number;
  /** Whether the transaction that applied the batch is one of the batch's recorded attempts (false: the same deltas landed through a transaction this outbox never signed). */
  ownTx?: boolean;
  code?: UrbisErrorCode;
  attempt?: number;
  delayMs?: number;
  reason?: string;
}

/** Options of {@link StatusPublisher}. */
export interface StatusPublisherOptions {
  outbox: Outbox;
  chain: PublisherChain;
  /** Blocks on top of (and including) the batch's block before its changes are confirmed. Default 1. */
  confirmations?: number;
  /** Most changes in one batch. Default 1,000. */
  maxBatchSize?: number;
  /**
   * Most distinct storage words (128 entries each) one batch writes. Gas
   * grows with words, not deltas: a word never written costs about 22,100
   * gas, so the default 500 keeps a batch of scattered random indices near
   * 11 M gas, under the 2^24 per-transaction cap of current EVMs (EIP-7825)
   * and usual block limits. Default 500.
   */
  maxBatchWords?: number;
  /** Poll interval while waiting for a receipt or confirmations, ms. Default 250. */
  pollIntervalMs?: number;
  /** Poll interval of the outbox when there is nothing to do, ms. Default 500. */
  idleIntervalMs?: number;
  /** How long to wait for a sent transaction to be mined before reconciling and resending, ms. Default 60,000. */
  miningTimeoutMs?: number;
  /** Backoff after transient failures. */
  backoff?: Partial<BackoffOptions>;
  /** Consecutive transient failures tolerated before halting. Default: unlimited (an outage only delays). */
  maxConsecutiveFailures?: number;
  /** Validity of the outbox lease, ms (renewed at every step). Default 30,000. */
  leaseTtlMs?: number;
  /** Called once per confirmed change, after it is durably marked confirmed (also after a restart, for changes not reported yet). */
  onConfirmed?: (change: OutboxChange) => void | Promise<void>;
  /** Called once per rejected change, after it is durably marked rejected. */
  onRejected?: (change: OutboxChange) => void | Promise<void>;
  /** Called on each transient failure before the backoff. */
  onError?: (error: UrbisError) => void;
  log?: (entry: PublisherLogEntry) => void;
}

type Settings = Required<Omit<StatusPublisherOptions, 'outbox' | 'chain' | 'onConfirmed' | 'onRejected' | 'onError' | 'log' | 'backoff'>> & { backoff: BackoffOptions };

/**
 * The issuer's status publisher: takes changes from the durable
 * {@link Outbox}, batches them per list and applies them to the
 * StatusRegistry exactly once, each change marked confirmed only after
 * `confirmations` blocks.
 *
 * One batch is in flight at a time. A batch is recorded (changes, list,
 * expected sequence, nonce) in the same transaction that takes its changes
 * out of pending; every signed transaction's hash is recorded before it is
 * broadcast. Whatever happens next (crash, lost response, RPC outage, nonce
 * taken by another process), the batch is reconciled with the chain before
 * anything is sent again: the list's sequence and the `StatusesUpdated`
 * event with the batch's sequence say whether it applied. Because the
 * contract applies a batch only at its expected sequence, a resend can never
 * apply twice.
 *
 * @example
 * ```ts
 * const outbox = Outbox.open({ path: 'outbox.sqlite' });
 * const chain = await connectChain({ rpcUrl, chainId: 7777 });
 * const publisher = new StatusPublisher({
 *   outbox,
 *   chain: new EthersPublisherChain({ provider: chain.provider, chainId: 7777, registryAddress, signer: new Wallet(key, chain.provider) }),
 *   confirmations: 2,
 *   onConfirmed: (change) => webhooks.notify(change.id),
 * });
 * outbox.enqueue({ listId: 0, index: 4_711, value: 1, reason: 'holder-request' });
 * await publisher.run({ untilIdle: true });
 * ```
 */
export class StatusPublisher {
  readonly #outbox: Outbox;
  readonly #chain: PublisherChain;
  readonly #settings: Settings;
  readonly #onConfirmed: StatusPublisherOptions['onConfirmed'];
  readonly #onRejected: StatusPublisherOptions['onRejected'];
  readonly #onError: StatusPublisherOptions['onError'];
  readonly #log: (entry: PublisherLogEntry) => void;
  #running = false;
  #lease: { holder: string; ttlMs: number } | undefined;
  #background: { controller: AbortController; done: Promise<void> } | undefined;
  #halted: UrbisError | undefined;

  constructor(options: StatusPublisherOptions) {
    const { outbox, chain, onConfirmed, onRejected, onError, log } = options;
    const settings: Settings = {
      confirmations: options.confirmations ?? 1,
      maxBatchSize: options.maxBatchSize ?? 1_000,
      maxBatchWords: options.maxBatchWords ?? 500,
      pollIntervalMs: options.pollIntervalMs ?? 250,
      idleIntervalMs: options.idleIntervalMs ?? 500,
      miningTimeoutMs: options.miningTimeoutMs ?? 60_000,
      maxConsecutiveFailures: options.maxConsecutiveFailures ?? Number.POSITIVE_INFINITY,
      leaseTtlMs: options.leaseTtlMs ?? 30_000,
      backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    };
    if (!Number.isInteger(settings.confirmations) || settings.confirmations < 1) throw new UrbisError('INVALID_ARGUMENT', 'confirmations is an integer ≥ 1');
    if (!Number.isInteger(settings.maxBatchSize) || settings.maxBatchSize < 1) throw new UrbisError('INVALID_ARGUMENT', 'maxBatchSize is an integer ≥ 1');
    this.#outbox = outbox;
    this.#chain = chain;
    this.#settings = settings;
    this.#onConfirmed = onConfirmed;
    this.#onRejected = onRejected;
    this.#onError = onError;
    this.#log = log ?? (() => undefined);
  }

  /** Counts of pending, in-flight, confirmed and rejected changes. */
  counts(): OutboxCounts {
    return this.#outbox.counts();
  }

  /** The error the background loop stopped with, if it did. */
  get haltedWith(): UrbisError | undefined {
    return this.#halted;
  }

  /**
   * Runs the worker until `signal` aborts (or, with `untilIdle`, until no
   * change is pending or in flight). Transient failures are retried with
   * backoff; the returned promise rejects with the first fatal error
   * (see `FATAL_PUBLISHER_CODES`), leaving the outbox as it is.
   *
   * @throws UrbisError `OUTBOX_UNAVAILABLE` when another publisher holds the outbox; fatal codes.
   */
  async run({ signal, untilIdle = false }: { signal?: AbortSignal; untilIdle?: boolean } = {}): Promise<void> {
    if (this.#running) throw new UrbisError('INVALID_ARGUMENT', 'this publisher is already running');
    this.#running = true;
    const holder = randomUUID();
    const lease = { holder, ttlMs: this.#settings.leaseTtlMs };
    this.#lease = lease;
    try {
      this.#outbox.acquireLease(lease);
      let failures = 0;
      let deep = true;
      while (signal?.aborted !== true) {
        try {
          this.#outbox.renewLease(lease);
          await this.#deliver();
          await verifyChainBinding({ chain: this.#chain, outbox: this.#outbox, deep });
          deep = false;
          const worked = await this.#step(signal);
          await this.#deliver();
          failures = 0;
          if (!worked) {
            if (untilIdle) return;
            await sleep(this.#settings.idleIntervalMs, signal);
          }
        } catch (thrown) {
          const error = asUrbisError(thrown);
          failures += 1;
          if (isFatalPublisherError(thrown) || failures > this.#settings.maxConsecutiveFailures) {
            this.#log({ event: 'halted', code: error.code });
            throw error;
          }
          deep = true;
          const delayMs = backoffDelay({ attempt: failures, options: this.#settings.backoff });
          this.#log({ event: 'retry', code: error.code, attempt: failures, delayMs });
          this.#onError?.(error);
          await sleep(delayMs, signal);
        }
      }
    } finally {
      this.#running = false;
      this.#lease = undefined;
      try {
        this.#outbox.releaseLease(holder);
      } catch {
        /* the outbox may be closed or broken: the lease expires */
      }
    }
  }

  /** Starts {@link run} in the background; a fatal error is kept in `haltedWith`. */
  start(): void {
    if (this.#background !== undefined) return;
    const controller = new AbortController();
    const done = this.run({ signal: controller.signal }).catch((error: unknown) => {
      this.#halted = asUrbisError(error);
    });
    this.#background = { controller, done };
  }

  /** Stops the background loop after its current step (an open batch stays open and is reconciled next time). */
  async stop(): Promise<void> {
    const background = this.#background;
    if (background === undefined) return;
    background.controller.abort();
    await background.done;
    this.#background = undefined;
  }

  /** One unit of work: drive the open batch, or plan and drive a new one. Returns false when idle. */
  async #step(signal: AbortSignal | undefined): Promise<boolean> {
    const open = this.#outbox.openBatches()[0];
    if (open !== undefined) {
      await this.#drive(open, signal);
      return true;
    }
    const listId = this.#outbox.nextPendingList();
    if (listId === undefined) return false;
    const fromBlock = await this.#chain.blockNumber();
    let list: StatusListInfo;
    try {
      list = await this.#chain.listInfo(listId);
    } catch (error) {
      if (isUrbisError(error, 'STATUS_LIST_UNKNOWN') && !this.#outbox.lastConfirmedBatches().some((b) => b.listId === listId)) {
        // A list this outbox never published to does not exist: its changes can never apply.
        const rejected = this.#outbox.rejectPending({ listId, limit: this.#settings.maxBatchSize, code: 'STATUS_LIST_UNKNOWN' });
        this.#log({ event: 'changes-rejected', listId, rejected, code: 'STATUS_LIST_UNKNOWN' });
        return true;
      }
      throw error;
    }
    const pending = this.#outbox.pendingChanges({ listId, limit: this.#settings.maxBatchSize });
    const plan = planBatch({ changes: pending, listSize: list.size, maxWords: this.#settings.maxBatchWords });
    const { pending: nonce } = await this.#chain.nonces();
    const batch = this.#outbox.createBatch({ listId, expectedSequence: list.sequence, fromBlock, nonce, plan });
    if (plan.rejected.length > 0) this.#log({ event: 'changes-rejected', listId, rejected: plan.rejected.length });
    if (batch === undefined) return true;
    this.#log({ event: 'batch-planned', listId, batchId: batch.id, sequence: batch.expectedSequence, changes: plan.applied.length + plan.superseded.length, nonce });
    await this.#drive(batch, signal);
    return true;
  }

  /** Takes one batch to confirmed (or abandoned/rejected), reconciling with the chain before every send. */
  async #drive(initial: OutboxBatch, signal: AbortSignal | undefined): Promise<void> {
    let batch = initial;
    let reverts = 0;
    let nonceWaits = 0;
    let conflicts = 0;
    while (signal?.aborted !== true) {
      if (batch.state === 'mined') {
        const outcome = await this.#awaitConfirmations(batch, signal);
        if (outcome !== 'reorged') return;
        this.#log({ event: 'batch-reorged', listId: batch.listId, batchId: batch.id, sequence: batch.expectedSequence });
        batch = this.#outbox.reopenBatch(batch.id);
        continue;
      }
      const reconciled = await reconcileBatch({ chain: this.#chain, batch });
      if (reconciled.kind === 'applied') {
        const { event } = reconciled;
        const ownTx = this.#outbox.attempts(batch.id).some((a) => a.txHash.toLowerCase() === event.transactionHash.toLowerCase());
        batch = this.#outbox.markMined({ batchId: batch.id, txHash: event.transactionHash, blockNumber: event.blockNumber, blockHash: event.blockHash });
        this.#log({ event: 'batch-mined', listId: batch.listId, batchId: batch.id, sequence: batch.expectedSequence, txHash: event.transactionHash, blockNumber: event.blockNumber, ownTx });
        continue;
      }
      if (reconciled.kind === 'foreign') {
        this.#outbox.abandonBatch({ batchId: batch.id, reason: 'sequence-taken' });
        this.#log({ event: 'batch-abandoned', listId: batch.listId, batchId: batch.id, sequence: batch.expectedSequence, reason: 'sequence-taken' });
        return;
      }
      const { outcome, nonce } = await this.#send(batch);
      switch (outcome.kind) {
        case 'sent': {
          this.#log({ event: 'batch-sent', listId: batch.listId, batchId: batch.id, sequence: batch.expectedSequence, nonce, txHash: outcome.txHash });
          const receipt = await this.#awaitReceipt(outcome.txHash, signal);
          if (receipt?.status === 'reverted') {
            reverts += 1;
            this.#log({ event: 'tx-reverted', listId: batch.listId, batchId: batch.id, txHash: outcome.txHash, attempt: reverts });
            if (reverts >= 5) throw new UrbisError('CHAIN_TX_REVERTED', 'the batch transaction keeps reverting on chain');
          }
          // Mined, reverted or not mined in time: reconciliation decides (event found → mined; else resend).
          break;
        }
        case 'nonce-used':
          batch = this.#outbox.setBatchNonce({ batchId: batch.id, nonce: undefined });
          break;
        case 'nonce-pending':
          this.#log({ event: 'nonce-pending', listId: batch.listId, batchId: batch.id, nonce });
          nonceWaits += 1;
          if (nonceWaits > 10) throw outcome.error; // back off, reconcile, try again
          await sleep(this.#settings.pollIntervalMs * 4, signal);
          break;
        case 'refused': {
          if (outcome.error.code === 'STATUS_SEQUENCE_CONFLICT') {
            // Someone applied that sequence since we read the list: reconcile (after a breath, in case the node's views disagree).
            conflicts += 1;
            if (conflicts > 10) throw outcome.error;
            await sleep(this.#settings.pollIntervalMs, signal);
            break;
          }
          const revised = await this.#handleRefusal(batch, outcome, reconciled.list);
          if (revised === undefined) return;
          batch = revised;
          break;
        }
      }
      batch = this.#reload(batch);
    }
  }

  /** Allocates a nonce when the batch has none usable, then checks, signs, records and broadcasts. */
  async #send(batch: OutboxBatch): Promise<{ outcome: SendOutcome; nonce: number }> {
    this.#heartbeat();
    const { latest, pending } = await this.#chain.nonces();
    let current = batch;
    if (current.nonce === undefined || current.nonce < latest || current.nonce > pending) {
      current = this.#outbox.setBatchNonce({ batchId: batch.id, nonce: pending });
      this.#log({ event: 'nonce-allocated', listId: batch.listId, batchId: batch.id, nonce: pending });
    }
    const nonce = current.nonce!;
    const outcome = await this.#chain.sendBatch({
      listId: current.listId,
      expectedSequence: current.expectedSequence,
      deltas: unpackStatusDeltas(getBytes(current.packedDeltas)),
      nonce,
      beforeBroadcast: ({ txHash }) => this.#outbox.recordAttempt({ batchId: current.id, nonce, txHash }),
    });
    return { outcome, nonce };
  }

  /**
   * The contract refused the batch before it was sent. A forbidden
   * transition (revoked → anything else) names a change that can never
   * apply: the changes it dooms are rejected with the code and the rest of
   * the batch is re-planned at the same sequence. A batch too large for one
   * transaction keeps its first half. Both are safe at the same sequence
   * because the refusal is a property of (deltas, list state at that
   * sequence): the refused version can never have applied. Returns the
   * revised batch, or `undefined` when nothing is left to send.
   */
  async #handleRefusal(batch: OutboxBatch, outcome: Extract<SendOutcome, { kind: 'refused' }>, list: StatusListInfo): Promise<OutboxBatch | undefined> {
    const { error, revert } = outcome;
    const members = this.#outbox.batchMembers(batch.id);
    if (outcome.tooLarge === true) {
      // Keep the first half (enqueue order), the rest goes back to pending for the next batch.
      if (members.length < 2) throw error;
      const keep = members.slice(0, Math.ceil(members.length / 2));
      const release = members.slice(keep.length).map((m) => m.id);
      const revised = this.#outbox.reviseBatch({ batchId: batch.id, plan: planBatch({ changes: keep, listSize: list.size }), release });
      this.#log({ event: 'batch-revised', listId: batch.listId, batchId: batch.id, sequence: batch.expectedSequence, changes: keep.length, reason: 'too-large' });
      return revised;
    }
    if (error.code !== 'STATUS_TRANSITION_FORBIDDEN') throw error;
    const named = revert?.name === 'StatusRegistryRevocationIsFinal' ? Number(revert.args[1]) : Number.NaN;
    const revoked = Number.isInteger(named) ? new Set([named]) : await this.#revokedAmong(batch.listId, members);
    const plan = planBatch({ changes: members, listSize: list.size, revokedOnChain: revoked });
    if (plan.rejected.length === 0) throw error; // nothing to take out: do not loop
    const revised = this.#outbox.reviseBatch({ batchId: batch.id, plan });
    this.#log({ event: 'batch-revised', listId: batch.listId, batchId: batch.id, sequence: batch.expectedSequence, rejected: plan.rejected.length, code: error.code });
    await this.#deliver();
    if (revised.state === 'abandoned') {
      this.#log({ event: 'batch-abandoned', listId: batch.listId, batchId: batch.id, sequence: batch.expectedSequence, reason: 'all-rejected' });
      return undefined;
    }
    return revised;
  }

  /** Indices of the batch that are revoked on chain (when the refusal did not name one). */
  async #revokedAmong(listId: number, members: readonly PlannableChange[]): Promise<Set<number>> {
    const candidates = members.filter((m) => m.value !== 1).map((m) => m.index);
    const statuses = await this.#chain.statusesOf({ listId, indices: candidates });
    return new Set([...statuses].filter(([, value]) => value === 1).map(([index]) => index));
  }

  async #awaitReceipt(txHash: string, signal: AbortSignal | undefined): Promise<BatchReceipt | undefined> {
    const deadline = Date.now() + this.#settings.miningTimeoutMs;
    while (signal?.aborted !== true) {
      this.#heartbeat();
      const receipt = await this.#chain.receipt(txHash);
      if (receipt !== undefined || Date.now() >= deadline) return receipt;
      await sleep(this.#settings.pollIntervalMs, signal);
    }
    return undefined;
  }

  /** Waits until the batch's block has enough confirmations, checks it is still canonical, then confirms its changes. */
  async #awaitConfirmations(batch: OutboxBatch, signal: AbortSignal | undefined): Promise<'confirmed' | 'reorged' | 'stopped'> {
    const minedAt = batch.blockNumber!;
    for (;;) {
      if (signal?.aborted === true) return 'stopped';
      this.#heartbeat();
      const head = await this.#chain.blockNumber();
      if (head - minedAt + 1 >= this.#settings.confirmations) break;
      await sleep(this.#settings.pollIntervalMs, signal);
    }
    const receipt = await this.#chain.receipt(batch.txHash!);
    if (receipt === undefined || receipt.status !== 'success' || receipt.blockHash !== batch.blockHash) return 'reorged';
    const confirmed = this.#outbox.confirmBatch(batch.id);
    this.#log({ event: 'batch-confirmed', listId: batch.listId, batchId: batch.id, sequence: batch.expectedSequence, changes: confirmed, txHash: batch.txHash, blockNumber: minedAt });
    await this.#deliver();
    return 'confirmed';
  }

  /** Reports settled changes not reported yet (after a crash too), then marks them reported. */
  async #deliver(): Promise<void> {
    for (;;) {
      const settled = this.#outbox.settledToNotify(500);
      if (settled.length === 0) return;
      for (const change of settled) {
        const callback = change.state === 'confirmed' ? this.#onConfirmed : this.#onRejected;
        try {
          await callback?.(change);
        } catch {
          this.#log({ event: 'callback-failed', listId: change.listId });
        }
      }
      this.#outbox.markNotified(settled.map((c) => c.id));
    }
  }

  /** Renews the outbox lease (during long waits, and before every send). @throws UrbisError `OUTBOX_UNAVAILABLE` when it was lost. */
  #heartbeat(): void {
    if (this.#lease !== undefined) this.#outbox.renewLease(this.#lease);
  }

  #reload(batch: OutboxBatch): OutboxBatch {
    return this.#outbox.batch(batch.id) ?? batch;
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
