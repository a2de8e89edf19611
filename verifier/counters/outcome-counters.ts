import { readFile, rename } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isUrbisError, UrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';
import { writeFileAtomically } from '../fs/write-file-atomically.js';
import {
  MAX_COUNTED_SERVICES,
  OUTCOME_COUNTS_FORMAT,
  OUTCOME_COUNTS_VERSION,
  parseOutcomeCounts,
  type OutcomeCountsSnapshot,
  type ServiceOutcomeCounts,
} from './outcome-counts.js';
import { isServiceId } from './service-id.js';
import { isUrbisErrorCode } from '../../core/errors/urbis-error-codes.js';

/** A counters file larger than this is not read (it holds at most a few hundred counts). */
export const MAX_COUNTERS_FILE_BYTES = 1024 * 1024;
/** Most codes in one rejection (a verifier reports each failed check once; DESIGN §8 has fewer than 64). */
const MAX_CODES_PER_REJECTION = 64;

/** One verification's outcome: nothing but the service and the codes. */
export type VerificationOutcome =
  | { serviceId: string; outcome: 'accepted' }
  | { serviceId: string; outcome: 'rejected'; codes: readonly UrbisErrorCode[] };

/** What starting the counters found. */
export interface OutcomeCountersLoad {
  /**
   * `memory`: no file (counts are lost on exit). `created`: no file yet.
   * `loaded`: counts resumed. `damaged`: the file could not be read as
   * counts; it was moved aside to `movedTo` and counting restarted at zero.
   */
  outcome: 'memory' | 'created' | 'loaded' | 'damaged';
  /** Why the file was damaged: `INPUT_TOO_LARGE`, `JSON_INVALID` or `SCHEMA_INVALID`. */
  code?: UrbisErrorCode;
  movedTo?: string;
}

/** Aggregate outcome counts: the only thing a terminal keeps about verifications. */
export interface OutcomeCounters {
  /** What starting found (for the terminal's health report). */
  readonly load: OutcomeCountersLoad;
  /** Counts one verification; the file is written within `flushDelayMs`. */
  record(outcome: VerificationOutcome): void;
  /** The counts now, as a plain JSON object (a copy). */
  snapshot(): OutcomeCountsSnapshot;
  /** Writes the counts now if they changed; resolves once they are on disk. */
  flush(): Promise<void>;
  /** Flushes and stops; `record` then throws. Idempotent. */
  close(): Promise<void>;
}

/**
 * Counts verification outcomes per service: `accepted`, or `rejected` with
 * the failure codes (each rejection once, and once under each distinct code).
 * Never a claim, a pseudonym, a key, an index, a time of day or a
 * presentation: only a service id that must be a slug (and, given
 * `services`, one of them) and codes that must be Urbis error codes.
 *
 * With `path`, the counts are resumed from that JSON file on start and
 * written back atomically (temporary file, flush, rename) at most
 * `flushDelayMs` after a change (default 5 s; the timer does not keep the
 * process alive), on `flush()` and on `close()`. A damaged file is moved
 * aside to `<path>.damaged` and counting restarts at zero; `load` says so.
 *
 * @throws UrbisError `INVALID_ARGUMENT` for an empty path, a bad delay or a
 *   `services` entry that is not a slug. File-system errors other than a
 *   missing file pass through as Node errors. `record` throws
 *   `INVALID_ARGUMENT` for a service id that is not a slug or not listed in
 *   `services`, more than {@link MAX_COUNTED_SERVICES} services, an unknown
 *   outcome, or codes that are missing, unknown or too many; and
 *   `STATE_CONFLICT` after `close`.
 * @example
 * ```ts
 * const counters = await createOutcomeCounters({ path: '/var/lib/urbis/counts.json', services: ['pools', 'libraries'] });
 * const result = await verify({ presentation, keyBinding });
 * counters.record(result.ok ? { serviceId: 'pools', outcome: 'accepted' } : { serviceId: 'pools', outcome: 'rejected', codes: result.failures.map((f) => f.code) });
 * health.counts = counters.snapshot();
 * ```
 */
