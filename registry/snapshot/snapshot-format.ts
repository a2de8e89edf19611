import { UrbisError, isUrbisError } from '../../core/errors/urbis-error.js';
import { utf8Decode, utf8Encode } from '../../core/encoding/base64url.js';
import { byteLengthFor } from '../../core/status/bit-packing.js';
import { DEFAULT_MAX_DECOMPRESSED_BYTES, type Compression } from '../../core/status/compression.js';
import { StatusList } from '../../core/status/status-list.js';
import type { SnapshotContent, SnapshotList } from './snapshot-content.js';
import { headerOf, readHeader, type SnapshotHeader } from './snapshot-header.js';

/**
 * The snapshot file, format version 1: a binary container with a JSON
 * header, one DEFLATE payload per list, and a signature trailer.
 *
 * ```
 * offset      size  field
 * 0           4     magic "URBS" (0x55 0x52 0x42 0x53)
 * 4           2     format version, big-endian: 1
 * 6           2     flags: 0 (a reader refuses any other value)
 * 8           4     H = header length, big-endian
 * 12          4     P = total length of the list payloads, big-endian
 * 16          H     header: UTF-8 JSON (see snapshot-header.ts)
 * 16+H        P     list payloads, in header order: zlib DEFLATE (RFC 1950/1951,
 *                   level 9) of each list's LSB-first 2-bit bytes, `lists[i].length` bytes each
 * ---------- body = bytes [0, 16+H+P) ----------
 * 16+H+P      2     S = signature length, big-endian
 * 18+H+P      S     signature: compact JWS, ASCII (see snapshot-signature.ts)
 * 18+H+P+S          end of file: nothing may follow
 * ```
 *
 * One signature covers the whole body (framing, header and every list):
 * its JWS payload carries the body's SHA-256. Loading checks the framing,
 * then the signature, and only then parses the header JSON and inflates the
 * lists, each to exactly the byte length its size needs (a list that
 * inflates to more or less is malformed, so a decompression bomb stops at
 * one list's size).
 *
 * Why this shape: the lists are ~99% of the bytes and compress ~10–15× at a
 * 1% revoked/suspended rate (a 1,000,000-entry list is 250,000 bytes raw);
 * inflating them with zlib is far faster than parsing them out of JSON or
 * base64, and the small header stays readable with any JSON tool.
 */

/** "URBS". */
export const SNAPSHOT_MAGIC = Uint8Array.of(0x55, 0x52, 0x42, 0x53);
export const SNAPSHOT_FORMAT_VERSION = 1;
const PREAMBLE = 16;

/** Bounds applied when reading a snapshot. */
export interface SnapshotLimits {
  /** Largest file accepted (default 64 MiB) → `SNAPSHOT_TOO_LARGE`. */
  maxSnapshotBytes?: number;
  /** Largest JSON header (default 16 MiB). */
  maxHeaderBytes?: number;
  /** Most lists (default 4,096). */
  maxLists?: number;
  /** Most issuers (default 4,096). */
  maxIssuers?: number;
  /** Largest list after inflation (default 10 MiB, DESIGN §4). */
  maxListBytes?: number;
  /** Largest sum of inflated lists (default 256 MiB) → `SNAPSHOT_TOO_LARGE`. */
  maxTotalListBytes?: number;
}

export const DEFAULT_SNAPSHOT_LIMITS: Readonly<Required<SnapshotLimits>> = Object.freeze({
  maxSnapshotBytes: 64 * 1024 * 1024,
  maxHeaderBytes: 16 * 1024 * 1024,
  maxLists: 4096,
  maxIssuers: 4096,
  maxListBytes: DEFAULT_MAX_DECOMPRESSED_BYTES,
  maxTotalListBytes: 256 * 1024 * 1024,
});

/** A snapshot file split into its parts; nothing in it is verified or parsed yet. */
export interface SnapshotFrame {
  version: number;
  /** The signed bytes: preamble, header and payloads. */
  body: Uint8Array;
  header: Uint8Array;
  payloads: Uint8Array;
  /** The compact JWS of the trailer. */
  signature: string;
}

