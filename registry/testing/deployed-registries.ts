import { NonceManager, Wallet } from 'ethers';
import { connectChain, type ChainConnection } from '../chain/connect-chain.js';
import { deployRegistries, type RegistryDeployment } from '../chain/deploy-registries.js';
import { StatusRegistryClient } from '../chain/status-registry-client.js';
import { TrustedIssuerRegistryClient } from '../chain/trusted-issuer-registry-client.js';
import { HARDHAT_TEST_KEYS, startHardhatNode, type HardhatNode } from './hardhat-node.js';

/** A real Hardhat node with both registries deployed, and signers for two cities. */
export interface DeployedRegistries {
  node: HardhatNode;
  chain: ChainConnection;
  deployment: RegistryDeployment;
  /** Signers (hardhat test accounts 0..4): 0 deploys; 1 and 2 are city A and city B. */
  signers: NonceManager[];
  status: StatusRegistryClient;
  trust: TrustedIssuerRegistryClient;
  stop(): Promise<void>;
}

/**
 * Starts `hardhat node`, deploys the registries (federation: cities A and B,
 * threshold 1 unless given), and returns clients. For tests and the demo.
 */
export async function startDeployedRegistries({ threshold = 1 }: { threshold?: number } = {}): Promise<DeployedRegistries> {
  const node = await startHardhatNode();
  try {
    const chain = await connectChain({ rpcUrl: node.url, chainId: 7777 });
    const signers = HARDHAT_TEST_KEYS.map((key) => new NonceManager(new Wallet(key, chain.provider)));
    const cityA = await signers[1]!.getAddress();
    const cityB = await signers[2]!.getAddress();
    const deployment = await deployRegistries({ chain, deployer: signers[0]!, members: [cityA, cityB], threshold });
    return {
      node,
      chain,
      deployment,
      signers,
      status: new StatusRegistryClient({ address: deployment.statusRegistry, provider: chain.provider, runner: signers[0]! }),
      trust: new TrustedIssuerRegistryClient({ address: deployment.trustedIssuerRegistry, provider: chain.provider, runner: signers[1]! }),
      stop: async () => {
        chain.close();
        await node.stop();
      },
    };
  } catch (error) {
    await node.stop();
    throw error;
  }
}
