import type { Database } from 'better-sqlite3';
import { UrbisError } from '../../core/errors/urbis-error.js';

/** One schema step. Steps are applied in order, each in its own transaction, and never edited once released. */
export interface OutboxMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The outbox schema, as migrations. Only list ids, indices, status values,
 * opaque reason codes, timestamps (Unix ms), nonces, block numbers and
 * hashes are stored: no personal data.
 *
 * - `status_changes`: one row per enqueued change; `state` moves
 *   pending → in_batch → confirmed, or to rejected (with `rejection_code`);
 *   an abandoned batch puts its changes back to pending.
 * - `status_batches`: one row per planned batch (`expected_sequence`,
 *   packed deltas as sent, nonce, and once mined the tx hash and block);
 *   at most one open or mined batch per list (partial unique index).
 * - `status_batch_attempts`: every signed transaction of a batch, recorded
 *   before it is broadcast.
 * - `outbox_meta`: the chain this outbox publishes to (chain id, genesis
 *   hash, registry address).
 * - `publisher_lease`: which publisher process works on this file.
 */
export const OUTBOX_MIGRATIONS: readonly OutboxMigration[] = Object.freeze([
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE outbox_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE status_batches (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        list_id INTEGER NOT NULL CHECK (list_id >= 0),
        expected_sequence INTEGER NOT NULL CHECK (expected_sequence >= 0),
        packed_deltas BLOB NOT NULL,
        delta_count INTEGER NOT NULL CHECK (delta_count > 0),
        state TEXT NOT NULL CHECK (state IN ('open', 'mined', 'confirmed', 'abandoned')),
        nonce INTEGER CHECK (nonce IS NULL OR nonce >= 0),
        from_block INTEGER NOT NULL CHECK (from_block >= 0),
        tx_hash TEXT,
        block_number INTEGER,
        block_hash TEXT,
        abandon_reason TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX status_batches_one_open_per_list ON status_batches (list_id) WHERE state IN ('open', 'mined');
      CREATE INDEX status_batches_by_list ON status_batches (list_id, state, expected_sequence);

      CREATE TABLE status_batch_attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        batch_id INTEGER NOT NULL REFERENCES status_batches (id),
        nonce INTEGER NOT NULL CHECK (nonce >= 0),
        tx_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX status_batch_attempts_by_batch ON status_batch_attempts (batch_id);

      CREATE TABLE status_changes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        list_id INTEGER NOT NULL CHECK (list_id >= 0),
        status_index INTEGER NOT NULL CHECK (status_index >= 0 AND status_index < 1073741824),
        value INTEGER NOT NULL CHECK (value IN (0, 1, 2)),
        reason TEXT CHECK (reason IS NULL OR length(reason) <= 32),
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'in_batch', 'confirmed', 'rejected')),
        batch_id INTEGER REFERENCES status_batches (id),
        superseded INTEGER NOT NULL DEFAULT 0 CHECK (superseded IN (0, 1)),
        rejection_code TEXT,
        enqueued_at INTEGER NOT NULL,
        settled_at INTEGER,
        block_number INTEGER,
        tx_hash TEXT,
        notified INTEGER NOT NULL DEFAULT 0 CHECK (notified IN (0, 1))
      ) STRICT;
      CREATE INDEX status_changes_by_state ON status_changes (state, id);
      CREATE INDEX status_changes_pending_by_list ON status_changes (list_id, id) WHERE state = 'pending';
      CREATE INDEX status_changes_by_batch ON status_changes (batch_id) WHERE batch_id IS NOT NULL;
      CREATE INDEX status_changes_to_notify ON status_changes (id) WHERE notified = 0 AND state IN ('confirmed', 'rejected');

      CREATE TABLE publisher_lease (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        holder TEXT NOT NULL,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
]);

/** The schema version this code writes. */
export const OUTBOX_SCHEMA_VERSION = OUTBOX_MIGRATIONS[OUTBOX_MIGRATIONS.length - 1]!.version;

/**
 * Brings an open database to {@link OUTBOX_SCHEMA_VERSION}: creates the
 * `outbox_migrations` table if needed and applies each missing migration in
 * its own `BEGIN IMMEDIATE` transaction (a crash leaves the file at the
 * previous version, never half-migrated).
 *
 * @returns The version the file is at afterwards.
 * @throws UrbisError `OUTBOX_UNAVAILABLE` when the file was written by a newer schema (no downgrade).
 *
 * @example
 * ```ts
 * const db = new Database('outbox.sqlite');
 * migrateOutbox(db); // 1
 * ```
 */
export function migrateOutbox(db: Database, migrations: readonly OutboxMigration[] = OUTBOX_MIGRATIONS): number {
  db.exec(`CREATE TABLE IF NOT EXISTS outbox_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const current = (): number => (db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM outbox_migrations').get() as { v: number }).v;
  if (current() > latest) {
    throw new UrbisError('OUTBOX_UNAVAILABLE', `the outbox file has schema version ${current()}, newer than this code (${latest})`);
  }
  for (const migration of migrations) {
    const apply = db.transaction(() => {
      if (current() >= migration.version) return;
      db.exec(migration.sql);
      db.prepare('INSERT INTO outbox_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, Date.now());
    });
    apply.immediate();
  }
  return current();
}
