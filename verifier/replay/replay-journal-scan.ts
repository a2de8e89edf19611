import { open } from 'node:fs/promises';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { FingerprintTable } from './fingerprint-table.js';
import { FINGERPRINT_WORDS } from './replay-fingerprint.js';
import {
  checkJournalHeader,
  JOURNAL_HEADER_BYTES,
  JOURNAL_RECORD_BYTES,
  readJournalRecord,
  type JournalHeaderCheck,
} from './replay-journal-format.js';

/** Records read per chunk (≈ 1.5 MB): a journal is never read whole into memory. */
const CHUNK_RECORDS = 65_536;

/** What reading a journal found. */
export interface JournalScan {
  /** `missing` when there is no file. */
  header: JournalHeaderCheck | 'missing';
  /** File length in bytes. */
  fileBytes: number;
  /** Records whose checksum matched. */
  validRecords: number;
  /** Of those, records already expired at load time (skipped). */
  expiredRecords: number;
  /** Records with a bad checksum followed by a good one: damage, not a torn write. */
  damagedRecords: number;
  /** Bytes after the last good record (bad records and a partial one): what a crash mid-write leaves. */
  tornBytes: number;
}

/**
 * Reads the journal at `path` into `table`: every record with a matching
 * checksum and an expiry after `now` is added, in file order (so the newest
 * win when there are more than the table's capacity). Bad records are
 * skipped and counted: those before the last good record as damage, those
 * after it (with any partial record) as a torn tail. Reads nothing past a
 * header it does not recognise.
 *
 * @throws UrbisError `STATE_CONFLICT` when the file shrinks while it is read.
 *   File-system errors other than a missing file pass through as Node errors.
 * @example
 * ```ts
 * const scan = await scanReplayJournal({ path, table, now: nowSeconds() });
 * ```
 */
export async function scanReplayJournal({ path, table, now }: { path: string; table: FingerprintTable; now: number }): Promise<JournalScan> {
  const scan: JournalScan = { header: 'missing', fileBytes: 0, validRecords: 0, expiredRecords: 0, damagedRecords: 0, tornBytes: 0 };
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return scan;
    throw error;
  }
  try {
    scan.fileBytes = (await handle.stat()).size;
    const head = new Uint8Array(Math.min(scan.fileBytes, JOURNAL_HEADER_BYTES));
    await readFully(handle, head, 0);
    scan.header = checkJournalHeader({ bytes: head });
    if (scan.header === 'empty-or-torn') scan.tornBytes = scan.fileBytes;
    if (scan.header !== 'ok') return scan;

    const records = Math.floor((scan.fileBytes - JOURNAL_HEADER_BYTES) / JOURNAL_RECORD_BYTES);
    const partialBytes = (scan.fileBytes - JOURNAL_HEADER_BYTES) % JOURNAL_RECORD_BYTES;
    const chunk = new Uint8Array(Math.min(records, CHUNK_RECORDS) * JOURNAL_RECORD_BYTES);
    const words = new Uint32Array(FINGERPRINT_WORDS);
    let badSoFar = 0;
    let badBeforeLastGood = 0;
    for (let first = 0; first < records; first += CHUNK_RECORDS) {
      const count = Math.min(CHUNK_RECORDS, records - first);
      const bytes = chunk.subarray(0, count * JOURNAL_RECORD_BYTES);
      await readFully(handle, bytes, JOURNAL_HEADER_BYTES + first * JOURNAL_RECORD_BYTES);
      for (let r = 0; r < count; r++) {
        const expiresAt = readJournalRecord({ bytes, offset: r * JOURNAL_RECORD_BYTES, words });
        if (expiresAt < 0) {
          badSoFar++;
          continue;
        }
        badBeforeLastGood = badSoFar;
        scan.validRecords++;
        if (expiresAt > now) table.add(words, expiresAt);
        else scan.expiredRecords++;
      }
    }
    scan.damagedRecords = badBeforeLastGood;
    scan.tornBytes = (badSoFar - badBeforeLastGood) * JOURNAL_RECORD_BYTES + partialBytes;
    return scan;
  } finally {
    await handle.close();
  }
}

async function readFully(handle: { read: (b: Uint8Array, o: number, l: number, p: number) => Promise<{ bytesRead: number }> }, into: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await handle.read(into, done, into.length - done, position + done);
    if (bytesRead === 0) throw new UrbisError('STATE_CONFLICT', 'the replay journal shrank while it was read (is another process using it?)');
    done += bytesRead;
  }
}
