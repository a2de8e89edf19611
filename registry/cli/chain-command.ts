import { NonceManager, Wallet } from 'ethers';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { runAction, type CliIo, type Subcommand } from '../../bin/subcommand.js';
import { assertDeployed, connectChain, URBIS_LOCAL_CHAIN_ID } from '../chain/connect-chain.js';
import { deployRegistries } from '../chain/deploy-registries.js';
import { readDeploymentsFile, writeDeploymentsFile } from '../chain/deployments-file.js';
import { startHardhatNode } from '../testing/hardhat-node.js';
import { parseCliOptions } from '../../bin/parse-options.js';
import { accountKeyOf, chainIdOf, defaultDeploymentsPath, type CliEnv } from './chain-cli-context.js';
import { snapshotActions, SNAPSHOT_USAGE } from './snapshot-actions.js';
import { statusListActions, STATUS_LIST_USAGE } from './status-list-actions.js';

const USAGE = `Usage:
  urbis chain node [--port 8545]
      Starts the embedded Hardhat node (chain id 7777) on 127.0.0.1; Ctrl-C stops it.
  urbis chain deploy --rpc <url> [--chain-id 7777] [--members <addr,addr>] [--threshold 1] [--out <file>]
      Deploys StatusRegistry and TrustedIssuerRegistry and writes the deployments file
      (default .urbis/deployments/<chain-id>.json). The deployer key comes from the
      URBIS_CHAIN_KEY environment variable; on the local chain (7777) it defaults to
      Hardhat's first test account. The federation defaults to the deployer alone (1 of 1).
  urbis chain addresses [--deployments <file>] [--chain-id 7777] [--rpc <url>]
      Shows the registry addresses; with --rpc, also checks they are deployed there.
${STATUS_LIST_USAGE}
${SNAPSHOT_USAGE}
  Keys come from environment variables only, never from arguments. Registry addresses come from the
  deployments file (default .urbis/deployments/<chain-id>.json).`;

/**
 * `urbis chain` reading `env` for its keys: the local chain, the
 * registries' deployment, status lists and their writers, federation-signed
 * snapshots.
 *
 * @example
 * ```ts
 * await createChainCommand({ env: { URBIS_CHAIN_KEY: key } }).run(['list-create', '--owner', writer, '--rpc', url], io);
 * ```
 */
export function createChainCommand({ env }: { env: CliEnv }): Subcommand {
  const actions = { node: runNode, deploy: runDeploy(env), addresses: runAddresses, ...statusListActions({ env }), ...snapshotActions({ env }) };
  return {
    name: 'chain',
    summary: 'start the local chain, deploy the registries, status lists and writers, signed snapshots',
    usage: USAGE,
    run: (args: string[], io: CliIo) => runAction({ command: 'chain', usage: USAGE, actions, args, io }),
  };
}

/** `urbis chain` in this process (keys from `process.env`). */
export const chainCommand: Subcommand = createChainCommand({ env: process.env });

async function runNode(args: string[], io: CliIo): Promise<number> {
  const values = parseCliOptions(args, { port: { type: 'string' } });
  const port = values.port === undefined ? 8545 : Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new UrbisError('INVALID_ARGUMENT', '--port must be a TCP port');
  const node = await startHardhatNode({ port });
  io.out(`local chain (id ${URBIS_LOCAL_CHAIN_ID}) at ${node.url} — Ctrl-C stops it`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      void node.stop().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    node.process.once('exit', () => resolve());
  });
  return 0;
}

function runDeploy(env: CliEnv): (args: string[], io: CliIo) => Promise<number> {
  return async (args, io) => {
    const values = parseCliOptions(args, {
      rpc: { type: 'string' },
      'chain-id': { type: 'string' },
      members: { type: 'string' },
      threshold: { type: 'string' },
      out: { type: 'string' },
    });
    if (values.rpc === undefined) throw new UrbisError('INVALID_ARGUMENT', '--rpc <url> is required');
    const chainId = chainIdOf(values['chain-id']);
    const key = accountKeyOf({ env, name: 'URBIS_CHAIN_KEY', chainId });
    const chain = await connectChain({ rpcUrl: values.rpc, chainId });
    try {
      let wallet: Wallet;
      try {
        wallet = new Wallet(key, chain.provider);
      } catch (cause) {
        throw new UrbisError('KEY_INVALID', 'URBIS_CHAIN_KEY is not a valid private key', { cause });
      }
      const deployer = new NonceManager(wallet);
      const members = values.members === undefined ? [wallet.address] : values.members.split(',').map((m) => m.trim());
      const threshold = values.threshold === undefined ? 1 : Number(values.threshold);
      const deployment = await deployRegistries({ chain, deployer, members, threshold });
      const out = values.out ?? defaultDeploymentsPath(chainId);
      writeDeploymentsFile({ path: out, deployment });
      io.out(`StatusRegistry         ${deployment.statusRegistry}`);
      io.out(`TrustedIssuerRegistry  ${deployment.trustedIssuerRegistry}`);
      io.out(`federation             ${members.length} member(s), threshold ${threshold}`);
      io.out(`written to             ${out}`);
      return 0;
    } finally {
      chain.close();
    }
  };
}

async function runAddresses(args: string[], io: CliIo): Promise<number> {
  const values = parseCliOptions(args, { deployments: { type: 'string' }, 'chain-id': { type: 'string' }, rpc: { type: 'string' } });
  const chainId = chainIdOf(values['chain-id']);
  const deployment = readDeploymentsFile(values.deployments ?? defaultDeploymentsPath(chainId));
  if (deployment.chainId !== chainId) {
    throw new UrbisError('CHAIN_ID_MISMATCH', `the deployments file is for chain ${deployment.chainId}, not ${chainId}`);
  }
  if (values.rpc !== undefined) {
    const chain = await connectChain({ rpcUrl: values.rpc, chainId });
    try {
      await assertDeployed({ provider: chain.provider, address: deployment.statusRegistry, name: 'StatusRegistry' });
      await assertDeployed({ provider: chain.provider, address: deployment.trustedIssuerRegistry, name: 'TrustedIssuerRegistry' });
    } finally {
      chain.close();
    }
  }
  io.out(`chain                  ${deployment.chainId}`);
  io.out(`StatusRegistry         ${deployment.statusRegistry}`);
  io.out(`TrustedIssuerRegistry  ${deployment.trustedIssuerRegistry}`);
  io.out(`deployment block       ${deployment.deploymentBlock}`);
  if (values.rpc !== undefined) io.out('deployed               yes (code found at both addresses)');
  return 0;
}
