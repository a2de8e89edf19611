import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { IssuerDatabase } from './database-schema.js';
import { issuerMigrations, type DatabaseEngine } from './migrations.js';

/** An open issuer database, migrated to the latest schema. */
export interface IssuerDb {
  db: Kysely<IssuerDatabase>;
  engine: DatabaseEngine;
  close(): Promise<void>;
}

/** Where the issuer keeps its data: a SQLite file (default) or PostgreSQL (`DATABASE_URL`). */
export type DatabaseLocation = { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string; schema?: string };

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

/**
 * PostgreSQL returns `bigint` as strings (it may exceed 2^53). Every bigint
 * here is an epoch-millisecond time or a count, far below 2^53, so they are
 * parsed as numbers — on this pool only, not globally.
 */
function pgTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: string) =>
      oid === PG_INT8 || oid === PG_NUMERIC ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
  };
}

/**
 * Chooses the location from the environment: PostgreSQL when `databaseUrl`
 * (normally `DATABASE_URL`) is set, else the SQLite file `sqlitePath`.
 */
export function databaseLocation({ databaseUrl, sqlitePath }: { databaseUrl?: string; sqlitePath: string }): DatabaseLocation {
  if (databaseUrl !== undefined && databaseUrl !== '') {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw new UrbisError('CONFIG_INVALID', 'DATABASE_URL must be a postgres:// or postgresql:// URL');
    return { engine: 'postgres', url: databaseUrl };
  }
  return { engine: 'sqlite', path: sqlitePath };
}

/**
 * Opens the issuer database and runs pending migrations. SQLite runs in WAL
 * mode with foreign keys on; PostgreSQL uses a small pool, optionally pinned
 * to a schema (`search_path`), which is how tests isolate themselves.
 *
 * @throws UrbisError `DATABASE_UNAVAILABLE` when the database cannot be reached or migrated.
 */
export async function openIssuerDatabase(location: DatabaseLocation): Promise<IssuerDb> {
  let db: Kysely<IssuerDatabase>;
  if (location.engine === 'sqlite') {
    let sqlite: Database.Database;
    try {
      sqlite = new Database(location.path);
    } catch (cause) {
      throw new UrbisError('DATABASE_UNAVAILABLE', 'the SQLite file cannot be opened', { cause });
    }
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    db = new Kysely<IssuerDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  } else {
    const pool = new pg.Pool({
      connectionString: location.url,
      max: 10,
      types: pgTypes(),
      connectionTimeoutMillis: 5_000,
      ...(location.schema === undefined ? {} : { options: `-c search_path=${location.schema}` }),
    });
    db = new Kysely<IssuerDatabase>({ dialect: new PostgresDialect({ pool }) });
  }
  try {
    await migrateIssuerDatabase({ db, engine: location.engine, ...(location.engine === 'postgres' && location.schema !== undefined ? { schema: location.schema } : {}) });
  } catch (cause) {
    await db.destroy().catch(() => undefined);
    if (cause instanceof UrbisError) throw cause;
    throw new UrbisError('DATABASE_UNAVAILABLE', `the ${location.engine} database cannot be reached or migrated`, { cause });
  }
  return { db, engine: location.engine, close: () => db.destroy() };
}

/**
 * Runs the pending migrations; returns the names applied. With a PostgreSQL
 * `schema`, the migration tables live in that schema: Kysely otherwise looks
 * for them in every schema of the database and would take another schema's
 * tables for its own.
 */
export async function migrateIssuerDatabase({ db, engine, schema }: { db: Kysely<IssuerDatabase>; engine: DatabaseEngine; schema?: string }): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => issuerMigrations(engine) };
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'urbis_migrations',
    migrationLockTableName: 'urbis_migrations_lock',
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
