import QRCode from 'qrcode';
import { UrbisError } from '../errors/urbis-error.js';
import type { QrCode } from './qr-code.js';

/** The modules of a QR code, without its quiet zone. */
export interface QrModules {
  /** Modules per side (17 + 4 × version). */
  size: number;
  /** Row-major, `size × size`: 1 for a dark module, 0 for a light one. */
  dark: Uint8Array;
}

/**
 * The module matrix of a code laid out by `layoutQr`: the same byte-mode
 * segment, version and level, encoded by the same library (qrcode, which
 * picks the same mask), so a printer drawing these modules prints exactly
 * the code the wallet shows. The quiet zone (4 modules) is the drawer's.
 *
 * @throws UrbisError `INVALID_ARGUMENT` when the code's version, level or
 *   size do not describe its data (a code not made by `layoutQr`).
 *
 * @example
 * ```ts
 * const { size, dark } = qrModules({ qr: await layoutQr({ data }) });
 * const isDark = (row: number, col: number) => dark[row * size + col] === 1;
 * ```
 */
export function qrModules({ qr }: { qr: Pick<QrCode, 'data' | 'level' | 'version' | 'size'> }): QrModules {
  const symbol = encode(qr);
  if (symbol.modules.size !== qr.size) throw new UrbisError('INVALID_ARGUMENT', 'the QR code size does not match its version');
  return { size: symbol.modules.size, dark: Uint8Array.from(symbol.modules.data, (bit) => (bit ? 1 : 0)) };
}

function encode({ data, level, version }: Pick<QrCode, 'data' | 'level' | 'version'>): ReturnType<typeof QRCode.create> {
  try {
    return QRCode.create([{ data, mode: 'byte' }], { errorCorrectionLevel: level, version });
  } catch {
    throw new UrbisError('INVALID_ARGUMENT', 'the QR code data does not fit its version and level');
  }
}
