/**
 * Hardhat in-process, for Jest tests and benchmarks (DESIGN.md §6): loads
 * `hardhat` through `createRequire` (the package is ESM, the config is
 * `hardhat.config.cts`) and compiles the contracts once.
 *
 * Jest runs test files in parallel workers, each with its own Hardhat
 * runtime; Hardhat 2 has no lock around `compile`, so two workers compiling a
 * fresh clone at once could write (and read) the same artifacts together.
 * `loadHardhat` takes a directory lock under `.hardhat/` around the compile:
 * the first worker compiles, the others then find the cache up to date.
 *
 * Outside Jest and tsx (for example the tsc-compiled benchmarks run by plain
 * `node`), nothing can load `hardhat.config.cts`: the Hardhat CLI registers
 * ts-node for a TypeScript config, the library does not. `loadHardhat` then
 * registers ts-node (transpile only) the way the CLI does.
 */
import { mkdirSync, rmdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { HardhatEthersHelpers } from '@nomicfoundation/hardhat-ethers/types/index.js';
import type * as Ethers from 'ethers';
import type { HardhatRuntimeEnvironment } from 'hardhat/types/index.js';

/** The Hardhat runtime with hardhat-ethers' `ethers` (ethers v6 plus Hardhat helpers). */
export type HardhatWithEthers = HardhatRuntimeEnvironment & { ethers: typeof Ethers & HardhatEthersHelpers };

const LOCK_STALE_MS = 5 * 60_000;
const LOCK_POLL_MS = 100;

let loaded: Promise<HardhatWithEthers> | undefined;

/** Loads Hardhat (from the current directory's config) and compiles the contracts, once per process. */
export function loadHardhat(): Promise<HardhatWithEthers> {
  loaded ??= load();
  return loaded;
}

async function load(): Promise<HardhatWithEthers> {
  const require = createRequire(import.meta.url);
  if (process.env.JEST_WORKER_ID === undefined && !('.cts' in require.extensions)) {
    process.env.TS_NODE_FILES ??= 'true';
    require('ts-node/register/transpile-only');
  }
  const hre = require('hardhat') as HardhatWithEthers;
  const lock = join(hre.config.paths.root, '.hardhat', 'compile.lock');
  await acquire(lock);
  try {
    await hre.run('compile', { quiet: true });
  } finally {
    rmdirSync(lock);
  }
  return hre;
}

async function acquire(lock: string): Promise<void> {
  mkdirSync(join(lock, '..'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    try {
      // A lock left by a killed process is taken over after a while.
      if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmdirSync(lock);
    } catch {
      // It went away between the two calls: try again.
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

/** Takes a snapshot of the chain; `revert` restores it and takes a fresh one (a snapshot is used up by `evm_revert`). */
export async function chainSnapshot(hre: HardhatWithEthers): Promise<{ revert(): Promise<void> }> {
  let id = (await hre.network.provider.send('evm_snapshot', [])) as string;
  return {
    async revert() {
      const ok = (await hre.network.provider.send('evm_revert', [id])) as boolean;
      if (!ok) throw new Error(`evm_revert ${id} failed`);
      id = (await hre.network.provider.send('evm_snapshot', [])) as string;
    },
  };
}
