import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { RandomBytes } from '../../core/crypto/ports.js';
import type { IssuerDatabase } from '../db/database-schema.js';
import { describeEachEngine } from '../db/testing/test-databases.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import { createStatusLists, type StatusLists } from './status-lists.js';

const T0 = 1_790_000_000_000;
const random: RandomBytes = (length) => new Uint8Array(randomBytes(length));

async function insertBatch(db: Kysely<IssuerDatabase>, id = randomUUID()): Promise<string> {
  await db
    .insertInto('issued_batches')
    .values({ id, citizen_id: null, configuration_id: 'resident.dc+sd-jwt', credential_type: 'ResidentCredential', service_id: null, format: 'dc+sd-jwt', state: 'active', issued_at: T0, valid_until: T0 + 1 })
    .execute();
  return id;
}

/** As the issuance does: allocate inside a transaction, then count the entries once it committed. */
async function allocate(db: Kysely<IssuerDatabase>, lists: StatusLists, batchId: string, count: number) {
  const entries = await db.transaction().execute((tx) => lists.allocate(tx, { batchId, count }));
  await lists.countAllocated({ listId: entries[0]!.listId, count });
  return entries;
}

describeEachEngine('status lists', (database) => {
  test('register records a list once (idempotent: a second call changes nothing)', async () => {
    const { db } = database();
    const lists = createStatusLists({ db, randomBytes: random });
    await lists.register({ listId: 3, uri: 'https://city.example/status/3', size: 131_072 }, T0);
    await lists.register({ listId: 3, uri: 'https://elsewhere.example/3', size: 16 }, T0 + 1);
    await lists.register({ listId: 0, uri: 'https://city.example/status/0', size: 16 }, T0);
    expect(await lists.lists()).toEqual([
      { listId: 0, uri: 'https://city.example/status/0', size: 16, allocated: 0 },
      { listId: 3, uri: 'https://city.example/status/3', size: 131_072, allocated: 0 },
    ]);
    expect(await lists.list(3)).toEqual({ listId: 3, uri: 'https://city.example/status/3', size: 131_072, allocated: 0 });
    const row = await db.selectFrom('status_lists').selectAll().where('list_id', '=', 3).executeTakeFirstOrThrow();
    expect(row.created_at).toBe(T0);
  });

  test('register refuses a bad list id or size (CONFIG_INVALID); list of an unknown id is STATUS_LIST_UNKNOWN', async () => {
    const { db } = database();
    const lists = createStatusLists({ db, randomBytes: random });
    for (const bad of [{ listId: -1, size: 16 }, { listId: 1.5, size: 16 }, { listId: Number.NaN, size: 16 }, { listId: 1, size: 0 }, { listId: 1, size: 2.5 }, { listId: 1, size: -16 }]) {
      await expect(lists.register({ ...bad, uri: 'https://city.example/status/x' })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    }
    expect(await lists.lists()).toEqual([]);
    await expect(lists.list(1)).rejects.toMatchObject({ code: 'STATUS_LIST_UNKNOWN' });
  });

  test('allocate draws distinct indices in range, records them for the batch and counts them', async () => {
    const { db } = database();
    const lists = createStatusLists({ db, randomBytes: random, maxFillRatio: 1 });
    await lists.register({ listId: 7, uri: 'https://city.example/status/7', size: 16 });
    const batchA = await insertBatch(db);
    const batchB = await insertBatch(db);
    const a = await allocate(db, lists, batchA, 5);
    expect(a.uri).toBe('https://city.example/status/7');
    expect(a).toHaveLength(5);
    const b = await allocate(db, lists, batchB, 11);
    const all = [...a, ...b];
    expect(all.every((e) => e.listId === 7 && Number.isInteger(e.index) && e.index >= 0 && e.index < 16)).toBe(true);
    // 16 of 16: every index exactly once.
    expect(all.map((e) => e.index).sort((x, y) => x - y)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect((await lists.list(7)).allocated).toBe(16);
    const byIndex = (entries: { index: number }[]) => [...entries].sort((x, y) => x.index - y.index);
    expect(byIndex(await lists.entriesOfBatch(batchA))).toEqual(byIndex([...a]));
    expect(byIndex(await lists.entriesOfBatch(batchB))).toEqual(byIndex([...b]));
    expect(await lists.entriesOfBatch('no-such-batch')).toEqual([]);
    const rows = await db.selectFrom('issued_copies').selectAll().where('batch_id', '=', batchA).execute();
    expect(rows.map((r) => r.status_list_id)).toEqual([7, 7, 7, 7, 7]);
  });

  test('allocation is random over the whole list, not sequential', async () => {
    const { db } = database();
    const lists = createStatusLists({ db, randomBytes: random });
    await lists.register({ listId: 1, uri: 'https://city.example/status/1', size: 1 << 20 });
    const batch = await insertBatch(db);
    const entries = await allocate(db, lists, batch, 20);
    const indices = entries.map((e) => e.index);
    expect(new Set(indices).size).toBe(20);
    // 20 uniform draws from 2^20 are not 20 consecutive integers, nor all below 1,000.
    expect(indices.some((i) => i >= 1_000)).toBe(true);
    const sorted = [...indices].sort((x, y) => x - y);
    expect(sorted.at(-1)! - sorted[0]!).toBeGreaterThan(19);
  });

  test('STATUS_INDICES_EXHAUSTED when no list has room under maxFillRatio; then the next list is used', async () => {
    const { db } = database();
    const lists = createStatusLists({ db, randomBytes: random, maxFillRatio: 0.5 });
    await lists.register({ listId: 1, uri: 'https://city.example/status/1', size: 16 });
    const batch = await insertBatch(db);
    expect(await allocate(db, lists, batch, 6)).toHaveLength(6);
    await expect(allocate(db, lists, await insertBatch(db), 3)).rejects.toMatchObject({ code: 'STATUS_INDICES_EXHAUSTED' });
    // A failed allocation records nothing.
    expect((await lists.list(1)).allocated).toBe(6);
    expect(await db.selectFrom('issued_copies').selectAll().execute()).toHaveLength(6);
    expect(await allocate(db, lists, await insertBatch(db), 2)).toHaveLength(2); // exactly 8 = 16 × 0.5
    await expect(allocate(db, lists, await insertBatch(db), 1)).rejects.toMatchObject({ code: 'STATUS_INDICES_EXHAUSTED' });
    await lists.register({ listId: 2, uri: 'https://city.example/status/2', size: 16 });
    const next = await allocate(db, lists, await insertBatch(db), 3);
    expect(next.uri).toBe('https://city.example/status/2');
    expect(next.every((e) => e.listId === 2)).toBe(true);
    expect((await lists.lists()).map((l) => l.allocated)).toEqual([8, 3]);
  });

  test('no list at all is STATUS_INDICES_EXHAUSTED', async () => {
    const { db } = database();
    const lists = createStatusLists({ db, randomBytes: random });
    await expect(allocate(db, lists, await insertBatch(db), 1)).rejects.toMatchObject({ code: 'STATUS_INDICES_EXHAUSTED' });
  });

  test('a new process (fresh instance) never reuses an index recorded in the database', async () => {
    const { db } = database();
    const first = createStatusLists({ db, randomBytes: random, maxFillRatio: 1 });
    await first.register({ listId: 1, uri: 'https://city.example/status/1', size: 16 });
    const taken = await allocate(db, first, await insertBatch(db), 10);
    const second = createStatusLists({ db, randomBytes: random, maxFillRatio: 1 });
    const rest = await allocate(db, second, await insertBatch(db), 6);
    expect([...taken, ...rest].map((e) => e.index).sort((x, y) => x - y)).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });

  test('a rolled-back allocation leaves no rows; after forget() its draws are free again', async () => {
    const { db } = database();
    const lists = createStatusLists({ db, randomBytes: random, maxFillRatio: 1 });
    await lists.register({ listId: 1, uri: 'https://city.example/status/1', size: 16 });
    const batch = await insertBatch(db);
    await expect(
      db.transaction().execute(async (tx) => {
        await lists.allocate(tx, { batchId: batch, count: 16 });
        throw new Error('issuance failed');
      }),
    ).rejects.toThrow('issuance failed');
    expect(await db.selectFrom('issued_copies').selectAll().execute()).toEqual([]);
    expect((await lists.list(1)).allocated).toBe(0);
    lists.forget(1);
    expect(await allocate(db, lists, batch, 16)).toHaveLength(16);
    lists.forget();
    await expect(allocate(db, lists, batch, 1)).rejects.toMatchObject({ code: 'STATUS_INDICES_EXHAUSTED' });
  });
});

describeEachEngine('status lists shared by two issuer processes', (database) => {
  test('the same draw in two processes is refused by the primary key as a unique violation; after forget() the next draw avoids the taken indices', async () => {
    const { db } = database();
    // Two processes whose random sources give the same draws, each with its list cache loaded before the other wrote.
    const seeded = (seed: number): RandomBytes => {
      let counter = seed;
      return (length) => Uint8Array.from({ length }, () => (counter++ * 37) & 0xff);
    };
    let secondSource = seeded(99);
    const first = createStatusLists({ db, randomBytes: seeded(1) });
    const second = createStatusLists({ db, randomBytes: (length) => secondSource(length) });
    await first.register({ listId: 0, uri: 'https://city.example/status/0', size: 131_072 }, T0);
    // The second process loads the (empty) list, in a transaction that rolls back.
    const warmUp = await db
      .transaction()
      .execute(async (tx) => {
        await second.allocate(tx, { batchId: await insertBatch(tx as unknown as Kysely<IssuerDatabase>), count: 1 });
        throw new Error('roll back');
      })
      .catch((error: unknown) => (error as Error).message);
    expect(warmUp).toBe('roll back');
    secondSource = seeded(1);
    const a = await allocate(db, first, await insertBatch(db), 10);
    const collision = await allocate(db, second, await insertBatch(db), 10).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isUniqueViolation(collision)).toBe(true);
    second.forget();
    const b = await allocate(db, second, await insertBatch(db), 10);
    const taken = new Set(a.map((e) => e.index));
    expect(b.some((e) => taken.has(e.index))).toBe(false);
    expect((await first.list(0)).allocated).toBe(20);
  });
});

describeEachEngine('status lists no longer configured', (database) => {
  test('allocateFrom keeps new copies on the configured lists; an old list keeps its entries and gets no new ones', async () => {
    const { db } = database();
    const before = createStatusLists({ db, randomBytes: random });
    await before.register({ listId: 0, uri: 'https://city.example/status/0', size: 131_072 }, T0);
    await allocate(db, before, await insertBatch(db), 4);
    const after = createStatusLists({ db, randomBytes: random, allocateFrom: [7] });
    await after.register({ listId: 7, uri: 'https://city.example/status/7', size: 131_072 }, T0);
    const entries = await allocate(db, after, await insertBatch(db), 4);
    expect(entries.every((e) => e.listId === 7)).toBe(true);
    expect((await after.list(0)).allocated).toBe(4);
    const none = createStatusLists({ db, randomBytes: random, allocateFrom: [9] });
    await expect(allocate(db, none, await insertBatch(db), 1)).rejects.toMatchObject({ code: 'STATUS_INDICES_EXHAUSTED' });
  });
});
