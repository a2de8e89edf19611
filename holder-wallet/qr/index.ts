/** QR codes of presentations (layout from core/qr). Re-exports only. */
export { QR_LEVELS, layoutQr, type QrCode, type QrLevel } from '../../core/qr/qr-code.js';
export { presentationQr, type PresentationQr, type PresentationQrEncoding } from './presentation-qr.js';
