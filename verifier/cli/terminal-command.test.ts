import { afterEach, describe, expect, test } from '@jest/globals';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliIo } from '../../bin/subcommand.js';
import { UrbisError, isUrbisError } from '../../core/errors/urbis-error.js';
import { loadTerminalConfig } from '../config/terminal-config.js';
import { createTerminalFolder, type TerminalFolder } from '../config/testing/terminal-folder.js';
import { startTerminalServer } from '../http/start-terminal-server.js';
import { openTerminal } from '../terminal/open-terminal.js';
import type { TerminalCliDeps } from './terminal-cli-deps.js';
import { createTerminalCommand } from './terminal-command.js';

const NOW = 1_790_000_000;
let folders: TerminalFolder[] = [];
afterEach(async () => {
  await Promise.all(folders.map((f) => f.remove()));
  folders = [];
});

async function folder(options: { snapshot?: boolean } = {}): Promise<TerminalFolder> {
  const made = await createTerminalFolder({ now: NOW, ...options });
  folders.push(made);
  return made;
}

/** `urbis terminal` in-process: captured io and log, a fixed clock, a stop switch for `serve`. */
function harness(env: Record<string, string>, overrides: Partial<TerminalCliDeps> = {}) {
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const logLines: string[] = [];
  const deps: TerminalCliDeps = {
    env,
    clock: () => NOW,
    connect: () => Promise.reject(new Error('no chain in this test')),
    startServer: startTerminalServer,
    untilStopped: () => stopped,
    readStdin: async () => undefined,
    log: (line) => logLines.push(line),
    ...overrides,
  };
  const command = createTerminalCommand(deps);
  const run = async (...args: string[]): Promise<{ code: number | string; out: string[]; err: string[] }> => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l) };
    try {
      return { code: await command.run(args, io), out, err };
    } catch (error) {
      if (isUrbisError(error)) return { code: error.code, out, err };
      throw error;
    }
  };
  return { run, stop: () => stop(), logLines };
}

