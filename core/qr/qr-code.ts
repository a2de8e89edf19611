import QRCode from 'qrcode';
import { UrbisError } from '../errors/urbis-error.js';
import { smallestVersion } from './qr-capacity.js';

/**
 * QR codes for everything Urbis shows or prints: presentations (wallet),
 * requests (terminal), offers and paper credentials (issuer). One layout
 * rule for all, so a terminal knows what it must scan.
 */

/** QR error-correction levels, from the least to the most redundant. */
export const QR_LEVELS = ['L', 'M', 'Q', 'H'] as const;

/** One of {@link QR_LEVELS}. */
export type QrLevel = (typeof QR_LEVELS)[number];

/** Bytes laid out as a QR code (byte mode). */
export interface QrCode {
  /** The bytes encoded, in byte mode. */
  data: Uint8Array;
  /** Error-correction level chosen. */
  level: QrLevel;
  /** QR version (1–40) at that level. */
  version: number;
  /** Modules per side (17 + 4 × version). */
  size: number;
  /** The version each level would need (`undefined` when the data does not fit at that level). */
  versionByLevel: Record<QrLevel, number | undefined>;
  /** SVG of the code (qrcode's default 4-module quiet zone). */
  svg: string;
}

/**
 * Lays bytes (or a string, as UTF-8) out as a byte-mode QR code of the
 * smallest version that holds them (which level L always gives), and at
 * that version the most redundant level that still fits: robustness for
 * free. Reports the version every level would need. Pure JS (no canvas:
 * SVG text), so it runs in Node and browsers.
 *
 * @throws UrbisError `INPUT_TOO_LARGE` when the data does not fit a
 *   version-40 code at level L; `INVALID_ARGUMENT` for empty data.
 *
 * @example
 * ```ts
 * const qr = await layoutQr({ data: requestLink });
 * console.log(`QR version ${qr.version}-${qr.level}`);
 * ```
 */
export async function layoutQr({ data }: { data: Uint8Array | string }): Promise<QrCode> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw new UrbisError('INVALID_ARGUMENT', 'a QR code needs some data');
  const versionByLevel = Object.fromEntries(QR_LEVELS.map((level) => [level, smallestVersion({ bytes: bytes.length, level })])) as Record<QrLevel, number | undefined>;
  const smallest = versionByLevel.L;
  if (smallest === undefined) throw new UrbisError('INPUT_TOO_LARGE', 'the data does not fit a QR code (version 40, level L)');
  const level = [...QR_LEVELS].reverse().find((l) => versionByLevel[l] === smallest)!;
  const svg = await QRCode.toString([{ data: bytes, mode: 'byte' }], { type: 'svg', errorCorrectionLevel: level, version: smallest });
  return { data: bytes, level, version: smallest, size: 17 + 4 * smallest, versionByLevel, svg };
}
