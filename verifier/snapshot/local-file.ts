import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { writeFileAtomically } from '../fs/write-file-atomically.js';

/**
 * The terminal's files (its snapshot, its snapshot key): read with a size
 * bound checked before any byte is read, and replaced atomically (temporary
 * file in the same directory, flushed, renamed over the old one, directory
 * flushed), so a crash or a failed write leaves the previous file whole.
 */

/**
 * Reads a file, refusing one above `maxBytes` before reading it.
 *
 * @throws UrbisError `SNAPSHOT_MISSING` (no file),
 *   `SNAPSHOT_TOO_LARGE`, `SNAPSHOT_STORAGE_FAILED` (any other file-system
 *   failure; `SNAPSHOT_STORAGE_FAILED`).
 *
 * @example
 * ```ts
 * const bytes = await readLocalFile({ path: '/var/lib/urbis/terminal.snapshot', maxBytes: 64 * 1024 * 1024 });
 * ```
 */
export async function readLocalFile({ path, maxBytes }: { path: string; maxBytes: number }): Promise<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(resolve(path), 'r');
  } catch (error) {
    throw fileError(error, 'read');
  }
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw new UrbisError('SNAPSHOT_TOO_LARGE', 'the file exceeds the size limit');
    const bytes = new Uint8Array(size);
    let offset = 0;
    while (offset < size) {
      const { bytesRead } = await handle.read(bytes, offset, size - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    // A file that shrank while being read is cut short: the framing check refuses it.
    return offset === size ? bytes : bytes.subarray(0, offset);
  } catch (error) {
    throw error instanceof UrbisError ? error : fileError(error, 'read');
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Replaces the file at `path` with `bytes` atomically (mode 0o600; the
 * directory is created, mode 0o700, if missing).
 *
 * @throws UrbisError `SNAPSHOT_STORAGE_FAILED`: the
 *   file could not be written; the previous file, if any, is unchanged.
 *
 * @example
 * ```ts
 * await writeLocalFile({ path: '/var/lib/urbis/terminal.snapshot', bytes });
 * ```
 */
export async function writeLocalFile({ path, bytes }: { path: string; bytes: Uint8Array }): Promise<void> {
  try {
    await writeFileAtomically({ path: resolve(path), bytes });
  } catch (error) {
    throw fileError(error, 'write');
  }
}

function fileError(error: unknown, action: 'read' | 'write'): UrbisError {
  const code = (error as { code?: unknown }).code;
  if (action === 'read' && code === 'ENOENT') return new UrbisError('SNAPSHOT_MISSING', 'there is no file at that path yet', { cause: error });
  return new UrbisError('SNAPSHOT_STORAGE_FAILED', `the file could not be ${action === 'read' ? 'read' : 'written'}${typeof code === 'string' ? ` (${code})` : ''}`, { cause: error });
}