/** Serializes a snapshot's body (everything the signature covers). */
export function encodeSnapshotBody({ content, compression }: { content: SnapshotContent; compression: Compression }): Uint8Array {
  const payloads = content.lists.map((l) => {
    if (l.list.bits !== 2) throw new UrbisError('INVALID_ARGUMENT', 'snapshot lists have 2-bit entries');
    return compression.deflate(l.list.asBytes());
  });
  const header = utf8Encode(JSON.stringify(headerOf(content, payloads.map((p) => p.length))));
  const payloadLength = payloads.reduce((n, p) => n + p.length, 0);
  const body = new Uint8Array(PREAMBLE + header.length + payloadLength);
  const view = new DataView(body.buffer);
  body.set(SNAPSHOT_MAGIC, 0);
  view.setUint16(4, SNAPSHOT_FORMAT_VERSION, false);
  view.setUint16(6, 0, false);
  view.setUint32(8, header.length, false);
  view.setUint32(12, payloadLength, false);
  body.set(header, PREAMBLE);
  let offset = PREAMBLE + header.length;
  for (const p of payloads) {
    body.set(p, offset);
    offset += p.length;
  }
  return body;
}

/** Appends the signature trailer to a body. */
export function appendSignature(body: Uint8Array, signature: string): Uint8Array {
  const jws = utf8Encode(signature);
  if (jws.length > 0xffff) throw new UrbisError('INVALID_ARGUMENT', 'the snapshot signature is too long');
  const out = new Uint8Array(body.length + 2 + jws.length);
  out.set(body, 0);
  new DataView(out.buffer).setUint16(body.length, jws.length, false);
  out.set(jws, body.length + 2);
  return out;
}

/**
 * Splits a snapshot file into body, header, payloads and signature, checking
 * only the framing.
 *
 * @throws UrbisError `SNAPSHOT_TOO_LARGE` (above `maxSnapshotBytes`),
 *   `SNAPSHOT_MALFORMED` (not bytes, wrong magic, unknown version or flags,
 *   lengths that do not add up, bytes after the trailer).
 */
