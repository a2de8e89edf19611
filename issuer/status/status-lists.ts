import { sql, type Kysely, type Transaction } from 'kysely';
import type { RandomBytes } from '../../core/crypto/ports.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { allocateStatusIndices, DEFAULT_MAX_FILL_RATIO } from '../../core/status/index-allocator.js';
import type { IssuerDatabase } from '../db/database-schema.js';

/** A status entry one credential copy points to. */
export interface StatusEntry {
  listId: number;
  index: number;
}

/** A status list the issuer writes (created on the chain for the issuer's writer address). */
export interface IssuerStatusList {
  listId: number;
  uri: string;
  size: number;
  allocated: number;
}

type Db = Kysely<IssuerDatabase> | Transaction<IssuerDatabase>;

/**
 * The issuer's status lists and the allocation of their entries: every copy
 * of every credential gets an index drawn uniformly at random from a list
 * (core's `allocateStatusIndices`), never reused. The `issued_copies`
 * primary key (list, index) is the final guard when two issuer processes
 * share one PostgreSQL database: a collision aborts the transaction and the
 * caller retries with fresh draws.
 */
export function createStatusLists({
  db,
  randomBytes,
  maxFillRatio = DEFAULT_MAX_FILL_RATIO,
  allocateFrom,
}: {
  db: Kysely<IssuerDatabase>;
  randomBytes: RandomBytes;
  maxFillRatio?: number;
  /** The lists new copies may use (the configured ones); lists recorded earlier but no longer configured keep their entries and get no new ones. Default: all. */
  allocateFrom?: readonly number[];
}) {
  /** In-memory copy of used indices per list, loaded on first use and kept in step with this process's allocations. */
  const used = new Map<number, Set<number>>();

  async function usedIndices(tx: Db, listId: number): Promise<Set<number>> {
    let set = used.get(listId);
    if (set === undefined) {
      const rows = await tx.selectFrom('issued_copies').select('status_index').where('status_list_id', '=', listId).execute();
      set = new Set(rows.map((r) => r.status_index));
      used.set(listId, set);
    }
    return set;
  }

  return {
    /** Records a list the chain operator created for this issuer (idempotent). */
    async register({ listId, uri, size }: { listId: number; uri: string; size: number }, now = Date.now()): Promise<void> {
      if (!Number.isSafeInteger(listId) || listId < 0 || !Number.isSafeInteger(size) || size < 1) throw new UrbisError('CONFIG_INVALID', 'a status list needs an id and a size');
      await db.insertInto('status_lists').values({ list_id: listId, uri, size, allocated: 0, created_at: now }).onConflict((oc) => oc.column('list_id').doNothing()).execute();
    },
    async lists(): Promise<IssuerStatusList[]> {
      return (await db.selectFrom('status_lists').selectAll().orderBy('list_id').execute()).map((r) => ({ listId: r.list_id, uri: r.uri, size: r.size, allocated: r.allocated }));
    },
    async list(listId: number): Promise<IssuerStatusList> {
      const r = await db.selectFrom('status_lists').selectAll().where('list_id', '=', listId).executeTakeFirst();
      if (r === undefined) throw new UrbisError('STATUS_LIST_UNKNOWN', 'this issuer has no such status list');
      return { listId: r.list_id, uri: r.uri, size: r.size, allocated: r.allocated };
    },
    /**
     * Allocates `count` entries in one list with room and records them for
     * `batchId` inside `tx`.
     * @throws UrbisError `STATUS_INDICES_EXHAUSTED` when no list has room (the chain operator must create one).
     */
    async allocate(tx: Transaction<IssuerDatabase>, { batchId, count }: { batchId: string; count: number }): Promise<StatusEntry[] & { uri?: string }> {
      const lists = await tx.selectFrom('status_lists').selectAll().orderBy('list_id').execute();
      const list = lists.find((l) => (allocateFrom === undefined || allocateFrom.includes(l.list_id)) && l.allocated + count <= Math.floor(l.size * maxFillRatio));
      if (list === undefined) throw new UrbisError('STATUS_INDICES_EXHAUSTED', 'every status list of this issuer is full');
      const taken = await usedIndices(tx, list.list_id);
      const indices = allocateStatusIndices({ size: list.size, count, usedCount: Math.max(list.allocated, taken.size), isUsed: (i) => taken.has(i), randomBytes, maxFillRatio });
      // Reserved in memory before the insert, so a concurrent allocation in this process never draws them too.
      for (const i of indices) taken.add(i);
      await tx.insertInto('issued_copies').values(indices.map((index) => ({ batch_id: batchId, status_list_id: list.list_id, status_index: index }))).execute();
      const out = indices.map((index) => ({ listId: list.list_id, index })) as StatusEntry[] & { uri?: string };
      out.uri = list.uri;
      return out;
    },
    /**
     * Adds `count` to a list's fill counter, in its own statement after the issuance committed: inside the
     * issuance transaction the row lock would serialise every issuance on PostgreSQL. A crash between the two
     * leaves the counter low, which `allocate` corrects with the indices it loads.
     */
    async countAllocated({ listId, count }: { listId: number; count: number }): Promise<void> {
      await db.updateTable('status_lists').set({ allocated: sql<number>`allocated + ${count}` }).where('list_id', '=', listId).execute();
    },
    /** Forgets the in-memory index cache (after a failed transaction, so that rolled-back draws are not kept as used). */
    forget(listId?: number): void {
      if (listId === undefined) used.clear();
      else used.delete(listId);
    },
    async entriesOfBatch(batchId: string, tx: Db = db): Promise<StatusEntry[]> {
      const rows = await tx.selectFrom('issued_copies').select(['status_list_id', 'status_index']).where('batch_id', '=', batchId).execute();
      return rows.map((r) => ({ listId: r.status_list_id, index: r.status_index }));
    },
  };
}

/** The issuer's status lists. */
export type StatusLists = ReturnType<typeof createStatusLists>;
