/** Node-only adapters of the wallet (file system). Never imported by the browser path. Re-exports only. */
export { createFileStorage } from './file-storage.js';
