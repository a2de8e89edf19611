import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { getAddress, isAddress } from 'ethers';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { RegistryDeployment } from './deploy-registries.js';

/** Writes a deployments file atomically (write to a temporary file, then rename). */
export function writeDeploymentsFile({ path, deployment }: { path: string; deployment: RegistryDeployment }): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(deployment, null, 2)}\n`);
  renameSync(temporary, path);
}

/**
 * Reads and checks a deployments file.
 * @throws UrbisError `DEPLOYMENT_NOT_FOUND` (no file, not JSON, missing or bad fields).
 */
export function readDeploymentsFile(path: string): RegistryDeployment {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new UrbisError('DEPLOYMENT_NOT_FOUND', 'no readable deployments file at that path', { cause });
  }
  const d = value as Partial<RegistryDeployment>;
  if (
    typeof d !== 'object' ||
    d === null ||
    !Number.isInteger(d.chainId) ||
    typeof d.statusRegistry !== 'string' ||
    !isAddress(d.statusRegistry) ||
    typeof d.trustedIssuerRegistry !== 'string' ||
    !isAddress(d.trustedIssuerRegistry) ||
    !Number.isInteger(d.deploymentBlock)
  ) {
    throw new UrbisError('DEPLOYMENT_NOT_FOUND', 'the deployments file lacks chainId, registry addresses or deploymentBlock');
  }
  return {
    chainId: d.chainId!,
    statusRegistry: getAddress(d.statusRegistry),
    trustedIssuerRegistry: getAddress(d.trustedIssuerRegistry),
    deploymentBlock: d.deploymentBlock!,
    deployedAt: typeof d.deployedAt === 'string' ? d.deployedAt : '',
  };
}
