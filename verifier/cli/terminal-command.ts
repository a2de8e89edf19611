import { join } from 'node:path';
import { parseCliOptions } from '../../bin/parse-options.js';
import { runAction, type CliIo, type Subcommand } from '../../bin/subcommand.js';
import { UrbisError, isUrbisError } from '../../core/errors/urbis-error.js';
import { readDeploymentsFile } from '../../registry/chain/deployments-file.js';
import type { SnapshotChain } from '../../registry/snapshot/chain-state.js';
import { describeTerminalConfig } from '../config/describe-terminal-config.js';
import { loadTerminalConfig, type TerminalChainConfig, type TerminalConfig } from '../config/terminal-config.js';
import type { TerminalSnapshotHealth } from '../snapshot/terminal-snapshot-health.js';
import { openTerminal, type OpenedTerminal } from '../terminal/open-terminal.js';
import { publicPartOf } from '../../core/keys/public-jwk.js';
import { openLocalSnapshotKey } from '../snapshot/local-snapshot-key.js';
import { startTerminalReporting, type TerminalReporting } from '../reporting/start-terminal-reporting.js';
import type { TerminalReportOutcome } from '../reporting/terminal-reporter.js';
import { bootstrapTerminalSnapshot } from './bootstrap-snapshot.js';
import { parseListSpecs } from '../../registry/snapshot/list-specs.js';
import { processTerminalCliDeps } from './process-cli-deps.js';
import type { TerminalCliDeps } from './terminal-cli-deps.js';

const USAGE = `Usage: urbis terminal <action> [options]
  A service-point terminal: configuration from environment variables (table in
  verifier/config/terminal-config.ts): URBIS_TERMINAL_ID, URBIS_TERMINAL_DIR (default .urbis/terminal),
  URBIS_TERMINAL_POLICIES, URBIS_TERMINAL_SCANNER_SERVICE, URBIS_SNAPSHOT_SIGNERS,
  URBIS_SNAPSHOT_ISSUER_KEYS, URBIS_CHAIN_RPC, URBIS_CHAIN_ID, URBIS_TERMINAL_HOST, URBIS_TERMINAL_PORT,
  URBIS_TERMINAL_REPORT_URL.
  One process per data folder: while \`serve\` runs, use its HTTP API.

  serve                   Runs the local HTTP API (GET /request, POST /presentations/verify, GET /health, GET /openapi.json)
                          until Ctrl-C; syncs from URBIS_CHAIN_RPC every URBIS_TERMINAL_SYNC_SECONDS; with
                          URBIS_TERMINAL_REPORT_URL, pushes its daily counts to that issuer at start and
                          after each successful sync (every URBIS_TERMINAL_SYNC_SECONDS without a chain).
  sync [--confirmations <n>]
                          Delta sync from URBIS_CHAIN_RPC, then prints the snapshot's health.
                          Exit 1 when the sync failed (the previous snapshot is kept).
  sync --bootstrap --lists <id=uri,…> [--deployments <file>] [--confirmations <n>]
                          The terminal's FIRST snapshot, read from chain state and signed with its own key
                          (it trusts its RPC endpoint for this read): every status list named, every issuer
                          of the federation registry with the keys of URBIS_SNAPSHOT_ISSUER_KEYS the registry
                          lists. Registry addresses from the deployments file (default
                          .urbis/deployments/<chain id>.json, as \`urbis chain deploy\` writes it).
                          Refused when the terminal holds a snapshot already.
  load --file <snapshot> [--allow-older]
                          Replaces the snapshot with a federation-signed one (e.g. from a USB stick).
  health                  Prints the terminal's health as JSON (snapshot age, counts); exit 1 if degraded.
  config                  Prints the effective configuration (no key, no RPC path or credentials).
  report [--all]          Sends the daily counts (signed) to URBIS_TERMINAL_REPORT_URL now: the days not yet
                          accepted, or with --all every day kept (31). Exit 1 when the issuer refused or was
                          unreachable (the days stay for the next report).
  report --print-key      Prints {"<terminal id>": <public JWK>}, this terminal's entry of the issuer's
                          URBIS_TERMINAL_KEYS.`;

/**
 * `urbis terminal`: serve the HTTP API, sync or bootstrap the snapshot,
 * load one from a file, report health.
 *
 * @example
 * ```ts
 * const command = createTerminalCommand(deps);
 * await command.run(['sync'], io);
 * ```
 */
