import { NonceManager, Wallet } from 'ethers';
import { connectChain, URBIS_LOCAL_CHAIN_ID, type ChainConnection } from '../../registry/chain/connect-chain.js';
import { deployRegistries, type RegistryDeployment } from '../../registry/chain/deploy-registries.js';
import { StatusRegistryClient } from '../../registry/chain/status-registry-client.js';
import { TrustedIssuerRegistryClient } from '../../registry/chain/trusted-issuer-registry-client.js';
import { HARDHAT_TEST_KEYS, startHardhatNode, type HardhatNode } from '../../registry/testing/hardhat-node.js';

/**
 * The demo's chain: the embedded Hardhat node (chain id 7777) on a chosen
 * loopback port, both registries deployed, the federation made of the two
 * demo cities (Hardhat accounts 1 and 2, threshold 1).
 *
 * Accounts (public Hardhat test keys, never for anything but a local chain):
 * 0 deploys and creates status lists; 1 and 2 are the cities (federation
 * members, controllers of their issuers' entries); 3 and 4 are the cities'
 * status-list writers (each issuer's publisher signs with its own account,
 * so it never races the city's governance transactions for a nonce).
 */
export interface DemoChain {
  node: HardhatNode;
  /** The demo's own JSON-RPC connection (deployment, governance, the terminal's sync). */
  connection: ChainConnection;
  deployment: RegistryDeployment;
  /** Signers of Hardhat accounts 0..4. */
  signers: NonceManager[];
  /** StatusRegistry, writing as account 0 (list creation). */
  status: StatusRegistryClient;
  /** TrustedIssuerRegistry, read-only: `connect(signers[i])` to govern. */
  trust: TrustedIssuerRegistryClient;
  stop(): Promise<void>;
}

/** Starts the node on `port` (0 or undefined: a free one), deploys the registries. */
export async function startDemoChain({ port }: { port?: number } = {}): Promise<DemoChain> {
  const node = await startHardhatNode(port === undefined || port === 0 ? {} : { port });
  let connection: ChainConnection | undefined;
  try {
    connection = await connectChain({ rpcUrl: node.url, chainId: URBIS_LOCAL_CHAIN_ID });
    const { provider } = connection;
    const signers = HARDHAT_TEST_KEYS.map((key) => new NonceManager(new Wallet(key, provider)));
    const members = [await signers[1]!.getAddress(), await signers[2]!.getAddress()];
    const deployment = await deployRegistries({ chain: connection, deployer: signers[0]!, members, threshold: 1 });
    const opened = connection;
    return {
      node,
      connection,
      deployment,
      signers,
      status: new StatusRegistryClient({ address: deployment.statusRegistry, provider, runner: signers[0]! }),
      trust: new TrustedIssuerRegistryClient({ address: deployment.trustedIssuerRegistry, provider }),
      stop: async () => {
        opened.close();
        await node.stop();
      },
    };
  } catch (error) {
    connection?.close();
    await node.stop();
    throw error;
  }
}
