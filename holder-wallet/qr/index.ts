/** QR codes of presentations and offers. Re-exports only. */
export { presentationQr, QR_LEVELS, type PresentationQr, type QrLevel } from './presentation-qr.js';
