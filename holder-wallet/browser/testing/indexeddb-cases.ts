import { generateHolderKey } from '../../keys/web-crypto-holder-keys.js';
import { WALLET_STORE_ERROR_CODES as CODES } from '../../store/wallet-store-errors.js';
import { openWalletStore } from '../../store/wallet-store.js';
import { check, checkEqual, checkRejects, checkThrows } from '../../testing/portable-assert.js';
import { HOLDER_KEYS_STORE, WALLET_DATABASE_VERSION, WALLET_FILES_STORE } from '../indexeddb-database.js';
import { createIndexedDbKeyHandles } from '../indexeddb-key-handles.js';
import { createIndexedDbStorage } from '../indexeddb-storage.js';

/**
 * Browser-only cases for the IndexedDB adapters themselves: what the
 * portable suite cannot reach through the WalletStorage / HolderKeyHandles
 * ports (a foreign value in the database, a newer or foreign schema, bad
 * arguments). They need a real IndexedDB, so only the browser wiring runs
 * them. Tests only.
 */

/** Fresh database names for one case. */
export interface IndexedDbCaseEnv {
  /** A database name of this case only. */
  databaseName(name: string): string;
}

export interface IndexedDbCase {
  name: string;
  run(env: IndexedDbCaseEnv): Promise<void>;
}

/** Opens `name` at `version` (the current one when omitted), creating `stores` on upgrade, and writes `value` under `key` in `store`. */
async function rawDatabase({ name, version, stores = [], put }: { name: string; version?: number; stores?: string[]; put?: { store: string; key: string; value: unknown } }): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = version === undefined ? indexedDB.open(name) : indexedDB.open(name, version);
    request.onupgradeneeded = () => {
      for (const store of stores) request.result.createObjectStore(store);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    if (put !== undefined) {
      await new Promise<void>((resolve, reject) => {
        const transaction = db.transaction(put.store, 'readwrite');
        transaction.objectStore(put.store).put(put.value, put.key);
        transaction.oncomplete = () => resolve();
        transaction.onabort = () => reject(transaction.error);
      });
    }
  } finally {
    db.close();
  }
}

