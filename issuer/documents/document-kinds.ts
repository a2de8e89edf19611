/**
 * The supporting documents a citizen may upload to the city issuer, and the
 * content types and size the document vault accepts for them.
 */

/** The kinds of supporting document the issuer asks for. */
export const DOCUMENT_KINDS = ['proof_of_address', 'identity_document', 'student_card'] as const;

/** One of {@link DOCUMENT_KINDS}. */
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/**
 * The only content types a stored document may have, as sniffed from its
 * bytes (never as declared by the client).
 */
export const ALLOWED_DOCUMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;

/** One of {@link ALLOWED_DOCUMENT_TYPES}. */
export type DocumentMimeType = (typeof ALLOWED_DOCUMENT_TYPES)[number];

/** Default upper bound on one document's plaintext size: 5 MiB. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

/** Narrowing helper: is `value` one of {@link DOCUMENT_KINDS}? */
export function isDocumentKind(value: unknown): value is DocumentKind {
  return typeof value === 'string' && (DOCUMENT_KINDS as readonly string[]).includes(value);
}

/** Narrowing helper: is `value` one of {@link ALLOWED_DOCUMENT_TYPES}? */
export function isDocumentMimeType(value: unknown): value is DocumentMimeType {
  return typeof value === 'string' && (ALLOWED_DOCUMENT_TYPES as readonly string[]).includes(value);
}
