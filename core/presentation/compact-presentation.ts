import { base64urlDecode, base64urlEncode } from '../encoding/base64url.js';
import { UrbisError } from '../errors/urbis-error.js';
import type { Compression } from '../status/compression.js';
import { createPakoCompression } from '../status/pako-compression.js';

/**
 * The compact QR form of a presentation: the same bytes the text form
 * carries, without the base64url inflation, deflated. An SD-JWT+KB is a
 * string of base64url pieces joined by `.` and `~`; the compact form keeps
 * each piece as the bytes it encodes (JSON text, 64-byte signatures), the
 * joins as one byte each, and deflates the lot (the JSON headers, claim
 * names and the base64url digests inside the issuer payload compress).
 * Decoding gives back the exact presentation string, so signatures, digests
 * and `sd_hash` are checked on exactly what the wallet signed.
 *
 * A QR code in byte mode carries these bytes as they are: for a 2-claim
 * resident presentation, about a quarter fewer than the text form, which is
 * what brings it to QR version 25 at level L (see bench/results/wallet.json).
 *
 * Layout (before deflate): `0x01` (one presentation) + pieces, or `0x02`
 * (an OpenID4VP `vp_token` object) + varint count + per entry a varint-length
 * UTF-8 query id and the pieces of its one presentation. Pieces: varint
 * length + bytes, each followed by a separator byte (`0` `.`, `1` `~`,
 * `2` end). After deflate, the whole is prefixed with {@link COMPACT_PRESENTATION_MAGIC}.
 */

/** First bytes of a compact presentation: "UQ" and the format version 1. */
export const COMPACT_PRESENTATION_MAGIC = Uint8Array.of(0x55, 0x51, 0x01);

/** Largest presentation text a compact form may expand to (DESIGN §4: 64 KiB). */
export const MAX_COMPACT_EXPANDED_BYTES = 64 * 1024;

const SEPARATORS = ['.', '~'] as const;
const END = 2;
const SINGLE = 1;
const VP_TOKEN = 2;

/**
 * Encodes a presentation (one SD-JWT+KB, or a `vp_token` JSON object whose
 * values are one-presentation arrays) in its compact QR form.
 *
 * @throws UrbisError `INVALID_ARGUMENT` when the text is not made of
 *   canonical base64url pieces joined by `.` and `~` (the compact form must
 *   give back the same string), or a `vp_token` of another shape.
 *
 * @example
 * ```ts
 * const bytes = encodeCompactPresentation({ text: result.text }); // QR byte mode
 * ```
 */
export function encodeCompactPresentation({ text, compression = createPakoCompression() }: { text: string; compression?: Pick<Compression, 'deflate'> }): Uint8Array {
  if (typeof text !== 'string' || text.length === 0) throw new UrbisError('INVALID_ARGUMENT', 'a presentation is a non-empty string');
  const out: number[] = [];
  if (text.startsWith('{')) {
    let token: unknown;
    try {
      token = JSON.parse(text);
    } catch (cause) {
      throw new UrbisError('INVALID_ARGUMENT', 'the vp_token is not JSON', { cause });
    }
    const entries = typeof token === 'object' && token !== null && !Array.isArray(token) ? Object.entries(token) : [];
    if (entries.length === 0 || !entries.every(([, v]) => Array.isArray(v) && v.length === 1 && typeof v[0] === 'string')) {
      throw new UrbisError('INVALID_ARGUMENT', 'a vp_token maps query ids to one presentation each');
    }
    out.push(VP_TOKEN);
    writeVarint(out, entries.length);
    for (const [queryId, [presentation]] of entries as [string, [string]][]) {
      writeBytes(out, new TextEncoder().encode(queryId));
      writePieces(out, presentation);
    }
  } else {
    out.push(SINGLE);
    writePieces(out, text);
  }
  const deflated = compression.deflate(Uint8Array.from(out));
  const framed = new Uint8Array(COMPACT_PRESENTATION_MAGIC.length + deflated.length);
  framed.set(COMPACT_PRESENTATION_MAGIC);
  framed.set(deflated, COMPACT_PRESENTATION_MAGIC.length);
  return framed;
}

