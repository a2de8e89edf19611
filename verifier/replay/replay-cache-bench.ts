import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { openFileReplayCache } from './file-replay-cache.js';

/** The figures of {@link measureReplayCache}. */
export interface ReplayCacheMeasurement {
  entries: number;
  /** Measured process memory (V8 heap + external/array buffers) added by the cache holding `entries`, per entry. */
  bytesPerEntry: number;
  /** The same, in total bytes. */
  heapBytes: number;
  /** Bytes of the cache's typed arrays, per entry (what the structure needs, without measurement noise). */
  tableBytesPerEntry: number;
  /** Durable remembers per second, issued without waiting for each other (one write and fdatasync per burst). */
  rememberPerSecond: number;
  /** Lookups per second (half present, half absent keys), on the full cache. */
  hasPerSecond: number;
  /** Median and 99th percentile of one remember awaited alone (write + fdatasync), in milliseconds. */
  durableRememberMs: { p50: number; p99: number };
  /** Time to reopen the journal of `entries` live records and rebuild the table, in milliseconds. */
  loadMs: number;
  /** Journal size, in bytes. */
  journalBytes: number;
  /** Whether a garbage collection could be forced before each memory reading (else `bytesPerEntry` is noisier). */
  gcForced: boolean;
}

const SEQUENTIAL_REMEMBERS = 200;
const BURST = 4096;
const CHUNK = 65_536;
/** Distinct keys looked up (a quarter million: lookups spread over the table, not a few hot cache lines). */
const PROBES = 262_144;

/**
 * Measures the file replay cache in a temporary directory (removed after):
 * fills it with `entries` random keys, reads the memory it added, times
 * lookups and a restart, and times remembers awaited one by one. With
 * `entries: 1e6` it runs in a few seconds and writes a 24 MB journal.
 *
 * @throws UrbisError `INVALID_ARGUMENT` unless `entries` is an integer from 1 to 2^24.
 * @example
 * ```ts
 * const figures = await measureReplayCache({ entries: 1_000_000 });
 * console.log(figures.bytesPerEntry, figures.loadMs);
 * ```
 */
export async function measureReplayCache({ entries, directory }: { entries: number; directory?: string }): Promise<ReplayCacheMeasurement> {
  if (!Number.isInteger(entries) || entries < 1 || entries > 2 ** 24) throw new UrbisError('INVALID_ARGUMENT', 'entries is an integer from 1 to 2^24');
  const gc = exposeGc();
  const dir = await mkdtemp(join(directory ?? tmpdir(), 'urbis-replay-bench-'));
  const path = join(dir, 'replay.journal');
  const clockNow = Math.floor(Date.now() / 1000);
  const expiresAt = clockNow + 3600; // all live through the run
  const options = { path, capacity: entries, compaction: { sweepIntervalSeconds: 0 } };
  try {
    const before = memory(gc);
    let cache = await openFileReplayCache(options);
    // Keys are made in chunks outside the timed loops, so the rates are the cache's own.
    const keys = keySequence(1);
    let rememberMs = 0;
    for (let done = 0; done < entries; ) {
      const chunk = Array.from({ length: Math.min(CHUNK, entries - done) }, keys);
      const started = performance.now();
      let last: Promise<void> = Promise.resolve();
      for (let i = 0; i < chunk.length; i++) {
        last = cache.remember(chunk[i]!, expiresAt);
        if (i % BURST === BURST - 1) await last;
      }
      await last;
      rememberMs += performance.now() - started;
      done += chunk.length;
    }
    const heapBytes = memory(gc) - before;
    const tableBytes = cache.stats().memoryBytes;

    const presentKeys = keySequence(1);
    const absentKeys = keySequence(2);
    const probes = Array.from({ length: Math.min(PROBES, entries) }, (_, i) => ((i & 1) === 0 ? presentKeys() : absentKeys()));
    let hits = 0;
    const started = performance.now();
    for (let i = 0; i < entries; i++) if (cache.has(probes[i % probes.length]!, clockNow)) hits++;
    const hasMs = performance.now() - started;
    const cycles = Math.floor(entries / probes.length);
    const expectedHits = cycles * Math.ceil(probes.length / 2) + Math.ceil((entries % probes.length) / 2); // even probes are present
    if (hits !== expectedHits) {
      throw new UrbisError('STATE_CONFLICT', 'the replay cache lost entries during the benchmark');
    }

    const journalBytes = cache.stats().journalBytes;
    await cache.close();
    const reopening = performance.now();
    cache = await openFileReplayCache(options);
    const loadMs = performance.now() - reopening;
    if (cache.size() !== entries || cache.load.outcome !== 'loaded') throw new UrbisError('STATE_CONFLICT', 'the replay cache did not reload every entry');

    const more = keySequence(3);
    const latencies: number[] = [];
    for (let i = 0; i < SEQUENTIAL_REMEMBERS; i++) {
      const t0 = performance.now();
      await cache.remember(more(), expiresAt);
      latencies.push(performance.now() - t0);
    }
    await cache.close();
    latencies.sort((a, b) => a - b);
    const at = (q: number): number => Number(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(3));
    return {
      entries,
      bytesPerEntry: Number((heapBytes / entries).toFixed(1)),
      heapBytes,
      tableBytesPerEntry: Number((tableBytes / entries).toFixed(1)),
      rememberPerSecond: Math.round(entries / (rememberMs / 1000)),
      hasPerSecond: Math.round(entries / (hasMs / 1000)),
      durableRememberMs: { p50: at(0.5), p99: at(0.99) },
      loadMs: Number(loadMs.toFixed(1)),
      journalBytes,
      gcForced: gc !== undefined,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** V8 heap plus memory outside it (typed arrays live there). */
function memory(gc: (() => void) | undefined): number {
  gc?.();
  gc?.();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

/** The global `gc` if the process has it, else one obtained by turning on `--expose-gc` for a fresh context. */
function exposeGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

/** A reproducible stream of distinct 43-character base64url keys (xorshift128 into 32 bytes), made on demand so the bench holds none. */
function keySequence(seed: number): () => string {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88 ^ (seed * 31);
  let c = 0xb7e15162;
  let d = 0x7f4a7c15 ^ (seed << 7);
  const bytes = Buffer.alloc(32);
  return () => {
    for (let i = 0; i < 32; i += 4) {
      const t = a ^ (a << 11);
      a = b;
      b = c;
      c = d;
      d = (d ^ (d >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
      bytes.writeUInt32LE(d, i);
    }
    return bytes.toString('base64url');
  };
}
