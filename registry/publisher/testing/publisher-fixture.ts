import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { connectChain, type ChainConnection } from '../../chain/connect-chain.js';
import { StatusRegistryClient } from '../../chain/status-registry-client.js';
import { startDeployedRegistries, type DeployedRegistries } from '../../testing/deployed-registries.js';
import { HARDHAT_TEST_KEYS } from '../../testing/hardhat-node.js';
import { Outbox } from '../outbox.js';
import { EthersPublisherChain } from '../publisher-chain.js';
import { StatusPublisher, type PublisherLogEntry, type StatusPublisherOptions } from '../status-publisher.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';

/** The smallest list the registry accepts. */
export const LIST_SIZE = 131_072;

/** The writer key of the publisher under test: Hardhat account 1 (city A), a public test key. */
export const WRITER_KEY = HARDHAT_TEST_KEYS[1];

/**
 * A real Hardhat node with the registries, a fault proxy in front of it, a
 * chain connection through the proxy (short timeout), a scratch directory
 * for outbox files, and helpers to create lists and publishers.
 */
export interface PublisherFixture {
  registries: DeployedRegistries;
  proxy: FaultProxy;
  /** Through the proxy: what the publisher uses. */
  chain: ChainConnection;
  /** Straight to the node, reads only (for assertions). */
  reader: StatusRegistryClient;
  writerAddress: string;
  dir: string;
  newList(): Promise<number>;
  newOutbox(name: string): Outbox;
  newPublisher(
    options: { outbox: Outbox; logs?: PublisherLogEntry[]; port?: Partial<ConstructorParameters<typeof EthersPublisherChain>[0]> } & Partial<Omit<StatusPublisherOptions, 'outbox' | 'chain'>>,
  ): StatusPublisher;
  /** Mines one empty block on the node. */
  mine(): Promise<void>;
  close(): Promise<void>;
}

export async function startPublisherFixture({ rpcTimeoutMs = 1_500 }: { rpcTimeoutMs?: number } = {}): Promise<PublisherFixture> {
  const registries = await startDeployedRegistries();
  const proxy = await startFaultProxy({ target: registries.node.url });
  const chain = await connectChain({ rpcUrl: proxy.url, chainId: 7777, timeoutMs: rpcTimeoutMs });
  const writerAddress = new Wallet(WRITER_KEY).address;
  const dir = mkdtempSync(join(tmpdir(), 'urbis-publisher-'));
  const outboxes: Outbox[] = [];
  const ports: EthersPublisherChain[] = [];
  return {
    registries,
    proxy,
    chain,
    reader: new StatusRegistryClient({ address: registries.deployment.statusRegistry, provider: registries.chain.provider }),
    writerAddress,
    dir,
    newList: () => registries.status.createList({ owner: writerAddress, size: LIST_SIZE }),
    newOutbox: (name) => {
      const outbox = Outbox.open({ path: join(dir, `${name}.sqlite`) });
      outboxes.push(outbox);
      return outbox;
    },
    newPublisher: ({ outbox, logs, port: portOptions, ...options }) => {
      const port = new EthersPublisherChain({
        provider: chain.provider,
        chainId: 7777,
        registryAddress: registries.deployment.statusRegistry,
        signer: new Wallet(WRITER_KEY),
        ...portOptions,
      });
      ports.push(port);
      return new StatusPublisher({
        outbox,
        chain: port,
        pollIntervalMs: 25,
        idleIntervalMs: 50,
        backoff: { initialMs: 50, maxMs: 400 },
        log: logs === undefined ? undefined : (entry) => logs.push(entry),
        ...options,
      });
    },
    mine: async () => {
      await registries.chain.provider.send('evm_mine', []);
    },
    close: async () => {
      for (const outbox of outboxes) outbox.close();
      for (const port of ports) port.close();
      chain.close();
      await proxy.close();
      await registries.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves when `predicate` holds (polled), rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, { timeoutMs = 20_000, what = 'condition' }: { timeoutMs?: number; what?: string } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
