import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { hexlify } from 'ethers';
import { isUrbisError, UrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';
import { packStatusDeltas } from '../chain/status-deltas.js';
import type { BatchPlan, PlannableChange } from './batch-planner.js';
import { migrateOutbox } from './outbox-schema.js';
import { validateStatusChange, type StatusChangeInput, type StatusChangeReason, type StatusValue } from './status-change.js';

/** Where a change is: waiting, part of an open batch, applied with N confirmations, or refused for good. */
export type ChangeState = 'pending' | 'in_batch' | 'confirmed' | 'rejected';

/** Where a batch is: planned (maybe sent), seen on chain, confirmed, or given up (its changes went back to pending or were all rejected). */
export type BatchState = 'open' | 'mined' | 'confirmed' | 'abandoned';

/** One change as the outbox records it. */
export interface OutboxChange {
  id: number;
  listId: number;
  index: number;
  value: StatusValue;
  reason?: StatusChangeReason;
  state: ChangeState;
  batchId?: number;
  /** Overwritten by a newer change to the same index in the same batch (settled with it). */
  superseded: boolean;
  rejectionCode?: UrbisErrorCode;
  enqueuedAt: number;
  settledAt?: number;
  blockNumber?: number;
  txHash?: string;
}

/** One batch as the outbox records it. */
export interface OutboxBatch {
  id: number;
  listId: number;
  /** The list's sequence the batch was planned against: it applies only at that sequence. */
  expectedSequence: number;
  /** The deltas exactly as sent (4 bytes each, sorted by index), hex. */
  packedDeltas: string;
  deltaCount: number;
  state: BatchState;
  nonce?: number;
  /** The chain head when the batch was planned: its event, if any, is at or after this block. */
  fromBlock: number;
  txHash?: string;
  blockNumber?: number;
  blockHash?: string;
  abandonReason?: string;
  createdAt: number;
  updatedAt: number;
}

/** How many changes are in each state. */
export interface OutboxCounts {
  pending: number;
  inFlight: number;
  confirmed: number;
  rejected: number;
}

/** The chain an outbox publishes to, recorded on first use. */
export interface ChainBinding {
  chainId: number;
  genesisHash: string;
  registryAddress: string;
}

type ChangeRow = {
  id: number;
  list_id: number;
  status_index: number;
  value: number;
  reason: string | null;
  state: ChangeState;
  batch_id: number | null;
  superseded: number;
  rejection_code: string | null;
  enqueued_at: number;
  settled_at: number | null;
  block_number: number | null;
  tx_hash: string | null;
};

type BatchRow = {
  id: number;
  list_id: number;
  expected_sequence: number;
  packed_deltas: Buffer;
  delta_count: number;
  state: BatchState;
  nonce: number | null;
  from_block: number;
  tx_hash: string | null;
  block_number: number | null;
  block_hash: string | null;
  abandon_reason: string | null;
  created_at: number;
  updated_at: number;
};

/**
 * The publisher's durable outbox: a SQLite file (better-sqlite3) in WAL mode
 * with `synchronous = FULL`. A change is on disk, fsynced, when `enqueue`
 * returns, before anything is sent to the chain.
 *
 * Why FULL and not NORMAL: with WAL, NORMAL survives a process crash but may
 * lose the last commits on power loss or an OS crash; the outbox holds
 * revocations the back office has already acknowledged, so a commit must
 * survive both. The cost is one WAL fsync per transaction; `enqueueMany`
 * and the publisher's batch-level transactions amortise it.
 *
 * Every method is synchronous. Storage failures (unopenable, corrupt, not a
 * database, newer schema, disk errors) throw `OUTBOX_UNAVAILABLE`; invalid
 * changes throw `OUTBOX_CHANGE_INVALID`. Nothing personal is stored: list
 * ids, indices, status values, opaque reason codes, timestamps, nonces, block
 * numbers and hashes only.
 *
 * @example
 * ```ts
 * const outbox = Outbox.open({ path: '/var/lib/urbis/outbox.sqlite' });
 * const id = outbox.enqueue({ listId: 0, index: 48_213, value: 1, reason: 'holder-request' });
 * outbox.counts(); // { pending: 1, inFlight: 0, confirmed: 0, rejected: 0 }
 * outbox.close();
 * ```
 */
export class Outbox {
  readonly path: string;
  readonly #db: Database.Database;
  readonly #now: () => number;
  #closed = false;

  private constructor(db: Database.Database, path: string, now: () => number) {
    this.#db = db;
    this.path = path;
    this.#now = now;
  }

  /**
   * Opens (creating if needed) the outbox file, switches it to WAL with
   * `synchronous = FULL`, checks it (`PRAGMA quick_check`, unless
   * `checkIntegrity` is false) and migrates it to the current schema.
   *
   * @throws UrbisError `OUTBOX_UNAVAILABLE`.
   */
  static open({ path, checkIntegrity = true, now = Date.now }: { path: string; checkIntegrity?: boolean; now?: () => number }): Outbox {
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { timeout: 5_000 });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      if (checkIntegrity) {
        const result = db.pragma('quick_check', { simple: true });
        if (result !== 'ok') throw new UrbisError('OUTBOX_UNAVAILABLE', 'the outbox file failed its integrity check');
      }
      migrateOutbox(db);
      return new Outbox(db, path, now);
    } catch (error) {
      try {
        db?.close();
      } catch {
        /* the original error matters */
      }
      throw toOutboxError(error, 'the outbox file cannot be opened');
    }
  }

  /** The schema version of the file. */
  schemaVersion(): number {
    return this.#guard('reading the schema version', () => (this.#db.prepare('SELECT MAX(version) AS v FROM outbox_migrations').get() as { v: number }).v);
  }

  /**
   * Records one change durably and returns its id (ids grow in enqueue order).
   * @throws UrbisError `OUTBOX_CHANGE_INVALID`, `OUTBOX_UNAVAILABLE`.
   *
   * @example
   * ```ts
   * outbox.enqueue({ listId: 3, index: 1_024, value: 2, reason: 'issuer-decision' }); // suspend
   * ```
   */
  enqueue(change: StatusChangeInput): number {
    return this.enqueueMany([change])[0]!;
  }

  /**
   * Records many changes in one transaction (all or none), in the given order.
   * @throws UrbisError `OUTBOX_CHANGE_INVALID` (nothing recorded), `OUTBOX_UNAVAILABLE`.
   */
  enqueueMany(changes: readonly StatusChangeInput[]): number[] {
    const valid = changes.map((change) => validateStatusChange(change));
    return this.#guard('enqueueing changes', () => {
      const insert = this.#db.prepare('INSERT INTO status_changes (list_id, status_index, value, reason, enqueued_at) VALUES (?, ?, ?, ?, ?)');
      const now = this.#now();
      return this.#db.transaction(() => valid.map((c) => Number(insert.run(c.listId, c.index, c.value, c.reason ?? null, now).lastInsertRowid)))();
    });
  }

  /** Counts of changes per state (in flight = in an open or mined batch). */
  counts(): OutboxCounts {
    return this.#guard('counting changes', () => {
      const counts: OutboxCounts = { pending: 0, inFlight: 0, confirmed: 0, rejected: 0 };
      const rows = this.#db.prepare('SELECT state, COUNT(*) AS n FROM status_changes GROUP BY state').all() as { state: ChangeState; n: number }[];
      for (const { state, n } of rows) {
        if (state === 'in_batch') counts.inFlight = n;
        else counts[state] = n;
      }
      return counts;
    });
  }

  /** One change by id. */
  change(id: number): OutboxChange | undefined {
    return this.#guard('reading a change', () => {
      const row = this.#db.prepare('SELECT * FROM status_changes WHERE id = ?').get(id) as ChangeRow | undefined;
      return row === undefined ? undefined : toChange(row);
    });
  }

  /** Changes in enqueue order, optionally of one list and/or one state (for operators and tests). */
  changes({ listId, state }: { listId?: number; state?: ChangeState } = {}): OutboxChange[] {
    return this.#guard('reading changes', () => {
      const rows = this.#db
        .prepare('SELECT * FROM status_changes WHERE (@listId IS NULL OR list_id = @listId) AND (@state IS NULL OR state = @state) ORDER BY id')
        .all({ listId: listId ?? null, state: state ?? null }) as ChangeRow[];
      return rows.map(toChange);
    });
  }

  /** Batches in creation order, optionally of one list. */
  batches({ listId }: { listId?: number } = {}): OutboxBatch[] {
    return this.#guard('reading batches', () => {
      const rows = this.#db.prepare('SELECT * FROM status_batches WHERE (@listId IS NULL OR list_id = @listId) ORDER BY id').all({ listId: listId ?? null }) as BatchRow[];
      return rows.map(toBatch);
    });
  }

  /** One batch by id. */
  batch(id: number): OutboxBatch | undefined {
    return this.#guard('reading a batch', () => {
      const row = this.#db.prepare('SELECT * FROM status_batches WHERE id = ?').get(id) as BatchRow | undefined;
      return row === undefined ? undefined : toBatch(row);
    });
  }

  /** Every signed transaction of a batch, in order (recorded before broadcast). */
  attempts(batchId: number): { nonce: number; txHash: string; createdAt: number }[] {
    return this.#guard('reading attempts', () =>
      (this.#db.prepare('SELECT nonce, tx_hash, created_at FROM status_batch_attempts WHERE batch_id = ? ORDER BY id').all(batchId) as { nonce: number; tx_hash: string; created_at: number }[]).map(
        (r) => ({ nonce: r.nonce, txHash: r.tx_hash, createdAt: r.created_at }),
      ),
    );
  }

  /** Closes the file. Further calls throw `OUTBOX_UNAVAILABLE`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  // ---- used by the publisher ------------------------------------------------

  /** The list of the oldest pending change, if any (lists are served in the order their changes arrived). */
  nextPendingList(): number | undefined {
    return this.#guard('reading pending changes', () => {
      const row = this.#db.prepare("SELECT list_id FROM status_changes WHERE state = 'pending' ORDER BY id LIMIT 1").get() as { list_id: number } | undefined;
      return row?.list_id;
    });
  }

  /** The first `limit` pending changes of a list, in enqueue order. */
  pendingChanges({ listId, limit }: { listId: number; limit: number }): PlannableChange[] {
    return this.#guard('reading pending changes', () =>
      (
        this.#db.prepare("SELECT id, status_index, value FROM status_changes WHERE state = 'pending' AND list_id = ? ORDER BY id LIMIT ?").all(listId, limit) as {
          id: number;
          status_index: number;
          value: StatusValue;
        }[]
      ).map((r) => ({ id: r.id, index: r.status_index, value: r.value })),
    );
  }

  /** The changes of a batch (applied and superseded), in enqueue order. */
  batchMembers(batchId: number): PlannableChange[] {
    return this.#guard('reading a batch', () =>
      (
        this.#db.prepare("SELECT id, status_index, value FROM status_changes WHERE batch_id = ? AND state = 'in_batch' ORDER BY id").all(batchId) as {
          id: number;
          status_index: number;
          value: StatusValue;
        }[]
      ).map((r) => ({ id: r.id, index: r.status_index, value: r.value })),
    );
  }

  /** Open and mined batches (at most one per list), oldest first. */
  openBatches(): OutboxBatch[] {
    return this.#guard('reading open batches', () => (this.#db.prepare("SELECT * FROM status_batches WHERE state IN ('open', 'mined') ORDER BY id").all() as BatchRow[]).map(toBatch));
  }

  /** The last confirmed batch of each list (for chain-continuity checks). */
  lastConfirmedBatches(): OutboxBatch[] {
    return this.#guard('reading confirmed batches', () =>
      (
        this.#db
          .prepare(
            `SELECT b.* FROM status_batches b
             WHERE b.state = 'confirmed'
               AND b.expected_sequence = (SELECT MAX(expected_sequence) FROM status_batches c WHERE c.list_id = b.list_id AND c.state = 'confirmed')
             ORDER BY b.list_id`,
          )
          .all() as BatchRow[]
      ).map(toBatch),
    );
  }

  /**
   * Records a planned batch and, in the same transaction, moves its changes
   * from pending to in_batch and rejects the changes the plan refused.
   * Returns the batch, or `undefined` when the plan has no delta left (only
   * rejections were recorded).
   */
  createBatch({ listId, expectedSequence, fromBlock, nonce, plan }: { listId: number; expectedSequence: number; fromBlock: number; nonce?: number; plan: BatchPlan }): OutboxBatch | undefined {
    return this.#guard('recording a batch', () =>
      this.#db.transaction((): OutboxBatch | undefined => {
        const now = this.#now();
        this.#rejectWhere(plan.rejected, 'pending', undefined, now);
        if (plan.deltas.length === 0) return undefined;
        const packed = Buffer.from(packStatusDeltas(plan.deltas));
        const batchId = Number(
          this.#db
            .prepare(
              `INSERT INTO status_batches (list_id, expected_sequence, packed_deltas, delta_count, state, nonce, from_block, created_at, updated_at)
               VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?)`,
            )
            .run(listId, expectedSequence, packed, plan.deltas.length, nonce ?? null, fromBlock, now, now).lastInsertRowid,
        );
        const join = this.#db.prepare("UPDATE status_changes SET state = 'in_batch', batch_id = ?, superseded = ? WHERE id = ? AND state = 'pending' AND list_id = ?");
        for (const id of plan.applied) expectOne(join.run(batchId, 0, id, listId).changes);
        for (const id of plan.superseded) expectOne(join.run(batchId, 1, id, listId).changes);
        return this.#batch(batchId);
      })(),
    );
  }

  /**
   * Replaces the plan of an open batch that was never applied and never can
   * be as it is (the contract refused it at its sequence): records the new
   * deltas, rejects the refused changes and puts the `release`d ones (a
   * suffix, in enqueue order, of a batch too large for one transaction) back
   * to pending, in one transaction. A batch left without deltas is
   * abandoned. Returns the batch as it is now.
   */
  reviseBatch({ batchId, plan, release = [] }: { batchId: number; plan: BatchPlan; release?: readonly number[] }): OutboxBatch {
    return this.#guard('revising a batch', () =>
      this.#db.transaction((): OutboxBatch => {
        const now = this.#now();
        const batch = this.#batch(batchId);
        if (batch.state !== 'open') throw new UrbisError('OUTBOX_UNAVAILABLE', 'only an open batch can be revised');
        this.#rejectWhere(plan.rejected, 'in_batch', batchId, now);
        const back = this.#db.prepare("UPDATE status_changes SET state = 'pending', batch_id = NULL, superseded = 0 WHERE id = ? AND batch_id = ? AND state = 'in_batch'");
        for (const id of release) expectOne(back.run(id, batchId).changes);
        const flag = this.#db.prepare("UPDATE status_changes SET superseded = ? WHERE id = ? AND batch_id = ? AND state = 'in_batch'");
        for (const id of plan.applied) expectOne(flag.run(0, id, batchId).changes);
        for (const id of plan.superseded) expectOne(flag.run(1, id, batchId).changes);
        if (plan.deltas.length === 0) {
          this.#db.prepare("UPDATE status_batches SET state = 'abandoned', abandon_reason = 'all-rejected', updated_at = ? WHERE id = ?").run(now, batchId);
        } else {
          this.#db
            .prepare('UPDATE status_batches SET packed_deltas = ?, delta_count = ?, updated_at = ? WHERE id = ?')
            .run(Buffer.from(packStatusDeltas(plan.deltas)), plan.deltas.length, now, batchId);
        }
        return this.#batch(batchId);
      })(),
    );
  }

  /** Sets (or clears) the nonce an open batch is sent with. */
  setBatchNonce({ batchId, nonce }: { batchId: number; nonce: number | undefined }): OutboxBatch {
    return this.#guard('recording a nonce', () => {
      this.#db.prepare("UPDATE status_batches SET nonce = ?, updated_at = ? WHERE id = ? AND state = 'open'").run(nonce ?? null, this.#now(), batchId);
      return this.#batch(batchId);
    });
  }

  /** Records a signed transaction of a batch before it is broadcast. */
  recordAttempt({ batchId, nonce, txHash }: { batchId: number; nonce: number; txHash: string }): void {
    this.#guard('recording an attempt', () =>
      this.#db.transaction(() => {
        const now = this.#now();
        this.#db.prepare('INSERT INTO status_batch_attempts (batch_id, nonce, tx_hash, created_at) VALUES (?, ?, ?, ?)').run(batchId, nonce, txHash, now);
        this.#db.prepare("UPDATE status_batches SET nonce = ?, tx_hash = ?, updated_at = ? WHERE id = ? AND state = 'open'").run(nonce, txHash, now, batchId);
      })(),
    );
  }

  /** Records that the batch's event is on chain (block and transaction); confirmations are awaited next. */
  markMined({ batchId, txHash, blockNumber, blockHash }: { batchId: number; txHash: string; blockNumber: number; blockHash: string }): OutboxBatch {
    return this.#guard('recording a mined batch', () => {
      const result = this.#db
        .prepare("UPDATE status_batches SET state = 'mined', tx_hash = ?, block_number = ?, block_hash = ?, updated_at = ? WHERE id = ? AND state IN ('open', 'mined')")
        .run(txHash, blockNumber, blockHash, this.#now(), batchId);
      expectOne(result.changes);
      return this.#batch(batchId);
    });
  }

  /** Puts a mined batch back to open (its block left the canonical chain). */
  reopenBatch(batchId: number): OutboxBatch {
    return this.#guard('reopening a batch', () => {
      this.#db
        .prepare("UPDATE status_batches SET state = 'open', block_number = NULL, block_hash = NULL, updated_at = ? WHERE id = ? AND state = 'mined'")
        .run(this.#now(), batchId);
      return this.#batch(batchId);
    });
  }

  /** Marks a mined batch and all its changes confirmed (block number and tx hash copied to each change), in one transaction. Returns how many changes were confirmed. */
  confirmBatch(batchId: number): number {
    return this.#guard('confirming a batch', () =>
      this.#db.transaction((): number => {
        const batch = this.#batch(batchId);
        if (batch.state !== 'mined' || batch.blockNumber === undefined || batch.txHash === undefined) {
          throw new UrbisError('OUTBOX_UNAVAILABLE', 'only a mined batch can be confirmed');
        }
        const now = this.#now();
        this.#db.prepare("UPDATE status_batches SET state = 'confirmed', updated_at = ? WHERE id = ?").run(now, batchId);
        return this.#db
          .prepare("UPDATE status_changes SET state = 'confirmed', settled_at = ?, block_number = ?, tx_hash = ? WHERE batch_id = ? AND state = 'in_batch'")
          .run(now, batch.blockNumber, batch.txHash, batchId).changes;
      })(),
    );
  }

  /** Gives up an open batch that was not applied (its sequence went to another batch): its changes go back to pending, keeping their enqueue order. */
  abandonBatch({ batchId, reason }: { batchId: number; reason: string }): void {
    this.#guard('abandoning a batch', () =>
      this.#db.transaction(() => {
        const now = this.#now();
        const result = this.#db
          .prepare("UPDATE status_batches SET state = 'abandoned', abandon_reason = ?, updated_at = ? WHERE id = ? AND state IN ('open', 'mined')")
          .run(reason, now, batchId);
        expectOne(result.changes);
        this.#db.prepare("UPDATE status_changes SET state = 'pending', batch_id = NULL, superseded = 0 WHERE batch_id = ? AND state = 'in_batch'").run(batchId);
      })(),
    );
  }

  /** Rejects the first `limit` pending changes of a list with `code` (a list that does not exist). Returns how many. */
  rejectPending({ listId, limit, code }: { listId: number; limit: number; code: UrbisErrorCode }): number {
    return this.#guard('rejecting changes', () =>
      this.#db
        .prepare(
          `UPDATE status_changes SET state = 'rejected', rejection_code = ?, settled_at = ?
           WHERE id IN (SELECT id FROM status_changes WHERE state = 'pending' AND list_id = ? ORDER BY id LIMIT ?)`,
        )
        .run(code, this.#now(), listId, limit).changes,
    );
  }

  /** Settled (confirmed or rejected) changes not yet reported to the callbacks, oldest first. */
  settledToNotify(limit: number): OutboxChange[] {
    return this.#guard('reading settled changes', () =>
      (this.#db.prepare("SELECT * FROM status_changes WHERE notified = 0 AND state IN ('confirmed', 'rejected') ORDER BY id LIMIT ?").all(limit) as ChangeRow[]).map(toChange),
    );
  }

  /** Marks changes as reported. */
  markNotified(ids: readonly number[]): void {
    this.#guard('recording notifications', () => {
      const mark = this.#db.prepare('UPDATE status_changes SET notified = 1 WHERE id = ?');
      this.#db.transaction(() => ids.forEach((id) => mark.run(id)))();
    });
  }

  /** The chain this outbox publishes to, once bound. */
  chainBinding(): ChainBinding | undefined {
    return this.#guard('reading the chain binding', () => {
      const rows = this.#db.prepare("SELECT key, value FROM outbox_meta WHERE key IN ('chain.id', 'chain.genesis', 'registry.address')").all() as { key: string; value: string }[];
      const meta = new Map(rows.map((r) => [r.key, r.value]));
      const chainId = meta.get('chain.id');
      const genesisHash = meta.get('chain.genesis');
      const registryAddress = meta.get('registry.address');
      if (chainId === undefined || genesisHash === undefined || registryAddress === undefined) return undefined;
      return { chainId: Number(chainId), genesisHash, registryAddress };
    });
  }

  /** Binds the outbox to a chain (first use only; a bound outbox keeps its binding). */
  bindChain(binding: ChainBinding): void {
    this.#guard('recording the chain binding', () => {
      const set = this.#db.prepare('INSERT OR IGNORE INTO outbox_meta (key, value) VALUES (?, ?)');
      this.#db.transaction(() => {
        set.run('chain.id', String(binding.chainId));
        set.run('chain.genesis', binding.genesisHash);
        set.run('registry.address', binding.registryAddress);
      })();
    });
  }

  /**
   * Takes the publisher lease: one publisher works on a file at a time. A
   * lease is free when absent, expired, held by `holder` already, or held by
   * a process of this host that no longer runs (a crashed publisher).
   * @throws UrbisError `OUTBOX_UNAVAILABLE` when another live publisher holds it.
   */
  acquireLease({ holder, ttlMs }: { holder: string; ttlMs: number }): void {
    this.#guard('taking the publisher lease', () =>
      this.#db
        .transaction(() => {
          const now = this.#now();
          const row = this.#db.prepare('SELECT holder, host, pid, expires_at FROM publisher_lease WHERE id = 1').get() as
            | { holder: string; host: string; pid: number; expires_at: number }
            | undefined;
          const free = row === undefined || row.holder === holder || row.expires_at <= now || (row.host === hostname() && !processRuns(row.pid));
          if (!free) throw new UrbisError('OUTBOX_UNAVAILABLE', 'another publisher is working on this outbox');
          this.#db
            .prepare('INSERT INTO publisher_lease (id, holder, host, pid, expires_at) VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, host = excluded.host, pid = excluded.pid, expires_at = excluded.expires_at')
            .run(holder, hostname(), process.pid, now + ttlMs);
        })
        .immediate(),
    );
  }

  /** Extends the lease. @throws UrbisError `OUTBOX_UNAVAILABLE` when `holder` lost it. */
  renewLease({ holder, ttlMs }: { holder: string; ttlMs: number }): void {
    this.#guard('renewing the publisher lease', () => {
      const result = this.#db.prepare('UPDATE publisher_lease SET expires_at = ? WHERE id = 1 AND holder = ?').run(this.#now() + ttlMs, holder);
      if (result.changes !== 1) throw new UrbisError('OUTBOX_UNAVAILABLE', 'the publisher lost its lease on the outbox');
    });
  }

  /** Gives the lease back. */
  releaseLease(holder: string): void {
    if (this.#closed) return;
    this.#guard('releasing the publisher lease', () => void this.#db.prepare('DELETE FROM publisher_lease WHERE id = 1 AND holder = ?').run(holder));
  }

  #rejectWhere(rejected: BatchPlan['rejected'], from: 'pending' | 'in_batch', batchId: number | undefined, now: number): void {
    const reject = this.#db.prepare(
      "UPDATE status_changes SET state = 'rejected', rejection_code = ?, settled_at = ?, batch_id = NULL, superseded = 0 WHERE id = ? AND state = ? AND (? IS NULL OR batch_id = ?)",
    );
    for (const { id, code } of rejected) expectOne(reject.run(code, now, id, from, batchId ?? null, batchId ?? null).changes);
  }

  #batch(batchId: number): OutboxBatch {
    const row = this.#db.prepare('SELECT * FROM status_batches WHERE id = ?').get(batchId) as BatchRow | undefined;
    if (row === undefined) throw new UrbisError('OUTBOX_UNAVAILABLE', 'no such batch in the outbox');
    return toBatch(row);
  }

  #guard<T>(context: string, action: () => T): T {
    if (this.#closed) throw new UrbisError('OUTBOX_UNAVAILABLE', `${context}: the outbox is closed`);
    try {
      return action();
    } catch (error) {
      throw toOutboxError(error, context);
    }
  }
}

