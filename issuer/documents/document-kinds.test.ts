import { describe, expect, it } from '@jest/globals';
import { ALLOWED_DOCUMENT_TYPES, DEFAULT_MAX_DOCUMENT_BYTES, DOCUMENT_KINDS, isDocumentKind, isDocumentMimeType } from './document-kinds.js';

describe('document kinds and types', () => {
  it('lists the three kinds, the three accepted types and a 5 MiB default limit', () => {
    expect(DOCUMENT_KINDS).toEqual(['proof_of_address', 'identity_document', 'student_card']);
    expect(ALLOWED_DOCUMENT_TYPES).toEqual(['application/pdf', 'image/png', 'image/jpeg']);
    expect(DEFAULT_MAX_DOCUMENT_BYTES).toBe(5_242_880);
  });

  it('narrows kinds and types, refusing near misses', () => {
    expect(isDocumentKind('student_card')).toBe(true);
    expect(isDocumentKind('Student_Card')).toBe(false);
    expect(isDocumentKind(undefined)).toBe(false);
    expect(isDocumentMimeType('image/jpeg')).toBe(true);
    expect(isDocumentMimeType('image/jpg')).toBe(false);
    expect(isDocumentMimeType('image/gif')).toBe(false);
  });
});
