import { UrbisError } from '../../core/errors/urbis-error.js';
/**
 * The issuer's periodic purge of expired sign-in rows: `sessions` and
 * `otp_challenges` past their expiry hold hashed tokens and citizen ids
 * that no request can use any more (GDPR data minimisation, operations
 * guide §5). Each store already knows how to delete its expired rows
 * (`purgeExpired`); this schedules them in a running issuer.
 */

/** Default time between two purges: one hour. */
export const DEFAULT_PURGE_INTERVAL_MS = 60 * 60_000;

/** A store that deletes its expired rows and says how many. */
export interface ExpiringRows {
  purgeExpired(): Promise<number>;
}

/** What one purge deleted, per table. */
export type PurgeCounts = Readonly<Record<string, number>>;

/** The schedule: started with the issuer, stopped with it. */
export interface ExpiredRowsPurge {
  /** Purges once now, then every `intervalMs`; a second call does nothing. The timer never keeps the process alive. */
  start(): void;
  /** Purges every table once; a table that fails is logged and skipped (the next run tries again). */
  runOnce(): Promise<PurgeCounts>;
  /** Clears the timer and waits for a purge under way; after it, nothing runs again. */
  stop(): Promise<void>;
}

/**
 * Schedules `purgeExpired` of each table. Logs one `purge.done` entry per
 * run that deleted rows (counts only) and `purge.failed` with the error's
 * code when a table could not be purged; never throws from the timer.
 *
 * @example
 * ```ts
 * const purge = createExpiredRowsPurge({ tables: { sessions, otp_challenges: otp }, log });
 * purge.start();
 * // … on shutdown, before closing the database:
 * await purge.stop();
 * ```
 */
export function createExpiredRowsPurge({
  tables,
  intervalMs = DEFAULT_PURGE_INTERVAL_MS,
  log = () => undefined,
  timers = { setInterval, clearInterval },
}: {
  tables: Readonly<Record<string, ExpiringRows>>;
  intervalMs?: number;
  log?: (entry: { event: string; code?: string; detail?: Record<string, number | string> }) => void;
  /** The timer functions (tests watch them). */
  timers?: { setInterval: (fn: () => void, ms: number) => NodeJS.Timeout; clearInterval: (timer: NodeJS.Timeout) => void };
}): ExpiredRowsPurge {
  if (!Number.isSafeInteger(intervalMs) || intervalMs < 1_000) throw new UrbisError('INVALID_ARGUMENT', 'the purge interval is at least 1000 ms');
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<PurgeCounts> | undefined;
  let stopped = false;

  const runOnce = async (): Promise<PurgeCounts> => {
    const counts: Record<string, number> = {};
    for (const [table, rows] of Object.entries(tables)) {
      try {
        counts[table] = await rows.purgeExpired();
      } catch (error) {
        log({ event: 'purge.failed', code: (error as { code?: unknown }).code === undefined ? 'DATABASE_UNAVAILABLE' : String((error as { code: unknown }).code), detail: { table } });
      }
    }
    if (Object.values(counts).some((n) => n > 0)) log({ event: 'purge.done', detail: counts });
    return counts;
  };

  const tick = (): void => {
    if (stopped || running !== undefined) return;
    running = runOnce().finally(() => {
      running = undefined;
    });
  };

  return {
    start() {
      if (stopped || timer !== undefined) return;
      tick();
      timer = timers.setInterval(tick, intervalMs);
      timer.unref();
    },
    runOnce,
    async stop() {
      stopped = true;
      if (timer !== undefined) timers.clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}
