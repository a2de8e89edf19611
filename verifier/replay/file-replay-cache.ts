import { resolve } from 'node:path';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { ReplayCache } from '../../core/trust/replay-cache.js';
import { FingerprintTable, MAX_EXPIRY } from './fingerprint-table.js';
import { FINGERPRINT_WORDS, fingerprintReplayKey } from './replay-fingerprint.js';
import { ReplayJournal, type ReplayJournalCompaction, type ReplayJournalLoad } from './replay-journal.js';

/** Default capacity: 2^20 entries, 28 MiB of typed arrays when full. */
export const DEFAULT_REPLAY_CACHE_CAPACITY = 1_048_576;

/** Options of {@link openFileReplayCache}. */
export interface FileReplayCacheOptions {
  /** The journal file (created with its directory if missing; mode 0o600). One process per file. */
  path: string;
  /** Most entries held; when full the oldest is dropped (default {@link DEFAULT_REPLAY_CACHE_CAPACITY}). */
  capacity?: number;
  /** The clock, in epoch seconds, for what has expired at load and compaction time (default: the system clock). */
  now?: () => number;
  /**
   * A damaged journal (not a journal, another version, bad records before
   * good ones): `quarantine` (default) copies it aside to `<path>.damaged`,
   * keeps the records that pass their checksum and reports it in `load`;
   * `refuse` throws and leaves the file alone.
   */
  onDamaged?: 'quarantine' | 'refuse';
  /** When the journal is rewritten with only live entries (see {@link ReplayJournalCompaction}). */
  compaction?: Partial<ReplayJournalCompaction>;
}

/** What a terminal reports about its replay cache (only counts: never a key or a fingerprint). */
export interface ReplayCacheStats {
  /** Entries held (some may have expired behind a younger entry that expires later). */
  entries: number;
  capacity: number;
  /** Bytes of the in-memory table (typed arrays). */
  memoryBytes: number;
  /** Live entries dropped because the cache was full (each a replay that could have slipped through). */
  evicted: number;
  /** Bytes and records in the journal file. */
  journalBytes: number;
  journalRecords: number;
  /** Appending writes since opening (one `fdatasync` each; concurrent remembers share one). */
  appends: number;
  /** Journal rewrites (compactions and recoveries) since opening. */
  rewrites: number;
  /** Failed journal writes since opening, and whether the last one failed. */
  writeFailures: number;
  failing: boolean;
  /** What opening found: recovered, expired, damaged and torn counts. */
  load: ReplayJournalLoad;
}

/** A {@link ReplayCache} that survives a restart. */
export interface FileReplayCache extends ReplayCache {
  /** Synchronous: a lookup in memory. */
  has(key: string, now: number): boolean;
  /** Resolves once the entry is on disk (see {@link openFileReplayCache}). */
  remember(key: string, expiresAt: number): Promise<void>;
  /** Entries held. */
  size(): number;
  /** What opening the journal found and did. */
  readonly load: ReplayJournalLoad;
  /** Counts for the terminal's health report. */
  stats(): ReplayCacheStats;
  /** Rewrites the journal now with only the live entries. */
  compact(): Promise<void>;
  /** Waits for pending writes and closes the journal; the cache refuses further use. */
  close(): Promise<void>;
}

