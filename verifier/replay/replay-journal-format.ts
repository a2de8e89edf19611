import { crc32 } from './crc32.js';
import { FINGERPRINT_BYTES, FINGERPRINT_WORDS } from './replay-fingerprint.js';

/**
 * The replay journal's bytes. A 16-byte header, then fixed 24-byte records,
 * all integers little-endian:
 *
 * ```
 * header  "URBIS-RC" (8) | version u32 = 1 | record size u32 = 24
 * record  fingerprint (16: the first 16 bytes of the replay digest) | expiresAt u32 (epoch s) | CRC-32 of the 20 bytes before it
 * ```
 *
 * Nothing else is ever written: no key text, no presentation, no claim,
 * no time of arrival (the expiry is the KB-JWT `iat` plus the window, which
 * the terminal needs anyway and forgets with the record).
 */

/** The first 8 bytes of every journal. */
export const JOURNAL_MAGIC = Uint8Array.from('URBIS-RC', (c) => c.charCodeAt(0));
/** The only format version this code reads and writes. */
export const JOURNAL_VERSION = 1;
/** Header length in bytes. */
export const JOURNAL_HEADER_BYTES = 16;
/** Record length in bytes. */
export const JOURNAL_RECORD_BYTES = FINGERPRINT_BYTES + 4 + 4;

/** What a journal's first bytes say. */
export type JournalHeaderCheck = 'ok' | 'empty-or-torn' | 'not-a-journal' | 'unsupported-version';

/**
 * Writes the header into `out` at `offset`.
 *
 * @example
 * ```ts
 * const header = new Uint8Array(JOURNAL_HEADER_BYTES);
 * writeJournalHeader({ out: header });
 * ```
 */
export function writeJournalHeader({ out, offset = 0 }: { out: Uint8Array; offset?: number }): void {
  out.set(JOURNAL_MAGIC, offset);
  const view = new DataView(out.buffer, out.byteOffset + offset, JOURNAL_HEADER_BYTES);
  view.setUint32(8, JOURNAL_VERSION, true);
  view.setUint32(12, JOURNAL_RECORD_BYTES, true);
}

/**
 * Classifies a journal's first bytes (`bytes` holds at most the header):
 * fewer than 16 bytes that begin a valid header are `empty-or-torn` (a crash
 * while the file was being created), a wrong magic is `not-a-journal`, and a
 * right magic with another version or record size is `unsupported-version`.
 *
 * @example
 * ```ts
 * if (checkJournalHeader({ bytes: first16 }) === 'not-a-journal') quarantine();
 * ```
 */
export function checkJournalHeader({ bytes }: { bytes: Uint8Array }): JournalHeaderCheck {
  const expected = new Uint8Array(JOURNAL_HEADER_BYTES);
  writeJournalHeader({ out: expected });
  const length = Math.min(bytes.length, JOURNAL_HEADER_BYTES);
  const magicLength = Math.min(length, JOURNAL_MAGIC.length);
  for (let i = 0; i < magicLength; i++) if (bytes[i] !== expected[i]) return 'not-a-journal';
  for (let i = magicLength; i < length; i++) if (bytes[i] !== expected[i]) return 'unsupported-version';
  return length < JOURNAL_HEADER_BYTES ? 'empty-or-torn' : 'ok';
}

/**
 * Encodes one record at `out[offset .. offset + 24)` from the fingerprint at
 * `words[wordOffset .. wordOffset + 4)`.
 *
 * @example
 * ```ts
 * writeJournalRecord({ out, offset: 0, words: fingerprint, wordOffset: 0, expiresAt });
 * ```
 */
export function writeJournalRecord({
  out,
  offset,
  words,
  wordOffset,
  expiresAt,
}: {
  out: Uint8Array;
  offset: number;
  words: Uint32Array;
  wordOffset: number;
  expiresAt: number;
}): void {
  for (let k = 0; k < FINGERPRINT_WORDS; k++) writeUint32(out, offset + 4 * k, words[wordOffset + k]!);
  writeUint32(out, offset + FINGERPRINT_BYTES, expiresAt);
  writeUint32(out, offset + FINGERPRINT_BYTES + 4, crc32({ bytes: out, start: offset, end: offset + FINGERPRINT_BYTES + 4 }));
}

/**
 * Decodes the record at `bytes[offset .. offset + 24)`: writes its
 * fingerprint into `words[0..4)` and returns its expiry, or -1 when the
 * checksum does not match (a torn or damaged record; `words` is then
 * unspecified).
 *
 * @example
 * ```ts
 * const expiresAt = readJournalRecord({ bytes, offset, words });
 * if (expiresAt >= 0) table.add(words, expiresAt);
 * ```
 */
export function readJournalRecord({ bytes, offset, words }: { bytes: Uint8Array; offset: number; words: Uint32Array }): number {
  const end = offset + FINGERPRINT_BYTES + 4;
  if (crc32({ bytes, start: offset, end }) !== readUint32(bytes, end)) return -1;
  for (let k = 0; k < FINGERPRINT_WORDS; k++) words[k] = readUint32(bytes, offset + 4 * k);
  return readUint32(bytes, offset + FINGERPRINT_BYTES);
}

function writeUint32(out: Uint8Array, offset: number, value: number): void {
  out[offset] = value & 0xff;
  out[offset + 1] = (value >>> 8) & 0xff;
  out[offset + 2] = (value >>> 16) & 0xff;
  out[offset + 3] = (value >>> 24) & 0xff;
}

function readUint32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>> 0;
}
