import { readFile, rename } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isUrbisError, UrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';
import { OUTCOME_COUNTS_FORMAT, OUTCOME_COUNTS_VERSION, parseOutcomeCounts, type OutcomeCountsSnapshot, type ServiceOutcomeCounts } from '../counters/outcome-counts.js';
import { writeFileAtomically } from '../fs/write-file-atomically.js';

/** Format tag of the daily counts file. */
export const DAILY_COUNTS_FORMAT = 'urbis-terminal-daily-counts';

/** Days kept (and re-sent on demand): a month. */
export const DEFAULT_RETENTION_DAYS = 31;

/** A daily counts file larger than this is not read (31 days × 256 services fits well below). */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

const DAY_SECONDS = 86_400;

/** The counts of one UTC day. */
export interface DailyCounts {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  services: Record<string, ServiceOutcomeCounts>;
}

/** What opening the ledger found (same meanings as the counters' `load`). */
export interface DailyCountsLedgerLoad {
  outcome: 'memory' | 'created' | 'loaded' | 'damaged';
  code?: UrbisErrorCode;
  movedTo?: string;
}

/** A day waiting to be sent, with the revision it had when read (see `markSent`). */
export interface UnsentDay extends DailyCounts {
  revision: number;
}

/** The terminal's counts split per UTC day (see {@link openDailyCountsLedger}). */
export interface DailyCountsLedger {
  readonly load: DailyCountsLedgerLoad;
  /** Attributes what the cumulative counters gained since the last observation to the UTC day of `now`. */
  observe(args: { counts: OutcomeCountsSnapshot; now: number }): void;
  /** Every day kept, oldest first. */
  days(): UnsentDay[];
  /** Days whose counts changed since they were last sent, oldest first. */
  unsent(): UnsentDay[];
  /** Marks days sent, each only if it has not changed since it was read (its `revision`). */
  markSent(days: readonly Pick<UnsentDay, 'day' | 'revision'>[]): void;
  /** Writes the file if anything changed. */
  flush(): Promise<void>;
}

const utcDay = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(0, 10);

const emptyCounts = (): ServiceOutcomeCounts => ({ accepted: 0, rejected: 0, rejectedByCode: {} });

/**
 * The terminal's verification counts per UTC day, derived from its cumulative counters
 * (verifier/counters/, which keep totals since `since`): each `observe` adds what the counters gained since the
 * previous observation to the day of `now`. The terminal's serve loop observes every minute and before each
 * report, so a verification lands in its own day unless it happened in the last minute before midnight (then it
 * counts for the next day). Nothing finer than a day is kept.
 *
 * Counters that restarted (another `since`, e.g. a damaged counts file, or a count that went down) are taken as
 * starting from zero. The very first observation has no previous one: the counters' whole total goes to that day.
 *
 * With `path`, the ledger (days kept, which were sent, and the last observed totals) lives in that JSON file,
 * written atomically on `flush`; a damaged file is moved aside to `<path>.damaged` and the ledger restarts empty.
 * Days older than `retentionDays` are dropped.
 *
 * @throws UrbisError `INVALID_ARGUMENT` for an empty path or a bad retention. File-system errors other than a
 *   missing file pass through.
 * @example
 * ```ts
 * const ledger = await openDailyCountsLedger({ path: config.files.dailyCounts });
 * ledger.observe({ counts: counters.snapshot(), now: Math.floor(Date.now() / 1000) });
 * await ledger.flush();
 * ```
 */
export async function openDailyCountsLedger({ path, retentionDays = DEFAULT_RETENTION_DAYS }: { path?: string; retentionDays?: number } = {}): Promise<DailyCountsLedger> {
  if (path !== undefined && (typeof path !== 'string' || path.length === 0)) throw new UrbisError('INVALID_ARGUMENT', 'the daily counts file needs a path');
  if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 366) throw new UrbisError('INVALID_ARGUMENT', 'retentionDays must be an integer from 1 to 366');
  const file = path === undefined ? undefined : resolve(path);
  const { state, load } = file === undefined ? { state: undefined, load: { outcome: 'memory' as const } } : await loadLedger(file);
  let since: number | undefined = state?.since;
  let observed: Record<string, ServiceOutcomeCounts> = state?.observed ?? {};
  const days = new Map<string, { services: Record<string, ServiceOutcomeCounts>; sent: boolean; revision: number }>();
  for (const d of state?.days ?? []) days.set(d.day, { services: d.services, sent: d.sent, revision: 0 });
  let dirty = false;

  const listed = (filter: (entry: { sent: boolean }) => boolean): UnsentDay[] =>
    [...days]
      .filter(([, entry]) => filter(entry))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([day, entry]) => ({ day, services: structuredClone(entry.services), revision: entry.revision }));

  return {
    load,
    observe({ counts, now }) {
      const current = parseOutcomeCounts(counts).services;
      const restarted = since !== counts.since || Object.entries(observed).some(([id, before]) => decreased(before, current[id]));
      const base = restarted ? {} : observed;
      const day = utcDay(now);
      let gained = false;
      for (const [id, c] of Object.entries(current)) {
        const before = base[id] ?? emptyCounts();
        const delta: ServiceOutcomeCounts = { accepted: c.accepted - before.accepted, rejected: c.rejected - before.rejected, rejectedByCode: {} };
        for (const [code, n] of Object.entries(c.rejectedByCode) as [UrbisErrorCode, number][]) {
          const d = n - (before.rejectedByCode[code] ?? 0);
          if (d > 0) delta.rejectedByCode[code] = d;
        }
        if (delta.accepted === 0 && delta.rejected === 0 && Object.keys(delta.rejectedByCode).length === 0) continue;
        const entry = days.get(day) ?? { services: {}, sent: false, revision: 0 };
        const target = (entry.services[id] ??= emptyCounts());
        target.accepted += delta.accepted;
        target.rejected += delta.rejected;
        for (const [code, n] of Object.entries(delta.rejectedByCode) as [UrbisErrorCode, number][]) target.rejectedByCode[code] = (target.rejectedByCode[code] ?? 0) + n;
        entry.sent = false;
        entry.revision += 1;
        days.set(day, entry);
        gained = true;
      }
      if (gained || restarted || since !== counts.since) dirty = true;
      since = counts.since;
      observed = structuredClone(current);
      const oldest = utcDay(now - (retentionDays - 1) * DAY_SECONDS);
      for (const kept of [...days.keys()]) {
        if (kept < oldest) {
          days.delete(kept);
          dirty = true;
        }
      }
    },
    days: () => listed(() => true),
    unsent: () => listed((entry) => !entry.sent),
    markSent(sent) {
      for (const { day, revision } of sent) {
        const entry = days.get(day);
        if (entry !== undefined && entry.revision === revision && !entry.sent) {
          entry.sent = true;
          dirty = true;
        }
      }
    },
    async flush() {
      if (file === undefined || !dirty) return;
      dirty = false;
      const content: LedgerFile = {
        format: DAILY_COUNTS_FORMAT,
        version: 1,
        since: since ?? null,
        observed,
        days: [...days].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, entry]) => ({ day, sent: entry.sent, services: entry.services })),
      };
      try {
        await writeFileAtomically({ path: file, bytes: new TextEncoder().encode(`${JSON.stringify(content)}\n`) });
      } catch (error) {
        dirty = true;
        throw error;
      }
    },
  };
}

