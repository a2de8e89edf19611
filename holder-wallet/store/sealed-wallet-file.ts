import { utf8Decode, utf8Encode } from '../../core/encoding/base64url.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { subtleCrypto, toBufferSource, webRandomBytes } from '../crypto/web-crypto.js';
import { PASSPHRASE_CHECK_BYTES, WALLET_SALT_BYTES, checkScryptParams, type PassphraseKey, type ScryptParams } from './passphrase-key.js';
import { checkWalletDocument, type WalletDocument } from './wallet-document.js';
import { WALLET_STORE_ERROR_CODES } from './wallet-store-errors.js';

/**
 * The sealed wallet file, format version 1 (wallet store and backups alike):
 *
 * ```
 * offset  size  field
 * 0       4     magic "URBW" (0x55 0x52 0x42 0x57)
 * 4       1     format version: 1
 * 5       1     KDF: 1 = scrypt
 * 6       1     log2(scrypt N)
 * 7       1     scrypt r
 * 8       1     scrypt p
 * 9       16    scrypt salt
 * 25      16    passphrase check: bytes 32..47 of the scrypt output
 * 41      12    AES-256-GCM IV (fresh for every write)
 * 53      C     AES-256-GCM ciphertext of the UTF-8 JSON wallet document,
 *               then its 16-byte tag; key = bytes 0..31 of the scrypt output,
 *               additional data = bytes [0, 53)
 * 53+C    32    SHA-256 of bytes [0, 53+C)
 * ```
 *
 * Every format version, present and future, starts with the magic and the
 * version byte and ends with the SHA-256 of everything before it. That lets
 * a reader tell the four failures apart, in this order, before it spends a
 * key derivation:
 * 1. damaged (`WALLET_STORE_CORRUPTED`): bad magic, truncated, checksum mismatch
 *    (an accidental change anywhere, the version byte included), impossible
 *    KDF parameters;
 * 2. newer (`WALLET_FORMAT_NEWER`): an intact file of a higher version;
 * 3. wrong passphrase (`WALLET_PASSPHRASE_WRONG`): the passphrase check does not match;
 * 4. damaged again: the GCM tag does not verify (a deliberate change that
 *    also recomputed the checksum), or the plaintext is not a wallet document.
 *
 * The checksum is not a security measure (anyone can recompute it): the
 * GCM tag is, and it covers the header as additional data. The passphrase
 * check gives an offline attacker nothing the tag would not: testing a guess
 * against either costs one scrypt.
 */

/** "URBW". */
export const WALLET_FILE_MAGIC = Uint8Array.of(0x55, 0x52, 0x42, 0x57);
/** The format version this code writes; a higher one is refused as newer. */
export const WALLET_FILE_FORMAT_VERSION = 1;

const KDF_SCRYPT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CHECKSUM_BYTES = 32;
const SALT_OFFSET = 9;
const CHECK_OFFSET = SALT_OFFSET + WALLET_SALT_BYTES;
const IV_OFFSET = CHECK_OFFSET + PASSPHRASE_CHECK_BYTES;
const HEADER_BYTES = IV_OFFSET + IV_BYTES;

/** A wallet file whose framing, checksum, version and KDF parameters checked out; nothing is decrypted yet. */
export interface WalletFileFrame {
  params: ScryptParams;
  salt: Uint8Array;
  check: Uint8Array;
  iv: Uint8Array;
  /** Bytes [0, 53): the GCM additional data. */
  header: Uint8Array;
  /** Ciphertext and tag. */
  ciphertext: Uint8Array;
}

/**
 * Checks a wallet file's framing and splits it (no passphrase needed).
 *
 * @throws UrbisError `WALLET_STORE_CORRUPTED` (not a wallet file, truncated,
 *   checksum mismatch, unknown KDF, KDF parameters out of range),
 *   `WALLET_FORMAT_NEWER` (an intact file of a newer format version).
 */
