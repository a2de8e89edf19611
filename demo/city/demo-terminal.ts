import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isUrbisError } from '../../core/errors/urbis-error.js';
import { connectChain } from '../../registry/chain/connect-chain.js';
import { bootstrapTerminalSnapshot } from '../../verifier/cli/bootstrap-snapshot.js';
import { DEFAULT_POLICIES_PATH, loadTerminalConfig, type TerminalConfig } from '../../verifier/config/terminal-config.js';
import { startTerminalServer } from '../../verifier/http/start-terminal-server.js';
import { openTerminal, type OpenedTerminal } from '../../verifier/terminal/open-terminal.js';
import { startTerminalReporting, type TerminalReporting } from '../../verifier/reporting/start-terminal-reporting.js';
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

/** The outcome of one sync from the chain: the block the snapshot now reflects, or why the held snapshot was kept. */
export type DemoTerminalSync = { ok: true; block: number } | { ok: false; code: string };

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
 *
 * The terminal has its own JSON-RPC connection, to `rpcUrl` (default: the
 * node's own URL; the soak gives a proxy's, to take the chain away and
 * back). A failed sync keeps the snapshot held; `onSync` hears every
 * outcome (failures are also logged, successes are not, to keep the demo's
 * output quiet).
 */
export async function startDemoTerminal({
  dir,
  port,
  chain,
  issuers,
  gijon,
  rpcUrl = chain.node.url,
  reportUrl,
  syncSeconds = 5,
  log = () => undefined,
  onSync = () => undefined,
}: {
  dir: string;
  port: number;
  chain: DemoChain;
  issuers: readonly DemoIssuer[];
  gijon: DemoIssuer;
  rpcUrl?: string;
  /** The issuer the terminal reports its aggregate counts to after each successful sync (none: no reports). */
  reportUrl?: string;
  syncSeconds?: number;
  log?: DemoTerminalLog;
  onSync?: (outcome: DemoTerminalSync) => void;
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
      chain: { rpcUrl, chainId: chain.connection.chainId },
      syncIntervalSeconds: syncSeconds,
      ...(reportUrl === undefined ? {} : { reportUrl }),
      host: '127.0.0.1',
      port,
    },
  });
  const network = await connectChain({ rpcUrl, chainId: chain.connection.chainId });
  let opened: OpenedTerminal | undefined;
  let reporting: TerminalReporting | undefined;
  let server: Awaited<ReturnType<typeof startTerminalServer>>;
  try {
    const built = await bootstrapTerminalSnapshot({
      config,
      network,
      registries: chain.deployment,
      lists: issuers.map((i) => ({ listId: i.listId, uri: i.statusListUri })),
    });
    log({ event: 'terminal.bootstrapped', block: built.block, issuers: built.issuers, lists: built.lists });
    opened = await openTerminal({ config, network });
    if (reportUrl !== undefined) reporting = await startTerminalReporting({ config, counters: opened.counters });
    server = await startTerminalServer({ terminal: opened.terminal, host: config.host, port: config.port });
  } catch (error) {
    await reporting?.close();
    await opened?.close();
    network.close();
    throw error;
  }
  const terminal = opened;

  let syncing: Promise<boolean> | undefined;
  const syncOnce = async (): Promise<boolean> => {
    try {
      const result = await terminal.snapshot.sync({ network, ...(config.issuerKeys === undefined ? {} : { issuerKeys: config.issuerKeys }) });
      if (!result.ok) log({ event: 'terminal.sync', ok: false, code: result.code });
      // Counts go to the issuer once the terminal is online (a refused or failed report is retried after the next sync).
      else if (reporting !== undefined) void reporting.report().catch(() => undefined);
      onSync(result.ok ? { ok: true, block: result.view.syncPoint.blockNumber } : { ok: false, code: result.code });
      return result.ok;
    } catch (error) {
      const code = isUrbisError(error) ? error.code : 'UNKNOWN';
      log({ event: 'terminal.sync', ok: false, code });
      onSync({ ok: false, code });
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
    opened: terminal,
    syncNow,
    stop: () => {
      stopping ??= (async () => {
        if (timer !== undefined) clearInterval(timer);
        await syncing;
        try {
          await server.close();
        } finally {
          try {
            await reporting?.close();
            await terminal.close();
          } finally {
            network.close();
          }
        }
      })();
      return stopping;
    },
  };
}