/** The file: nothing but days, service ids, outcomes, codes and counts. */
interface LedgerFile {
  format: typeof DAILY_COUNTS_FORMAT;
  version: 1;
  /** The counters' `since` at the last observation (epoch seconds), or null before the first. */
  since: number | null;
  /** The counters' cumulative totals at the last observation. */
  observed: Record<string, ServiceOutcomeCounts>;
  days: { day: string; sent: boolean; services: Record<string, ServiceOutcomeCounts> }[];
}

function decreased(before: ServiceOutcomeCounts, after: ServiceOutcomeCounts | undefined): boolean {
  if (after === undefined) return false; // counters never drop a service while `since` stays: nothing to undo
  if (after.accepted < before.accepted || after.rejected < before.rejected) return true;
  return (Object.entries(before.rejectedByCode) as [UrbisErrorCode, number][]).some(([code, n]) => (after.rejectedByCode[code] ?? 0) < n);
}

/** Checks the file's shape exactly (services through the counters' own parser). */
function parseLedger(value: unknown): { since: number | undefined; observed: Record<string, ServiceOutcomeCounts>; days: LedgerFile['days'] } {
  const invalid = (what: string): never => {
    throw new UrbisError('SCHEMA_INVALID', `daily counts: ${what}`);
  };
  const services = (s: unknown) => parseOutcomeCounts({ format: OUTCOME_COUNTS_FORMAT, version: OUTCOME_COUNTS_VERSION, since: 0, services: s }).services;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalid('not an object');
  const v = value as Record<string, unknown>;
  if (Object.keys(v).sort().join() !== 'days,format,observed,since,version') invalid('unexpected members');
  if (v['format'] !== DAILY_COUNTS_FORMAT || v['version'] !== 1) invalid('unknown format or version');
  if (v['since'] !== null && (typeof v['since'] !== 'number' || !Number.isSafeInteger(v['since']) || v['since'] < 0)) invalid('since is not epoch seconds');
  if (!Array.isArray(v['days'])) return invalid('days is not an array');
  const days = v['days'].map((d: unknown) => {
    if (typeof d !== 'object' || d === null || Array.isArray(d)) return invalid('a day is not an object');
    const entry = d as Record<string, unknown>;
    if (Object.keys(entry).sort().join() !== 'day,sent,services') invalid('a day has unexpected members');
    if (typeof entry['day'] !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(entry['day']) || typeof entry['sent'] !== 'boolean') invalid('a day is malformed');
    return { day: entry['day'] as string, sent: entry['sent'] as boolean, services: services(entry['services']) };
  });
  return { since: v['since'] === null ? undefined : (v['since'] as number), observed: services(v['observed']), days };
}

async function loadLedger(file: string): Promise<{ state: ReturnType<typeof parseLedger> | undefined; load: DailyCountsLedgerLoad }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return { state: undefined, load: { outcome: 'created' } };
    throw error;
  }
  let code: UrbisErrorCode;
  try {
    if (bytes.length > MAX_FILE_BYTES) throw new UrbisError('INPUT_TOO_LARGE', 'the daily counts file is too large');
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (cause) {
      throw new UrbisError('JSON_INVALID', 'the daily counts file is not JSON', { cause });
    }
    return { state: parseLedger(parsed), load: { outcome: 'loaded' } };
  } catch (error) {
    if (!isUrbisError(error)) throw error;
    code = error.code;
  }
  const movedTo = `${file}.damaged`;
  await rename(file, movedTo);
  return { state: undefined, load: { outcome: 'damaged', code, movedTo } };
}
