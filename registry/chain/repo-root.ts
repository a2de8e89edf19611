import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root: the nearest folder above this module that holds
 * `hardhat.config.cts`. Found by walking up, so that the same code works from
 * the sources (tsx, Jest) and from a tsc build under `.build/`.
 */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'hardhat.config.cts'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('no hardhat.config.cts above registry/chain');
    dir = parent;
  }
}
