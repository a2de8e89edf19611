import { afterEach, describe, expect, test } from '@jest/globals';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadTerminalConfig } from '../config/terminal-config.js';
import { createTerminalFolder, FOLDER_REVOKED_INDEX, type TerminalFolder } from '../config/testing/terminal-folder.js';
import { openTerminal } from './open-terminal.js';

const NOW = 1_790_000_000;
const clock = () => NOW;
let folders: TerminalFolder[] = [];

async function folder(options: { snapshot?: boolean } = {}): Promise<TerminalFolder> {
  const made = await createTerminalFolder({ now: NOW, ...options });
  folders.push(made);
  return made;
}

afterEach(async () => {
  await Promise.all(folders.map((f) => f.remove()));
  folders = [];
});

describe('openTerminal', () => {
  test('opens every part from the data folder: the snapshot loads, a scanner presentation is accepted, counted and remembered across a restart', async () => {
    const f = await folder();
    const config = loadTerminalConfig({ env: { ...f.env, URBIS_TERMINAL_SCANNER_SERVICE: 'pools' } });
    const opened = await openTerminal({ config, clock });
    const { credential, holder } = await f.issue();
    const presentation = await f.scan({ credential, holder });
    expect(await opened.terminal.verify({ presentation })).toMatchObject({ ok: true, serviceId: 'pools', flow: 'scanner', claims: { service_id: 'pools', tier: 'standard' } });
    expect(opened.terminal.health()).toMatchObject({ terminalId: f.env['URBIS_TERMINAL_ID'], status: 'ok', snapshot: { loaded: true, signedBy: 'federation', block: 40 }, replay: { entries: 1 } });
    const { credential: revoked, holder: h2 } = await f.issue({ statusIndex: FOLDER_REVOKED_INDEX });
    expect(await opened.terminal.verify({ presentation: await f.scan({ credential: revoked, holder: h2 }) })).toMatchObject({ ok: false, failures: [{ code: 'STATUS_REVOKED' }] });
    await opened.close();
    await opened.close(); // idempotent

    expect((await readdir(f.dir)).sort()).toEqual(['counts.json', 'replay.journal', 'snapshot-key.json', 'terminal.snapshot']);
    expect((await stat(join(f.dir, 'snapshot-key.json'))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(join(f.dir, 'counts.json'), 'utf8'))).toMatchObject({ services: { pools: { accepted: 1, rejected: 1, rejectedByCode: { STATUS_REVOKED: 1 } } } });

    const again = await openTerminal({ config, clock });
    try {
      expect(await again.terminal.verify({ presentation })).toMatchObject({ ok: false, failures: [{ code: 'KB_REPLAYED' }] });
      expect(again.terminal.health().counts.services['pools']).toMatchObject({ accepted: 1, rejected: 2 });
    } finally {
      await again.close();
    }
  });

  test('creates a missing data folder and opens without a snapshot: degraded, every presentation refused', async () => {
    const f = await folder({ snapshot: false });
    const config = loadTerminalConfig({ env: { ...f.env, URBIS_TERMINAL_DIR: join(f.dir, 'new', 'folder'), URBIS_TERMINAL_SCANNER_SERVICE: 'pools' } });
    const opened = await openTerminal({ config, clock });
    try {
      expect((await stat(config.dataDir)).mode & 0o777).toBe(0o700);
      expect(opened.terminal.health()).toMatchObject({ status: 'degraded', snapshot: { loaded: false, loadProblem: 'SNAPSHOT_MISSING' } });
      const { credential, holder } = await f.issue();
      const verdict = await opened.terminal.verify({ presentation: await f.scan({ credential, holder }) });
      expect(verdict.ok).toBe(false);
      expect(verdict.ok ? [] : verdict.failures.map((x) => x.code)).toContain('ISSUER_UNTRUSTED');
    } finally {
      await opened.close();
    }
  });

  test('one process per data folder: a second open is STATE_CONFLICT; the lock goes with close; a dead owner’s lock is taken over', async () => {
    const f = await folder();
    const config = loadTerminalConfig({ env: f.env });
    const first = await openTerminal({ config, clock });
    await expect(openTerminal({ config, clock })).rejects.toMatchObject({ code: 'STATE_CONFLICT' });
    expect((await readFile(config.files.lock, 'utf8')).trim()).toBe(String(process.pid));
    await first.close();
    await expect(stat(config.files.lock)).rejects.toMatchObject({ code: 'ENOENT' });

    await writeFile(config.files.lock, '2147483646\n'); // no such process
    const second = await openTerminal({ config, clock });
    await second.close();
  });

  test('a scanner service without a policy, or a damaged key file, fails the open and leaves the folder unlocked', async () => {
    const f = await folder();
    const config = loadTerminalConfig({ env: f.env });
    await expect(openTerminal({ config: { ...config, scannerServiceId: 'casino' }, clock })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await writeFile(config.files.snapshotKey, '{"kty":"EC"}');
    await expect(openTerminal({ config, clock })).rejects.toMatchObject({ code: 'KEY_INVALID' });
    await expect(stat(config.files.lock)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
