import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { WalletStorage } from '../store/wallet-storage.js';

/**
 * A {@link WalletStorage} over one file, for Node (the CLI). Writes are
 * atomic: the bytes go to a temporary file in the same directory (created
 * exclusively, mode 0o600), are flushed to disk, then renamed over the
 * wallet file, and the directory is flushed; a crash or a failed write
 * leaves the old file whole. The directory is created (mode 0o700) on the
 * first write.
 *
 * @throws UrbisError `INVALID_ARGUMENT` for an empty path. File-system
 *   errors (permissions, disk full) pass through as Node errors.
 *
 * @example
 * ```ts
 * const storage = createFileStorage({ path: join(homedir(), '.urbis', 'wallet.urbw') });
 * const store = await openWalletStore({ storage, passphrase });
 * ```
 */
export function createFileStorage({ path }: { path: string }): WalletStorage {
  if (typeof path !== 'string' || path.length === 0) throw new UrbisError('INVALID_ARGUMENT', 'the wallet file needs a path');
  const file = resolve(path);
  const directory = dirname(file);
  return {
    async read() {
      try {
        const buffer = await readFile(file);
        return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async write(bytes) {
      await mkdir(directory, { recursive: true, mode: 0o700 });
      const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        const handle = await open(temporary, 'wx', 0o600);
        try {
          await handle.writeFile(bytes);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temporary, file);
      } catch (error) {
        await unlink(temporary).catch(() => undefined);
        throw error;
      }
      await syncDirectory(directory);
    },
  };
}

/** Flushes a directory entry (the rename) to disk; not every platform allows it (Windows), so failure is ignored. */
async function syncDirectory(directory: string): Promise<void> {
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
