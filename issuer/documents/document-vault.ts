import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { DEFAULT_MAX_DOCUMENT_BYTES, type DocumentMimeType } from './document-kinds.js';
import { importDocumentKey, openSealedDocument, sealDocument } from './sealed-document.js';
import { sniffDocument } from './sniff-document.js';
import { assertStorageKey, newStorageKey } from './storage-key.js';

/** What {@link DocumentVault.put} returns: the row to keep in the database (no personal data). */
export interface StoredDocument {
  /** Random 128-bit name of the sealed file, base64url (22 characters). */
  readonly storageKey: string;
  /** Content type sniffed from the bytes. */
  readonly mime: DocumentMimeType;
  /** Plaintext size in bytes. */
  readonly size: number;
  /** SHA-256 of the plaintext, lowercase hex (64 characters). */
  readonly sha256: string;
}

/** A document read back from the vault. */
export interface OpenedDocument {
  /** The plaintext, in a buffer of its own. */
  readonly bytes: Uint8Array;
  readonly mime: DocumentMimeType;
}

/**
 * Encrypted-at-rest storage for citizens' supporting documents: one sealed
 * file per document (see `sealed-document.ts`), named by a random storage key.
 */
export interface DocumentVault {
  /**
   * Checks, encrypts and stores a document.
   * @throws UrbisError `DOCUMENT_TOO_LARGE` (checked first, before sniffing).
   * @throws UrbisError `DOCUMENT_TYPE_UNSUPPORTED` (see `sniffDocument`).
   */
  put(input: { bytes: Uint8Array; declaredType?: string }): Promise<StoredDocument>;
  /**
   * Reads and decrypts a document.
   * @throws UrbisError `INVALID_ARGUMENT` (not a storage key), `RESOURCE_NOT_FOUND`,
   *   `DOCUMENT_CORRUPTED` (altered, moved, or sealed with another key).
   */
  get(storageKey: string): Promise<OpenedDocument>;
  /**
   * Removes a document's file.
   * @returns `true` if a file was removed, `false` if there was none.
   * @throws UrbisError `INVALID_ARGUMENT` (not a storage key).
   */
  delete(storageKey: string): Promise<boolean>;
  /**
   * Whether a file exists under the storage key (its content is not checked).
   * @throws UrbisError `INVALID_ARGUMENT` (not a storage key).
   */
  has(storageKey: string): Promise<boolean>;
}

const FILE_SUFFIX = '.udoc';

function isErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/**
 * Creates a document vault over a directory (created on first `put`, mode
 * 0o700). Files are written atomically (temporary file, fsync, rename) with
 * mode 0o600.
 *
 * `key` is the 32-byte AES-256-GCM key from configuration (see
 * `parseDocumentKey`); it is never stored with the documents or in the
 * database. The vault keeps a private copy.
 *
 * @example
 * ```ts
 * const vault = createDocumentVault({ directory: config.documentsDir, key: parseDocumentKey(config.documentKey) });
 * const { storageKey, mime, size, sha256 } = await vault.put({ bytes: file.buffer, declaredType: file.mimetype });
 * const { bytes } = await vault.get(storageKey);
 * ```
 * @throws UrbisError `CONFIG_INVALID` (no directory, a key that is not 32 bytes,
 *   or a `maxBytes` that is not a positive integer).
 */
export function createDocumentVault({ directory, key, maxBytes = DEFAULT_MAX_DOCUMENT_BYTES }: { directory: string; key: Uint8Array; maxBytes?: number }): DocumentVault {
  if (typeof directory !== 'string' || directory.length === 0) {
    throw new UrbisError('CONFIG_INVALID', 'the document vault needs a directory');
  }
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new UrbisError('CONFIG_INVALID', 'the document size limit must be a positive integer');
  }
  const root = resolve(directory);
  const secretKey = importDocumentKey(key);

  const pathOf = (storageKey: string): string => join(root, `${storageKey}${FILE_SUFFIX}`);

  async function writeAtomically(path: string, contents: Uint8Array): Promise<void> {
    await mkdir(root, { recursive: true, mode: 0o700 });
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const handle = await open(temporary, 'wx', 0o600);
      try {
        await handle.writeFile(contents);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  }

  return {
    async put({ bytes, declaredType }) {
      if (!(bytes instanceof Uint8Array)) {
        throw new UrbisError('INVALID_ARGUMENT', 'document bytes must be a Uint8Array');
      }
      if (bytes.byteLength > maxBytes) {
        throw new UrbisError('DOCUMENT_TOO_LARGE', `the document exceeds the ${maxBytes}-byte limit`);
      }
      const { mime } = await sniffDocument(declaredType === undefined ? { bytes } : { bytes, declaredType });
      const storageKey = newStorageKey();
      const sealed = sealDocument({ key: secretKey, storageKey, mime, bytes });
      await writeAtomically(pathOf(storageKey), sealed);
      return {
        storageKey,
        mime,
        size: bytes.byteLength,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      };
    },

    async get(storageKey) {
      assertStorageKey(storageKey);
      let file: Uint8Array;
      try {
        file = await readFile(pathOf(storageKey));
      } catch (error) {
        if (isErrorCode(error, 'ENOENT')) {
          throw new UrbisError('RESOURCE_NOT_FOUND', 'no document is stored under that storage key');
        }
        throw error;
      }
      return openSealedDocument({ key: secretKey, storageKey, file });
    },

    async delete(storageKey) {
      assertStorageKey(storageKey);
      try {
        await unlink(pathOf(storageKey));
        return true;
      } catch (error) {
        if (isErrorCode(error, 'ENOENT')) return false;
        throw error;
      }
    },

    async has(storageKey) {
      assertStorageKey(storageKey);
      try {
        return (await stat(pathOf(storageKey))).isFile();
      } catch (error) {
        if (isErrorCode(error, 'ENOENT')) return false;
        throw error;
      }
    },
  };
}
