/** Holder keys on Web Crypto, and where non-extractable handles are kept. Re-exports only. */
export { exportHolderKey, generateHolderKey, holderKeyFromCryptoKey, importHolderKey, type HolderKey } from './web-crypto-holder-keys.js';
export type { HolderKeyHandles } from './holder-key-handles.js';
export { createMemoryKeyHandles } from './memory-key-handles.js';
