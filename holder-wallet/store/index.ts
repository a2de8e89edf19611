/** The encrypted wallet store, its storage port, backup and restore. Re-exports only. */
export type { WalletStorage } from './wallet-storage.js';
export { createMemoryStorage } from './memory-storage.js';
export {
  WALLET_DOCUMENT_VERSION,
  checkWalletDocument,
  emptyWalletDocument,
  type HistoryEntry,
  type PresentationFlow,
  type StoredCredential,
  type StoredCredentialFormat,
  type StoredHolderKey,
  type TrustedIssuerEntry,
  type WalletDocument,
} from './wallet-document.js';
export {
  DEFAULT_WALLET_KDF,
  PASSPHRASE_CHECK_BYTES,
  WALLET_KDF_LIMITS,
  WALLET_SALT_BYTES,
  checkScryptParams,
  derivePassphraseKey,
  passphraseBytes,
  type PassphraseKey,
  type ScryptParams,
} from './passphrase-key.js';
export { WALLET_FILE_FORMAT_VERSION, WALLET_FILE_MAGIC, parseWalletFile, sealWalletFile, unsealWalletFile, type WalletFileFrame } from './sealed-wallet-file.js';
export { WALLET_STORE_ERROR_CODES } from './wallet-store-errors.js';
export { createWalletStore, openWalletStore, type WalletStore } from './wallet-store.js';
export { createHolderKeyRecord, holderKeyForRecord } from './holder-key-record.js';
export { createBackup, restoreBackup, type ReissuanceNeed, type ReissuanceReason, type RestoreResult } from './backup.js';
