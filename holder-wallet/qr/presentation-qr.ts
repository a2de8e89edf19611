import QRCode from 'qrcode';
import { UrbisError } from '../../core/errors/urbis-error.js';

/** QR error-correction levels, from the least to the most redundant. */
export const QR_LEVELS = ['L', 'M', 'Q', 'H'] as const;

/** One of {@link QR_LEVELS}. */
export type QrLevel = (typeof QR_LEVELS)[number];

/** A presentation (or offer) laid out as a QR code. */
export interface PresentationQr {
  /** The text encoded, in byte mode. */
  text: string;
  /** Error-correction level chosen. */
  level: QrLevel;
  /** QR version (1–40) at that level. */
  version: number;
  /** Modules per side (17 + 4 × version). */
  size: number;
  /** The version each level would need (`undefined` when the text does not fit at that level). */
  versionByLevel: Record<QrLevel, number | undefined>;
  /** SVG of the code (no quiet-zone styling beyond qrcode's default margin). */
  svg: string;
}

function versionAt(text: string, level: QrLevel): number | undefined {
  try {
    return QRCode.create([{ data: new TextEncoder().encode(text), mode: 'byte' }], { errorCorrectionLevel: level }).version;
  } catch {
    return undefined;
  }
}

/**
 * Lays `text` out as a byte-mode QR code of the smallest version that holds
 * it (which level L always gives), and at that version the most redundant
 * level that still fits: robustness the citizen gets for free. Reports the
 * version every level would need, so a terminal can tell what it must scan.
 * Runs in Node and the browser (no canvas: SVG text).
 *
 * @throws UrbisError `INPUT_TOO_LARGE` when the text does not fit a version-40 code at level L.
 *
 * @example
 * ```ts
 * const qr = await presentationQr({ text: presentation });
 * console.log(`QR version ${qr.version}-${qr.level}`);
 * ```
 */
export async function presentationQr({ text }: { text: string }): Promise<PresentationQr> {
  if (typeof text !== 'string' || text.length === 0) throw new UrbisError('INVALID_ARGUMENT', 'a QR code needs some text');
  const versionByLevel = Object.fromEntries(QR_LEVELS.map((level) => [level, versionAt(text, level)])) as Record<QrLevel, number | undefined>;
  const smallest = versionByLevel.L;
  if (smallest === undefined) throw new UrbisError('INPUT_TOO_LARGE', 'the text does not fit a QR code (version 40, level L)');
  const level = [...QR_LEVELS].reverse().find((l) => versionByLevel[l] === smallest)!;
  const svg = await QRCode.toString([{ data: new TextEncoder().encode(text), mode: 'byte' }], { type: 'svg', errorCorrectionLevel: level, version: smallest });
  return { text, level, version: smallest, size: 17 + 4 * smallest, versionByLevel, svg };
}
