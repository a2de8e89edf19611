import { describe, expect, it } from '@jest/globals';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { createMemoryKeyHandles } from '../keys/memory-key-handles.js';
import { TEST_KDF, TEST_NOW, copyWithKey, documentWith, observeStorage } from '../testing/wallet-fixtures.js';
import { createBackup, restoreBackup } from './backup.js';
import { createHolderKeyRecord, holderKeyForRecord } from './holder-key-record.js';
import { createMemoryStorage } from './memory-storage.js';
import { generateHolderKey } from '../keys/web-crypto-holder-keys.js';
import { WALLET_STORE_ERROR_CODES as CODES } from './wallet-store-errors.js';
import { createWalletStore, openWalletStore } from './wallet-store.js';

const WALLET_PASSPHRASE = 'wallet passphrase on the old phone';
const BACKUP_PASSPHRASE = 'a different passphrase for the backup';
const NEW_PASSPHRASE = 'passphrase on the new phone';

/**
 * An old device's wallet: a browser-like mix of exportable and
 * non-exportable keys, spent and unspent copies, a copy whose key record is
 * missing, and a key not yet bound to a copy.
 */
async function oldDevice() {
  const handles = createMemoryKeyHandles();
  const exportableUnspent = await copyWithKey({ id: 'A', marker: 'BACKUPMARKER_A', exportable: true });
  const lockedUnspent = await copyWithKey({ id: 'B', marker: 'B', exportable: false, handles });
  const lockedSpent = await copyWithKey({ id: 'C', marker: 'C', exportable: false, handles, spentAt: TEST_NOW + 10 });
  const exportableSpent = await copyWithKey({ id: 'D', marker: 'D', exportable: true, spentAt: TEST_NOW + 20 });
  const orphan = await copyWithKey({ id: 'E', marker: 'E', exportable: true });
  const spareKey = await createHolderKeyRecord({ holderKey: await generateHolderKey({ extractable: true }), createdAt: TEST_NOW });
  const document = documentWith([exportableUnspent, lockedUnspent, lockedSpent, exportableSpent, orphan]);
  document.keys = document.keys.filter((k) => k.id !== orphan.key.id);
  document.keys.push(spareKey);
  const storage = observeStorage(createMemoryStorage());
  const store = await createWalletStore({ storage, passphrase: WALLET_PASSPHRASE, kdf: TEST_KDF, document });
  return { storage, store, document, exportableUnspent, lockedUnspent, lockedSpent, exportableSpent, orphan, spareKey };
}

