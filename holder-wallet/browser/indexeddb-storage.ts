import { UrbisError } from '../../core/errors/urbis-error.js';
import type { WalletStorage } from '../store/wallet-storage.js';
import { WALLET_FILES_STORE, walletDatabase, type WalletDatabaseOptions } from './indexeddb-database.js';

/** The record key of the wallet file unless told otherwise. */
export const DEFAULT_WALLET_FILE_KEY = 'wallet';

/**
 * A {@link WalletStorage} in the browser: the sealed wallet file is one
 * IndexedDB record (a `Uint8Array`, stored by structured clone) under `key`
 * in the wallet database's `wallet-files` object store.
 *
 * Whole-file and atomic: `write` is one `put` in one read-write transaction
 * (durability `strict`), so a failed or interrupted write leaves the old
 * bytes. `write` stores a tight copy of the bytes (never the rest of a
 * larger buffer they may view); `read` returns a fresh copy, or `undefined`
 * when nothing was ever written.
 *
 * @param args.databaseName IndexedDB database (default `urbis-wallet`); one per wallet profile.
 * @param args.key Record key of the file (default `wallet`): several wallets (or a backup) can share a database.
 * @param args.indexedDB The `IDBFactory` to use (default `globalThis.indexedDB`).
 * @throws UrbisError `INVALID_ARGUMENT` (an empty database name or key, not an
 *   `IDBFactory`), `CONFIG_INVALID` (no IndexedDB on this platform). `read`
 *   throws `WALLET_STORE_CORRUPTED` when the stored value is not bytes (or
 *   the database lacks the object store), `WALLET_FORMAT_NEWER` when the
 *   database has a newer schema; `write` throws `INVALID_ARGUMENT` for
 *   anything but a `Uint8Array`; both throw `DATABASE_UNAVAILABLE` when
 *   IndexedDB fails (quota, blocked, private mode), with its error as `cause`.
 *
 * @example
 * ```ts
 * const storage = createIndexedDbStorage({ databaseName: 'urbis-wallet' });
 * const store = (await storage.read()) === undefined
 *   ? await createWalletStore({ storage, passphrase })
 *   : await openWalletStore({ storage, passphrase });
 * ```
 */
export function createIndexedDbStorage({ key = DEFAULT_WALLET_FILE_KEY, ...options }: { key?: string } & WalletDatabaseOptions = {}): WalletStorage {
  if (typeof key !== 'string' || key.length === 0) throw new UrbisError('INVALID_ARGUMENT', 'the wallet file key must be a non-empty string');
  const files = walletDatabase({ store: WALLET_FILES_STORE, options });
  return {
    async read() {
      const value = await files.get(key);
      if (value === undefined) return undefined;
      if (!isUint8Array(value)) throw new UrbisError('WALLET_STORE_CORRUPTED', 'the wallet file is damaged: the stored value is not bytes');
      return Uint8Array.from(value);
    },
    async write(bytes) {
      if (!isUint8Array(bytes)) throw new UrbisError('INVALID_ARGUMENT', 'a wallet file is written as a Uint8Array');
      await files.put(key, Uint8Array.from(bytes));
    },
  };
}

/** A `Uint8Array`, from this realm or another (a structured clone may come from another one). */
function isUint8Array(value: unknown): value is Uint8Array {
  return Object.prototype.toString.call(value) === '[object Uint8Array]';
}
