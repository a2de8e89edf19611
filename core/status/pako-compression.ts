import { Inflate, deflate, gzip } from 'pako';
import { UrbisError } from '../errors/urbis-error.js';
import { checkCompressedInput, type Compression, type DecompressOptions } from './compression.js';

/**
 * The pure-JavaScript implementation of the {@link Compression} port, on pako
 * (zlib ported to JS), for browsers and other runtimes without node:zlib.
 *
 * Decompression streams: pako hands over the output chunk by chunk
 * (`chunkSize` bytes each) and the cap is checked on every chunk, so at most
 * `maxOutputBytes + chunkSize` bytes are ever held before a bomb is refused —
 * the stream is abandoned there, never inflated in full. The format is fixed
 * (ZLIB for `inflate`, GZIP for `gunzip`; no auto-detection) and bytes after
 * the end of the stream are refused, like the node:zlib implementation.
 *
 * Compression uses level 9, which reproduces the IETF draft's examples
 * (§4.1 and the Appendix C test vectors) byte for byte.
 *
 * @example
 * ```ts
 * const compression = createPakoCompression();
 * const reader = statusReaderFromTokenStatusList({ statusList: payload.status_list, compression });
 * ```
 */
export function createPakoCompression({ chunkSize = 64 * 1024 }: { chunkSize?: number } = {}): Compression {
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1024) {
    throw new UrbisError('INVALID_ARGUMENT', 'chunkSize must be an integer of at least 1024');
  }
  return {
    deflate: (bytes) => deflate(bytes, { level: 9 }),
    gzip: (bytes) => gzip(bytes, { level: 9 }),
    inflate: (bytes, options) => boundedInflate(bytes, options, ZLIB_WINDOW_BITS, chunkSize),
    gunzip: (bytes, options) => boundedInflate(bytes, options, GZIP_WINDOW_BITS, chunkSize),
  };
}

/** 32 KiB window, ZLIB wrapper only (an explicit value turns pako's auto-detection off). */
const ZLIB_WINDOW_BITS = 15;
/** 32 KiB window, GZIP wrapper only. */
const GZIP_WINDOW_BITS = 16 + 15;

/** Thrown from `onData` to abandon the stream; never escapes this module. */
const OVER_LIMIT = Symbol('over-limit');

interface PakoStream {
  strm: { avail_in: number };
}

function boundedInflate(
  bytes: Uint8Array,
  options: DecompressOptions,
  windowBits: number,
  chunkSize: number,
): Uint8Array {
  const { maxOutputBytes } = checkCompressedInput(bytes, options);
  const inflator = new Inflate({ windowBits, chunkSize });
  const chunks: Uint8Array[] = [];
  let total = 0;
  inflator.onData = (chunk) => {
    const data = chunk as Uint8Array;
    total += data.length;
    if (total > maxOutputBytes) throw OVER_LIMIT;
    chunks.push(data);
  };
  let finished: boolean;
  try {
    finished = inflator.push(bytes, true);
  } catch (cause) {
    if (cause === OVER_LIMIT) {
      throw new UrbisError('STATUS_LIST_TOO_LARGE', 'decompressed status list exceeds the size limit');
    }
    throw new UrbisError('STATUS_LIST_MALFORMED', 'status list is not valid compressed data', { cause });
  }
  if (!finished || inflator.err !== 0) {
    throw new UrbisError('STATUS_LIST_MALFORMED', 'status list is not valid compressed data');
  }
  if ((inflator as unknown as PakoStream).strm.avail_in !== 0) {
    throw new UrbisError('STATUS_LIST_MALFORMED', 'unexpected bytes after the compressed stream');
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
