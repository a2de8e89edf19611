import { sql } from 'kysely';
import { describeEachEngine } from './testing/test-databases.js';
import { migrateIssuerDatabase } from './open-database.js';

describeEachEngine('issuer schema', (database, engine) => {
  test('creates every table; migrating again applies nothing', async () => {
    const { db } = database();
    const all = await db.introspection.getTables();
    const schemaName = engine === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s : undefined;
    // PostgreSQL lists every schema's tables: keep this test's own (its search_path schema).
    const own = engine === 'postgres' ? all.filter((t) => t.schema === schemaName) : all;
    const tables = own.map((t) => t.name).filter((n) => !n.startsWith('urbis_migrations'));
    expect(tables.sort()).toEqual(
      [
        'access_tokens', 'applications', 'audit_log', 'citizens', 'consents', 'credential_offers', 'deferred_issuances', 'documents',
        'erasure_records', 'issued_batches', 'issued_copies', 'nonces', 'otp_challenges', 'service_choices', 'services', 'sessions',
        'signing_keys', 'staff', 'status_lists', 'webhook_deliveries', 'webhook_subscriptions',
      ].sort(),
    );
    expect(await migrateIssuerDatabase({ db, engine, ...(schemaName === undefined ? {} : { schema: schemaName }) })).toEqual([]);
  });

  test('the audit log is append-only: the engine refuses UPDATE and DELETE', async () => {
    const { db } = database();
    await db.insertInto('audit_log').values({ at: 1, actor_kind: 'system', actor_id: null, action: 'test', target_kind: null, target_id: null, detail: null }).execute();
    // better-sqlite3's errors come from another realm under Jest's VM modules, where `.rejects.toThrow` does not
    // always see an Error: compare the rejection's message instead.
    const rejection = (promise: Promise<unknown>) => promise.then(() => 'no rejection', (e: unknown) => String((e as { message?: unknown }).message));
    expect(await rejection(db.updateTable('audit_log').set({ action: 'changed' }).execute())).toMatch(/append-only/);
    expect(await rejection(db.deleteFrom('audit_log').execute())).toMatch(/append-only/);
    const rows = await db.selectFrom('audit_log').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.action).toBe('test');
  });

  test('epoch-millisecond times round-trip as numbers beyond 2^31', async () => {
    const { db } = database();
    const at = Date.UTC(2026, 10, 23);
    await db.insertInto('nonces').values({ nonce_hash: 'n', expires_at: at }).execute();
    const row = await db.selectFrom('nonces').selectAll().executeTakeFirstOrThrow();
    expect(row.expires_at).toBe(at);
    const count = await db.selectFrom('nonces').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });
});
