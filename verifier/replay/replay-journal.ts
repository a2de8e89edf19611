import { copyFile, mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { UrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';
import type { FingerprintTable } from './fingerprint-table.js';
import { JOURNAL_HEADER_BYTES, JOURNAL_RECORD_BYTES, writeJournalHeader, writeJournalRecord } from './replay-journal-format.js';
import { scanReplayJournal } from './replay-journal-scan.js';
import { writeFileAtomically, writeFully } from '../fs/write-file-atomically.js';

/**
 * The code of a damaged replay journal: refused with it under
 * `onDamaged: 'refuse'`, reported with it otherwise. (A terminal's durable
 * local state, next to its snapshot; a dedicated `REPLAY_JOURNAL_DAMAGED`
 * code would name it better.)
 */
export const REPLAY_JOURNAL_DAMAGED_CODE: UrbisErrorCode = 'REPLAY_JOURNAL_DAMAGED';

/** Why a journal was found damaged. */
export type ReplayJournalDamageReason = 'not-a-journal' | 'unsupported-version' | 'checksum-mismatch';

/** What opening the journal found and did; a terminal shows it in its health report. */
export interface ReplayJournalLoad {
  /**
   * `created`: there was no journal (or only a file torn while being created).
   * `loaded`: read whole.
   * `torn-tail-dropped`: the last write had been cut by a crash and was dropped
   * (nothing lost: a remember resolves only after its write is on disk).
   * `damaged`: the file was not a journal of this version, or had bad records
   * before good ones; it was copied aside to `damage.copiedTo` and rewritten with
   * every record that still passed its checksum.
   */
  outcome: 'created' | 'loaded' | 'torn-tail-dropped' | 'damaged';
  /** Entries held after loading. */
  entries: number;
  /** Records read with a matching checksum. */
  recordsRead: number;
  /** Of those, records that had expired (skipped). */
  expiredRecords: number;
  /** Records with a bad checksum before a good one (discarded). */
  damagedRecords: number;
  /** Bytes of a torn last write (discarded). */
  tornBytes: number;
  /** Set when `outcome` is `damaged`. */
  damage?: { reason: ReplayJournalDamageReason; code: UrbisErrorCode; copiedTo: string };
  /** Time to read (and, if needed, rewrite) the journal, in milliseconds. */
  durationMs: number;
}

/** When the journal is rewritten with only live entries. */
export interface ReplayJournalCompaction {
  /** Rewrite when the journal holds more than `factor` × the live entries… (default 4) */
  factor: number;
  /** …and at least this many records (default 4,096). */
  minRecords: number;
  /** Rewrite also once a record has been expired this long (default 600 s): expired fingerprints do not linger on disk. */
  retentionSeconds: number;
  /** How often an idle terminal checks the two rules above (default 60 s; 0: never, call `compact()`). */
  sweepIntervalSeconds: number;
}

/** Counters of the journal's life since it was opened. */
export interface ReplayJournalStats {
  /** Bytes in the journal file. */
  bytes: number;
  /** Records in the journal file (live, expired and repeated). */
  records: number;
  /** Appending writes since opening (each one `fdatasync`; concurrent records share one). */
  appends: number;
  /** Rewrites since opening (compactions and recoveries). */
  rewrites: number;
  /** Writes that failed; the next write rewrites the whole journal from memory. */
  writeFailures: number;
  /** Whether the last write failed (cleared by the next successful one). */
  failing: boolean;
}

const INITIAL_PENDING_BYTES = 64 * JOURNAL_RECORD_BYTES;

interface Batch {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The replay cache's durable half: an append-only journal of (fingerprint,
 * expiry) records with group commit. {@link ReplayJournal.append} writes the
 * record and `fdatasync`s before it resolves; records appended while a write
 * is in flight go out together in the next write, so a burst costs one flush,
 * and records reach the file in the order they were appended. The journal is
 * rewritten with only the live entries (temporary file, flush, rename) when it
 * grows past {@link ReplayJournalCompaction}'s bounds, on opening when it holds
 * anything stale, and after a failed write (a failed `fsync` leaves the file's
 * state unknown: a full rewrite does not depend on it).
 *
 * One process per journal file.
 */
export class ReplayJournal {
  private readonly _path: string;
  private readonly _table: FingerprintTable;
  private readonly _clock: () => number;
  private readonly _compaction: ReplayJournalCompaction;
  private _handle: FileHandle | undefined;
  private _bytes = 0;
  private _records = 0;
  /** Earliest expiry among the records in the file. */
  private _minExpiry: number | undefined;
  private _appends = 0;
  private _rewrites = 0;
  private _writeFailures = 0;
  private _failing = false;
  private _closed = false;
  private _chain: Promise<void> = Promise.resolve();
  private _pending = new Uint8Array(INITIAL_PENDING_BYTES);
  private _pendingLength = 0;
  private _pendingMinExpiry: number | undefined;
  private _batch: Batch | undefined;
  private _flushQueued = false;
  private _sweep: ReturnType<typeof setInterval> | undefined;

  private constructor(path: string, table: FingerprintTable, clock: () => number, compaction: ReplayJournalCompaction) {
    this._path = path;
    this._table = table;
    this._clock = clock;
    this._compaction = compaction;
  }

  /**
   * Reads the journal at `path` into `table` (see {@link scanReplayJournal}),
   * repairs it if needed and opens it for appending. A damaged journal is
   * copied aside to `<path>.damaged` (replacing an older copy) and rewritten
   * with the records that survived, unless `onDamaged` is `refuse`.
   *
   * @throws UrbisError {@link REPLAY_JOURNAL_DAMAGED_CODE} for a damaged
   *   journal under `onDamaged: 'refuse'` (the file is left as it is).
   *   File-system errors pass through as Node errors.
   * @example
   * ```ts
   * const { journal, load } = await ReplayJournal.open({ path, table, clock, onDamaged: 'quarantine', compaction });
   * ```
   */
  static async open({
    path,
    table,
    clock,
    onDamaged,
    compaction,
  }: {
    path: string;
    table: FingerprintTable;
    clock: () => number;
    onDamaged: 'quarantine' | 'refuse';
    compaction: ReplayJournalCompaction;
  }): Promise<{ journal: ReplayJournal; load: ReplayJournalLoad }> {
    const started = performance.now();
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await unlink(`${path}.tmp`).catch(() => undefined); // a rewrite cut by a crash; the journal itself is whole
    const scan = await scanReplayJournal({ path, table, now: clock() });
    const reason: ReplayJournalDamageReason | undefined =
      scan.header === 'not-a-journal' || scan.header === 'unsupported-version'
        ? scan.header
        : scan.damagedRecords > 0
          ? 'checksum-mismatch'
          : undefined;
    const load: ReplayJournalLoad = {
      outcome: scan.header === 'missing' || scan.header === 'empty-or-torn' ? 'created' : scan.tornBytes > 0 ? 'torn-tail-dropped' : 'loaded',
      entries: 0,
      recordsRead: scan.validRecords,
      expiredRecords: scan.expiredRecords,
      damagedRecords: scan.damagedRecords,
      tornBytes: scan.tornBytes,
      durationMs: 0,
    };
    if (reason !== undefined) {
      if (onDamaged === 'refuse') {
        throw new UrbisError(REPLAY_JOURNAL_DAMAGED_CODE, `the replay journal is damaged (${reason})`);
      }
      // Copied, not moved: the journal is then replaced atomically, so a crash
      // in between leaves the damaged journal to be salvaged again, not nothing.
      const copiedTo = `${path}.damaged`;
      await copyFile(path, copiedTo);
      load.outcome = 'damaged';
      load.damage = { reason, code: REPLAY_JOURNAL_DAMAGED_CODE, copiedTo };
    }
    const journal = new ReplayJournal(path, table, clock, compaction);
    const clean = reason === undefined && scan.header === 'ok' && scan.tornBytes === 0 && scan.expiredRecords === 0 && table.size === scan.validRecords;
    if (clean) {
      journal._handle = await open(path, 'r+');
      journal._bytes = scan.fileBytes;
      journal._records = scan.validRecords;
      journal._minExpiry = table.earliestLiveExpiry(clock());
    } else {
      await journal._rewrite();
    }
    if (compaction.sweepIntervalSeconds > 0) {
      journal._sweep = setInterval(() => journal._sweepIfDue(), compaction.sweepIntervalSeconds * 1000);
      journal._sweep.unref();
    }
    load.entries = table.size;
    load.durationMs = Number((performance.now() - started).toFixed(1));
    return { journal, load };
  }

  /**
   * Appends one record; resolves once it is on disk (written and
   * `fdatasync`ed, or part of a rewrite that was flushed and renamed).
   *
   * @throws UrbisError `STATE_CONFLICT` after {@link ReplayJournal.close}; a
   *   failed write rejects with the file-system error.
   */
  append(words: Uint32Array, wordOffset: number, expiresAt: number): Promise<void> {
    if (this._closed) return Promise.reject(new UrbisError('STATE_CONFLICT', 'the replay cache is closed'));
    if (this._pendingLength + JOURNAL_RECORD_BYTES > this._pending.length) {
      const bigger = new Uint8Array(this._pending.length * 2);
      bigger.set(this._pending.subarray(0, this._pendingLength));
      this._pending = bigger;
    }
    writeJournalRecord({ out: this._pending, offset: this._pendingLength, words, wordOffset, expiresAt });
    this._pendingLength += JOURNAL_RECORD_BYTES;
    if (this._pendingMinExpiry === undefined || expiresAt < this._pendingMinExpiry) this._pendingMinExpiry = expiresAt;
    this._batch ??= newBatch();
    if (!this._flushQueued) {
      this._flushQueued = true;
      void this._enqueue(() => this._flush(false));
    }
    return this._batch.promise;
  }

  /**
   * Rewrites the journal now with only the live entries (pending records
   * included).
   *
   * @throws UrbisError `STATE_CONFLICT` after close; file-system errors as Node errors.
   */
  compact(): Promise<void> {
    if (this._closed) return Promise.reject(new UrbisError('STATE_CONFLICT', 'the replay cache is closed'));
    return this._enqueue(() => this._flush(true));
  }

  /** Writes what is pending, stops the sweep and closes the file. Idempotent. */
  async close(): Promise<void> {
    if (this._closed) return this._chain;
    this._closed = true;
    if (this._sweep !== undefined) clearInterval(this._sweep);
    await this._chain;
    const handle = this._handle;
    this._handle = undefined;
    await handle?.close();
  }

  /** Counters of the journal since it was opened. */
  stats(): ReplayJournalStats {
    return { bytes: this._bytes, records: this._records, appends: this._appends, rewrites: this._rewrites, writeFailures: this._writeFailures, failing: this._failing };
  }

  /** Runs file tasks one at a time, in order; a failed task does not stop the next. */
  private _enqueue(task: () => Promise<void>): Promise<void> {
    const run = this._chain.then(task);
    this._chain = run.catch(() => undefined);
    return run;
  }

  /** Writes the pending batch (appended, or by a rewrite when one is due); settles its promise. */
  private async _flush(forceRewrite: boolean): Promise<void> {
    this._flushQueued = false;
    const batch = this._batch;
    const bytes = this._pending.subarray(0, this._pendingLength);
    const minExpiry = this._pendingMinExpiry;
    this._batch = undefined;
    if (this._pendingLength > 0) {
      this._pending = new Uint8Array(INITIAL_PENDING_BYTES);
      this._pendingLength = 0;
      this._pendingMinExpiry = undefined;
    }
    try {
      if (forceRewrite || this._failing || this._rewriteDue()) await this._rewrite();
      else if (bytes.length > 0) await this._append(bytes, minExpiry);
      batch?.resolve();
    } catch (error) {
      this._failing = true;
      this._writeFailures++;
      batch?.reject(error);
      if (forceRewrite) throw error;
    }
  }

  private async _append(bytes: Uint8Array, minExpiry: number | undefined): Promise<void> {
    const handle = this._handle;
    if (handle === undefined) throw new UrbisError('STATE_CONFLICT', 'the replay journal is not open');
    await writeFully({ handle, bytes, position: this._bytes });
    await handle.datasync();
    this._bytes += bytes.length;
    this._records += bytes.length / JOURNAL_RECORD_BYTES;
    this._appends++;
    if (minExpiry !== undefined && (this._minExpiry === undefined || minExpiry < this._minExpiry)) this._minExpiry = minExpiry;
  }

  /** Replaces the journal with the live entries of the table (a consistent copy taken before the first await). */
  private async _rewrite(): Promise<void> {
    const now = this._clock();
    let live = 0;
    this._table.forEachLive(now, () => live++);
    const bytes = new Uint8Array(JOURNAL_HEADER_BYTES + live * JOURNAL_RECORD_BYTES);
    writeJournalHeader({ out: bytes });
    let offset = JOURNAL_HEADER_BYTES;
    let minExpiry: number | undefined;
    this._table.forEachLive(now, (words, wordOffset, expiresAt) => {
      writeJournalRecord({ out: bytes, offset, words, wordOffset, expiresAt });
      offset += JOURNAL_RECORD_BYTES;
      if (minExpiry === undefined || expiresAt < minExpiry) minExpiry = expiresAt;
    });
    await writeFileAtomically({ path: this._path, bytes });
    const previous = this._handle;
    this._handle = undefined;
    await previous?.close().catch(() => undefined);
    this._handle = await open(this._path, 'r+');
    this._bytes = bytes.length;
    this._records = live;
    this._minExpiry = minExpiry;
    this._rewrites++;
    this._failing = false;
  }

  private _rewriteDue(): boolean {
    const { factor, minRecords, retentionSeconds } = this._compaction;
    if (this._records >= minRecords && this._records > factor * Math.max(1, this._table.size)) return true;
    return this._minExpiry !== undefined && this._clock() >= this._minExpiry + retentionSeconds;
  }

  private _sweepIfDue(): void {
    if (this._closed || this._flushQueued || !(this._failing || this._rewriteDue())) return;
    this._flushQueued = true;
    void this._enqueue(() => this._flush(false));
  }
}

function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // the callers of append see the rejection; nobody else must
  return { promise, resolve, reject };
}
