import QRCode from 'qrcode';
import type { QrCode } from '../../core/qr/qr-code.js';

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
export async function presentationQrPng({ qr, scale = 4 }: { qr: Pick<QrCode, 'data' | 'level' | 'version'>; scale?: number }): Promise<Buffer> {
  return QRCode.toBuffer([{ data: qr.data, mode: 'byte' }], {
    type: 'png',
    errorCorrectionLevel: qr.level,
    version: qr.version,
    margin: 4,
    scale,
  });
}
