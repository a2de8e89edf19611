import { Wallet } from 'ethers';
import { join } from 'node:path';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { connectChain, URBIS_LOCAL_CHAIN_ID, type ChainConnection } from '../chain/connect-chain.js';
import type { RegistryDeployment } from '../chain/deploy-registries.js';
import { readDeploymentsFile } from '../chain/deployments-file.js';
import { StatusRegistryClient } from '../chain/status-registry-client.js';
import { TrustedIssuerRegistryClient } from '../chain/trusted-issuer-registry-client.js';
import { HARDHAT_TEST_KEYS } from '../testing/hardhat-node.js';

/**
 * What the `urbis chain` and `urbis federation` actions share: the chain
 * id and deployments file options, the acting account's key (from an
 * environment variable, never from an argument), and the registry clients.
 */

/** The environment the commands read (`process.env` in the CLI, a plain object in tests). */
export type CliEnv = Readonly<Record<string, string | undefined>>;

/** `.urbis/deployments/<chain-id>.json` under the working directory, as `urbis chain deploy` writes it. */
export function defaultDeploymentsPath(chainId: number): string {
  return join(process.cwd(), '.urbis', 'deployments', `${chainId}.json`);
}

/**
 * `--chain-id`, default 7777.
 * @throws UrbisError `INVALID_ARGUMENT`.
 */
export function chainIdOf(value: string | undefined): number {
  const chainId = value === undefined ? URBIS_LOCAL_CHAIN_ID : Number(value);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new UrbisError('INVALID_ARGUMENT', '--chain-id must be a positive integer');
  return chainId;
}

/**
 * A non-negative integer option (a list or proposal id, a count).
 * @throws UrbisError `INVALID_ARGUMENT` naming the option.
 */
export function integerOption(value: string | undefined, name: string, { min = 0, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {}): number {
  if (value === undefined || !/^\d{1,15}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UrbisError('INVALID_ARGUMENT', `--${name} must be an integer from ${min} to ${max}`);
  }
  return Number(value);
}

/**
 * The hex private key of the acting account, from the environment variable
 * `name`; only the local chain (7777) has a default, Hardhat's first test
 * account (the deployer, and the sole federation member of a default deploy).
 * @throws UrbisError `INVALID_ARGUMENT` (unset on another chain).
 */
export function accountKeyOf({ env, name, chainId }: { env: CliEnv; name: string; chainId: number }): string {
  const key = env[name] ?? (chainId === URBIS_LOCAL_CHAIN_ID ? HARDHAT_TEST_KEYS[0] : undefined);
  if (key === undefined || key === '') throw new UrbisError('INVALID_ARGUMENT', `set ${name} to the acting account's private key (only the local chain has a default)`);
  return key;
}

/** The registries of one deployment, connected, with the acting account when a key was given. */
export interface CliRegistries {
  chain: ChainConnection;
  deployment: RegistryDeployment;
  status: StatusRegistryClient;
  trust: TrustedIssuerRegistryClient;
  /** The acting account's address (when a key was given). */
  account?: string;
  close(): void;
}

/**
 * Reads the deployments file, connects to `rpc` (checking the chain id),
 * and returns clients writing as the account of `key` (if any).
 * @throws UrbisError `INVALID_ARGUMENT` (no `--rpc`), `DEPLOYMENT_NOT_FOUND`,
 *   `CHAIN_ID_MISMATCH`, `CHAIN_UNREACHABLE`, `KEY_INVALID` (naming `keyName`).
 */
export async function openCliRegistries({
  rpc,
  chainId,
  deploymentsPath,
  key,
  keyName = 'URBIS_CHAIN_KEY',
}: {
  rpc: string | undefined;
  chainId: number;
  deploymentsPath: string | undefined;
  key?: string;
  keyName?: string;
}): Promise<CliRegistries> {
  if (rpc === undefined || rpc === '') throw new UrbisError('INVALID_ARGUMENT', '--rpc <url> is required');
  const deployment = readDeploymentsFile(deploymentsPath ?? defaultDeploymentsPath(chainId));
  if (deployment.chainId !== chainId) throw new UrbisError('CHAIN_ID_MISMATCH', `the deployments file is for chain ${deployment.chainId}, not ${chainId}`);
  let wallet: Wallet | undefined;
  if (key !== undefined) {
    try {
      wallet = new Wallet(key);
    } catch (cause) {
      throw new UrbisError('KEY_INVALID', `${keyName} is not a valid private key`, { cause });
    }
  }
  const chain = await connectChain({ rpcUrl: rpc, chainId });
  // A plain wallet, not a NonceManager: it asks the node for the nonce of each transaction, and a
  // refused gas estimate (a revert) does not leave it a nonce ahead. Each command sends few transactions, one at a time.
  const runner = wallet === undefined ? {} : { runner: wallet.connect(chain.provider) };
  return {
    chain,
    deployment,
    status: new StatusRegistryClient({ address: deployment.statusRegistry, provider: chain.provider, ...runner }),
    trust: new TrustedIssuerRegistryClient({ address: deployment.trustedIssuerRegistry, provider: chain.provider, ...runner }),
    ...(wallet === undefined ? {} : { account: wallet.address }),
    close: () => chain.close(),
  };
}
