import { UrbisError } from '../../core/errors/urbis-error.js';

/**
 * The wallet's IndexedDB database, shared by the browser storage
 * (`indexeddb-storage.ts`) and key handles (`indexeddb-key-handles.ts`):
 * schema version 1 holds two object stores with out-of-line keys,
 * {@link WALLET_FILES_STORE} (sealed wallet files, by key) and
 * {@link HOLDER_KEYS_STORE} (non-extractable `CryptoKey` handles, by key id).
 *
 * Every operation opens the database, runs one transaction and closes it
 * again, so no connection is left open to block another tab's upgrade.
 */

/** The database name both adapters use unless told otherwise. */
export const DEFAULT_WALLET_DATABASE = 'urbis-wallet';
/** The schema version this code creates and reads. A database at a higher version was made by a newer wallet. */
export const WALLET_DATABASE_VERSION = 1;
/** Object store of sealed wallet files. */
export const WALLET_FILES_STORE = 'wallet-files';
/** Object store of holder key handles. */
export const HOLDER_KEYS_STORE = 'holder-keys';

const STORES = [WALLET_FILES_STORE, HOLDER_KEYS_STORE] as const;
type WalletObjectStore = (typeof STORES)[number];

/** Where and what to open: checked by {@link walletDatabase}. */
export interface WalletDatabaseOptions {
  /** The database name (default {@link DEFAULT_WALLET_DATABASE}). */
  databaseName?: string;
  /** The `IDBFactory` (default `globalThis.indexedDB`). */
  indexedDB?: IDBFactory;
}

/** One object store of the wallet database, used one transaction at a time. */
export interface WalletDatabase {
  /** Reads the value under `key` (`undefined` when there is none) in a read-only transaction. */
  get(key: string): Promise<unknown>;
  /** Writes `value` under `key` in one read-write transaction; resolves once the transaction has committed. */
  put(key: string, value: unknown): Promise<void>;
  /** Deletes `key` in one read-write transaction; resolves once committed. */
  delete(key: string): Promise<void>;
}

/**
 * Checks the options and returns one object store of the wallet database.
 * Nothing is opened until the first call.
 *
 * @throws UrbisError `INVALID_ARGUMENT` (a database name that is not a
 *   non-empty string, an `indexedDB` that is not an `IDBFactory`),
 *   `CONFIG_INVALID` (the platform has no IndexedDB). Its methods throw
 *   `INVALID_ARGUMENT` (a key that is not a non-empty string),
 *   `WALLET_FORMAT_NEWER` (the database has a newer schema version),
 *   `WALLET_STORE_CORRUPTED` (the database lacks the object store),
 *   `DATABASE_UNAVAILABLE` (IndexedDB refused: blocked, quota, private mode,
 *   aborted transaction; the IndexedDB error is the `cause`).
 *
 * @example
 * ```ts
 * const files = walletDatabase({ store: WALLET_FILES_STORE, options: { databaseName: 'urbis-wallet' } });
 * await files.put('wallet', bytes);
 * ```
 */
export function walletDatabase({ store, options = {} }: { store: WalletObjectStore; options?: WalletDatabaseOptions }): WalletDatabase {
  const { databaseName = DEFAULT_WALLET_DATABASE } = options ?? {};
  if (typeof databaseName !== 'string' || databaseName.length === 0) throw new UrbisError('INVALID_ARGUMENT', 'databaseName must be a non-empty string');
  const factory = options?.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (factory === undefined) throw new UrbisError('CONFIG_INVALID', 'IndexedDB (globalThis.indexedDB) is not available on this platform');
  if (typeof factory?.open !== 'function') throw new UrbisError('INVALID_ARGUMENT', 'indexedDB must be an IDBFactory');

  const run = async <T>(mode: IDBTransactionMode, key: string, task: (objects: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    if (typeof key !== 'string' || key.length === 0) throw new UrbisError('INVALID_ARGUMENT', 'an IndexedDB key must be a non-empty string');
    const db = await openDatabase(factory, databaseName);
    try {
      if (!db.objectStoreNames.contains(store)) {
        throw new UrbisError('WALLET_STORE_CORRUPTED', `the wallet database has no "${store}" object store`);
      }
      return await transact(db, store, mode, task);
    } finally {
      db.close();
    }
  };

  return {
    get: (key) => run('readonly', key, (objects) => objects.get(key)),
    put: async (key, value) => {
      await run('readwrite', key, (objects) => objects.put(value, key));
    },
    delete: async (key) => {
      await run('readwrite', key, (objects) => objects.delete(key));
    },
  };
}

function unavailable(what: string, cause: unknown): UrbisError {
  return new UrbisError('DATABASE_UNAVAILABLE', `IndexedDB ${what}`, { cause });
}

/** Opens (creating or upgrading to version 1 when needed) the wallet database. */
function openDatabase(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(name, WALLET_DATABASE_VERSION);
    } catch (cause) {
      reject(unavailable('refused to open the wallet database', cause));
      return;
    }
    request.onupgradeneeded = () => {
      const db = request.result;
      for (const store of STORES) {
        if (!db.objectStoreNames.contains(store)) db.createObjectStore(store);
      }
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab upgrading the schema: let it (this connection is short-lived anyway).
      db.onversionchange = () => db.close();
      resolve(db);
    };
    request.onerror = (event) => {
      event.preventDefault();
      const error = request.error;
      if (error?.name === 'VersionError') {
        reject(new UrbisError('WALLET_FORMAT_NEWER', 'the wallet database was created by a newer wallet version: update the wallet', { cause: error }));
      } else {
        reject(unavailable('could not open the wallet database', error));
      }
    };
    request.onblocked = () => {
      // Only an upgrade can block; it proceeds once older connections close. Wait for success or error.
    };
  });
}

/** Runs one request in one transaction; resolves with its result once the transaction has committed. */
function transact<T>(db: IDBDatabase, store: string, mode: IDBTransactionMode, task: (objects: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    let transaction: IDBTransaction;
    let request: IDBRequest<T>;
    try {
      // 'strict': `complete` fires only once the data is flushed to disk (a wallet write must survive a crash).
      transaction = db.transaction(store, mode, { durability: 'strict' });
      request = task(transaction.objectStore(store));
    } catch (cause) {
      reject(unavailable(`refused the ${mode} transaction`, cause));
      return;
    }
    transaction.oncomplete = () => resolve(request.result);
    transaction.onabort = () => reject(unavailable(`aborted the ${mode} transaction`, transaction.error ?? request.error));
    // An error aborts the transaction; `onabort` reports it.
  });
}
