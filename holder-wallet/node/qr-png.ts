import QRCode from 'qrcode';
import type { PresentationQr } from '../qr/presentation-qr.js';

/**
 * The PNG of a presentation QR (byte mode, at the version and level
 * `presentationQr` chose), `scale` pixels per module, with the standard
 * 4-module quiet zone. Node only (qrcode's PNG writer uses Node streams).
 *
 * @example
 * ```ts
 * await writeFile('presentation.png', await presentationQrPng({ qr: await presentationQr({ text }) }));
 * ```
 */
export async function presentationQrPng({ qr, scale = 4 }: { qr: Pick<PresentationQr, 'text' | 'level' | 'version'>; scale?: number }): Promise<Buffer> {
  return QRCode.toBuffer([{ data: new TextEncoder().encode(qr.text), mode: 'byte' }], {
    type: 'png',
    errorCorrectionLevel: qr.level,
    version: qr.version,
    margin: 4,
    scale,
  });
}
