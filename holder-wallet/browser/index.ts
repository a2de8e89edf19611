/** Browser adapters of the wallet (IndexedDB storage and key handles). Re-exports only. */
export { DEFAULT_WALLET_DATABASE, HOLDER_KEYS_STORE, WALLET_DATABASE_VERSION, WALLET_FILES_STORE, type WalletDatabaseOptions } from './indexeddb-database.js';
export { DEFAULT_WALLET_FILE_KEY, createIndexedDbStorage } from './indexeddb-storage.js';
export { createIndexedDbKeyHandles } from './indexeddb-key-handles.js';
