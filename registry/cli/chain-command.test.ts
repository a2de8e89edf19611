import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort, startHardhatNode, type HardhatNode } from '../testing/hardhat-node.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = async (args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(root, 'bin', 'urbis.js'), ...args], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '', ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
};

describe('urbis chain (CLI, real hardhat node)', () => {
  let node: HardhatNode;
  const dir = mkdtempSync(join(tmpdir(), 'urbis-cli-'));
  beforeAll(async () => {
    node = await startHardhatNode();
  }, 90_000);
  afterAll(async () => {
    await node?.stop();
  });

  it('urbis --help lists every subcommand', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/chain\s+start the local chain/);
    expect(stdout).toMatch(/federation\s+the federation registry/);
  });

  it('deploys the registries, writes the deployments file, and shows the addresses checked on chain', async () => {
    const help = await run(['chain', '--help']);
    for (const action of ['list-create', 'list-info', 'writer-grant', 'writer-revoke', 'snapshot', 'snapshot-key']) expect(help.stdout).toContain(`urbis chain ${action} `);
    const out = join(dir, 'deployments.json');
    const deployed = await run(['chain', 'deploy', '--rpc', node.url, '--out', out]);
    expect(deployed.stderr).toBe('');
    expect(deployed.code).toBe(0);
    const file = JSON.parse(readFileSync(out, 'utf8'));
    expect(file).toMatchObject({ chainId: 7777, statusRegistry: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/), trustedIssuerRegistry: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/) });
    const shown = await run(['chain', 'addresses', '--deployments', out, '--rpc', node.url]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(file.statusRegistry);
    expect(shown.stdout).toContain('deployed               yes');
  }, 120_000);

  it.each([
    ['a wrong chain id', ['chain', 'deploy', '--chain-id', '1', '--rpc', 'NODE'], 'CHAIN_ID_MISMATCH', { URBIS_CHAIN_KEY: '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d' }],
    ['no key for a non-local chain', ['chain', 'deploy', '--chain-id', '1', '--rpc', 'NODE'], 'INVALID_ARGUMENT', {}],
    ['an unknown option', ['chain', 'deploy', '--rpcx', 'NODE'], 'INVALID_ARGUMENT', {}],
    ['an unknown action', ['chain', 'explode'], 'INVALID_ARGUMENT', {}],
    ['a missing deployments file', ['chain', 'addresses', '--deployments', '/nonexistent/urbis.json'], 'DEPLOYMENT_NOT_FOUND', {}],
  ])('%s → exit 1 with %s', async (_label, args, code, env) => {
    const result = await run(args.map((a) => (a === 'NODE' ? node.url : a)), env as Record<string, string>);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error ${code}:`);
  }, 60_000);

  it('an unreachable RPC → CHAIN_UNREACHABLE', async () => {
    const port = await freePort();
    const result = await run(['chain', 'deploy', '--rpc', `http://127.0.0.1:${port}`]);
    expect(result.stderr).toContain('error CHAIN_UNREACHABLE:');
  }, 60_000);

  it('addresses that hold no contract → CONTRACT_NOT_DEPLOYED', async () => {
    const fake = join(dir, 'fake.json');
    writeFileSync(fake, JSON.stringify({ chainId: 7777, statusRegistry: '0x000000000000000000000000000000000000dEaD', trustedIssuerRegistry: '0x000000000000000000000000000000000000bEEF', deploymentBlock: 1 }));
    const result = await run(['chain', 'addresses', '--deployments', fake, '--rpc', node.url]);
    expect(result.stderr).toContain('error CONTRACT_NOT_DEPLOYED:');
  }, 60_000);
});