export async function parseWalletFile(bytes: Uint8Array): Promise<WalletFileFrame> {
  const corrupted = (detail: string): never => {
    throw new UrbisError(WALLET_STORE_ERROR_CODES.corrupted, `the wallet file is damaged: ${detail}`);
  };
  if (!ArrayBuffer.isView(bytes) || !(bytes.BYTES_PER_ELEMENT === 1)) return corrupted('not bytes');
  if (bytes.length < WALLET_FILE_MAGIC.length) return corrupted('truncated');
  for (let i = 0; i < WALLET_FILE_MAGIC.length; i++) {
    if (bytes[i] !== WALLET_FILE_MAGIC[i]) return corrupted('not an Urbis wallet file (magic)');
  }
  if (bytes.length < WALLET_FILE_MAGIC.length + 1 + CHECKSUM_BYTES) return corrupted('truncated');
  const body = bytes.subarray(0, bytes.length - CHECKSUM_BYTES);
  const digest = new Uint8Array(await subtleCrypto().digest('SHA-256', toBufferSource(body)));
  if (!equalBytes(digest, bytes.subarray(bytes.length - CHECKSUM_BYTES))) return corrupted('checksum mismatch (truncated or altered)');
  const version = bytes[4]!;
  if (version > WALLET_FILE_FORMAT_VERSION) {
    throw new UrbisError(
      WALLET_STORE_ERROR_CODES.newerVersion,
      `the wallet file has format version ${version}, newer than this wallet reads (${WALLET_FILE_FORMAT_VERSION}): update the wallet`,
    );
  }
  if (version !== WALLET_FILE_FORMAT_VERSION) return corrupted('unknown format version');
  if (body.length < HEADER_BYTES + TAG_BYTES) return corrupted('truncated');
  if (bytes[5] !== KDF_SCRYPT) return corrupted('unknown key derivation');
  const params: ScryptParams = { N: 2 ** bytes[6]!, r: bytes[7]!, p: bytes[8]! };
  checkScryptParams(params, { errorCode: WALLET_STORE_ERROR_CODES.corrupted });
  return {
    params,
    salt: body.slice(SALT_OFFSET, CHECK_OFFSET),
    check: body.slice(CHECK_OFFSET, IV_OFFSET),
    iv: body.slice(IV_OFFSET, HEADER_BYTES),
    header: body.slice(0, HEADER_BYTES),
    ciphertext: body.slice(HEADER_BYTES),
  };
}

/**
 * Decrypts a parsed wallet file with a key derived from its salt and
 * parameters, and checks the document.
 *
 * @throws UrbisError `WALLET_PASSPHRASE_WRONG` (wrong passphrase), `WALLET_STORE_CORRUPTED`
 *   (tag mismatch, not a wallet document), `WALLET_FORMAT_NEWER` (a
 *   document version newer than this code reads).
 */
export async function unsealWalletFile({ frame, key }: { frame: WalletFileFrame; key: PassphraseKey }): Promise<WalletDocument> {
  if (!equalBytes(frame.check, key.check)) {
    throw new UrbisError(WALLET_STORE_ERROR_CODES.wrongPassphrase, 'the passphrase does not unlock this wallet file');
  }
  let plaintext: Uint8Array;
  try {
    plaintext = new Uint8Array(
      await subtleCrypto().decrypt({ name: 'AES-GCM', iv: toBufferSource(frame.iv), additionalData: toBufferSource(frame.header), tagLength: 128 }, key.aesKey, toBufferSource(frame.ciphertext)),
    );
  } catch (cause) {
    throw new UrbisError(WALLET_STORE_ERROR_CODES.corrupted, 'the wallet file is damaged: authentication failed (altered)', { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8Decode(plaintext));
  } catch (cause) {
    throw new UrbisError(WALLET_STORE_ERROR_CODES.corrupted, 'the wallet file is damaged: the document is not UTF-8 JSON', { cause });
  } finally {
    plaintext.fill(0);
  }
  return checkWalletDocument(parsed, { errorCode: WALLET_STORE_ERROR_CODES.corrupted });
}

/**
 * Seals a wallet document into a wallet file with a fresh IV. The salt and
 * parameters are those `key` was derived from.
 */
export async function sealWalletFile({
  document,
  key,
  salt,
  params,
}: {
  document: WalletDocument;
  key: PassphraseKey;
  salt: Uint8Array;
  params: ScryptParams;
}): Promise<Uint8Array> {
  const logN = checkScryptParams(params, { errorCode: WALLET_STORE_ERROR_CODES.invalidArgument });
  if (salt.length !== WALLET_SALT_BYTES || key.check.length !== PASSPHRASE_CHECK_BYTES) {
    throw new UrbisError(WALLET_STORE_ERROR_CODES.invalidArgument, 'salt or passphrase check of the wrong length');
  }
  const header = new Uint8Array(HEADER_BYTES);
  header.set(WALLET_FILE_MAGIC, 0);
  header[4] = WALLET_FILE_FORMAT_VERSION;
  header[5] = KDF_SCRYPT;
  header[6] = logN;
  header[7] = params.r;
  header[8] = params.p;
  header.set(salt, SALT_OFFSET);
  header.set(key.check, CHECK_OFFSET);
  const iv = webRandomBytes(IV_BYTES);
  header.set(iv, IV_OFFSET);
  const plaintext = toBufferSource(utf8Encode(JSON.stringify(document)));
  const ciphertext = new Uint8Array(
    await subtleCrypto().encrypt({ name: 'AES-GCM', iv: toBufferSource(iv), additionalData: header, tagLength: 128 }, key.aesKey, plaintext),
  );
  const out = new Uint8Array(HEADER_BYTES + ciphertext.length + CHECKSUM_BYTES);
  out.set(header, 0);
  out.set(ciphertext, HEADER_BYTES);
  const digest = new Uint8Array(await subtleCrypto().digest('SHA-256', out.subarray(0, HEADER_BYTES + ciphertext.length)));
  out.set(digest, HEADER_BYTES + ciphertext.length);
  return out;
}

/** Constant-time comparison of two byte strings of public length. */
function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
