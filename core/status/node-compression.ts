import { constants as bufferConstants } from 'node:buffer';
import { deflateSync, gunzipSync, gzipSync, inflateSync, type ZlibOptions } from 'node:zlib';
import { UrbisError } from '../errors/urbis-error.js';
import { checkCompressedInput, type Compression, type DecompressOptions } from './compression.js';

/**
 * The Node implementation of the {@link Compression} port, on node:zlib (the
 * only module of `core/` that imports it).
 *
 * Decompression passes zlib's `maxOutputLength`, so zlib stops as soon as the
 * output would pass the cap (a 2 GiB bomb is refused after ~10 MiB of work),
 * and checks that the whole input was consumed (no bytes after the stream).
 * Compression uses level 9, the level the IETF draft recommends and the one
 * that reproduces its §4.1 examples byte for byte.
 *
 * Only runs in Node; browsers use {@link createPakoCompression}.
 *
 * @example
 * ```ts
 * const compression = createNodeCompression();
 * const lst = encodeTokenStatusList({ list, compression });
 * ```
 */
export function createNodeCompression(): Compression {
  return {
    deflate: (bytes) => plain(deflateSync(bytes, { level: 9 })),
    gzip: (bytes) => plain(gzipSync(bytes, { level: 9 })),
    inflate: (bytes, options) => bounded(inflateSync, bytes, options),
    gunzip: (bytes, options) => bounded(gunzipSync, bytes, options),
  };
}

type SyncZlib = (buf: Uint8Array, options?: ZlibOptions) => Buffer;

interface ZlibInfo {
  buffer: Buffer;
  engine: { bytesWritten: number };
}

function bounded(run: SyncZlib, bytes: Uint8Array, options: DecompressOptions): Uint8Array {
  const { maxOutputBytes } = checkCompressedInput(bytes, options);
  let result: ZlibInfo;
  try {
    // `info: true` returns the engine too, whose bytesWritten tells how much
    // input the stream used.
    result = run(bytes, {
      maxOutputLength: Math.min(maxOutputBytes, bufferConstants.MAX_LENGTH),
      info: true,
    } as ZlibOptions) as unknown as ZlibInfo;
  } catch (cause) {
    if ((cause as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new UrbisError('STATUS_LIST_TOO_LARGE', 'decompressed status list exceeds the size limit', { cause });
    }
    throw new UrbisError('STATUS_LIST_MALFORMED', 'status list is not valid compressed data', { cause });
  }
  if (result.engine.bytesWritten !== bytes.length) {
    throw new UrbisError('STATUS_LIST_MALFORMED', 'unexpected bytes after the compressed stream');
  }
  return plain(result.buffer);
}

/** A Buffer as a plain Uint8Array view (no copy). */
function plain(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