function toOutboxError(error: unknown, context: string): UrbisError {
  if (isUrbisError(error)) return error;
  return new UrbisError('OUTBOX_UNAVAILABLE', `${context}: the outbox storage failed`, { cause: error });
}

/** A row that should have been updated was not: another writer changed the outbox under us. */
function expectOne(changes: number): void {
  if (changes !== 1) throw new UrbisError('OUTBOX_UNAVAILABLE', 'the outbox changed under the publisher (concurrent writer?)');
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

function toChange(row: ChangeRow): OutboxChange {
  const change: OutboxChange = {
    id: row.id,
    listId: row.list_id,
    index: row.status_index,
    value: row.value as StatusValue,
    state: row.state,
    superseded: row.superseded === 1,
    enqueuedAt: row.enqueued_at,
  };
  if (row.reason !== null) change.reason = row.reason as StatusChangeReason;
  if (row.batch_id !== null) change.batchId = row.batch_id;
  if (row.rejection_code !== null) change.rejectionCode = row.rejection_code as UrbisErrorCode;
  if (row.settled_at !== null) change.settledAt = row.settled_at;
  if (row.block_number !== null) change.blockNumber = row.block_number;
  if (row.tx_hash !== null) change.txHash = row.tx_hash;
  return change;
}

function toBatch(row: BatchRow): OutboxBatch {
  const batch: OutboxBatch = {
    id: row.id,
    listId: row.list_id,
    expectedSequence: row.expected_sequence,
    packedDeltas: hexlify(row.packed_deltas),
    deltaCount: row.delta_count,
    state: row.state,
    fromBlock: row.from_block,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.nonce !== null) batch.nonce = row.nonce;
  if (row.tx_hash !== null) batch.txHash = row.tx_hash;
  if (row.block_number !== null) batch.blockNumber = row.block_number;
  if (row.block_hash !== null) batch.blockHash = row.block_hash;
  if (row.abandon_reason !== null) batch.abandonReason = row.abandon_reason;
  return batch;
}
