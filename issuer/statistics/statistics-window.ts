import { UrbisError } from '../../core/errors/urbis-error.js';

/** Days shown when none is asked for. */
export const DEFAULT_STATISTICS_DAYS = 30;

/** The longest window (a year and a day: a leap year, and the same day last year). */
export const MAX_STATISTICS_DAYS = 366;

const DAY_MS = 86_400_000;

/** A window of whole UTC days, both ends included. */
export interface StatisticsWindow {
  /** First day, `YYYY-MM-DD`. */
  from: string;
  /** Last day (today, UTC), `YYYY-MM-DD`. */
  to: string;
  days: number;
  /** `from` at 00:00 UTC, epoch milliseconds. */
  fromMs: number;
  /** The day after `to` at 00:00 UTC, epoch milliseconds (exclusive end). */
  endMs: number;
}

/** The UTC day of an epoch-millisecond time, `YYYY-MM-DD`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The last `days` UTC days up to today. `days` comes from a query string: absent or empty means
 * {@link DEFAULT_STATISTICS_DAYS}; otherwise an integer from 1 to {@link MAX_STATISTICS_DAYS}.
 *
 * @throws UrbisError `INVALID_ARGUMENT` for anything else.
 * @example
 * ```ts
 * statisticsWindow({ days: '7', now: Date.UTC(2026, 8, 21, 15) }); // { from: '2026-09-15', to: '2026-09-21', days: 7, … }
 * ```
 */
export function statisticsWindow({ days, now }: { days?: unknown; now: number }): StatisticsWindow {
  let n = DEFAULT_STATISTICS_DAYS;
  if (days !== undefined && days !== '') {
    n = typeof days === 'number' ? days : typeof days === 'string' && /^\d{1,4}$/.test(days) ? Number(days) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > MAX_STATISTICS_DAYS) throw new UrbisError('INVALID_ARGUMENT', `days must be an integer from 1 to ${MAX_STATISTICS_DAYS}`);
  }
  const endMs = (Math.floor(now / DAY_MS) + 1) * DAY_MS;
  const fromMs = endMs - n * DAY_MS;
  return { from: utcDay(fromMs), to: utcDay(endMs - DAY_MS), days: n, fromMs, endMs };
}
