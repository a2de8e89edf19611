/**
 * A status publisher as its own process, for crash tests: the test starts it
 * with `node --import tsx registry/publisher/testing/publisher-process.ts`,
 * configuration in the `URBIS_PUBLISHER_CONFIG` environment variable (JSON),
 * and may SIGKILL it at any moment. It runs until the outbox is idle, prints
 * one JSON log entry per line on stdout, exits 0 when idle, and exits 3 with
 * `{"halted":"<code>"}` on a fatal error.
 */
import { Wallet } from 'ethers';
import { connectChain } from '../../chain/connect-chain.js';
import { Outbox } from '../outbox.js';
import { EthersPublisherChain } from '../publisher-chain.js';
import { asUrbisError } from '../retry-policy.js';
import { StatusPublisher } from '../status-publisher.js';

/** What the child reads from `URBIS_PUBLISHER_CONFIG`. */
export interface PublisherProcessConfig {
  outboxPath: string;
  rpcUrl: string;
  chainId: number;
  registryAddress: string;
  /** A Hardhat test key (never a real one). */
  privateKey: string;
  maxBatchSize?: number;
  confirmations?: number;
  rpcTimeoutMs?: number;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.URBIS_PUBLISHER_CONFIG ?? '{}') as PublisherProcessConfig;
  const print = (entry: object): void => void process.stdout.write(`${JSON.stringify(entry)}\n`);
  const chain = await connectChain({ rpcUrl: config.rpcUrl, chainId: config.chainId, timeoutMs: config.rpcTimeoutMs ?? 2_000 });
  const outbox = Outbox.open({ path: config.outboxPath });
  const port = new EthersPublisherChain({ provider: chain.provider, chainId: chain.chainId, registryAddress: config.registryAddress, signer: new Wallet(config.privateKey) });
  const publisher = new StatusPublisher({
    outbox,
    chain: port,
    maxBatchSize: config.maxBatchSize ?? 1_000,
    confirmations: config.confirmations ?? 1,
    pollIntervalMs: 50,
    idleIntervalMs: 100,
    backoff: { initialMs: 100, maxMs: 1_000 },
    log: print,
  });
  try {
    await publisher.run({ untilIdle: true });
    print({ idle: true, counts: outbox.counts() });
    process.exitCode = 0;
  } catch (error) {
    print({ halted: asUrbisError(error).code });
    process.exitCode = 3;
  } finally {
    outbox.close();
    port.close();
    chain.close();
  }
}

await main();