/** Whether bytes start like a compact presentation (a cheap test before {@link decodeCompactPresentation}). */
export function isCompactPresentation(bytes: Uint8Array): boolean {
  return bytes.length > COMPACT_PRESENTATION_MAGIC.length && COMPACT_PRESENTATION_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Gives back the presentation text of a compact form (an SD-JWT+KB, or the
 * `vp_token` JSON). Bounded: the inflated form and the text are refused
 * above {@link MAX_COMPACT_EXPANDED_BYTES}, before they are built.
 *
 * @throws UrbisError `INPUT_TOO_LARGE` (expands too far), `BODY_INVALID`
 *   (not a compact presentation, a damaged or truncated one).
 *
 * @example
 * ```ts
 * const text = decodeCompactPresentation({ bytes: scanned.binaryData });
 * ```
 */
export function decodeCompactPresentation({ bytes, compression = createPakoCompression() }: { bytes: Uint8Array; compression?: Pick<Compression, 'inflate'> }): string {
  if (!(bytes instanceof Uint8Array) || !isCompactPresentation(bytes)) throw new UrbisError('BODY_INVALID', 'not a compact presentation');
  let body: Uint8Array;
  try {
    body = compression.inflate(bytes.subarray(COMPACT_PRESENTATION_MAGIC.length), { maxOutputBytes: MAX_COMPACT_EXPANDED_BYTES });
  } catch (cause) {
    if (cause instanceof UrbisError && (cause.code === 'STATUS_LIST_TOO_LARGE' || cause.code === 'INPUT_TOO_LARGE')) {
      throw new UrbisError('INPUT_TOO_LARGE', 'the compact presentation expands beyond 64 KiB', { cause });
    }
    throw new UrbisError('BODY_INVALID', 'the compact presentation does not inflate', { cause });
  }
  const reader: Reader = { bytes: body, at: 0 };
  const kind = readByte(reader);
  let text: string;
  if (kind === SINGLE) {
    text = readPieces(reader);
  } else if (kind === VP_TOKEN) {
    const count = readVarint(reader);
    if (count < 1 || count > 32) throw new UrbisError('BODY_INVALID', 'the compact vp_token holds 1 to 32 presentations');
    const token: Record<string, [string]> = {};
    for (let i = 0; i < count; i++) {
      const queryId = decodeUtf8(readBytes(reader));
      if (Object.hasOwn(token, queryId)) throw new UrbisError('BODY_INVALID', 'the compact vp_token repeats a query id');
      token[queryId] = [readPieces(reader)];
    }
    text = JSON.stringify(token);
  } else {
    throw new UrbisError('BODY_INVALID', 'unknown compact presentation kind');
  }
  if (reader.at !== body.length) throw new UrbisError('BODY_INVALID', 'trailing bytes after the compact presentation');
  if (text.length > MAX_COMPACT_EXPANDED_BYTES) throw new UrbisError('INPUT_TOO_LARGE', 'the presentation is larger than 64 KiB');
  return text;
}

function writePieces(out: number[], presentation: string): void {
  let start = 0;
  for (let i = 0; i <= presentation.length; i++) {
    const ch = i === presentation.length ? undefined : presentation[i];
    const separator = ch === undefined ? END : SEPARATORS.indexOf(ch as (typeof SEPARATORS)[number]);
    if (ch !== undefined && separator === -1) continue;
    const piece = presentation.slice(start, i);
    let bytes: Uint8Array;
    try {
      bytes = base64urlDecode(piece);
    } catch (cause) {
      throw new UrbisError('INVALID_ARGUMENT', 'a presentation is base64url pieces joined by "." and "~"', { cause });
    }
    if (base64urlEncode(bytes) !== piece) throw new UrbisError('INVALID_ARGUMENT', 'a presentation piece is not canonical base64url');
    writeBytes(out, bytes);
    out.push(separator);
    start = i + 1;
  }
}

function readPieces(reader: Reader): string {
  let text = '';
  for (;;) {
    text += base64urlEncode(readBytes(reader));
    const separator = readByte(reader);
    if (separator === END) return text;
    const join = SEPARATORS[separator];
    if (join === undefined) throw new UrbisError('BODY_INVALID', 'unknown separator in the compact presentation');
    text += join;
    if (text.length > MAX_COMPACT_EXPANDED_BYTES) throw new UrbisError('INPUT_TOO_LARGE', 'the presentation is larger than 64 KiB');
  }
}

interface Reader {
  bytes: Uint8Array;
  at: number;
}

function writeVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

function writeBytes(out: number[], bytes: Uint8Array): void {
  writeVarint(out, bytes.length);
  for (const b of bytes) out.push(b);
}

function readByte(reader: Reader): number {
  const b = reader.bytes[reader.at];
  if (b === undefined) throw new UrbisError('BODY_INVALID', 'the compact presentation is truncated');
  reader.at++;
  return b;
}

function readVarint(reader: Reader): number {
  let value = 0;
  for (let shift = 0; shift < 28; shift += 7) {
    const b = readByte(reader);
    value |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return value;
  }
  throw new UrbisError('BODY_INVALID', 'a length in the compact presentation is too long');
}

function readBytes(reader: Reader): Uint8Array {
  const length = readVarint(reader);
  if (length > reader.bytes.length - reader.at) throw new UrbisError('BODY_INVALID', 'the compact presentation is truncated');
  const bytes = reader.bytes.subarray(reader.at, reader.at + length);
  reader.at += length;
  return bytes;
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new UrbisError('BODY_INVALID', 'a query id is not UTF-8', { cause });
  }
}
