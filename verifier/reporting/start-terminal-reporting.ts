import { UrbisError } from '../../core/errors/urbis-error.js';
import type { TerminalConfig } from '../config/terminal-config.js';
import type { OutcomeCounters } from '../counters/outcome-counters.js';
import { openLocalSnapshotKey } from '../snapshot/local-snapshot-key.js';
import { openDailyCountsLedger } from './daily-counts-ledger.js';
import { createTerminalReporter, type TerminalReporter } from './terminal-reporter.js';

/** Reporting of a running terminal: the reporter, and `close` to stop its clock. */
export interface TerminalReporting extends TerminalReporter {
  /** Stops the observation timer, observes a last time and saves the ledger (no network). Idempotent. */
  close(): Promise<void>;
}

/** How often a running terminal splits its counts into days (a verification in the last minute before midnight counts for the next day). */
export const OBSERVE_EVERY_SECONDS = 60;

/**
 * Starts count reporting for an opened terminal whose configuration has `reportUrl`: its own snapshot key
 * (already created by `openTerminal`), the day ledger in `config.files.dailyCounts`, and a timer that observes the
 * counters every {@link OBSERVE_EVERY_SECONDS} (unref'd: it keeps no process alive). Sending is the caller's
 * decision (`report()`: `urbis terminal serve` sends after each successful sync, `urbis terminal report` on demand).
 * Call it while holding the terminal's folder (between `openTerminal` and its `close`).
 *
 * @throws UrbisError `CONFIG_INVALID` when the configuration has no `reportUrl`; the key file's errors
 *   (`KEY_INVALID`, `SNAPSHOT_MISSING`, `SNAPSHOT_STORAGE_FAILED`).
 * @example
 * ```ts
 * const opened = await openTerminal({ config });
 * const reporting = await startTerminalReporting({ config, counters: opened.counters });
 * await reporting.report();
 * await reporting.close();
 * await opened.close();
 * ```
 */
export async function startTerminalReporting({
  config,
  counters,
  fetch,
  now,
  observeEverySeconds = OBSERVE_EVERY_SECONDS,
}: {
  config: Pick<TerminalConfig, 'terminalId' | 'files' | 'reportUrl'>;
  counters: Pick<OutcomeCounters, 'snapshot'>;
  fetch?: typeof globalThis.fetch;
  /** Clock, epoch seconds. */
  now?: () => number;
  /** 0: no timer (observe only when reporting). */
  observeEverySeconds?: number;
}): Promise<TerminalReporting> {
  if (config.reportUrl === undefined) throw new UrbisError('CONFIG_INVALID', 'URBIS_TERMINAL_REPORT_URL must be set to report counts');
  const signingKey = await openLocalSnapshotKey({ path: config.files.snapshotKey, create: false });
  const ledger = await openDailyCountsLedger({ path: config.files.dailyCounts });
  const reporter = createTerminalReporter({
    terminalId: config.terminalId,
    issuerUrl: config.reportUrl,
    counters,
    ledger,
    signingKey,
    ...(fetch === undefined ? {} : { fetch }),
    ...(now === undefined ? {} : { now }),
  });
  const timer = observeEverySeconds > 0 ? setInterval(() => void reporter.observe().catch(() => undefined), observeEverySeconds * 1000) : undefined;
  timer?.unref();
  let closing: Promise<void> | undefined;
  return {
    ...reporter,
    close: () => {
      if (timer !== undefined) clearInterval(timer);
      closing ??= reporter.observe();
      return closing;
    },
  };
}
