import type { SigningKey } from '../../core/crypto/ports.js';
import { isUrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';
import type { OutcomeCounters } from '../counters/outcome-counters.js';
import type { DailyCountsLedger } from './daily-counts-ledger.js';
import { sendTerminalReport } from './send-terminal-report.js';
import { signTerminalReport } from './terminal-report.js';

/** What one report attempt did. Never a claim or a person: days, counts and codes. */
export type TerminalReportOutcome =
  | { sent: true; days: number; applied: number; ignored: number }
  | { sent: false; reason: 'nothing-new' }
  | { sent: false; code: UrbisErrorCode };

/** Pushes the terminal's daily counts to its city's issuer. */
export interface TerminalReporter {
  /** Splits what the counters gained since the last call into days (and saves the ledger). */
  observe(): Promise<void>;
  /**
   * Observes, then sends the days that changed since they were last accepted (`all`: every day kept, e.g. on
   * demand after the issuer lost its data). Never throws: a failure is an outcome with its code, and the days stay
   * unsent for the next attempt. One attempt at a time (calls queue).
   */
  report(options?: { all?: boolean }): Promise<TerminalReportOutcome>;
}

/**
 * The reporting loop's core, with every part injected: the counters (read only), the day ledger, the terminal's
 * signing key, the issuer's URL (the report's audience; it is POSTed to `<issuerUrl>/terminal-reports`) and the
 * clock (epoch seconds).
 *
 * @example
 * ```ts
 * const reporter = createTerminalReporter({ terminalId, issuerUrl, counters, ledger, signingKey });
 * const outcome = await reporter.report();
 * ```
 */
export function createTerminalReporter({
  terminalId,
  issuerUrl,
  counters,
  ledger,
  signingKey,
  fetch,
  now = () => Math.floor(Date.now() / 1000),
}: {
  terminalId: string;
  issuerUrl: string;
  counters: Pick<OutcomeCounters, 'snapshot'>;
  ledger: DailyCountsLedger;
  signingKey: SigningKey;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}): TerminalReporter {
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };
  const observe = async (): Promise<void> => {
    ledger.observe({ counts: counters.snapshot(), now: now() });
    await ledger.flush();
  };
  return {
    observe: () => serial(observe),
    report: ({ all = false } = {}) =>
      serial(async (): Promise<TerminalReportOutcome> => {
        try {
          await observe();
          const days = all ? ledger.days() : ledger.unsent();
          if (days.length === 0 && !all) return { sent: false, reason: 'nothing-new' };
          const jwt = await signTerminalReport({ terminalId, audience: issuerUrl, days, signingKey, now: now() });
          const receipt = await sendTerminalReport({ issuerUrl, jwt, ...(fetch === undefined ? {} : { fetch }) });
          ledger.markSent(days);
          await ledger.flush();
          return { sent: true, days: days.length, ...receipt };
        } catch (error) {
          return { sent: false, code: isUrbisError(error) ? error.code : 'ISSUER_UNREACHABLE' };
        }
      }),
  };
}
