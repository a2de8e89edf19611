import { UrbisError } from '../../core/errors/urbis-error.js';
import { webRandomBytes } from '../crypto/web-crypto.js';
import { holderKeyForRecord } from './holder-key-record.js';
import { DEFAULT_WALLET_KDF, WALLET_SALT_BYTES, checkScryptParams, derivePassphraseKey, passphraseBytes, type ScryptParams } from './passphrase-key.js';
import { parseWalletFile, sealWalletFile, unsealWalletFile } from './sealed-wallet-file.js';
import type { StoredCredential, StoredHolderKey, WalletDocument } from './wallet-document.js';
import { WALLET_STORE_ERROR_CODES } from './wallet-store-errors.js';
import { createWalletStore, type WalletStore } from './wallet-store.js';
import type { WalletStorage } from './wallet-storage.js';

/**
 * Backup to one encrypted file, and restore on another device (migration).
 *
 * A backup is a sealed wallet file (same format as the store, its own salt,
 * its own passphrase if the citizen wants one) holding the whole document:
 * copies, key records, history, trusted issuers. Exportable keys travel in
 * it; non-exportable ones (a browser's non-extractable `CryptoKey`s) cannot,
 * so the copies bound to them are unusable on the new device: the restore
 * leaves them out and lists them for re-issuance (the OID4VCI client then
 * asks the issuer for fresh copies, each with a fresh holder key).
 */

/** Why a copy could not be carried to the new device. */
export type ReissuanceReason =
  /** Its holder key is non-extractable (kept by the old device's platform). */
  | 'key-not-exportable'
  /** Its holder key record is missing from the backup, or does not import. */
  | 'key-unavailable';

/** An unspent copy the new device cannot present: ask its issuer for a new one. */
export interface ReissuanceNeed {
  credentialId: string;
  credentialType: string;
  format: StoredCredential['format'];
  issuerId: string;
  serviceId?: string;
  batchId?: string;
  issuerUrl?: string;
  configurationId?: string;
  reason: ReissuanceReason;
}

/** What a restore did. */
export interface RestoreResult {
  /** The new wallet, unlocked with the target passphrase. */
  store: WalletStore;
  /** Copies carried over (unspent and spent). */
  restoredCredentialIds: string[];
  /** Unspent copies left out, for re-issuance. Spent copies are never listed: they were used. */
  needReissuance: ReissuanceNeed[];
}

/**
 * Seals the wallet's current document into one backup file, under its own
 * passphrase and a fresh salt. Nothing in the wallet changes.
 *
 * @param args.kdf scrypt cost of the backup (default {@link DEFAULT_WALLET_KDF}).
 * @throws UrbisError `INVALID_ARGUMENT` (empty passphrase, KDF cost out of
 *   range); the store's `load` errors.
 *
 * @example
 * ```ts
 * const backup = await createBackup({ store, passphrase: backupPassphrase });
 * await writeFile('wallet-backup.urbw', backup);
 * ```
 */
export async function createBackup({ store, passphrase, kdf = DEFAULT_WALLET_KDF }: { store: WalletStore; passphrase: string; kdf?: ScryptParams }): Promise<Uint8Array> {
  passphraseBytes(passphrase);
  const params: ScryptParams = { N: kdf?.N, r: kdf?.r, p: kdf?.p };
  checkScryptParams(params, { errorCode: WALLET_STORE_ERROR_CODES.invalidArgument });
  const document = await store.load();
  const salt = webRandomBytes(WALLET_SALT_BYTES);
  const key = await derivePassphraseKey({ passphrase, salt, params });
  return sealWalletFile({ document, key, salt, params });
}

/**
 * Restores a backup into a new wallet at `targetStorage`, sealed under
 * `targetPassphrase` (which may differ from the backup's). Copies whose
 * holder key cannot be carried are left out and, when unspent, listed in
 * `needReissuance`. History and trusted issuers are carried whole. The
 * backup is only read.
 *
 * @throws UrbisError `WALLET_EXISTS` (a wallet is already stored at the
 *   target; checked first), `WALLET_PASSPHRASE_WRONG` (wrong backup passphrase),
 *   `WALLET_STORE_CORRUPTED` (damaged backup), `WALLET_FORMAT_NEWER`
 *   (backup from a newer wallet), `INVALID_ARGUMENT` (empty passphrase,
 *   KDF cost out of range).
 *
 * @example
 * ```ts
 * const { store, needReissuance } = await restoreBackup({ backup, passphrase, targetStorage, targetPassphrase });
 * for (const need of needReissuance) console.log(`${need.credentialType} from ${need.issuerUrl ?? need.issuerId}: ask for a new copy`);
 * ```
 */
export async function restoreBackup({
  backup,
  passphrase,
  targetStorage,
  targetPassphrase,
  kdf = DEFAULT_WALLET_KDF,
}: {
  backup: Uint8Array;
  passphrase: string;
  targetStorage: WalletStorage;
  targetPassphrase: string;
  /** scrypt cost of the new wallet (default {@link DEFAULT_WALLET_KDF}). */
  kdf?: ScryptParams;
}): Promise<RestoreResult> {
  passphraseBytes(passphrase);
  passphraseBytes(targetPassphrase);
  if ((await targetStorage.read()) !== undefined) {
    throw new UrbisError(WALLET_STORE_ERROR_CODES.alreadyExists, 'a wallet is already stored at the restore target');
  }
  const frame = await parseWalletFile(backup);
  const source = await unsealWalletFile({ frame, key: await derivePassphraseKey({ passphrase, salt: frame.salt, params: frame.params }) });
  const { document, restoredCredentialIds, needReissuance } = await carryOver(source);
  const store = await createWalletStore({ storage: targetStorage, passphrase: targetPassphrase, kdf, document });
  return { store, restoredCredentialIds, needReissuance };
}

/** Splits a backed-up document into what the new device can use and what needs re-issuance. */
async function carryOver(source: WalletDocument): Promise<{ document: WalletDocument; restoredCredentialIds: string[]; needReissuance: ReissuanceNeed[] }> {
  const carried = new Map<string, StoredHolderKey>();
  const notExportable = new Set<string>();
  for (const record of source.keys) {
    if (!record.exportable) {
      notExportable.add(record.id);
      continue;
    }
    try {
      await holderKeyForRecord({ record });
      carried.set(record.id, record);
    } catch {
      // A key that does not import is as lost as a missing one: its copies are re-issued.
    }
  }
  const credentials: StoredCredential[] = [];
  const needReissuance: ReissuanceNeed[] = [];
  for (const copy of source.credentials) {
    if (carried.has(copy.holderKeyId) || copy.spentAt !== undefined) {
      credentials.push(copy);
      continue;
    }
    const need: ReissuanceNeed = {
      credentialId: copy.id,
      credentialType: copy.credentialType,
      format: copy.format,
      issuerId: copy.issuerId,
      reason: notExportable.has(copy.holderKeyId) ? 'key-not-exportable' : 'key-unavailable',
    };
    for (const name of ['serviceId', 'batchId', 'issuerUrl', 'configurationId'] as const) {
      if (copy[name] !== undefined) need[name] = copy[name];
    }
    needReissuance.push(need);
  }
  return {
    document: { ...source, credentials, keys: [...carried.values()] },
    restoredCredentialIds: credentials.map((c) => c.id),
    needReissuance,
  };
}