describe('urbis terminal', () => {
  test('health: JSON with the snapshot age and counts; exit 0, or 1 when degraded (no snapshot)', async () => {
    const f = await folder();
    const health = await harness(f.env).run('health');
    expect(health.code).toBe(0);
    expect(JSON.parse(health.out.join('\n'))).toMatchObject({ terminalId: 'urbis:terminal:gijon-pool-1', status: 'ok', snapshot: { loaded: true, ageSeconds: 60, block: 40, signedBy: 'federation' } });

    const empty = await folder({ snapshot: false });
    const degraded = await harness(empty.env).run('health');
    expect(degraded.code).toBe(1);
    expect(JSON.parse(degraded.out.join('\n'))).toMatchObject({ status: 'degraded', snapshot: { loaded: false, loadProblem: 'SNAPSHOT_MISSING' } });
  });

  test('config: the effective configuration, without keys; a bad variable is CONFIG_INVALID naming it', async () => {
    const f = await folder();
    const shown = await harness(f.env).run('config');
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out.join('\n'))).toMatchObject({ terminalId: 'urbis:terminal:gijon-pool-1', dataDir: f.dir, snapshotSigners: ['federation-snapshots'], chain: null, listen: '127.0.0.1:4100' });
    expect(shown.out.join('\n')).not.toContain(JSON.parse(f.env['URBIS_SNAPSHOT_SIGNERS']!)[0].x);
    expect((await harness({ ...f.env, URBIS_TERMINAL_PORT: 'http' }).run('config')).code).toBe('CONFIG_INVALID');
    expect((await harness(f.env).run('bogus')).code).toBe('INVALID_ARGUMENT');
    expect((await harness(f.env).run()).code).toBe(2);
  });

  test('load --file: a newer federation snapshot replaces the held one; a tampered or older one is refused with its code and the held one kept', async () => {
    const f = await folder();
    const { run } = harness(f.env);
    const newer = join(f.dir, 'usb-newer.snapshot');
    await writeFile(newer, await f.snapshotBytes({ block: 50, syncedAt: NOW - 10 }));
    const loaded = await run('load', '--file', newer);
    expect(loaded.code).toBe(0);
    expect(loaded.out[0]).toBe('loaded: block 50, 1 issuer(s), 1 status list(s)');

    const older = join(f.dir, 'usb-older.snapshot');
    await writeFile(older, await f.snapshotBytes({ block: 45 }));
    expect((await run('load', '--file', older)).code).toBe('SNAPSHOT_STALE');
    const tampered = await f.snapshotBytes({ block: 60 });
    tampered[tampered.length - 300] = tampered[tampered.length - 300]! ^ 1;
    await writeFile(older, tampered);
    expect((await run('load', '--file', older)).code).toBe('SNAPSHOT_SIGNATURE_INVALID');
    expect((await run('load', '--file', join(f.dir, 'nothing-here'))).code).toBe('SNAPSHOT_MISSING');
    expect((await run('load')).code).toBe('INVALID_ARGUMENT');
    expect(JSON.parse((await run('health')).out.join('\n')).snapshot).toMatchObject({ block: 50, lastLoad: { ok: true, from: 'startup' } });
  });

  test('sync needs URBIS_CHAIN_RPC (CONFIG_INVALID); --lists without --bootstrap is INVALID_ARGUMENT; a chain that is down is its code', async () => {
    const f = await folder();
    expect((await harness(f.env).run('sync')).code).toBe('CONFIG_INVALID');
    const env = { ...f.env, URBIS_CHAIN_RPC: 'http://127.0.0.1:9' };
    expect((await harness(env).run('sync', '--lists', '0=http://a.example/status/0')).code).toBe('INVALID_ARGUMENT');
    expect((await harness(env).run('sync', '--bootstrap', '--lists', 'zero=http://a.example/status/0')).code).toBe('INVALID_ARGUMENT');
    expect((await harness(env).run('sync', '--bootstrap', '--lists', '0=http://a.example/status/0', '--deployments', join(f.dir, 'none.json'))).code).toBe('DEPLOYMENT_NOT_FOUND');
    const down = harness(env, { connect: () => Promise.reject(new UrbisError('CHAIN_UNREACHABLE', 'the chain did not answer')) });
    expect((await down.run('sync')).code).toBe('CHAIN_UNREACHABLE');
  });

  test('one process per data folder: while a terminal runs, the CLI refuses (STATE_CONFLICT) instead of sharing its replay journal', async () => {
    const f = await folder();
    const running = await openTerminal({ config: loadTerminalConfig({ env: f.env }), clock: () => NOW });
    try {
      expect((await harness(f.env).run('health')).code).toBe('STATE_CONFLICT');
    } finally {
      await running.close();
    }
    expect((await harness(f.env).run('health')).code).toBe(0);
  });

  test('serve: the HTTP API answers until stopped; its log lines hold events, routes, statuses and codes only', async () => {
    const f = await folder();
    let url: string | undefined;
    const { run, stop, logLines } = harness(
      { ...f.env, URBIS_TERMINAL_PORT: '0', URBIS_TERMINAL_SCANNER_SERVICE: 'pools' },
      {
        startServer: async (args) => {
          const server = await startTerminalServer(args);
          url = server.url;
          return server;
        },
      },
    );
    const serving = run('serve');
    for (let i = 0; i < 200 && url === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(url).toBeDefined();
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const { credential, holder } = await f.issue();
    const verdict = await (await fetch(`${url}/presentations/verify`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: await f.scan({ credential, holder }) })).json();
    expect(verdict).toMatchObject({ ok: true, serviceId: 'pools', flow: 'scanner' });
    expect((await fetch(`${url}/request?service=casino`)).status).toBeGreaterThanOrEqual(400);
    stop();
    const result = await serving;
    expect(result.code).toBe(0);
    expect(result.out[0]).toMatch(/^terminal urbis:terminal:gijon-pool-1 listening on http:\/\/127\.0\.0\.1:\d+ \(services: transport, library, pools/);
    expect(result.out.at(-1)).toBe('terminal stopped');
    const events = logLines.map((line) => JSON.parse(line) as { event: string; route?: string; status?: number; code?: string });
    expect(events.map((e) => e.event)).toEqual(['started', 'http-request', 'http-request', 'http-request', 'stopped']);
    expect(events[0]).toMatchObject({ snapshot: { loaded: true, block: 40 } });
    expect(events[3]).toMatchObject({ route: 'GET /request', code: 'SERVICE_UNKNOWN' });
    expect(events[4]).toMatchObject({ counts: { pools: { accepted: 1, rejected: 0 } } });
    expect(await readdir(f.dir)).not.toContain('terminal.lock');

    // A port in use: CONFIG_INVALID naming the variables; the folder is released.
    const taken = await startTerminalServer({ terminal: { health: () => ({}) } as never, port: 0 });
    try {
      const port = new URL(taken.url).port;
      expect((await harness({ ...f.env, URBIS_TERMINAL_PORT: port }).run('serve')).code).toBe('CONFIG_INVALID');
      expect(await readdir(f.dir)).not.toContain('terminal.lock');
    } finally {
      await taken.close();
    }
  });
});
