import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../bin/urbis-cli.js';
import { createStaffAccounts } from '../auth/staff-accounts.js';
import { openIssuerDatabase } from '../db/open-database.js';

describe('urbis issuer', () => {
  let dir: string;
  const saved = { ...process.env };
  const lines: { out: string[]; err: string[] } = { out: [], err: [] };
  const io = { out: (l: string) => lines.out.push(l), err: (l: string) => lines.err.push(l) };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'urbis-cli-'));
    lines.out.length = 0;
    lines.err.length = 0;
    process.env['URBIS_DATA_DIR'] = dir;
    process.env['URBIS_MASTER_KEY'] = randomBytes(32).toString('base64url');
    process.env['URBIS_PASSWORD_COST_LN'] = '10';
    delete process.env['DATABASE_URL'];
  });
  afterEach(() => {
    process.env = { ...saved };
    rmSync(dir, { recursive: true, force: true });
  });

  test('migrate creates the SQLite database; staff-add creates an account whose password verifies', async () => {
    expect(await main(['issuer', 'migrate'], io)).toBe(0);
    expect(lines.out.join('\n')).toContain('database ready (sqlite)');
    process.env['URBIS_STAFF_PASSWORD'] = 'a long enough password';
    expect(await main(['issuer', 'staff-add', '--username', 'ana', '--role', 'admin'], io)).toBe(0);
    const database = await openIssuerDatabase({ engine: 'sqlite', path: join(dir, 'issuer.sqlite') });
    try {
      const member = await createStaffAccounts({ db: database.db }).verifyLogin({ username: 'ana', password: 'a long enough password' });
      expect(member.role).toBe('admin');
    } finally {
      await database.close();
    }
  });

  test('staff-add refuses a short password and missing options with a typed error', async () => {
    process.env['URBIS_STAFF_PASSWORD'] = 'short';
    expect(await main(['issuer', 'staff-add', '--username', 'ana', '--role', 'admin'], io)).toBe(1);
    expect(lines.err.join('\n')).toMatch(/^error INVALID_ARGUMENT/);
    expect(lines.err.join('\n')).not.toContain('short');
    expect(await main(['issuer', 'staff-add', '--role', 'admin'], io)).toBe(1);
    expect(await main(['issuer', 'staff-add', '--bogus'], io)).toBe(1);
  });

  test('config prints the effective configuration without secrets; a bad variable is CONFIG_INVALID naming it', async () => {
    expect(await main(['issuer', 'config'], io)).toBe(0);
    const printed = lines.out.join('\n');
    expect(JSON.parse(printed)).toMatchObject({ city: { id: 'gijon' }, database: { engine: 'sqlite' } });
    expect(printed).not.toContain(process.env['URBIS_MASTER_KEY']!);
    process.env['URBIS_PORT'] = 'not-a-port';
    expect(await main(['issuer', 'config'], io)).toBe(1);
    expect(lines.err.at(-1)).toBe('error CONFIG_INVALID: URBIS_PORT must be an integer from 0 to 65535');
  });

  test('--help lists the actions; an unknown action is INVALID_ARGUMENT', async () => {
    expect(await main(['issuer', '--help'], io)).toBe(0);
    expect(lines.out.join('\n')).toContain('urbis issuer serve');
    expect(await main(['issuer', 'fly'], io)).toBe(1);
    expect(await main(['--help'], io)).toBe(0);
    expect(lines.out.join('\n')).toMatch(/issuer\s+run a city issuer/);
  });
});
