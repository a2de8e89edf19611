import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PublisherProcessConfig } from './publisher-process.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');

/** A publisher running in its own process (see `publisher-process.ts`). */
export interface PublisherChild {
  process: ChildProcess;
  /** JSON lines the child printed so far. */
  lines: Record<string, unknown>[];
  /** Resolves when the child exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL: no cleanup, no goodbye (a crash). */
  kill(): void;
}

/**
 * Starts `node --import tsx registry/publisher/testing/publisher-process.ts`
 * with `config`. The child runs until the outbox is idle.
 *
 * @example
 * ```ts
 * const child = startPublisherChild({ outboxPath, rpcUrl: proxy.url, chainId: 7777, registryAddress, privateKey });
 * const { code } = await child.exited;
 * ```
 */
export function startPublisherChild(config: PublisherProcessConfig): PublisherChild {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'publisher-process.ts')], {
    cwd: repoRoot,
    env: { ...process.env, NODE_OPTIONS: '', URBIS_PUBLISHER_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        /* not a log line */
      }
      newline = buffered.indexOf('\n');
    }
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 10_000) stderr += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      if (code !== 0 && signal === null && stderr !== '') lines.push({ stderr });
      resolve({ code, signal });
    }),
  );
  return {
    process: child,
    lines,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
