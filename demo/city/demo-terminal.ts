import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isUrbisError } from '../../core/errors/urbis-error.js';
import { bootstrapTerminalSnapshot } from '../../verifier/cli/bootstrap-snapshot.js';
import { DEFAULT_POLICIES_PATH, loadTerminalConfig, type TerminalConfig } from '../../verifier/config/terminal-config.js';
import { startTerminalServer } from '../../verifier/http/start-terminal-server.js';
import { openTerminal, type OpenedTerminal } from '../../verifier/terminal/open-terminal.js';
import type { DemoChain } from './demo-chain.js';
import type { DemoIssuer } from './demo-issuer.js';

/** The issuer DID Gijón's policy fixture names (the core test kit's). */
const FIXTURE_GIJON_DID = 'did:web:gijon.urbis.example';

/** The demo terminal: a pool entrance in Gijón. */
export const DEMO_TERMINAL_ID = 'urbis:terminal:gijon-pool-1';

/** A running demo terminal and its local HTTP API. */
export interface DemoTerminal {
  url: string;
  config: TerminalConfig;
  opened: OpenedTerminal;
  /** One delta sync from the chain now (the loop also runs every `syncSeconds`); false when it failed (the snapshot held is kept). */
  syncNow(): Promise<boolean>;
  stop(): Promise<void>;
}

/** An operator log line: events and codes only. */
export type DemoTerminalLog = (entry: Record<string, string | number | boolean>) => void;

/**
 * Gijón's service policies (`verifier/policy/fixtures/gijon-policies.json`)
 * with the demo's Gijón issuer DID in place of the fixture's, written to
 * `path`. Policies that name no issuer (e.g. the pools' senior entry)
 * accept any federation issuer accredited for the type.
 */
export async function writeDemoPolicies({ path, gijonDid }: { path: string; gijonDid: string }): Promise<void> {
  const fixture = await readFile(DEFAULT_POLICIES_PATH, 'utf8');
  await writeFile(path, fixture.split(JSON.stringify(FIXTURE_GIJON_DID)).join(JSON.stringify(gijonDid)));
}

/**
 * Starts Gijón's pool terminal in this process: writes the demo policies,
 * bootstraps its first snapshot from the chain (every federation issuer
 * with the keys of the demo issuers' DID documents, both cities' status
 * lists), opens its data folder, serves the local HTTP API on
 * `127.0.0.1:port`, and delta-syncs from the chain every `syncSeconds`.
 */
export async function startDemoTerminal({
  dir,
  port,
  chain,
  issuers,
  gijon,
  syncSeconds = 5,
  log = () => undefined,
}: {
  dir: string;
  port: number;
  chain: DemoChain;
  issuers: readonly DemoIssuer[];
  gijon: DemoIssuer;
  syncSeconds?: number;
  log?: DemoTerminalLog;
}): Promise<DemoTerminal> {
  const policiesPath = join(dir, 'policies.json');
  await writeDemoPolicies({ path: policiesPath, gijonDid: gijon.did });
  const config = loadTerminalConfig({
    env: {},
    overrides: {
      terminalId: DEMO_TERMINAL_ID,
      dataDir: join(dir, 'terminal'),
      policiesPath,
      issuerKeys: Object.fromEntries(issuers.map((i) => [i.did, i.keys])),
      chain: { rpcUrl: chain.node.url, chainId: chain.connection.chainId },
      syncIntervalSeconds: syncSeconds,
      host: '127.0.0.1',
      port,
    },
  });
  const built = await bootstrapTerminalSnapshot({
    config,
    network: chain.connection,
    registries: chain.deployment,
    lists: issuers.map((i) => ({ listId: i.listId, uri: i.statusListUri })),
  });
  log({ event: 'terminal.bootstrapped', block: built.block, issuers: built.issuers, lists: built.lists });
  const opened = await openTerminal({ config, network: chain.connection });
  let server: Awaited<ReturnType<typeof startTerminalServer>>;
  try {
    server = await startTerminalServer({ terminal: opened.terminal, host: config.host, port: config.port });
  } catch (error) {
    await opened.close();
    throw error;
  }

  let syncing: Promise<boolean> | undefined;
  const syncOnce = async (): Promise<boolean> => {
    try {
      const result = await opened.snapshot.sync({ network: chain.connection, ...(config.issuerKeys === undefined ? {} : { issuerKeys: config.issuerKeys }) });
      if (!result.ok) log({ event: 'terminal.sync', ok: false, code: result.code });
      return result.ok;
    } catch (error) {
      log({ event: 'terminal.sync', ok: false, code: isUrbisError(error) ? error.code : 'UNKNOWN' });
      return false;
    }
  };
  const syncNow = (): Promise<boolean> => {
    syncing ??= syncOnce().finally(() => {
      syncing = undefined;
    });
    return syncing;
  };
  const timer = syncSeconds > 0 ? setInterval(() => void syncNow(), syncSeconds * 1000) : undefined;
  timer?.unref();

  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    config,
    opened,
    syncNow,
    stop: () => {
      stopping ??= (async () => {
        if (timer !== undefined) clearInterval(timer);
        await syncing;
        try {
          await server.close();
        } finally {
          await opened.close();
        }
      })();
      return stopping;
    },
  };
}
