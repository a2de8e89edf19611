import { ContractFactory, type Signer } from 'ethers';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { toChainError } from './chain-errors.js';
import type { ChainConnection } from './connect-chain.js';
import { loadContractArtifact, type RegistryContractName } from './contract-artifacts.js';

/** Where the registries of one chain live: the content of a deployments file. */
export interface RegistryDeployment {
  chainId: number;
  statusRegistry: string;
  trustedIssuerRegistry: string;
  /** Block of the earliest deployment: where event sync starts. */
  deploymentBlock: number;
  deployedAt: string;
}

/**
 * Deploys StatusRegistry and TrustedIssuerRegistry (the federation starts
 * with `members` and `threshold`) with `deployer`, and returns the addresses.
 *
 * @throws UrbisError `INVALID_ARGUMENT` (no members, threshold out of range),
 *   `CHAIN_UNREACHABLE`, `CHAIN_TX_REVERTED`.
 */
export async function deployRegistries({
  chain,
  deployer,
  members,
  threshold,
}: {
  chain: ChainConnection;
  deployer: Signer;
  members: readonly string[];
  threshold: number;
}): Promise<RegistryDeployment> {
  if (members.length === 0 || !Number.isInteger(threshold) || threshold < 1 || threshold > members.length) {
    throw new UrbisError('INVALID_ARGUMENT', 'the federation needs 1 ≤ threshold ≤ members');
  }
  const startBlock = await chain.provider.getBlockNumber().catch((error: unknown) => {
    throw toChainError(error, 'eth_blockNumber');
  });
  const statusRegistry = await deploy('StatusRegistry', deployer, []);
  const trustedIssuerRegistry = await deploy('TrustedIssuerRegistry', deployer, [members, threshold]);
  return {
    chainId: chain.chainId,
    statusRegistry,
    trustedIssuerRegistry,
    deploymentBlock: startBlock + 1,
    deployedAt: new Date().toISOString(),
  };
}

async function deploy(name: RegistryContractName, deployer: Signer, args: unknown[]): Promise<string> {
  const artifact = loadContractArtifact(name);
  try {
    const factory = new ContractFactory(artifact.abi as never, artifact.bytecode, deployer);
    const contract = await factory.deploy(...args);
    await contract.waitForDeployment();
    return await contract.getAddress();
  } catch (error) {
    throw toChainError(error, `deploying ${name}`);
  }
}
