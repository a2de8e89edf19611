import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CliIo } from '../../bin/subcommand.js';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { writeDeploymentsFile } from '../chain/deployments-file.js';
import { repoRoot } from '../chain/repo-root.js';
import { accreditIssuer } from '../federation/federation-votes.js';
import { startDeployedRegistries, type DeployedRegistries } from '../testing/deployed-registries.js';
import { createChainCommand } from './chain-command.js';

const crypto = createNodeCrypto();
const ISSUER_DID = 'did:web:snapshot.city.example';

/** `urbis terminal load` in its own process, as an operator runs it. */
async function terminalLoad(file: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(repoRoot(), 'bin', 'urbis.js'), 'terminal', 'load', '--file', file], {
      cwd: repoRoot(),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_OPTIONS: '', ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('urbis chain snapshot | snapshot-key → urbis terminal load (real hardhat node)', () => {
  let r: DeployedRegistries;
  let dir: string;
  let deployments: string;
  let listId: number;
  const issuerKey = crypto.generateKeyPair().publicJwk;
  const run = async (args: string[], env: Record<string, string> = {}): Promise<string> => {
    const lines: string[] = [];
    const io: CliIo = { out: (l) => void lines.push(l), err: (l) => void lines.push(l) };
    expect(await createChainCommand({ env }).run(args, io)).toBe(0);
    return lines.join('\n');
  };
  const snapshotArgs = (out: string, lists = `${0}=https://snapshot.city.example/status/0`) => ['snapshot', '--out', out, '--lists', lists.replace(/^0=/, `${listId}=`), '--rpc', r.node.url, '--deployments', deployments];

  beforeAll(async () => {
    r = await startDeployedRegistries();
    dir = mkdtempSync(join(tmpdir(), 'urbis-snapshot-cli-'));
    deployments = join(dir, '7777.json');
    writeDeploymentsFile({ path: deployments, deployment: r.deployment });
    listId = await r.status.createList({ owner: await r.signers[3]!.getAddress(), size: 131_072 });
    await accreditIssuer({ trust: r.trust, did: ISSUER_DID, controller: await r.signers[1]!.getAddress(), keys: [issuerKey], credentialTypes: ['ResidentCredential'], hash: crypto.hash });
  }, 120_000);
  afterAll(async () => {
    await r?.stop();
  });

  it('the file it writes is accepted by `urbis terminal load` on a terminal that trusts the printed public key, and refused by one that does not', async () => {
    const keyFile = join(dir, 'federation-key.json');
    const printed = await run(['snapshot-key', '--out', keyFile]);
    const publicJwk = JSON.parse(printed.split('\n').at(-1)!) as Record<string, unknown>;
    expect(publicJwk).not.toHaveProperty('d');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(keyFile, 'utf8'))).toMatchObject({ x: publicJwk.x, d: expect.any(String) });

    const out = join(dir, 'city.snapshot');
    const built = await run(snapshotArgs(out), {
      URBIS_SNAPSHOT_SIGNING_KEY: keyFile,
      URBIS_SNAPSHOT_ISSUER_KEYS: JSON.stringify({ [ISSUER_DID]: [{ publicJwk: issuerKey, kid: '#key-1' }] }),
    });
    expect(built).toMatch(/^snapshot of block \d+: 1 issuer\(s\), 1 status list\(s\)/);
    expect(built).not.toContain('no keys for');

    const accepted = await terminalLoad(out, { URBIS_TERMINAL_DIR: join(dir, 'terminal-a'), URBIS_SNAPSHOT_SIGNERS: JSON.stringify([publicJwk]) });
    expect(accepted.stderr).toBe('');
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain('loaded: block');
    expect(accepted.stdout).toContain('1 issuer(s), 1 status list(s)');

    const other = crypto.generateKeyPair().publicJwk;
    const refused = await terminalLoad(out, { URBIS_TERMINAL_DIR: join(dir, 'terminal-b'), URBIS_SNAPSHOT_SIGNERS: JSON.stringify([other]) });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error SNAPSHOT_SIGNER_UNKNOWN:');
  }, 180_000);

  it('a signing key with a kid signs under that kid; an issuer without keys is reported', async () => {
    const { privateJwk } = crypto.generateKeyPair();
    const out = join(dir, 'kid.snapshot');
    const built = await run(snapshotArgs(out), { URBIS_SNAPSHOT_SIGNING_KEY: JSON.stringify({ ...privateJwk, kid: 'federation-2026' }) });
    expect(built).toContain('signed by              federation-2026');
    expect(built).toContain(`no keys for            ${ISSUER_DID}`);
  }, 60_000);

  it('snapshot-key never overwrites a key file → STATE_CONFLICT', async () => {
    const keyFile = join(dir, 'existing.json');
    writeFileSync(keyFile, 'keep me');
    await expect(run(['snapshot-key', '--out', keyFile])).rejects.toMatchObject({ code: 'STATE_CONFLICT' });
    expect(readFileSync(keyFile, 'utf8')).toBe('keep me');
  });

  it.each([
    ['no signing key', 'CONFIG_INVALID', {}, undefined],
    ['a public key as signing key', 'CONFIG_INVALID', { URBIS_SNAPSHOT_SIGNING_KEY: JSON.stringify(crypto.generateKeyPair().publicJwk) }, undefined],
    ['a signing key file that does not exist', 'CONFIG_INVALID', { URBIS_SNAPSHOT_SIGNING_KEY: '/nonexistent/key.json' }, undefined],
    ['issuer keys that are not public JWKs', 'CONFIG_INVALID', { URBIS_SNAPSHOT_SIGNING_KEY: JSON.stringify(crypto.generateKeyPair().privateJwk), URBIS_SNAPSHOT_ISSUER_KEYS: JSON.stringify({ [ISSUER_DID]: [{ kty: 'oct' }] }) }, undefined],
    ['a list the chain does not have', 'STATUS_LIST_UNKNOWN', { URBIS_SNAPSHOT_SIGNING_KEY: JSON.stringify(crypto.generateKeyPair().privateJwk) }, '999=https://snapshot.city.example/status/999'],
    ['a malformed --lists', 'INVALID_ARGUMENT', { URBIS_SNAPSHOT_SIGNING_KEY: JSON.stringify(crypto.generateKeyPair().privateJwk) }, 'zero=ftp://x'],
  ] as const)('%s → %s', async (_label, code, env, lists) => {
    const out = join(dir, 'refused.snapshot');
    await expect(run(snapshotArgs(out, lists), env as Record<string, string>)).rejects.toMatchObject({ code });
    expect(() => statSync(out)).toThrow();
  }, 60_000);
});