/**
 * Opens the terminal's replay cache: bounded memory, and a journal so that a
 * restarted terminal still refuses a presentation accepted before.
 *
 * Memory: each entry is a 16-byte fingerprint of its key (the first 128 bits
 * of the replay digest, see {@link fingerprintReplayKey} for why that is
 * enough: a collision takes ~2^64 work and can only refuse, never accept) and
 * a uint32 expiry, 28 bytes with the index, in typed arrays that grow up to
 * `capacity` and then drop the oldest entry.
 *
 * Durability: `remember` updates memory at once (so a concurrent `has` sees
 * the entry) and resolves only when the record is on disk, so a terminal
 * that awaits it before showing "accepted" (as core's verifier does) never
 * accepts a presentation it could forget in a crash. Concurrent remembers
 * share one write and one `fdatasync` (≈ 0.4 ms here). If a write fails, the
 * remember rejects (the verification fails closed) and the next write
 * rewrites the journal from memory.
 *
 * Privacy: the journal holds fingerprints and expiries only; expired records
 * leave the disk at the next compaction (at most `retentionSeconds` +
 * `sweepIntervalSeconds` after they expire, by default 11 minutes). Losing the
 * journal only matters within the key-binding `iat` window (≤ 5 minutes by
 * default): older presentations are refused by their `iat` anyway.
 *
 * @throws UrbisError `INVALID_ARGUMENT` for an empty path or a bad capacity or
 *   compaction setting; {@link REPLAY_JOURNAL_DAMAGED_CODE} for a damaged
 *   journal under `onDamaged: 'refuse'`. File-system errors pass through as
 *   Node errors. `has` and `remember` throw (reject) `INVALID_ARGUMENT` for a
 *   key that is not a base64url digest of ≥ 256 bits or a non-finite expiry,
 *   and `STATE_CONFLICT` after `close`.
 * @example
 * ```ts
 * const replayCache = await openFileReplayCache({ path: '/var/lib/urbis/replay.journal' });
 * if (replayCache.load.outcome === 'damaged') health.warn('replay cache restarted empty');
 * const verify = createPresentationVerifier({ crypto, trust, status, replayCache });
 * // … on shutdown:
 * await replayCache.close();
 * ```
 */
export async function openFileReplayCache({
  path,
  capacity = DEFAULT_REPLAY_CACHE_CAPACITY,
  now: clock = () => Math.floor(Date.now() / 1000),
  onDamaged = 'quarantine',
  compaction: compactionOptions = {},
}: FileReplayCacheOptions): Promise<FileReplayCache> {
  if (typeof path !== 'string' || path.length === 0) throw new UrbisError('INVALID_ARGUMENT', 'the replay cache needs a journal path');
  if (onDamaged !== 'quarantine' && onDamaged !== 'refuse') throw new UrbisError('INVALID_ARGUMENT', "onDamaged is 'quarantine' or 'refuse'");
  const compaction: ReplayJournalCompaction = { factor: 4, minRecords: 4096, retentionSeconds: 600, sweepIntervalSeconds: 60, ...compactionOptions };
  if (!(compaction.factor >= 1.5) || !(compaction.minRecords >= 0) || !(compaction.retentionSeconds >= 0) || !(compaction.sweepIntervalSeconds >= 0)) {
    throw new UrbisError('INVALID_ARGUMENT', 'compaction: factor ≥ 1.5, other settings ≥ 0');
  }
  const table = new FingerprintTable({ capacity });
  const { journal, load } = await ReplayJournal.open({ path: resolve(path), table, clock, onDamaged, compaction });
  const fingerprint = new Uint32Array(FINGERPRINT_WORDS);
  let closed = false;
  const assertOpen = (): void => {
    if (closed) throw new UrbisError('STATE_CONFLICT', 'the replay cache is closed');
  };

  return {
    load,
    has(key, now) {
      assertOpen();
      fingerprintReplayKey({ key, out: fingerprint });
      return table.has(fingerprint, now);
    },
    remember(key, expiresAt) {
      try {
        assertOpen();
        if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) throw new UrbisError('INVALID_ARGUMENT', 'expiresAt must be a finite number of epoch seconds');
        fingerprintReplayKey({ key, out: fingerprint });
      } catch (error) {
        return Promise.reject(error);
      }
      // Whole seconds, rounded up and clamped to uint32: never shortens a window.
      const expiry = Math.min(MAX_EXPIRY, Math.max(0, Math.ceil(expiresAt)));
      table.add(fingerprint, expiry);
      return journal.append(fingerprint, 0, expiry);
    },
    size: () => table.size,
    stats() {
      const { bytes, records, appends, rewrites, writeFailures, failing } = journal.stats();
      return {
        entries: table.size,
        capacity: table.capacity,
        memoryBytes: table.memoryBytes,
        evicted: table.evicted,
        journalBytes: bytes,
        journalRecords: records,
        appends,
        rewrites,
        writeFailures,
        failing,
        load,
      };
    },
    compact() {
      if (closed) return Promise.reject(new UrbisError('STATE_CONFLICT', 'the replay cache is closed'));
      return journal.compact();
    },
    async close() {
      closed = true;
      await journal.close();
    },
  };
}