/** The IndexedDB cases, in order. */
export const INDEXEDDB_CASES: readonly IndexedDbCase[] = Object.freeze([
  {
    name: 'indexeddb storage: a stored value that is not bytes is WALLET_STORE_CORRUPTED, and stays as it is',
    async run(env) {
      const databaseName = env.databaseName('wallet');
      const storage = createIndexedDbStorage({ databaseName });
      await storage.write(Uint8Array.of(1, 2, 3));
      for (const value of ['URBW as text', [1, 2, 3], new Uint16Array([1, 2]), { 0: 1, length: 1 }, null]) {
        await rawDatabase({ name: databaseName, put: { store: WALLET_FILES_STORE, key: 'wallet', value } });
        await checkRejects(storage.read(), CODES.corrupted, `reading ${Object.prototype.toString.call(value)}`);
        await checkRejects(openWalletStore({ storage: createIndexedDbStorage({ databaseName }), passphrase: 'p' }), CODES.corrupted, 'opening it as a wallet');
      }
      // An ArrayBuffer is bytes in spirit, but not what this storage writes: refused too.
      await rawDatabase({ name: databaseName, put: { store: WALLET_FILES_STORE, key: 'wallet', value: new ArrayBuffer(4) } });
      await checkRejects(storage.read(), CODES.corrupted, 'reading an ArrayBuffer');
    },
  },
  {
    name: 'indexeddb storage: wallets under different keys of one database are independent; key handles share the database',
    async run(env) {
      const databaseName = env.databaseName('shared');
      const a = createIndexedDbStorage({ databaseName, key: 'a' });
      const b = createIndexedDbStorage({ databaseName, key: 'b' });
      await a.write(Uint8Array.of(1));
      checkEqual(await b.read(), undefined, 'b before any write');
      await b.write(Uint8Array.of(2, 2));
      checkEqual([await a.read(), await b.read()], [Uint8Array.of(1), Uint8Array.of(2, 2)], 'a and b');
      const handles = createIndexedDbKeyHandles({ databaseName });
      const key = await generateHolderKey();
      await handles.put('a', key.cryptoKey);
      checkEqual(await a.read(), Uint8Array.of(1), 'a key handle under the same id does not touch the wallet file');
      const back = await handles.get('a');
      check(back !== undefined && back.type === 'private' && back.extractable === false, 'the handle comes back, private and non-extractable');
      checkEqual(await createIndexedDbKeyHandles({ databaseName: env.databaseName('elsewhere') }).get('a'), undefined, 'another database has no such handle');
    },
  },
  {
    name: 'indexeddb key handles: a stored value that is not a CryptoKey is WALLET_STORE_CORRUPTED; put takes only private CryptoKeys',
    async run(env) {
      const databaseName = env.databaseName('keys');
      const handles = createIndexedDbKeyHandles({ databaseName });
      const key = await generateHolderKey();
      await handles.put('k', key.cryptoKey);
      await rawDatabase({ name: databaseName, put: { store: HOLDER_KEYS_STORE, key: 'k', value: { kty: 'EC', crv: 'P-256' } } });
      await checkRejects(handles.get('k'), CODES.corrupted, 'a JWK-looking object where a handle was');
      const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
      await checkRejects(handles.put('k2', pair.publicKey), CODES.invalidArgument, 'a public key');
      await checkRejects(handles.put('k2', { type: 'private' } as unknown as CryptoKey), CODES.invalidArgument, 'a look-alike object');
      await checkRejects(handles.put('', key.cryptoKey), CODES.invalidArgument, 'an empty id');
      await checkRejects(handles.get(''), CODES.invalidArgument, 'get with an empty id');
      checkEqual(await handles.get('k2'), undefined, 'nothing stored by the refused puts');
    },
  },
  {
    name: 'indexeddb: a database of a newer schema version is WALLET_FORMAT_NEWER; one without the object stores is WALLET_STORE_CORRUPTED',
    async run(env) {
      const newer = env.databaseName('newer');
      await rawDatabase({ name: newer, version: WALLET_DATABASE_VERSION + 1, stores: [WALLET_FILES_STORE, HOLDER_KEYS_STORE] });
      await checkRejects(createIndexedDbStorage({ databaseName: newer }).read(), CODES.newerVersion, 'storage read');
      await checkRejects(createIndexedDbStorage({ databaseName: newer }).write(Uint8Array.of(1)), CODES.newerVersion, 'storage write');
      await checkRejects(createIndexedDbKeyHandles({ databaseName: newer }).get('k'), CODES.newerVersion, 'key handles');

      const foreign = env.databaseName('foreign');
      await rawDatabase({ name: foreign, version: WALLET_DATABASE_VERSION, stores: ['something-else'] });
      await checkRejects(createIndexedDbStorage({ databaseName: foreign }).read(), CODES.corrupted, 'a database without the wallet-files store');
      await checkRejects(createIndexedDbKeyHandles({ databaseName: foreign }).put('k', (await generateHolderKey()).cryptoKey), CODES.corrupted, 'a database without the holder-keys store');
    },
  },
  {
    name: 'indexeddb: bad arguments are INVALID_ARGUMENT',
    async run(env) {
      checkThrows(() => createIndexedDbStorage({ databaseName: '' }), CODES.invalidArgument, 'an empty database name');
      checkThrows(() => createIndexedDbStorage({ key: '' }), CODES.invalidArgument, 'an empty key');
      checkThrows(() => createIndexedDbStorage({ indexedDB: {} as IDBFactory }), CODES.invalidArgument, 'not an IDBFactory');
      checkThrows(() => createIndexedDbKeyHandles({ databaseName: 42 as unknown as string }), CODES.invalidArgument, 'a database name that is not a string');
      const storage = createIndexedDbStorage({ databaseName: env.databaseName('args') });
      await checkRejects(storage.write('bytes' as unknown as Uint8Array), CODES.invalidArgument, 'writing a string');
      await checkRejects(storage.write([1, 2] as unknown as Uint8Array), CODES.invalidArgument, 'writing an array');
      checkEqual(await storage.read(), undefined, 'nothing stored by the refused writes');
    },
  },
] satisfies IndexedDbCase[]);

/** The IndexedDB case names, in order. */
export const INDEXEDDB_CASE_NAMES: readonly string[] = Object.freeze(INDEXEDDB_CASES.map((c) => c.name));
