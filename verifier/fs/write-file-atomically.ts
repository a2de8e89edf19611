import { mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';

/**
 * Replaces the file at `path` with `bytes`, all or nothing: the bytes go to
 * a new `<path>.<random>.tmp` (mode 0o600), are flushed to disk, renamed over `path`, and
 * the directory is flushed, so once the promise resolves the new content
 * survives a crash, and a crash before that leaves the old file whole (and at
 * worst a stale `<path>.tmp`, which the next write truncates). The directory
 * is created (mode 0o700) if missing. One writer per path.
 *
 * @throws File-system errors (permissions, disk full) pass through as Node
 *   errors; the temporary file is then removed.
 * @example
 * ```ts
 * await writeFileAtomically({ path: '/var/lib/urbis/counters.json', bytes: new TextEncoder().encode(json) });
 * ```
 */
export async function writeFileAtomically({ path, bytes }: { path: string; bytes: Uint8Array }): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await writeFully({ handle, bytes, position: 0 });
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory({ directory });
}

/**
 * Writes all of `bytes` at `position` (a single `write` may write less).
 *
 * @throws File-system errors, as Node errors.
 * @example
 * ```ts
 * await writeFully({ handle, bytes: records, position: fileLength });
 * ```
 */
export async function writeFully({ handle, bytes, position }: { handle: FileHandle; bytes: Uint8Array; position: number }): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

/**
 * Flushes a directory entry (a rename, a new file) to disk; some platforms
 * (Windows) refuse to open a directory, so a failure is ignored.
 *
 * @example
 * ```ts
 * await syncDirectory({ directory: dirname(path) });
 * ```
 */
export async function syncDirectory({ directory }: { directory: string }): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}
