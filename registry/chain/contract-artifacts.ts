import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repo-root.js';
import { UrbisError } from '../../core/errors/urbis-error.js';


/** The compiled form of a contract: what deployment needs. */
export interface ContractArtifact {
  contractName: string;
  abi: unknown[];
  bytecode: string;
}

export type RegistryContractName = 'StatusRegistry' | 'TrustedIssuerRegistry';

/**
 * Loads a contract's Hardhat artifact, compiling the contracts first (offline,
 * with the npm solc; see hardhat.config.cts) when no artifact exists yet.
 *
 * @throws UrbisError `DEPLOYMENT_NOT_FOUND` when the contracts cannot be compiled.
 */
export function loadContractArtifact(name: RegistryContractName): ContractArtifact {
  const path = join(repoRoot(), '.hardhat', 'artifacts', 'contracts', 'src', `${name}.sol`, `${name}.json`);
  if (!existsSync(path)) compileContracts();
  if (!existsSync(path)) throw new UrbisError('DEPLOYMENT_NOT_FOUND', `no compiled artifact for ${name}`);
  const artifact = JSON.parse(readFileSync(path, 'utf8')) as ContractArtifact;
  return { contractName: artifact.contractName, abi: artifact.abi, bytecode: artifact.bytecode };
}

/** Runs `hardhat compile` (idempotent; Hardhat skips unchanged sources). */
export function compileContracts(): void {
  const result = spawnSync(join(repoRoot(), 'node_modules', '.bin', 'hardhat'), ['compile', '--quiet'], {
    cwd: repoRoot(),
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (result.status !== 0) {
    throw new UrbisError('DEPLOYMENT_NOT_FOUND', `contract compilation failed: ${(result.stderr || result.stdout || '').slice(0, 2000)}`);
  }
}
