import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseEngine } from '../migrations.js';
import { openIssuerDatabase, type DatabaseLocation, type IssuerDb } from '../open-database.js';

/** The PostgreSQL the repository tests use: `URBIS_TEST_DATABASE_URL`, else the machines' local server (trust auth, database `test`). */
export const TEST_POSTGRES_URL = process.env['URBIS_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether the test PostgreSQL answers, and if not, why. Asked once per test file. */
export async function probePostgres(): Promise<{ ok: true } | { ok: false; reason: string }> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The PostgreSQL database of this test file: created on first use, dropped
 * after the file's tests. One database per file (and one schema per test
 * inside it) keeps parallel Jest workers apart: Kysely's migrator and
 * introspection read every schema of a database, and another worker
 * dropping its schema mid-query would break them.
 */
let fileDatabase: Promise<string> | undefined;

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

function postgresFileDatabase(): Promise<string> {
  fileDatabase ??= (async () => {
    const name = `urbis_f_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    try {
      await admin.query(`create database ${name}`);
    } finally {
      await admin.end();
    }
    return withDatabase(TEST_POSTGRES_URL, name);
  })();
  return fileDatabase;
}

export async function dropPostgresFileDatabase(): Promise<void> {
  if (fileDatabase === undefined) return;
  const url = await fileDatabase.catch(() => undefined);
  fileDatabase = undefined;
  if (url === undefined) return;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${new URL(url).pathname.slice(1)} with (force)`);
  } finally {
    await admin.end();
  }
}

/**
 * A fresh, migrated issuer database on `engine`: a new SQLite file in a
 * temporary folder, or a new schema (dropped on close) in this test file's
 * PostgreSQL database, so tests never see each other's rows.
 */
export async function openTestDatabase(engine: DatabaseEngine): Promise<IssuerDb> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'urbis-issuer-db-'));
    const opened = await openIssuerDatabase({ engine: 'sqlite', path: join(dir, 'issuer.sqlite') });
    return {
      ...opened,
      close: async () => {
        await opened.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const { location, drop } = await newTestPostgresSchema();
  let opened: IssuerDb;
  try {
    opened = await openIssuerDatabase(location);
  } catch (error) {
    await drop();
    throw error;
  }
  return {
    ...opened,
    close: async () => {
      await opened.close();
      await drop();
    },
  };
}

/**
 * A new empty schema in this test file's PostgreSQL database, for code that
 * opens the database itself (a whole issuer); `drop()` removes it. Drop
 * the file's database with {@link dropPostgresFileDatabase} after the file.
 */
export async function newTestPostgresSchema(): Promise<{ location: Extract<DatabaseLocation, { engine: 'postgres' }>; drop(): Promise<void> }> {
  const url = await postgresFileDatabase();
  const schema = `urbis_t_${randomBytes(6).toString('hex')}`;
  const run = async (statement: string): Promise<void> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`create schema ${schema}`);
  return { location: { engine: 'postgres', url, schema }, drop: () => run(`drop schema if exists ${schema} cascade`) };
}

const postgres = await probePostgres();

/** Whether PostgreSQL answered when this test file loaded, and if not, why. */
export const POSTGRES_AVAILABILITY = postgres;

/**
 * Runs `suite` once per engine, each time with a fresh database. When
 * PostgreSQL does not answer, its run is declared skipped with the reason in
 * the test name, never passed silently.
 *
 * @example
 * ```ts
 * describeEachEngine('citizen repository', (database) => {
 *   test('...', async () => { const { db } = database(); ... });
 * });
 * ```
 */
export function describeEachEngine(name: string, suite: (database: () => IssuerDb, engine: DatabaseEngine) => void): void {
  for (const engine of ['sqlite', 'postgres'] as const) {
    if (engine === 'postgres' && !postgres.ok) {
      describe.skip(`${name} [postgres] — skipped: PostgreSQL at ${TEST_POSTGRES_URL} did not answer (${postgres.reason})`, () => {
        test('needs PostgreSQL', () => undefined);
      });
      continue;
    }
    describe(`${name} [${engine}]`, () => {
      if (engine === 'postgres') afterAll(dropPostgresFileDatabase);
      let opened: IssuerDb | undefined;
      beforeEach(async () => {
        opened = await openTestDatabase(engine);
      });
      afterEach(async () => {
        await opened?.close();
        opened = undefined;
      });
      suite(() => {
        if (opened === undefined) throw new Error('the database is opened in beforeEach');
        return opened;
      }, engine);
    });
  }
}
