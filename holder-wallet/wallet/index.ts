/**
 * The wallet's operations over its store: receive offers, trust issuers,
 * collect deferred issuances, refresh copies, re-issue after a restore,
 * count copies. Re-exports only.
 */
export { collectPending } from './collect-pending.js';
export { describeCopy, type CopyDescription, type StatusReference } from './copy-description.js';
export { copyInventory, stockKey, type CredentialStock } from './copy-inventory.js';
export { receiveOffer, type ReceivedOffer } from './receive-offer.js';
export { lowRefreshTargets, refreshCopies, reissueAfterRestore, type RefreshOptions, type RefreshOutcome, type RefreshTarget } from './refresh-copies.js';
export { keepIssued, storedCopies, walletLocalId, type ReceivedConfiguration } from './store-issued.js';
export { walletKeyFactory, type HolderKeyStorage, type WalletKeyFactory } from './wallet-key-factory.js';
export { distrustIssuer, trustIssuer, trustListOf } from './wallet-trust.js';
