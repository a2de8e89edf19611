import { open, readFile, stat, unlink } from 'node:fs/promises';
import { UrbisError } from '../../core/errors/urbis-error.js';

/**
 * One process per terminal data folder: the replay journal is only safe
 * with one writer (a second process would neither see the first one's
 * accepted presentations nor keep its records through a compaction). The
 * lock is a file holding the owner's process id, created exclusively; a
 * lock left by a process that no longer runs is taken over.
 */

/** A held lock. */
export interface TerminalLock {
  /** Removes the lock file (idempotent). */
  release(): Promise<void>;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

async function isFresh(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs < 5_000;
}

/**
 * Takes the data folder's lock at `path`.
 *
 * @throws UrbisError `STATE_CONFLICT` when a running process (this one
 *   included) holds it. File-system errors pass through as Node errors.
 *
 * @example
 * ```ts
 * const lock = await acquireTerminalLock({ path: join(dataDir, 'terminal.lock') });
 * try { … } finally { await lock.release(); }
 * ```
 */
export async function acquireTerminalLock({ path }: { path: string }): Promise<TerminalLock> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      try {
        await handle.writeFile(`${process.pid}\n`);
      } finally {
        await handle.close();
      }
      let released = false;
      return {
        release: async () => {
          if (released) return;
          released = true;
          await unlink(path).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    const held = Number.isSafeInteger(owner) && owner > 0 ? isRunning(owner) : await isFresh(path); // no pid yet: being written just now
    if (held) throw new UrbisError('STATE_CONFLICT', 'another terminal process uses this data folder: stop it, or use its HTTP API');
    await unlink(path).catch(() => undefined);
  }
  throw new UrbisError('STATE_CONFLICT', 'the data folder lock could not be taken');
}
