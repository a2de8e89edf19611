import { UrbisError } from '../../core/errors/urbis-error.js';
import { encodeCompactPresentation } from '../../core/presentation/compact-presentation.js';
import { layoutQr, type QrCode } from '../../core/qr/qr-code.js';

/**
 * How a presentation goes into its QR code:
 * - `compact` (default): core's compact form (the base64url pieces as the
 *   bytes they stand for, deflated) — about a quarter smaller, so a
 *   2-claim resident presentation fits QR version 25 at level L; Urbis
 *   terminals read both forms;
 * - `text`: the SD-JWT+KB text itself, for verifiers that scan text only.
 */
export type PresentationQrEncoding = 'compact' | 'text';

/** A presentation laid out as a QR code. */
export interface PresentationQr extends QrCode {
  /** The presentation as text (the SD-JWT+KB, or the `vp_token` JSON). */
  text: string;
  encoding: PresentationQrEncoding;
}

/**
 * The QR code of a presentation: the smallest byte-mode version that holds
 * it, the most redundant level at that version (see core's `layoutQr`), and
 * the version every level would need.
 *
 * @throws UrbisError `INPUT_TOO_LARGE` (does not fit version 40-L),
 *   `INVALID_ARGUMENT` (no text; a `compact` encoding of text that is not a
 *   presentation).
 *
 * @example
 * ```ts
 * const qr = await presentationQr({ text: result.text });
 * console.log(`QR version ${qr.version}-${qr.level}, ${qr.data.length} bytes`);
 * ```
 */
export async function presentationQr({ text, encoding = 'compact' }: { text: string; encoding?: PresentationQrEncoding }): Promise<PresentationQr> {
  if (typeof text !== 'string' || text.length === 0) throw new UrbisError('INVALID_ARGUMENT', 'a QR code needs some text');
  if (encoding !== 'compact' && encoding !== 'text') throw new UrbisError('INVALID_ARGUMENT', "encoding is 'compact' or 'text'");
  const data = encoding === 'compact' ? encodeCompactPresentation({ text }) : new TextEncoder().encode(text);
  return { ...(await layoutQr({ data })), text, encoding };
}
