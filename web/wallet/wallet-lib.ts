/**
 * The browser wallet's library entry: the holder-wallet library and its
 * browser adapters (IndexedDB storage and key handles), bundled by
 * `buildWalletBundle` into one ES module (`urbis-wallet.js`) the page imports.
 */
export * from '../../holder-wallet/index.js';
export * from '../../holder-wallet/browser/index.js';