describe('backup and restore (migration to another device)', () => {
  it('restores under a different passphrase; lists the unspent copies whose key could not travel for re-issuance', async () => {
    const old = await oldDevice();
    const walletBytes = await old.storage.read();
    const backup = await createBackup({ store: old.store, passphrase: BACKUP_PASSPHRASE, kdf: TEST_KDF });
    expect(await old.storage.read()).toEqual(walletBytes); // the wallet itself is untouched
    expect(Buffer.from(backup.subarray(0, 5))).toEqual(Buffer.from([0x55, 0x52, 0x42, 0x57, 1]));
    expect(Buffer.from(backup.subarray(9, 25)).equals(Buffer.from(walletBytes!.subarray(9, 25)))).toBe(false); // its own salt

    const targetStorage = observeStorage(createMemoryStorage());
    const { store, restoredCredentialIds, needReissuance } = await restoreBackup({
      backup,
      passphrase: BACKUP_PASSPHRASE,
      targetStorage,
      targetPassphrase: NEW_PASSPHRASE,
      kdf: TEST_KDF,
    });
    expect(targetStorage.writes).toBe(1);
    expect(restoredCredentialIds).toEqual(['A', 'C', 'D']);
    expect(needReissuance).toEqual([
      {
        credentialId: 'B',
        credentialType: 'ServiceEntitlementCredential',
        format: 'vc+sd-jwt',
        issuerId: 'did:web:gijon.urbis.example',
        serviceId: 'pool',
        batchId: 'batch-1',
        issuerUrl: 'https://gijon.urbis.example',
        configurationId: 'ServiceEntitlementCredential_vc+sd-jwt',
        reason: 'key-not-exportable',
      },
      expect.objectContaining({ credentialId: 'E', reason: 'key-unavailable' }),
    ]);

    const restored = await store.load();
    expect(restored.credentials.map((c) => c.id)).toEqual(['A', 'C', 'D']);
    expect(restored.keys.map((k) => k.id).sort()).toEqual([old.exportableUnspent.key.id, old.exportableSpent.key.id, old.spareKey.id].sort());
    expect(restored.history).toEqual(old.document.history);
    expect(restored.trustedIssuers).toEqual(old.document.trustedIssuers);

    // The carried key signs on the new device, for the copy it is bound to.
    const record = restored.keys.find((k) => k.id === old.exportableUnspent.credential.holderKeyId)!;
    const key = await holderKeyForRecord({ record });
    const signature = await key.signingKey.sign('eyJhbGciOiJFUzI1NiJ9.e30');
    expect(createNodeCrypto().verifySignature({ alg: 'ES256', publicJwk: old.exportableUnspent.key.publicJwk, signingInput: 'eyJhbGciOiJFUzI1NiJ9.e30', signature })).toBe(true);

    // The new wallet opens with the new passphrase only.
    await expect(openWalletStore({ storage: targetStorage, passphrase: NEW_PASSPHRASE })).resolves.toBeDefined();
    await expect(openWalletStore({ storage: targetStorage, passphrase: BACKUP_PASSPHRASE })).rejects.toMatchObject({ code: CODES.wrongPassphrase });
    await expect(openWalletStore({ storage: targetStorage, passphrase: WALLET_PASSPHRASE })).rejects.toMatchObject({ code: CODES.wrongPassphrase });
  });

  it('a wallet whose keys are all exportable migrates whole: nothing to re-issue', async () => {
    const copies = [await copyWithKey({ id: 'A', marker: 'A', exportable: true }), await copyWithKey({ id: 'B', marker: 'B', exportable: true })];
    const store = await createWalletStore({ storage: createMemoryStorage(), passphrase: WALLET_PASSPHRASE, kdf: TEST_KDF, document: documentWith(copies) });
    const backup = await createBackup({ store, passphrase: BACKUP_PASSPHRASE, kdf: TEST_KDF });
    const result = await restoreBackup({ backup, passphrase: BACKUP_PASSPHRASE, targetStorage: createMemoryStorage(), targetPassphrase: NEW_PASSPHRASE, kdf: TEST_KDF });
    expect(result.needReissuance).toEqual([]);
    expect(await result.store.load()).toEqual(await store.load());
  });

  it('the backup file holds no plaintext credential or key', async () => {
    const old = await oldDevice();
    const backup = Buffer.from(await createBackup({ store: old.store, passphrase: BACKUP_PASSPHRASE, kdf: TEST_KDF }));
    for (const secret of ['BACKUPMARKER_A', old.exportableUnspent.key.privateJwk!.d, 'HISTORYMARKER', BACKUP_PASSPHRASE]) {
      expect(backup.includes(Buffer.from(secret))).toBe(false);
      expect(backup.includes(Buffer.from(Buffer.from(secret).toString('base64url')))).toBe(false);
    }
  });

  it('a wrong backup passphrase (AUTH_FAILED), a damaged or newer backup are typed errors and write nothing at the target', async () => {
    const old = await oldDevice();
    const backup = await createBackup({ store: old.store, passphrase: BACKUP_PASSPHRASE, kdf: TEST_KDF });
    const attempt = async (bytes: Uint8Array, passphrase: string, code: string) => {
      const targetStorage = observeStorage(createMemoryStorage());
      await expect(restoreBackup({ backup: bytes, passphrase, targetStorage, targetPassphrase: NEW_PASSPHRASE, kdf: TEST_KDF })).rejects.toMatchObject({ code });
      expect(targetStorage.writes).toBe(0);
      expect(await targetStorage.read()).toBeUndefined();
    };
    await attempt(backup, WALLET_PASSPHRASE, CODES.wrongPassphrase);
    const damaged = Uint8Array.from(backup);
    damaged[100]! ^= 0x20;
    await attempt(damaged, BACKUP_PASSPHRASE, CODES.corrupted);
    await attempt(backup.slice(0, backup.length - 10), BACKUP_PASSPHRASE, CODES.corrupted);
    const { createHash } = await import('node:crypto');
    const newer = Uint8Array.from(backup);
    newer[4] = 2;
    newer.set(createHash('sha256').update(newer.subarray(0, newer.length - 32)).digest(), newer.length - 32);
    await attempt(newer, BACKUP_PASSPHRASE, CODES.newerVersion);
    await attempt(backup, '', 'INVALID_ARGUMENT');
  });

  it('refuses to restore over an existing wallet (STATE_CONFLICT), checked before the backup is even opened', async () => {
    const old = await oldDevice();
    const backup = await createBackup({ store: old.store, passphrase: BACKUP_PASSPHRASE, kdf: TEST_KDF });
    const before = await old.storage.read();
    old.storage.writes = 0;
    await expect(restoreBackup({ backup, passphrase: 'not even the right one', targetStorage: old.storage, targetPassphrase: NEW_PASSPHRASE, kdf: TEST_KDF })).rejects.toMatchObject({
      code: CODES.alreadyExists,
    });
    expect(old.storage.writes).toBe(0);
    expect(await old.storage.read()).toEqual(before);
  });

  it('a wallet file is itself a valid backup (same sealed format), under the wallet passphrase', async () => {
    const old = await oldDevice();
    const result = await restoreBackup({ backup: (await old.storage.read())!, passphrase: WALLET_PASSPHRASE, targetStorage: createMemoryStorage(), targetPassphrase: NEW_PASSPHRASE, kdf: TEST_KDF });
    expect(result.restoredCredentialIds).toEqual(['A', 'C', 'D']);
  });
});
