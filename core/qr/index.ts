/** QR layout shared by the wallet, the terminal and the issuer. Re-exports only. */
export { QR_LEVELS, layoutQr, type QrCode, type QrLevel } from './qr-code.js';
export { qrModules, type QrModules } from './qr-modules.js';
