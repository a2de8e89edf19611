import { UrbisError } from '../../core/errors/urbis-error.js';
import type { HolderKeyHandles } from '../keys/holder-key-handles.js';
import { HOLDER_KEYS_STORE, walletDatabase, type WalletDatabaseOptions } from './indexeddb-database.js';

/**
 * {@link HolderKeyHandles} in the browser: each non-extractable holder key's
 * `CryptoKey` is stored as it is (IndexedDB takes `CryptoKey`s by structured
 * clone and keeps them non-extractable) in the wallet database's
 * `holder-keys` object store, by key id. The private key never exists as
 * bytes the page can read; it survives reloads and browser restarts, and
 * stays on this device (a backup lists its copies for re-issuance).
 *
 * @param args.databaseName IndexedDB database (default `urbis-wallet`, the one the storage uses).
 * @param args.indexedDB The `IDBFactory` to use (default `globalThis.indexedDB`).
 * @throws UrbisError `INVALID_ARGUMENT` (an empty database name, not an
 *   `IDBFactory`), `CONFIG_INVALID` (no IndexedDB). Its methods throw
 *   `INVALID_ARGUMENT` (an empty id; `put` of something that is not a
 *   private `CryptoKey`), `WALLET_STORE_CORRUPTED` (`get` finds a value that
 *   is not a `CryptoKey`), `WALLET_FORMAT_NEWER` (newer database schema),
 *   `DATABASE_UNAVAILABLE` (IndexedDB failed; its error is the `cause`).
 *
 * @example
 * ```ts
 * const handles = createIndexedDbKeyHandles();
 * const holderKey = await generateHolderKey({ extractable: false });
 * const record = await createHolderKeyRecord({ holderKey, handles, createdAt: now });
 * // after a reload:
 * const again = await holderKeyForRecord({ record, handles: createIndexedDbKeyHandles() });
 * ```
 */
export function createIndexedDbKeyHandles(options: WalletDatabaseOptions = {}): HolderKeyHandles {
  const keys = walletDatabase({ store: HOLDER_KEYS_STORE, options });
  return {
    async get(id) {
      const value = await keys.get(id);
      if (value === undefined) return undefined;
      if (!isCryptoKey(value)) throw new UrbisError('WALLET_STORE_CORRUPTED', 'the stored holder key handle is not a CryptoKey');
      return value;
    },
    async put(id, cryptoKey) {
      if (!isCryptoKey(cryptoKey) || cryptoKey.type !== 'private') throw new UrbisError('INVALID_ARGUMENT', 'a holder key handle is a private CryptoKey');
      await keys.put(id, cryptoKey);
    },
    delete: (id) => keys.delete(id),
  };
}

function isCryptoKey(value: unknown): value is CryptoKey {
  return Object.prototype.toString.call(value) === '[object CryptoKey]';
}