export async function createOutcomeCounters({
  path,
  services,
  flushDelayMs = 5000,
  now = () => Math.floor(Date.now() / 1000),
}: {
  /** The counters file; without it, counts live in memory only. */
  path?: string;
  /** The only service ids this terminal counts (default: any slug). */
  services?: readonly string[];
  /** Longest delay between a change and its write, in milliseconds. */
  flushDelayMs?: number;
  /** The clock, epoch seconds (only for `since`). */
  now?: () => number;
} = {}): Promise<OutcomeCounters> {
  if (path !== undefined && (typeof path !== 'string' || path.length === 0)) throw new UrbisError('INVALID_ARGUMENT', 'the counters file needs a path');
  if (!Number.isFinite(flushDelayMs) || flushDelayMs < 0) throw new UrbisError('INVALID_ARGUMENT', 'flushDelayMs must be ≥ 0');
  if (services !== undefined && (!Array.isArray(services) || !services.every(isServiceId))) {
    throw new UrbisError('INVALID_ARGUMENT', 'services must be service ids (slugs)');
  }
  const allowed = services === undefined ? undefined : new Set(services);
  const file = path === undefined ? undefined : resolve(path);
  const { snapshot: loaded, load } = file === undefined ? { snapshot: undefined, load: { outcome: 'memory' as const } } : await loadCounts(file);

  const since = loaded?.since ?? now();
  const counts = new Map<string, { accepted: number; rejected: number; byCode: Map<UrbisErrorCode, number> }>();
  for (const [id, c] of Object.entries(loaded?.services ?? {})) {
    counts.set(id, { accepted: c.accepted, rejected: c.rejected, byCode: new Map(Object.entries(c.rejectedByCode) as [UrbisErrorCode, number][]) });
  }
  let changes = 0; // bumped by every record
  let written = 0; // value of `changes` in the file
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let chain: Promise<void> = Promise.resolve();

  const snapshot = (): OutcomeCountsSnapshot => {
    const out: Record<string, ServiceOutcomeCounts> = {};
    for (const [id, c] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const rejectedByCode: Partial<Record<UrbisErrorCode, number>> = {};
      for (const [code, n] of [...c.byCode].sort(([a], [b]) => (a < b ? -1 : 1))) rejectedByCode[code] = n;
      out[id] = { accepted: c.accepted, rejected: c.rejected, rejectedByCode };
    }
    return { format: OUTCOME_COUNTS_FORMAT, version: OUTCOME_COUNTS_VERSION, since, services: out };
  };

  const write = (): Promise<void> => {
    const run = chain.then(async () => {
      if (file === undefined || written === changes) return;
      const at = changes;
      await writeFileAtomically({ path: file, bytes: new TextEncoder().encode(`${JSON.stringify(snapshot(), null, 2)}\n`) });
      written = at;
    });
    chain = run.catch(() => undefined);
    return run;
  };

  const flush = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    return write();
  };

  return {
    load,
    record(verification) {
      if (closed) throw new UrbisError('STATE_CONFLICT', 'the outcome counters are closed');
      const { serviceId, outcome } = (verification ?? {}) as Partial<VerificationOutcome>;
      if (!isServiceId(serviceId) || (allowed !== undefined && !allowed.has(serviceId))) {
        throw new UrbisError('INVALID_ARGUMENT', 'serviceId is not a service of this terminal');
      }
      let codes: Set<UrbisErrorCode> | undefined;
      if (outcome === 'rejected') {
        const given = (verification as { codes?: unknown }).codes;
        if (!Array.isArray(given) || given.length === 0 || given.length > MAX_CODES_PER_REJECTION || !given.every(isUrbisErrorCode)) {
          throw new UrbisError('INVALID_ARGUMENT', `a rejection carries 1 to ${MAX_CODES_PER_REJECTION} Urbis error codes`);
        }
        codes = new Set(given);
      } else if (outcome !== 'accepted') {
        throw new UrbisError('INVALID_ARGUMENT', "outcome is 'accepted' or 'rejected'");
      }
      let entry = counts.get(serviceId);
      if (entry === undefined) {
        if (counts.size >= MAX_COUNTED_SERVICES) throw new UrbisError('INVALID_ARGUMENT', `at most ${MAX_COUNTED_SERVICES} services are counted`);
        entry = { accepted: 0, rejected: 0, byCode: new Map() };
        counts.set(serviceId, entry);
      }
      if (codes === undefined) entry.accepted++;
      else {
        entry.rejected++;
        for (const code of codes) entry.byCode.set(code, (entry.byCode.get(code) ?? 0) + 1);
      }
      changes++;
      if (file !== undefined && timer === undefined) {
        timer = setTimeout(() => {
          timer = undefined;
          void write().catch(() => undefined); // a failed write is retried by the next flush
        }, flushDelayMs);
        timer.unref();
      }
    },
    snapshot,
    flush,
    async close() {
      if (closed) return chain;
      closed = true;
      await flush();
    },
  };
}

/** Reads the counters file; a damaged one is moved aside. */
async function loadCounts(file: string): Promise<{ snapshot?: OutcomeCountsSnapshot; load: OutcomeCountersLoad }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return { load: { outcome: 'created' } };
    throw error;
  }
  const read = readCounts(bytes);
  if ('snapshot' in read) return { snapshot: read.snapshot, load: { outcome: 'loaded' } };
  const movedTo = `${file}.damaged`;
  await rename(file, movedTo);
  return { load: { outcome: 'damaged', code: read.code, movedTo } };
}

function readCounts(bytes: Uint8Array): { snapshot: OutcomeCountsSnapshot } | { code: UrbisErrorCode } {
  if (bytes.length > MAX_COUNTERS_FILE_BYTES) return { code: 'INPUT_TOO_LARGE' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { code: 'JSON_INVALID' };
  }
  try {
    return { snapshot: parseOutcomeCounts(parsed) };
  } catch (error) {
    if (isUrbisError(error)) return { code: error.code };
    throw error;
  }
}
