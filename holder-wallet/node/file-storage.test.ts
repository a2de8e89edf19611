import { mkdtemp, readFile, readdir, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createBackup, restoreBackup } from '../store/backup.js';
import { holderKeyForRecord } from '../store/holder-key-record.js';
import { WALLET_STORE_ERROR_CODES as CODES } from '../store/wallet-store-errors.js';
import { createWalletStore, openWalletStore } from '../store/wallet-store.js';
import { TEST_KDF, TEST_NOW, copyWithKey, documentWith } from '../testing/wallet-fixtures.js';
import { createFileStorage } from './file-storage.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'urbis-wallet-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createFileStorage (Node)', () => {
  it('reads undefined before the first write, then the last bytes written; creates the directory', async () => {
    const path = join(dir, 'nested', 'deeper', 'wallet.urbw');
    const storage = createFileStorage({ path });
    expect(await storage.read()).toBeUndefined();
    await storage.write(Uint8Array.of(1, 2, 3));
    expect(await storage.read()).toEqual(Uint8Array.of(1, 2, 3));
    await storage.write(Uint8Array.of(9));
    expect(Array.from((await storage.read())!)).toEqual([9]);
    expect(await readdir(join(dir, 'nested', 'deeper'))).toEqual(['wallet.urbw']); // no temporary file left
  });

  it('writes the file with mode 0o600 (owner only)', async () => {
    const path = join(dir, 'wallet.urbw');
    await createFileStorage({ path }).write(Uint8Array.of(1));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('a write that fails leaves the old file whole and no temporary file behind', async () => {
    const path = join(dir, 'wallet.urbw');
    const storage = createFileStorage({ path });
    await storage.write(Uint8Array.of(1, 2, 3));
    // Fail after the temporary file was created (the bytes cannot be written).
    await expect(storage.write({ length: 5 } as unknown as Uint8Array)).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['wallet.urbw']);
    expect(Array.from(await readFile(path))).toEqual([1, 2, 3]);
    // Fail at the rename: the target is a non-empty directory.
    const blocked = join(dir, 'blocked');
    await mkdir(join(blocked, 'inside'), { recursive: true });
    const blockedStorage = createFileStorage({ path: blocked });
    await expect(blockedStorage.write(Uint8Array.of(7))).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['blocked', 'wallet.urbw']);
    expect(Array.from(await readFile(path))).toEqual([1, 2, 3]);
  });

  it('refuses an empty path', () => {
    expect(() => createFileStorage({ path: '' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('wallet store on a real file: create, reopen, mutate; wrong passphrase and damage change nothing on disk', async () => {
    const path = join(dir, 'wallet.urbw');
    const copy = await copyWithKey({ id: 'c-1', marker: 'FILEMARKER', exportable: true });
    await createWalletStore({ storage: createFileStorage({ path }), passphrase: 'pass', kdf: TEST_KDF, document: documentWith([copy]) });
    await expect(createWalletStore({ storage: createFileStorage({ path }), passphrase: 'pass', kdf: TEST_KDF })).rejects.toMatchObject({ code: CODES.alreadyExists });

    const store = await openWalletStore({ storage: createFileStorage({ path }), passphrase: 'pass' });
    await store.mutate((doc) => {
      doc.credentials[0]!.spentAt = TEST_NOW + 5;
    });
    const onDisk = await readFile(path);
    expect(onDisk.includes(Buffer.from('FILEMARKER'))).toBe(false);
    expect(onDisk.includes(Buffer.from(copy.key.privateJwk!.d))).toBe(false);

    await expect(openWalletStore({ storage: createFileStorage({ path }), passphrase: 'wrong' })).rejects.toMatchObject({ code: CODES.wrongPassphrase });
    expect(await readFile(path)).toEqual(onDisk);

    const damaged = Buffer.from(onDisk);
    damaged[60]! ^= 0xff;
    await writeFile(path, damaged);
    await expect(openWalletStore({ storage: createFileStorage({ path }), passphrase: 'pass' })).rejects.toMatchObject({ code: CODES.corrupted });
    await expect(store.mutate(() => undefined)).rejects.toMatchObject({ code: CODES.corrupted });
    expect(await readFile(path)).toEqual(damaged);
  });

  it('migration end to end through files: wallet file → backup file → wallet file on the new device', async () => {
    const oldPath = join(dir, 'old', 'wallet.urbw');
    const backupPath = join(dir, 'usb', 'urbis-backup.urbw');
    const newPath = join(dir, 'new', 'wallet.urbw');
    const copy = await copyWithKey({ id: 'c-1', marker: 'M', exportable: true });
    const store = await createWalletStore({ storage: createFileStorage({ path: oldPath }), passphrase: 'old', kdf: TEST_KDF, document: documentWith([copy]) });
    await createFileStorage({ path: backupPath }).write(await createBackup({ store, passphrase: 'backup', kdf: TEST_KDF }));

    const backup = (await createFileStorage({ path: backupPath }).read())!;
    const { store: restored, needReissuance } = await restoreBackup({ backup, passphrase: 'backup', targetStorage: createFileStorage({ path: newPath }), targetPassphrase: 'new', kdf: TEST_KDF });
    expect(needReissuance).toEqual([]);
    const reopened = await openWalletStore({ storage: createFileStorage({ path: newPath }), passphrase: 'new' });
    expect(await reopened.load()).toEqual(await restored.load());
    const key = await holderKeyForRecord({ record: (await reopened.load()).keys[0]! });
    expect(key.publicJwk).toEqual(copy.key.publicJwk);
    expect((await stat(newPath)).mode & 0o777).toBe(0o600);
  });
});
