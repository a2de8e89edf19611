/**
 * Citizens' supporting documents (proof of address, identity document,
 * student card): content-type sniffing and an encrypted-at-rest vault.
 */
export {
  ALLOWED_DOCUMENT_TYPES,
  DEFAULT_MAX_DOCUMENT_BYTES,
  DOCUMENT_KINDS,
  isDocumentKind,
  isDocumentMimeType,
  type DocumentKind,
  type DocumentMimeType,
} from './document-kinds.js';
export { sniffDocument } from './sniff-document.js';
export { DOCUMENT_KEY_BYTES, parseDocumentKey } from './document-key.js';
export { STORAGE_KEY_BYTES, isStorageKey, newStorageKey } from './storage-key.js';
export { SEALED_DOCUMENT_MAGIC, SEALED_DOCUMENT_VERSION } from './sealed-document.js';
export { createDocumentVault, type DocumentVault, type OpenedDocument, type StoredDocument } from './document-vault.js';
