/**
 * The citizen wallet library (browser-safe: no Node built-in on this path).
 * Node adapters (file storage, PNG QR, the `urbis wallet` CLI) are in
 * `holder-wallet/node/`; browser adapters (IndexedDB) in
 * `holder-wallet/browser/`. Re-exports only.
 */
export * from './crypto/index.js';
export * from './keys/index.js';
export * from './store/index.js';
export * from './oid4vci/index.js';
export * from './presentation/index.js';
export * from './qr/index.js';
export * from './wallet/index.js';
export * from './status/index.js';
export * from './history/index.js';
// Both keys/ and oid4vci/ name a `HolderKey`: the Web Crypto key (with its handle) wins here;
// the OID4VCI client's narrow port is `IssuanceHolderKey`.
export type { HolderKey } from './keys/index.js';
export type { HolderKey as IssuanceHolderKey } from './oid4vci/index.js';
