// Compiles the Solidity contracts once, before any test worker starts, so
// that parallel suites never race to compile (offline solc; hardhat.config.cts).
import { spawnSync } from 'node:child_process';

export default function globalSetup() {
  const result = spawnSync('./node_modules/.bin/hardhat', ['compile', '--quiet'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (result.status !== 0) throw new Error('hardhat compile failed');
}
