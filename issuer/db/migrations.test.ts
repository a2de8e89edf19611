import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { IssuerDatabase } from './database-schema.js';
import { issuerMigrations, type DatabaseEngine } from './migrations.js';
import { describeEachEngine, dropPostgresFileDatabase, newTestPostgresSchema, POSTGRES_AVAILABILITY } from './testing/test-databases.js';
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
        'erasure_records', 'issued_batches', 'issued_copies', 'nonces', 'otp_challenges', 'refresh_tokens', 'service_choices', 'services', 'sessions',
        'signing_keys', 'staff', 'status_lists', 'terminal_report_days', 'verification_counts', 'webhook_deliveries', 'webhook_subscriptions',
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

/** A database of `engine` migrated only up to `migration`, as an issuer of an earlier release left it. */
async function databaseAt(engine: DatabaseEngine, migration: string): Promise<{ db: Kysely<IssuerDatabase>; schema?: string; close(): Promise<void> }> {
  let db: Kysely<IssuerDatabase>;
  let schema: string | undefined;
  let cleanup: () => Promise<void>;
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'urbis-issuer-upgrade-'));
    db = new Kysely<IssuerDatabase>({ dialect: new SqliteDialect({ database: new Database(join(dir, 'issuer.sqlite')) }) });
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const { location, drop } = await newTestPostgresSchema();
    schema = location.schema!;
    db = new Kysely<IssuerDatabase>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: location.url, max: 2, options: `-c search_path=${schema}` }) }) });
    cleanup = drop;
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => issuerMigrations(engine) },
    migrationTableName: 'urbis_migrations',
    migrationLockTableName: 'urbis_migrations_lock',
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error } = await migrator.migrateTo(migration);
  if (error !== undefined) throw error;
  return {
    db,
    ...(schema === undefined ? {} : { schema }),
    close: async () => {
      await db.destroy();
      await cleanup();
    },
  };
}

describe('migration 0004 (refresh tokens) on a database of the previous release', () => {
  const engines = POSTGRES_AVAILABILITY.ok ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);
  afterAll(dropPostgresFileDatabase);
  if (!POSTGRES_AVAILABILITY.ok) test.skip(`[postgres] skipped: PostgreSQL did not answer (${POSTGRES_AVAILABILITY.reason})`, () => undefined);
  test.each(engines)('[%s] existing access tokens stay valid, as pre-authorized code tokens outside any refresh family', async (engine) => {
    const { db, schema, close } = await databaseAt(engine, '0003-one-active-signing-key');
    try {
      await db.insertInto('citizens').values({ id: 'c-1', card_number: null, given_name: 'T', family_name: 'C', birthdate: '1990-01-01', email: null, phone: null, street_address: 's', postal_code: 'p', locality: 'l', country: 'ES', resident_since: '2020-01-01', pin_hash: null, created_at: 1, updated_at: 1 }).execute();
      await sql`insert into access_tokens (token_hash, offer_id, citizen_id, configuration_ids, expires_at) values ('h-1', 'o-1', 'c-1', '["resident.dc+sd-jwt"]', 1790000000000)`.execute(db);
      expect(await migrateIssuerDatabase({ db, engine, ...(schema === undefined ? {} : { schema }) })).toEqual(['0004-refresh-tokens', '0005-verification-counts']);
      const row = await db.selectFrom('access_tokens').selectAll().executeTakeFirstOrThrow();
      expect({ ...row, expires_at: Number(row.expires_at) }).toEqual({ token_hash: 'h-1', offer_id: 'o-1', citizen_id: 'c-1', configuration_ids: '["resident.dc+sd-jwt"]', expires_at: 1_790_000_000_000, refresh_family_id: null, grant_type: 'pre-authorized_code' });
      expect(await db.selectFrom('refresh_tokens').selectAll().execute()).toEqual([]);
    } finally {
      await close();
    }
  });
});
