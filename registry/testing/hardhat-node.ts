import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '../chain/repo-root.js';


/**
 * The default Hardhat accounts (mnemonic "test test … junk"): public test
 * keys, used only by tests and the local demo chain.
 */
export const HARDHAT_TEST_KEYS = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
] as const;

/** A running `hardhat node` (a real JSON-RPC server in its own process). */
export interface HardhatNode {
  url: string;
  port: number;
  process: ChildProcess;
  /** Stops the node (SIGTERM to its process group, SIGKILL if it lingers). */
  stop(): Promise<void>;
}

/**
 * Starts `./node_modules/.bin/hardhat node` on a free loopback port (chain id
 * 7777 from hardhat.config.cts) and waits until it answers JSON-RPC. Started
 * directly, not through npx, so that stopping it leaves no grandchild
 * (DESIGN §6).
 */
export async function startHardhatNode({ port, timeoutMs = 60_000 }: { port?: number; timeoutMs?: number } = {}): Promise<HardhatNode> {
  const chosen = port ?? (await freePort());
  const child = spawn(join(repoRoot(), 'node_modules', '.bin', 'hardhat'), ['node', '--hostname', '127.0.0.1', '--port', String(chosen)], {
    cwd: repoRoot(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString();
  });
  const url = `http://127.0.0.1:${chosen}`;
  const node: HardhatNode = {
    url,
    port: chosen,
    process: child,
    stop: () => stopProcessGroup(child),
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited early:\n${output}`);
    if (await answers(url)) return node;
    if (Date.now() > deadline) {
      await node.stop();
      throw new Error(`hardhat node did not answer within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(1_000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, 3_000);
  await exited;
  clearTimeout(timer);
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