export function parseSnapshotFrame(bytes: Uint8Array, limits: SnapshotLimits = {}): SnapshotFrame {
  const { maxSnapshotBytes, maxHeaderBytes } = { ...DEFAULT_SNAPSHOT_LIMITS, ...limits };
  if (!(bytes instanceof Uint8Array)) throw new UrbisError('SNAPSHOT_MALFORMED', 'a snapshot is bytes');
  if (bytes.length > maxSnapshotBytes) throw new UrbisError('SNAPSHOT_TOO_LARGE', 'the snapshot exceeds the size limit');
  if (bytes.length < PREAMBLE + 2) throw new UrbisError('SNAPSHOT_MALFORMED', 'the snapshot is truncated');
  for (let i = 0; i < SNAPSHOT_MAGIC.length; i++) {
    if (bytes[i] !== SNAPSHOT_MAGIC[i]) throw new UrbisError('SNAPSHOT_MALFORMED', 'not an Urbis snapshot (magic)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4, false);
  if (version !== SNAPSHOT_FORMAT_VERSION) throw new UrbisError('SNAPSHOT_MALFORMED', `unsupported snapshot format version ${version}`);
  if (view.getUint16(6, false) !== 0) throw new UrbisError('SNAPSHOT_MALFORMED', 'unknown snapshot flags');
  const headerLength = view.getUint32(8, false);
  const payloadLength = view.getUint32(12, false);
  if (headerLength === 0 || headerLength > maxHeaderBytes) throw new UrbisError('SNAPSHOT_MALFORMED', 'the snapshot header length is out of range');
  const bodyLength = PREAMBLE + headerLength + payloadLength;
  if (bodyLength + 2 > bytes.length) throw new UrbisError('SNAPSHOT_MALFORMED', 'the snapshot is truncated');
  const signatureLength = view.getUint16(bodyLength, false);
  if (bodyLength + 2 + signatureLength !== bytes.length) {
    throw new UrbisError('SNAPSHOT_MALFORMED', bodyLength + 2 + signatureLength > bytes.length ? 'the snapshot is truncated' : 'bytes follow the snapshot signature');
  }
  const signatureBytes = bytes.subarray(bodyLength + 2);
  let signature = '';
  for (let i = 0; i < signatureBytes.length; i++) {
    const c = signatureBytes[i]!;
    if (c < 0x21 || c > 0x7e) throw new UrbisError('SNAPSHOT_MALFORMED', 'the snapshot signature is not a compact JWS');
    signature += String.fromCharCode(c);
  }
  return {
    version,
    body: bytes.subarray(0, bodyLength),
    header: bytes.subarray(PREAMBLE, PREAMBLE + headerLength),
    payloads: bytes.subarray(PREAMBLE + headerLength, bodyLength),
    signature,
  };
}

/**
 * Parses and checks the header of a frame, then inflates every list to
 * exactly its size. Call after the signature verified.
 *
 * @throws UrbisError `SNAPSHOT_MALFORMED` (header not JSON or not the
 *   expected shape, payload lengths that do not add up, a list that does not
 *   inflate to its size); `SNAPSHOT_TOO_LARGE` (the lists together above
 *   `maxTotalListBytes`).
 */
export function readSnapshotContent({
  frame,
  compression,
  limits = {},
}: {
  frame: SnapshotFrame;
  compression: Compression;
  limits?: SnapshotLimits;
}): SnapshotContent {
  const resolved = { ...DEFAULT_SNAPSHOT_LIMITS, ...limits };
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8Decode(frame.header));
  } catch (cause) {
    throw new UrbisError('SNAPSHOT_MALFORMED', 'the snapshot header is not UTF-8 JSON', { cause });
  }
  const header: SnapshotHeader = readHeader(parsed, {
    maxLists: resolved.maxLists,
    maxIssuers: resolved.maxIssuers,
    maxListEntries: Math.floor((resolved.maxListBytes * 8) / 2),
  });
  const declared = header.lists.reduce((n, l) => n + l.length, 0);
  if (declared !== frame.payloads.length) throw new UrbisError('SNAPSHOT_MALFORMED', 'the list payloads do not add up to the declared length');
  const total = header.lists.reduce((n, l) => n + byteLengthFor(l.size, 2), 0);
  if (total > resolved.maxTotalListBytes) throw new UrbisError('SNAPSHOT_TOO_LARGE', 'the snapshot lists exceed the total size limit');
  let offset = 0;
  const lists: SnapshotList[] = header.lists.map((l) => {
    const payload = frame.payloads.subarray(offset, offset + l.length);
    offset += l.length;
    const expected = byteLengthFor(l.size, 2);
    let bytes: Uint8Array;
    try {
      bytes = compression.inflate(payload, { maxOutputBytes: expected });
    } catch (cause) {
      if (isUrbisError(cause) && cause.code !== 'STATUS_LIST_MALFORMED' && cause.code !== 'STATUS_LIST_TOO_LARGE') throw cause;
      throw new UrbisError('SNAPSHOT_MALFORMED', `list ${l.listId} does not inflate to its size`, { cause });
    }
    if (bytes.length !== expected) throw new UrbisError('SNAPSHOT_MALFORMED', `list ${l.listId} does not inflate to its size`);
    return { listId: l.listId, uri: l.uri, sequence: l.sequence, list: StatusList.fromBytes({ bytes, bits: 2, size: l.size }) };
  });
  return {
    chainId: header.chainId,
    statusRegistry: header.statusRegistry,
    trustedIssuerRegistry: header.trustedIssuerRegistry,
    sync: header.sync,
    issuers: header.issuers,
    lists,
    journal: header.journal,
  };
}
