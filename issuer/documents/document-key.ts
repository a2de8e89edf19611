import { UrbisError } from '../../core/errors/urbis-error.js';

/** Length of the document vault's AES-256-GCM key, in bytes. */
export const DOCUMENT_KEY_BYTES = 32;

// 32 bytes = 256 bits = 43 base64 characters carrying 258 bits: the last
// character's 2 low bits are padding and must be zero (canonical encoding).
const CANONICAL_LAST = '[AEIMQUYcgkosw048]';
const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = new RegExp(`^[A-Za-z0-9+/]{42}${CANONICAL_LAST}=?$`);
const BASE64URL = new RegExp(`^[A-Za-z0-9_-]{42}${CANONICAL_LAST}=?$`);

/**
 * Parses the document vault key from configuration text: 32 bytes written as
 * 64 hex digits, standard base64 or base64url (padding optional, one
 * alphabet per key, canonical encoding only). Surrounding whitespace (a
 * trailing newline in a secrets file) is ignored. An all-zero key is refused
 * as a placeholder left in configuration.
 *
 * The key lives in configuration (environment, secrets file or KMS), never in
 * the database that holds the storage keys.
 *
 * @example
 * ```ts
 * const key = parseDocumentKey(process.env.URBIS_DOCUMENT_KEY ?? '');
 * const vault = createDocumentVault({ directory: '/var/lib/urbis/documents', key });
 * ```
 * @throws UrbisError `CONFIG_INVALID` (anything else; the message never echoes the text).
 */
export function parseDocumentKey(text: string): Uint8Array {
  if (typeof text !== 'string') {
    throw new UrbisError('CONFIG_INVALID', 'the document key must be given as text');
  }
  const trimmed = text.trim();
  let key: Uint8Array;
  if (HEX.test(trimmed)) {
    key = new Uint8Array(Buffer.from(trimmed, 'hex'));
  } else if (BASE64.test(trimmed)) {
    key = new Uint8Array(Buffer.from(trimmed, 'base64'));
  } else if (BASE64URL.test(trimmed)) {
    key = new Uint8Array(Buffer.from(trimmed, 'base64url'));
  } else {
    throw new UrbisError(
      'CONFIG_INVALID',
      `the document key must be ${DOCUMENT_KEY_BYTES} bytes written as 64 hex digits, base64 or base64url`,
    );
  }
  if (key.length !== DOCUMENT_KEY_BYTES) {
    throw new UrbisError('CONFIG_INVALID', `the document key must be ${DOCUMENT_KEY_BYTES} bytes`);
  }
  if (key.every((byte) => byte === 0)) {
    throw new UrbisError('CONFIG_INVALID', 'the document key is all zeros (a placeholder, not a key)');
  }
  return key;
}