export function createTerminalCommand(deps: TerminalCliDeps): Subcommand {
  const clockArg = deps.clock === undefined ? {} : { clock: deps.clock };
  const config = (): TerminalConfig => loadTerminalConfig({ env: deps.env });
  const withTerminal = async <T>(settings: TerminalConfig, use: (opened: OpenedTerminal) => Promise<T>, network?: SnapshotChain): Promise<T> => {
    const opened = await openTerminal({ config: settings, ...clockArg, ...(network === undefined ? {} : { network }) });
    try {
      return await use(opened);
    } finally {
      await opened.close();
    }
  };
  const chainOf = (settings: TerminalConfig): TerminalChainConfig => {
    if (settings.chain === undefined) throw new UrbisError('CONFIG_INVALID', 'URBIS_CHAIN_RPC must be set to sync');
    return settings.chain;
  };

  const actions = {
    serve: async (args: string[], io: CliIo) => {
      parseCliOptions(args, {});
      const settings = config();
      const log = deps.log ?? ((line: string) => io.err(line));
      const logEvent = (event: Record<string, unknown>) => log(JSON.stringify({ at: new Date((deps.clock?.() ?? Date.now() / 1000) * 1000).toISOString(), ...event }));
      const opened = await openTerminal({ config: settings, ...clockArg });
      let chain: (SnapshotChain & { close(): void }) | undefined;
      let timer: ReturnType<typeof setInterval> | undefined;
      let syncing: Promise<void> | undefined;
      let reporting: TerminalReporting | undefined;
      const reportNow = (): void => {
        void reporting?.report().then((outcome) => logEvent(reportLine(outcome)));
      };
      try {
        if (settings.reportUrl !== undefined) reporting = await startTerminalReporting({ config: settings, counters: opened.counters, ...(deps.clock === undefined ? {} : { now: deps.clock }), ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }) });
        let server: Awaited<ReturnType<TerminalCliDeps['startServer']>>;
        try {
          server = await deps.startServer({ terminal: opened.terminal, host: settings.host, port: settings.port, log: (entry) => logEvent({ ...entry }) });
        } catch (cause) {
          const code = (cause as { code?: unknown }).code;
          if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL' && code !== 'ENOTFOUND') throw cause;
          throw new UrbisError('CONFIG_INVALID', `URBIS_TERMINAL_HOST / URBIS_TERMINAL_PORT: cannot listen there (${code})`, { cause });
        }
        io.out(`terminal ${settings.terminalId} listening on ${server.url} (services: ${[...settings.policies.keys()].join(', ')}); Ctrl-C stops`);
        logEvent({ event: 'started', services: settings.policies.size, snapshot: snapshotLine(opened.snapshot.health()) });
        if (settings.chain !== undefined && settings.syncIntervalSeconds > 0) {
          const target = settings.chain;
          const syncOnce = async (): Promise<void> => {
            try {
              chain ??= await deps.connect(target);
              const result = await opened.snapshot.sync({ network: chain, ...(settings.issuerKeys === undefined ? {} : { issuerKeys: settings.issuerKeys }) });
              logEvent(result.ok ? { event: 'sync', ok: true, block: result.view.syncPoint.blockNumber, events: result.stats.events, changes: result.stats.changes } : { event: 'sync', ok: false, code: result.code });
              if (result.ok) reportNow();
            } catch (error) {
              // Never fatal: the terminal keeps verifying with the snapshot it holds. The message may quote a URL: log the code (or the error's name) only.
              chain?.close();
              chain = undefined;
              logEvent({ event: 'sync', ok: false, ...(isUrbisError(error) ? { code: error.code } : { error: error instanceof Error ? error.name : 'unknown' }) });
            }
          };
          const tick = () => {
            syncing ??= syncOnce().finally(() => {
              syncing = undefined;
            });
          };
          tick();
          timer = setInterval(tick, settings.syncIntervalSeconds * 1000);
          timer.unref();
        } else if (reporting !== undefined) {
          // No chain to sync from (USB snapshots): report on the same period.
          reportNow();
          if (settings.syncIntervalSeconds > 0) {
            timer = setInterval(reportNow, settings.syncIntervalSeconds * 1000);
            timer.unref();
          }
        }
        await deps.untilStopped();
        if (timer !== undefined) clearInterval(timer);
        await syncing;
        await server.close();
        logEvent({ event: 'stopped', counts: opened.terminal.health().counts.services });
        io.out('terminal stopped');
        return 0;
      } finally {
        if (timer !== undefined) clearInterval(timer);
        chain?.close();
        await reporting?.close().catch(() => undefined);
        await opened.close();
      }
    },

    report: async (args: string[], io: CliIo) => {
      const values = parseCliOptions(args, { all: { type: 'boolean' }, 'print-key': { type: 'boolean' } });
      const settings = config();
      if ((values['print-key'] as unknown) === true) {
        // The key exists once the terminal has been opened; open it (and so create the key) only if it does not.
        const key = await openLocalSnapshotKey({ path: settings.files.snapshotKey, create: false }).catch(async (error: unknown) => {
          if (!isUrbisError(error, 'SNAPSHOT_MISSING')) throw error;
          return withTerminal(settings, () => openLocalSnapshotKey({ path: settings.files.snapshotKey, create: false }));
        });
        io.out(JSON.stringify({ [settings.terminalId]: publicPartOf(key.publicJwk) }));
        return 0;
      }
      if (settings.reportUrl === undefined) throw new UrbisError('CONFIG_INVALID', 'URBIS_TERMINAL_REPORT_URL must be set to report counts');
      return withTerminal(settings, async (opened) => {
        const reporting = await startTerminalReporting({ config: settings, counters: opened.counters, observeEverySeconds: 0, ...(deps.clock === undefined ? {} : { now: deps.clock }), ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }) });
        try {
          const outcome = await reporting.report({ all: (values.all as unknown) === true });
          io.out(JSON.stringify(outcome));
          return outcome.sent || ('reason' in outcome && outcome.reason === 'nothing-new') ? 0 : 1;
        } finally {
          await reporting.close();
        }
      });
    },

    sync: async (args: string[], io: CliIo) => {
      const values = parseCliOptions(args, { bootstrap: { type: 'boolean' }, lists: { type: 'string' }, deployments: { type: 'string' }, confirmations: { type: 'string' } });
      const settings = config();
      const target = chainOf(settings);
      const confirmations = values.confirmations === undefined ? 0 : nonNegative(values.confirmations, 'confirmations');
      const bootstrap = (values.bootstrap as unknown) === true;
      if (!bootstrap && (values.lists !== undefined || values.deployments !== undefined)) throw new UrbisError('INVALID_ARGUMENT', '--lists and --deployments go with --bootstrap');
      const lists = bootstrap ? parseListSpecs(values.lists ?? '') : [];
      const registries = bootstrap ? readDeploymentsFile(values.deployments ?? join(process.cwd(), '.urbis', 'deployments', `${target.chainId}.json`)) : undefined;
      if (registries !== undefined && registries.chainId !== target.chainId) throw new UrbisError('CHAIN_ID_MISMATCH', `the deployments file is for chain ${registries.chainId}, not URBIS_CHAIN_ID ${target.chainId}`);
      const chain = await deps.connect(target);
      try {
        if (registries !== undefined) {
          const built = await bootstrapTerminalSnapshot({ config: settings, network: chain, registries, lists, confirmations, ...clockArg });
          io.out(`bootstrapped: block ${built.block}, ${built.issuers} issuer(s), ${built.lists} status list(s), signed by this terminal`);
          return await withTerminal(settings, async (opened) => {
            io.out(JSON.stringify(opened.snapshot.health(), null, 2));
            return 0;
          });
        }
        return await withTerminal(
          settings,
          async (opened) => {
            const result = await opened.snapshot.sync({ confirmations, ...(settings.issuerKeys === undefined ? {} : { issuerKeys: settings.issuerKeys }) });
            const health = opened.snapshot.health();
            if (result.ok) io.out(`synced: block ${result.view.syncPoint.blockNumber}, ${result.stats.events} event(s), ${result.stats.changes} change(s)${result.persisted ? '' : ' (NOT saved: see persistProblem)'}`);
            else io.err(`error ${result.code}: sync failed; the terminal keeps ${health.loaded ? `the snapshot of block ${health.block}` : 'no snapshot'}`);
            io.out(JSON.stringify(health, null, 2));
            return result.ok && result.persisted ? 0 : 1;
          },
          chain,
        );
      } finally {
        chain.close();
      }
    },

    load: async (args: string[], io: CliIo) => {
      const values = parseCliOptions(args, { file: { type: 'string' }, 'allow-older': { type: 'boolean' } });
      if (values.file === undefined || values.file === '') throw new UrbisError('INVALID_ARGUMENT', '--file <snapshot> is required');
      const file = values.file;
      return withTerminal(config(), async (opened) => {
        const view = await opened.snapshot.replaceFrom({ path: file, allowOlder: (values['allow-older'] as unknown) === true });
        io.out(`loaded: block ${view.syncPoint.blockNumber}, ${view.content.issuers.length} issuer(s), ${view.content.lists.length} status list(s)`);
        io.out(JSON.stringify(opened.snapshot.health(), null, 2));
        return 0;
      });
    },

    health: async (args: string[], io: CliIo) => {
      parseCliOptions(args, {});
      return withTerminal(config(), async (opened) => {
        const health = opened.terminal.health();
        io.out(JSON.stringify(health, null, 2));
        return health.status === 'ok' ? 0 : 1;
      });
    },

    config: async (args: string[], io: CliIo) => {
      parseCliOptions(args, {});
      io.out(JSON.stringify(describeTerminalConfig(config()), null, 2));
      return 0;
    },
  };

  return {
    name: 'terminal',
    summary: 'a service-point terminal: serve its HTTP API, sync or load its snapshot, health',
    usage: USAGE,
    run: (args, io) => runAction({ command: 'terminal', usage: USAGE, actions, args, io }),
  };
}

/** `urbis terminal` in this process (environment, clock, chain, HTTP, signals). */
export const terminalCommand: Subcommand = createTerminalCommand(processTerminalCliDeps());

function nonNegative(value: string, name: string): number {
  if (!/^\d{1,6}$/.test(value)) throw new UrbisError('INVALID_ARGUMENT', `--${name} is a non-negative integer`);
  return Number(value);
}

/** A report's log line: days, counts and codes only. */
function reportLine(outcome: TerminalReportOutcome): Record<string, unknown> {
  return { event: 'report', ...outcome };
}

/** The snapshot part of a log line: counts, block and codes only. */
function snapshotLine(health: TerminalSnapshotHealth): Record<string, unknown> {
  return { loaded: health.loaded, block: health.block, ageSeconds: health.ageSeconds, ...(health.loadProblem === undefined ? {} : { loadProblem: health.loadProblem }) };
}
