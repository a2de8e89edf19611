import { UrbisError } from '../errors/urbis-error.js';

/**
 * Compression port for the status-list codecs: narrow function types in the
 * style of the crypto ports (`core/crypto/ports.ts`). Two implementations:
 * `createNodeCompression()` (node:zlib) and `createPakoCompression()` (pure
 * JS, for browsers). Both are synchronous.
 *
 * Decompression is always bounded: an implementation stops as soon as the
 * output would exceed `maxOutputBytes` (a decompression bomb never gets
 * inflated in full), and refuses compressed input above `maxInputBytes`.
 *
 * Error contract for `inflate` / `gunzip`:
 * - `STATUS_LIST_TOO_LARGE` — output above `maxOutputBytes`, or input above `maxInputBytes`;
 * - `STATUS_LIST_MALFORMED` — corrupt, truncated or wrong-format data, or
 *   bytes after the end of a zlib stream.
 */

/** Bounds for one decompression. */
export interface DecompressOptions {
  /** Largest decompressed size accepted, in bytes. */
  maxOutputBytes: number;
  /** Largest compressed size accepted, in bytes (default {@link compressedBound}`(maxOutputBytes)`). */
  maxInputBytes?: number;
}

/** DEFLATE with the ZLIB wrapper (RFC 1950/1951) — IETF Token Status List `lst`. */
export type InflateFunction = (bytes: Uint8Array, options: DecompressOptions) => Uint8Array;
/** ZLIB-wrapped DEFLATE at the highest level (9), as the IETF draft recommends (§4.1). */
export type DeflateFunction = (bytes: Uint8Array) => Uint8Array;
/** GZIP (RFC 1952) at level 9 — W3C Bitstring Status List `encodedList`. */
export type GzipFunction = (bytes: Uint8Array) => Uint8Array;
/** Bounded GZIP decompression (accepts concatenated members, as RFC 1952 allows). */
export type GunzipFunction = (bytes: Uint8Array, options: DecompressOptions) => Uint8Array;

/** Everything the status codecs need from a compression library. */
export interface Compression {
  inflate: InflateFunction;
  deflate: DeflateFunction;
  gzip: GzipFunction;
  gunzip: GunzipFunction;
}

/** Status lists are refused above 10 MiB decompressed (DESIGN §4). */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 10 * 1024 * 1024;

/**
 * Upper bound of the compressed size of `n` bytes, whatever the data (zlib's
 * `deflateBound` shape, plus room for ZLIB/GZIP headers and trailers): an
 * honest list of at most `n` bytes never compresses to more. Used as the
 * default compressed-input cap.
 */
export function compressedBound(n: number): number {
  return n + Math.ceil(n / 4096) + Math.ceil(n / 16384) + 64;
}

/** Limits the status codecs apply around a {@link Compression}. */
export interface DecompressionLimits {
  /** Default {@link DEFAULT_MAX_DECOMPRESSED_BYTES} (10 MiB). */
  maxDecompressedBytes?: number;
  /** Default {@link compressedBound}`(maxDecompressedBytes)`. */
  maxCompressedBytes?: number;
}

/**
 * Resolves {@link DecompressionLimits} into {@link DecompressOptions}.
 * @throws UrbisError `INVALID_ARGUMENT` for a non-positive or non-integer limit.
 */
export function resolveDecompressOptions(limits: DecompressionLimits = {}): Required<DecompressOptions> {
  const maxOutputBytes = limits.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const maxInputBytes = limits.maxCompressedBytes ?? compressedBound(maxOutputBytes);
  checkLimit(maxOutputBytes);
  checkLimit(maxInputBytes);
  return { maxOutputBytes, maxInputBytes };
}

/**
 * Shared guard for implementations: validates the options and refuses
 * oversized input before any work is done.
 * @throws UrbisError `STATUS_LIST_TOO_LARGE`, `INVALID_ARGUMENT`
 */
export function checkCompressedInput(bytes: Uint8Array, options: DecompressOptions): Required<DecompressOptions> {
  const resolved = resolveDecompressOptions({
    maxDecompressedBytes: options.maxOutputBytes,
    ...(options.maxInputBytes === undefined ? {} : { maxCompressedBytes: options.maxInputBytes }),
  });
  if (!(bytes instanceof Uint8Array)) throw new UrbisError('INVALID_ARGUMENT', 'compressed input must be bytes');
  if (bytes.length > resolved.maxInputBytes) {
    throw new UrbisError('STATUS_LIST_TOO_LARGE', 'compressed status list exceeds the input size limit');
  }
  return resolved;
}

function checkLimit(value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new UrbisError('INVALID_ARGUMENT', 'decompression limits must be positive integers');
  }
}
