import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { isDocumentMimeType, type DocumentMimeType } from './document-kinds.js';
import { DOCUMENT_KEY_BYTES } from './document-key.js';
import { assertStorageKey } from './storage-key.js';

/**
 * One stored document, format version 1: AES-256-GCM over the document bytes.
 *
 * ```
 * offset   size  field
 * 0        4     magic "UDOC" (0x55 0x44 0x4F 0x43)
 * 4        1     format version: 1
 * 5        1     M = length of the content type
 * 6        M     content type, ASCII (one of ALLOWED_DOCUMENT_TYPES)
 * ---------- header = bytes [0, 6+M) ----------
 * 6+M      12    IV, random per file
 * 18+M     N     ciphertext (N = plaintext length)
 * 18+M+N   16    GCM authentication tag
 *                end of file
 * ```
 *
 * Additional authenticated data = header ‖ storage key (ASCII, 22 bytes).
 * The tag therefore covers the magic, version and content type, and binds
 * the file to its storage key: a file renamed to, or copied over, another
 * key's name fails to open, as does a header edited to another type.
 *
 * Only the content type is in the clear; the document stays secret. A fresh
 * random 96-bit IV per file keeps the GCM nonce-reuse bound (2^32 messages
 * per key) far above any city's document count.
 */
export const SEALED_DOCUMENT_MAGIC = Uint8Array.of(0x55, 0x44, 0x4f, 0x43);

/** The format version this module writes and the only one it reads. */
export const SEALED_DOCUMENT_VERSION = 1;

const IV_BYTES = 12;
const TAG_BYTES = 16;
const FIXED_HEADER_BYTES = SEALED_DOCUMENT_MAGIC.length + 2;

/** An AES-256-GCM key for sealed documents, as a `KeyObject` (a private copy of the bytes). */
export function importDocumentKey(key: Uint8Array): KeyObject {
  if (!(key instanceof Uint8Array) || key.length !== DOCUMENT_KEY_BYTES) {
    throw new UrbisError('CONFIG_INVALID', `the document key must be ${DOCUMENT_KEY_BYTES} bytes`);
  }
  return createSecretKey(Buffer.from(key));
}

function headerFor(mime: DocumentMimeType): Uint8Array {
  const type = Buffer.from(mime, 'ascii');
  const header = new Uint8Array(FIXED_HEADER_BYTES + type.length);
  header.set(SEALED_DOCUMENT_MAGIC, 0);
  header[SEALED_DOCUMENT_MAGIC.length] = SEALED_DOCUMENT_VERSION;
  header[SEALED_DOCUMENT_MAGIC.length + 1] = type.length;
  header.set(type, FIXED_HEADER_BYTES);
  return header;
}

function additionalData(header: Uint8Array, storageKey: string): Uint8Array {
  return Buffer.concat([header, Buffer.from(storageKey, 'ascii')]);
}

/** Concatenates into a fresh (never pooled) buffer, so no other data shares its memory. */
function concatFresh(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Encrypts a document into the sealed file format, bound to its storage key
 * and content type.
 * @throws UrbisError `INVALID_ARGUMENT` (bad storage key or content type).
 */
export function sealDocument({ key, storageKey, mime, bytes }: { key: KeyObject; storageKey: string; mime: DocumentMimeType; bytes: Uint8Array }): Uint8Array {
  assertStorageKey(storageKey);
  if (!isDocumentMimeType(mime)) {
    throw new UrbisError('INVALID_ARGUMENT', 'the content type is not an accepted document type');
  }
  const header = headerFor(mime);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(header, storageKey));
  const ciphertext = [cipher.update(bytes), cipher.final()];
  return concatFresh([header, iv, ...ciphertext, cipher.getAuthTag()]);
}

/**
 * Checks and decrypts a sealed file read under `storageKey`.
 * @throws UrbisError `DOCUMENT_CORRUPTED` (truncated, bad magic or version,
 *   unknown content type, or an authentication failure: altered bytes, the
 *   wrong key, or a file stored under another storage key).
 */
export function openSealedDocument({ key, storageKey, file }: { key: KeyObject; storageKey: string; file: Uint8Array }): { bytes: Uint8Array; mime: DocumentMimeType } {
  assertStorageKey(storageKey);
  if (file.length < FIXED_HEADER_BYTES || !SEALED_DOCUMENT_MAGIC.every((byte, i) => file[i] === byte)) {
    throw new UrbisError('DOCUMENT_CORRUPTED', 'the stored document is not a sealed document (bad magic)');
  }
  if (file[SEALED_DOCUMENT_MAGIC.length] !== SEALED_DOCUMENT_VERSION) {
    throw new UrbisError('DOCUMENT_CORRUPTED', 'the stored document has an unsupported format version');
  }
  const typeLength = file[SEALED_DOCUMENT_MAGIC.length + 1]!;
  const headerLength = FIXED_HEADER_BYTES + typeLength;
  if (file.length < headerLength + IV_BYTES + TAG_BYTES) {
    throw new UrbisError('DOCUMENT_CORRUPTED', 'the stored document is truncated');
  }
  const mime = Buffer.from(file.subarray(FIXED_HEADER_BYTES, headerLength)).toString('latin1');
  if (!isDocumentMimeType(mime)) {
    throw new UrbisError('DOCUMENT_CORRUPTED', 'the stored document names an unknown content type');
  }
  const header = file.subarray(0, headerLength);
  const iv = file.subarray(headerLength, headerLength + IV_BYTES);
  const ciphertext = file.subarray(headerLength + IV_BYTES, file.length - TAG_BYTES);
  const tag = file.subarray(file.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(header, storageKey));
  decipher.setAuthTag(tag);
  try {
    const plaintext = [decipher.update(ciphertext), decipher.final()];
    return { bytes: concatFresh(plaintext), mime };
  } catch (cause) {
    throw new UrbisError('DOCUMENT_CORRUPTED', 'the stored document failed authentication (altered, moved, or sealed with another key)', { cause });
  }
}
