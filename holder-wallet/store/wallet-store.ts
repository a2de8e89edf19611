import { UrbisError } from '../../core/errors/urbis-error.js';
import { webRandomBytes } from '../crypto/web-crypto.js';
import { DEFAULT_WALLET_KDF, WALLET_SALT_BYTES, checkScryptParams, derivePassphraseKey, passphraseBytes, type PassphraseKey, type ScryptParams } from './passphrase-key.js';
import { parseWalletFile, sealWalletFile, unsealWalletFile } from './sealed-wallet-file.js';
import { checkWalletDocument, emptyWalletDocument, type WalletDocument } from './wallet-document.js';
import { WALLET_STORE_ERROR_CODES } from './wallet-store-errors.js';
import type { WalletStorage } from './wallet-storage.js';

/**
 * An unlocked wallet: the passphrase-derived key is held in memory (as a
 * non-extractable `CryptoKey`); the document is read from storage on every
 * `load` and written whole on every `save`, sealed with a fresh IV.
 *
 * Calls on one store run one after another, in call order. Do not call the
 * store from inside a `mutate` callback (it would wait for itself).
 */
export interface WalletStore {
  /** Reads and decrypts the stored document; each call returns a fresh copy. */
  load(): Promise<WalletDocument>;
  /** Replaces the stored document. A failed write leaves the stored file as it was. */
  save(document: WalletDocument): Promise<void>;
  /**
   * Read-modify-write: loads the document, lets `change` edit it in place,
   * saves it, and resolves to what `change` returned. When `change` throws,
   * or the document it leaves breaks the schema, nothing is written.
   */
  mutate<T>(change: (document: WalletDocument) => T | Promise<T>): Promise<T>;
  /** Re-seals the wallet under a new passphrase, with a fresh salt (and optionally another KDF cost). */
  changePassphrase(args: { passphrase: string; kdf?: ScryptParams }): Promise<void>;
  /** The KDF cost of the stored file. */
  readonly kdf: Readonly<ScryptParams>;
}

/**
 * Unlocks an existing wallet. Nothing is written, whatever happens.
 *
 * @throws UrbisError `WALLET_NOT_FOUND` (no wallet stored there),
 *   `WALLET_PASSPHRASE_WRONG` (wrong passphrase), `WALLET_STORE_CORRUPTED` (damaged file),
 *   `WALLET_FORMAT_NEWER` (written by a newer wallet),
 *   `INVALID_ARGUMENT` (empty passphrase). See {@link WALLET_STORE_ERROR_CODES}.
 *
 * @example
 * ```ts
 * const store = await openWalletStore({ storage: createFileStorage({ path }), passphrase });
 * const unspent = (await store.load()).credentials.filter((c) => c.spentAt === undefined);
 * ```
 */
export async function openWalletStore({ storage, passphrase }: { storage: WalletStorage; passphrase: string }): Promise<WalletStore> {
  passphraseBytes(passphrase);
  const bytes = await storage.read();
  if (bytes === undefined) throw new UrbisError(WALLET_STORE_ERROR_CODES.notFound, 'no wallet is stored there');
  const frame = await parseWalletFile(bytes);
  const key = await derivePassphraseKey({ passphrase, salt: frame.salt, params: frame.params });
  await unsealWalletFile({ frame, key });
  return walletStore({ storage, sealing: { key, salt: frame.salt, params: frame.params } });
}

/**
 * Creates a new wallet (empty, or holding `document`) and writes it.
 * Refuses to replace a wallet already stored there.
 *
 * @param args.kdf scrypt cost (default {@link DEFAULT_WALLET_KDF}: N = 2^15, r = 8, p = 1).
 * @throws UrbisError `WALLET_EXISTS` (a wallet is stored there already),
 *   `INVALID_ARGUMENT` (empty passphrase, KDF cost out of range, a document
 *   that breaks the schema).
 *
 * @example
 * ```ts
 * const store = await createWalletStore({ storage: createFileStorage({ path }), passphrase });
 * ```
 */
export async function createWalletStore({
  storage,
  passphrase,
  kdf = DEFAULT_WALLET_KDF,
  document = emptyWalletDocument(),
}: {
  storage: WalletStorage;
  passphrase: string;
  kdf?: ScryptParams;
  document?: WalletDocument;
}): Promise<WalletStore> {
  passphraseBytes(passphrase);
  const params = copyParams(kdf);
  checkScryptParams(params, { errorCode: WALLET_STORE_ERROR_CODES.invalidArgument });
  const checked = checkWalletDocument(structuredClone(document), { errorCode: WALLET_STORE_ERROR_CODES.invalidArgument });
  if ((await storage.read()) !== undefined) {
    throw new UrbisError(WALLET_STORE_ERROR_CODES.alreadyExists, 'a wallet is already stored there: open it, or remove it first');
  }
  const sealing = await newSealing({ passphrase, params });
  await storage.write(await sealWalletFile({ document: checked, ...sealing }));
  return walletStore({ storage, sealing });
}

interface Sealing {
  key: PassphraseKey;
  salt: Uint8Array;
  params: ScryptParams;
}

async function newSealing({ passphrase, params }: { passphrase: string; params: ScryptParams }): Promise<Sealing> {
  const salt = webRandomBytes(WALLET_SALT_BYTES);
  return { key: await derivePassphraseKey({ passphrase, salt, params }), salt, params };
}

function copyParams(params: ScryptParams): ScryptParams {
  return { N: params?.N, r: params?.r, p: params?.p };
}

function walletStore({ storage, sealing: initial }: { storage: WalletStorage; sealing: Sealing }): WalletStore {
  let sealing = initial;
  let queue: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every earlier call on this store has settled. */
  const serialize = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  const read = async (): Promise<WalletDocument> => {
    const bytes = await storage.read();
    if (bytes === undefined) throw new UrbisError(WALLET_STORE_ERROR_CODES.notFound, 'the wallet is no longer stored there');
    const frame = await parseWalletFile(bytes);
    const same =
      frame.params.N === sealing.params.N &&
      frame.params.r === sealing.params.r &&
      frame.params.p === sealing.params.p &&
      frame.salt.every((b, i) => b === sealing.salt[i]);
    if (!same) {
      throw new UrbisError(WALLET_STORE_ERROR_CODES.wrongPassphrase, 'the stored wallet was re-sealed under another passphrase since it was opened: open it again');
    }
    return unsealWalletFile({ frame, key: sealing.key });
  };

  const write = async (document: WalletDocument, target: Sealing = sealing): Promise<void> => {
    const checked = checkWalletDocument(structuredClone(document), { errorCode: WALLET_STORE_ERROR_CODES.invalidArgument });
    await storage.write(await sealWalletFile({ document: checked, ...target }));
  };

  return {
    get kdf() {
      return Object.freeze({ ...sealing.params });
    },
    load: () => serialize(read),
    save: (document) => serialize(() => write(document)),
    mutate: (change) =>
      serialize(async () => {
        const document = await read();
        const result = await change(document);
        await write(document);
        return result;
      }),
    changePassphrase: ({ passphrase, kdf = sealing.params }) =>
      serialize(async () => {
        passphraseBytes(passphrase);
        const params = copyParams(kdf);
        checkScryptParams(params, { errorCode: WALLET_STORE_ERROR_CODES.invalidArgument });
        const document = await read();
        const next = await newSealing({ passphrase, params });
        await write(document, next);
        sealing = next;
      }),
  };
}
