import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../../bin/subcommand.js';
import { base64urlEncodeString } from '../../core/encoding/base64url.js';
import type { UrbisErrorCode } from '../../core/errors/urbis-error.js';
import { encodeCompactPresentation } from '../../core/presentation/compact-presentation.js';
import { createCredentialKit } from '../../core/test-kit/credential-kit.js';
import { createTerminalFolder, FOLDER_REVOKED_INDEX, FOLDER_SUSPENDED_INDEX, type TerminalFolder } from '../config/testing/terminal-folder.js';
import type { TerminalVerdict } from '../terminal/terminal.js';
import type { TerminalCliDeps } from './terminal-cli-deps.js';
import { createVerifyCommand } from './verify-command.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/**
 * `urbis verify` in-process (captured io, injected stdin and clock) against
 * a provisioned data folder, and once as a real `node bin/urbis.js verify`
 * process to prove the wiring.
 */
describe('urbis verify', () => {
  let f: TerminalFolder;
  let inputs: string;
  let now: number;
  let stdin: Uint8Array | undefined;
  const env: Record<string, string> = {};

  const deps = (): TerminalCliDeps => ({
    env,
    clock: () => now,
    connect: () => Promise.reject(new Error('verify never connects')),
    startServer: () => Promise.reject(new Error('verify never serves')),
    untilStopped: () => Promise.resolve(),
    readStdin: async () => stdin,
  });

  async function run(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l) };
    const code = await createVerifyCommand(deps()).run(args, io);
    return { code, out, err };
  }

  async function verdictOf(...args: string[]): Promise<{ code: number; verdict: TerminalVerdict }> {
    const { code, out, err } = await run('--json', '--service', 'pools', ...args);
    expect(err).toEqual([]);
    return { code, verdict: JSON.parse(out.join('\n')) as TerminalVerdict };
  }

  const codes = (verdict: TerminalVerdict): UrbisErrorCode[] => (verdict.ok ? [] : verdict.failures.map((x) => x.code));

  async function scanned(options: { statusIndex?: number; audience?: string; iat?: number } = {}): Promise<string> {
    const { credential, holder } = await f.issue(options.statusIndex === undefined ? {} : { statusIndex: options.statusIndex });
    return f.scan({ credential, holder, ...(options.audience === undefined ? {} : { audience: options.audience }), ...(options.iat === undefined ? {} : { iat: options.iat }) });
  }

  beforeAll(async () => {
    now = Math.floor(Date.now() / 1000);
    f = await createTerminalFolder({ now });
    inputs = await mkdtemp(join(tmpdir(), 'urbis-verify-inputs-'));
    Object.assign(env, f.env);
  });
  afterAll(async () => {
    await f?.remove();
    if (inputs !== undefined) await rm(inputs, { recursive: true, force: true });
  });

  test('a presentation as the argument: ACCEPTED with the claims the policy asked for (exit 0); the same again is REJECTED KB_REPLAYED (exit 1)', async () => {
    const presentation = await scanned();
    const accepted = await run('--service', 'pools', presentation);
    expect(accepted).toEqual({ code: 0, out: ['ACCEPTED pools: entitlement (ServiceEntitlementCredential), scanner', '  service_id = "pools"', '  tier = "standard"'], err: [] });
    const replayed = await run('--service', 'pools', presentation);
    expect(replayed.code).toBe(1);
    expect(replayed.out[0]).toBe('REJECTED pools: KB_REPLAYED');
    expect(replayed.out[1]).toMatch(/^ {2}replay KB_REPLAYED: /);
  });

  test('--file with the wallet QR’s compact bytes, --file with text, and standard input (`-` or piped)', async () => {
    const compact = join(inputs, 'scan.bin');
    await writeFile(compact, encodeCompactPresentation({ text: await scanned() }));
    expect((await verdictOf('--file', compact)).verdict).toMatchObject({ ok: true, flow: 'scanner', accepted: 'entitlement' });
    await writeFile(compact, `${await scanned()}\n`);
    expect((await verdictOf('--file', compact)).verdict.ok).toBe(true);

    stdin = new TextEncoder().encode(await scanned());
    expect((await verdictOf('-')).verdict.ok).toBe(true);
    stdin = new TextEncoder().encode(await scanned());
    expect((await verdictOf()).verdict.ok).toBe(true);
    stdin = undefined;
  });

  test('DESIGN §8 through the CLI: each bad presentation is REJECTED (exit 1) with its own code', async () => {
    const { credential, holder } = await f.issue();
    const [jwt, ...rest] = credential.split('~');
    const [, payload, signature] = jwt!.split('.');
    const noneHeader = base64urlEncodeString(JSON.stringify({ alg: 'none', typ: 'dc+sd-jwt', kid: f.kit.issuer.kid }));
    const algNone = await f.scan({ credential: [`${noneHeader}.${payload}.${signature}`, ...rest].join('~'), holder });
    const flipped = signature!.startsWith('A') ? `B${signature!.slice(1)}` : `A${signature!.slice(1)}`;
    const badSignature = await f.scan({ credential: [`${jwt!.split('.').slice(0, 2).join('.')}.${flipped}`, ...rest].join('~'), holder });
    const stranger = createCredentialKit({ now });
    const strangerHolder = stranger.newHolder();
    const strangerKey = stranger.crypto.signingKeyFromJwk({ privateJwk: stranger.issuer.keyPair.privateJwk, kid: 'did:web:elsewhere.example#key-1' });
    const untrustedCredential = await stranger.issue({ format: 'dc+sd-jwt', type: 'ServiceEntitlementCredential', holder: strangerHolder, overrides: { issuer: { id: 'did:web:elsewhere.example', signingKey: strangerKey } } });
    const untrusted = await f.scan({ credential: untrustedCredential, holder: strangerHolder });
    // The federation's issuer id and kid, another key: a forgery.
    const forged = await f.scan({ credential: await stranger.issue({ format: 'dc+sd-jwt', type: 'ServiceEntitlementCredential', holder: strangerHolder }), holder: strangerHolder });
    const truncatedJws = async () => {
      const text = await scanned();
      const dot = text.indexOf('.', text.indexOf('.') + 1);
      return `${text.slice(0, dot + 41)}${text.slice(text.indexOf('~'))}`;
    };
    const oversized = join(inputs, 'big.txt');
    await writeFile(oversized, 'a'.repeat(70 * 1024));

    const cases: [string, string[], UrbisErrorCode[]][] = [
      ['revoked', [await scanned({ statusIndex: FOLDER_REVOKED_INDEX })], ['STATUS_REVOKED']],
      ['suspended', [await scanned({ statusIndex: FOLDER_SUSPENDED_INDEX })], ['STATUS_SUSPENDED']],
      ['bound to another terminal', [await scanned({ audience: 'urbis:terminal:gijon-library-2' })], ['KB_AUD_MISMATCH']],
      ['key binding too old for the scanner window', [await scanned({ iat: now - 600 })], ['KB_IAT_OUT_OF_WINDOW']],
      ['alg none', [algNone], ['ALG_NONE']],
      ['issuer signature altered', [badSignature], ['SIGNATURE_INVALID']],
      ['issuer not in the federation', [untrusted], ['ISSUER_UNTRUSTED']],
      ['a federation issuer’s name, another key', [forged], ['SIGNATURE_INVALID']],
      ['oversized file', ['--file', oversized], ['INPUT_TOO_LARGE']],
      ['cut short: no ~ at all', [(await scanned()).slice(0, 40)], ['SD_JWT_MISSING_TILDE']],
      ['issuer signature cut short (the KB-JWT sd_hash then fails too)', [await truncatedJws()], ['JWS_MALFORMED', 'KB_SD_HASH_MISMATCH']],
    ];
    for (const [label, args, expected] of cases) {
      const { code, verdict } = await verdictOf(...args);
      expect({ label, code, codes: codes(verdict) }).toEqual({ label, code: 1, codes: expected });
    }
  });

  test('the library’s policy refuses a pools entitlement that discloses no pseudonym (policy codes, exit 1)', async () => {
    const { code, out } = await run('--service', 'library', await scanned());
    expect(code).toBe(1);
    expect(out[0]).toMatch(/^REJECTED library: POLICY_/);
  });

  test('usage problems exit 2 with the usage: no service to choose, an unknown service, two presentations, an unknown option, nothing to read', async () => {
    const presentation = await scanned();
    const noService = await run(presentation);
    expect(noService.code).toBe(2);
    expect(noService.err[0]).toBe('error INVALID_ARGUMENT: name the service: --service <id> (transport, library, pools, sports-booking, waste-centre, youth-pass, parking)');
    expect(await run('--service', 'casino', presentation)).toMatchObject({ code: 2, err: [expect.stringMatching(/^error SERVICE_UNKNOWN: /)] });
    expect((await run('--service', 'pools', presentation, presentation)).code).toBe(2);
    expect((await run('--service', 'pools', '--file', 'x', presentation)).code).toBe(2);
    expect(await run('--bogus')).toMatchObject({ code: 2, err: [expect.stringMatching(/^error INVALID_ARGUMENT: bad option/), expect.stringContaining('Usage: urbis verify')] });
    stdin = undefined;
    expect((await run('--service', 'pools')).code).toBe(2);
    expect(await run('--service', 'pools', '--file', join(inputs, 'no-such-file'))).toMatchObject({ code: 2, err: ['error INVALID_ARGUMENT: --file cannot be read (ENOENT)'] });
    expect((await run('--help')).code).toBe(0);
    // With URBIS_TERMINAL_SCANNER_SERVICE, --service may be left out.
    env['URBIS_TERMINAL_SCANNER_SERVICE'] = 'pools';
    try {
      expect((await run(await scanned())).code).toBe(0);
    } finally {
      delete env['URBIS_TERMINAL_SCANNER_SERVICE'];
    }
  });

  test('a bad configuration exits 2 naming the variable; nothing was verified', async () => {
    env['URBIS_TERMINAL_ID'] = 'not-a-terminal';
    try {
      expect(await run('--service', 'pools', await scanned())).toMatchObject({ code: 2, err: ['error CONFIG_INVALID: URBIS_TERMINAL_ID must be urbis:terminal:<id> (letters, digits, . _ : -)'] });
    } finally {
      env['URBIS_TERMINAL_ID'] = f.env['URBIS_TERMINAL_ID']!;
    }
  });

  test('every verdict of this suite is counted in counts.json: services and codes only', async () => {
    const counts = JSON.parse(await readFile(join(f.dir, 'counts.json'), 'utf8'));
    expect(counts.services.pools.accepted).toBeGreaterThanOrEqual(6);
    expect(counts.services.pools.rejectedByCode).toMatchObject({ KB_REPLAYED: 1, STATUS_REVOKED: 1, STATUS_SUSPENDED: 1, ALG_NONE: 1, INPUT_TOO_LARGE: 1 });
    expect(Object.keys(counts.services).sort()).toEqual(['library', 'pools']);
  });

  test('the real command: `node bin/urbis.js verify --service pools --json <presentation>` exits 0, then 1 on a replay', async () => {
    const presentation = await f.scan({ ...(await f.issue()), iat: Math.floor(Date.now() / 1000) });
    const spawnVerify = () =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ['bin/urbis.js', 'verify', '--service', 'pools', '--json', presentation], {
          cwd: REPO,
          env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...f.env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
        child.once('error', reject);
        child.once('close', (code) => resolve({ code, stdout, stderr }));
      });
    const first = await spawnVerify();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ ok: true, serviceId: 'pools', flow: 'scanner', claims: { service_id: 'pools', tier: 'standard' } });
    const second = await spawnVerify();
    expect(second.code).toBe(1);
    expect(JSON.parse(second.stdout)).toMatchObject({ ok: false, failures: [{ code: 'KB_REPLAYED' }] });
  }, 60_000);
});
