import type { UrbisErrorCode } from '../../core/errors/urbis-error.js';

/**
 * The error codes the wallet store throws, by situation (the `WALLET_*`
 * codes of the Urbis union, plus `INVALID_ARGUMENT`).
 *
 * In every one of these situations nothing is written: the stored file is
 * left exactly as it was.
 *
 * @example
 * ```ts
 * try {
 *   await openWalletStore({ storage, passphrase });
 * } catch (e) {
 *   if (isUrbisError(e, WALLET_STORE_ERROR_CODES.wrongPassphrase)) askAgain();
 * }
 * ```
 */
export const WALLET_STORE_ERROR_CODES = Object.freeze({
  /** The passphrase does not unlock the file (its passphrase check does not match). */
  wrongPassphrase: 'WALLET_PASSPHRASE_WRONG',
  /**
   * The file is damaged: not a wallet file (magic), truncated, its checksum
   * or authentication tag does not match, impossible KDF parameters, or a
   * document that is not a wallet document.
   */
  corrupted: 'WALLET_STORE_CORRUPTED',
  /** The file, or the document in it, was written by a newer wallet version: update the wallet. */
  newerVersion: 'WALLET_FORMAT_NEWER',
  /** `createWalletStore` (or a restore) found a wallet already stored there. */
  alreadyExists: 'WALLET_EXISTS',
  /** `openWalletStore` found no wallet stored there. */
  notFound: 'WALLET_NOT_FOUND',
  /** A bad argument: empty passphrase, KDF parameters out of range, a document that breaks the schema on save. */
  invalidArgument: 'INVALID_ARGUMENT',
} as const satisfies Record<string, UrbisErrorCode>);
