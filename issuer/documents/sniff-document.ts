import { fileTypeFromBuffer } from 'file-type';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { isDocumentMimeType, type DocumentMimeType } from './document-kinds.js';

/**
 * Declared content types that name the same format as a sniffed one under
 * another spelling (clients still send these for JPEG files).
 */
const DECLARED_ALIASES: Readonly<Record<string, DocumentMimeType>> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
};

/**
 * Normalises a declared `Content-Type`: drops parameters (`; charset=…`),
 * surrounding whitespace and case, then maps known aliases.
 */
function normaliseDeclaredType(declaredType: string): string {
  const essence = (declaredType.split(';', 1)[0] ?? '').trim().toLowerCase();
  return DECLARED_ALIASES[essence] ?? essence;
}

/**
 * Finds a document's content type from its bytes (magic numbers, through
 * `file-type`) and accepts it only if it is one of `ALLOWED_DOCUMENT_TYPES`.
 * When the client declared a content type, it must name the same type.
 *
 * The declared type is never trusted on its own: a PNG or an executable
 * declared as `application/pdf` is refused. Formats `file-type` cannot
 * recognise from magic numbers (plain text, HTML, SVG) are refused too.
 *
 * @example
 * ```ts
 * const { mime } = await sniffDocument({ bytes: upload.buffer, declaredType: upload.mimetype });
 * ```
 * @throws UrbisError `DOCUMENT_TYPE_UNSUPPORTED` (empty input, unknown or
 *   disallowed type, or a declared type that disagrees with the bytes).
 * @throws UrbisError `INVALID_ARGUMENT` (`bytes` is not a `Uint8Array`).
 */
export async function sniffDocument({ bytes, declaredType }: { bytes: Uint8Array; declaredType?: string }): Promise<{ mime: DocumentMimeType }> {
  if (!(bytes instanceof Uint8Array)) {
    throw new UrbisError('INVALID_ARGUMENT', 'document bytes must be a Uint8Array');
  }
  if (bytes.byteLength === 0) {
    throw new UrbisError('DOCUMENT_TYPE_UNSUPPORTED', 'the document is empty');
  }
  const sniffed = await fileTypeFromBuffer(bytes);
  if (sniffed === undefined) {
    throw new UrbisError('DOCUMENT_TYPE_UNSUPPORTED', 'the document type could not be recognised from its content');
  }
  // `sniffed.mime` comes from file-type's fixed list of formats, so it is safe to name.
  if (!isDocumentMimeType(sniffed.mime)) {
    throw new UrbisError('DOCUMENT_TYPE_UNSUPPORTED', `the document content is ${sniffed.mime}, which is not an accepted document type`);
  }
  if (declaredType !== undefined && normaliseDeclaredType(declaredType) !== sniffed.mime) {
    // The declared value is client input: it stays out of the message.
    throw new UrbisError('DOCUMENT_TYPE_UNSUPPORTED', `the declared content type does not match the document content (${sniffed.mime})`);
  }
  return { mime: sniffed.mime };
}
