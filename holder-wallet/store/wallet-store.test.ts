import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { isUrbisError } from '../../core/errors/urbis-error.js';
import { TEST_KDF, TEST_NOW, copyWithKey, documentWith, observeStorage } from '../testing/wallet-fixtures.js';
import { createMemoryStorage } from './memory-storage.js';
import { DEFAULT_WALLET_KDF } from './passphrase-key.js';
import { WALLET_FILE_FORMAT_VERSION } from './sealed-wallet-file.js';
import { emptyWalletDocument, type WalletDocument } from './wallet-document.js';
import { WALLET_STORE_ERROR_CODES as CODES } from './wallet-store-errors.js';
import { createWalletStore, openWalletStore } from './wallet-store.js';

const PASSPHRASE = 'correct horse battery staple';

/** The regions of a format-1 wallet file (see sealed-wallet-file.ts), by offset; negative = from the end. */
const REGIONS: [name: string, offset: number][] = [
  ['magic', 0],
  ['format version', 4],
  ['KDF id', 5],
  ['log2 N', 6],
  ['r', 7],
  ['p', 8],
  ['salt', 9],
  ['passphrase check', 25],
  ['IV', 41],
  ['ciphertext', 53],
  ['GCM tag', -33],
  ['checksum', -1],
];

/** Recomputes the trailing SHA-256, as someone altering the file on purpose would. */
function withChecksum(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  out.set(createHash('sha256').update(out.subarray(0, out.length - 32)).digest(), out.length - 32);
  return out;
}

async function newWallet(document?: WalletDocument) {
  const storage = observeStorage(createMemoryStorage());
  const store = await createWalletStore({ storage, passphrase: PASSPHRASE, kdf: TEST_KDF, ...(document ? { document } : {}) });
  const bytes = (await storage.read())!;
  storage.writes = 0;
  return { storage, store, bytes };
}

/** Opens `bytes`, expecting `code`, and checks nothing was written. */
async function expectOpenFails(bytes: Uint8Array, code: string, passphrase = PASSPHRASE): Promise<Error> {
  const storage = observeStorage(createMemoryStorage({ initial: bytes }));
  const error = await openWalletStore({ storage, passphrase }).then(
    () => new Error('opened'),
    (e: unknown) => e as Error,
  );
  expect(error).toMatchObject({ code });
  expect(storage.writes).toBe(0);
  expect(await storage.read()).toEqual(bytes);
  return error;
}

describe('wallet store: create, open, load, mutate, save', () => {
  it('round-trips a document through create, mutate and a second open', async () => {
    const { storage, store } = await newWallet();
    expect(await store.load()).toEqual(emptyWalletDocument());
    const copy = await copyWithKey({ id: 'c-1', marker: 'M1', exportable: true });
    const returned = await store.mutate((doc) => {
      doc.credentials.push(copy.credential);
      doc.keys.push(copy.key);
      return doc.credentials.length;
    });
    expect(returned).toBe(1);
    expect(storage.writes).toBe(1);

    const reopened = await openWalletStore({ storage, passphrase: PASSPHRASE });
    const document = await reopened.load();
    expect(document.credentials).toEqual([copy.credential]);
    expect(document.keys).toEqual([copy.key]);
    expect(reopened.kdf).toEqual(TEST_KDF);

    await reopened.mutate((doc) => {
      doc.credentials[0]!.spentAt = TEST_NOW + 60;
    });
    expect((await store.load()).credentials[0]!.spentAt).toBe(TEST_NOW + 60);
  });

  it('load returns copies: editing one changes nothing stored', async () => {
    const { store } = await newWallet(documentWith([await copyWithKey({ id: 'c-1', marker: 'M', exportable: true })]));
    const first = await store.load();
    first.credentials.length = 0;
    first.history[0]!.verifier = 'changed';
    const second = await store.load();
    expect(second.credentials).toHaveLength(1);
    expect(second.history[0]!.verifier).toBe('urn:urbis:terminal:HISTORYMARKER');
  });

  it('save replaces the document; every write has a fresh IV under the same salt', async () => {
    const { storage, store, bytes } = await newWallet();
    const document = documentWith([await copyWithKey({ id: 'c-1', marker: 'M', exportable: true })]);
    await store.save(document);
    const first = (await storage.read())!;
    await store.save(document);
    const second = (await storage.read())!;
    expect(await store.load()).toEqual(document);
    expect(Buffer.from(first.subarray(9, 41))).toEqual(Buffer.from(bytes.subarray(9, 41))); // salt and check unchanged
    expect(Buffer.from(first.subarray(41, 53)).equals(Buffer.from(second.subarray(41, 53)))).toBe(false); // IV changed
    expect(Buffer.from(first.subarray(53)).equals(Buffer.from(second.subarray(53)))).toBe(false);
  });

  it('mutate writes nothing when the change throws or leaves a document that breaks the schema', async () => {
    const { storage, store, bytes } = await newWallet();
    await expect(
      store.mutate(() => {
        throw new Error('user cancelled');
      }),
    ).rejects.toThrow('user cancelled');
    await expect(
      store.mutate((doc) => {
        doc.credentials.push({ id: 'x' } as never);
      }),
    ).rejects.toMatchObject({ code: CODES.invalidArgument });
    await expect(store.save({ ...emptyWalletDocument(), keys: 'nope' } as never)).rejects.toMatchObject({ code: CODES.invalidArgument });
    expect(storage.writes).toBe(0);
    expect(await storage.read()).toEqual(bytes);
  });

  it('runs calls one after another: 20 concurrent mutations all land', async () => {
    const { store } = await newWallet();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.mutate(async (doc) => {
          await new Promise((resolve) => setTimeout(resolve, i % 3));
          doc.history.push({ id: `h-${i}`, at: TEST_NOW + i, verifier: 'v', credentialId: 'c', credentialType: 'T', disclosed: [] });
        }),
      ),
    );
    expect((await store.load()).history.map((h) => h.id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `h-${i}`).sort());
  });

  it('changePassphrase re-seals under a fresh salt: the old passphrase stops working, a stale store refuses to read', async () => {
    const { storage, store, bytes } = await newWallet(documentWith([await copyWithKey({ id: 'c-1', marker: 'M', exportable: true })]));
    const before = await store.load();
    const other = await openWalletStore({ storage, passphrase: PASSPHRASE });
    await store.changePassphrase({ passphrase: 'a new passphrase', kdf: { N: 2 ** 11, r: 8, p: 1 } });
    const after = (await storage.read())!;
    expect(Buffer.from(after.subarray(9, 25)).equals(Buffer.from(bytes.subarray(9, 25)))).toBe(false);
    expect(after[6]).toBe(11);
    expect(store.kdf).toEqual({ N: 2 ** 11, r: 8, p: 1 });
    expect(await store.load()).toEqual(before);
    await expectOpenFails(after, CODES.wrongPassphrase);
    expect(await (await openWalletStore({ storage, passphrase: 'a new passphrase' })).load()).toEqual(before);
    // A store opened before the change holds the old key: it refuses rather than misreading.
    await expect(other.load()).rejects.toMatchObject({ code: CODES.wrongPassphrase });
    await expect(other.mutate(() => undefined)).rejects.toMatchObject({ code: CODES.wrongPassphrase });
    expect(await storage.read()).toEqual(after);
  });

  it('accepts the same passphrase typed composed or decomposed (NFC)', async () => {
    const storage = createMemoryStorage();
    await createWalletStore({ storage, passphrase: 'contraseña', kdf: TEST_KDF });
    await expect(openWalletStore({ storage, passphrase: 'contrasen\u0303a' })).resolves.toBeDefined();
  });

  it(`default KDF cost: scrypt N=2^15, r=8, p=1 in the file (log2 N = 15), format version ${WALLET_FILE_FORMAT_VERSION}`, async () => {
    const storage = createMemoryStorage();
    const store = await createWalletStore({ storage, passphrase: PASSPHRASE });
    expect(store.kdf).toEqual(DEFAULT_WALLET_KDF);
    const bytes = (await storage.read())!;
    expect(Buffer.from(bytes.subarray(0, 9))).toEqual(Buffer.from([0x55, 0x52, 0x42, 0x57, 1, 1, 15, 8, 1]));
    await expect(openWalletStore({ storage, passphrase: PASSPHRASE })).resolves.toBeDefined();
  });
});

describe('wallet store: failures are typed and write nothing', () => {
  it('a wrong passphrase gives WALLET_PASSPHRASE_WRONG', async () => {
    const { bytes } = await newWallet();
    const error = await expectOpenFails(bytes, 'WALLET_PASSPHRASE_WRONG', 'wrong passphrase');
    expect(error.message).not.toContain('wrong passphrase');
  });

  it('an empty passphrase or KDF cost out of range gives INVALID_ARGUMENT before anything is read or written', async () => {
    const storage = observeStorage(createMemoryStorage());
    await expect(createWalletStore({ storage, passphrase: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    for (const kdf of [{ N: 1000, r: 8, p: 1 }, { N: 2 ** 9, r: 8, p: 1 }, { N: 2 ** 12, r: 0, p: 1 }, { N: 2 ** 12, r: 8, p: 17 }, { N: 2 ** 20, r: 8, p: 1 }, null as never]) {
      await expect(createWalletStore({ storage, passphrase: PASSPHRASE, kdf })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
    expect(storage.writes).toBe(0);
    await expect(openWalletStore({ storage, passphrase: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('opening where no wallet is stored gives RESOURCE_NOT_FOUND', async () => {
    await expect(openWalletStore({ storage: createMemoryStorage(), passphrase: PASSPHRASE })).rejects.toMatchObject({ code: CODES.notFound });
  });

  it.each(REGIONS)('one byte flipped in the %s region gives WALLET_STORE_CORRUPTED', async (_name, offset) => {
    const { bytes } = await newWallet(documentWith([await copyWithKey({ id: 'c-1', marker: 'M', exportable: true })]));
    const damaged = Uint8Array.from(bytes);
    const at = offset < 0 ? damaged.length + offset : offset;
    damaged[at]! ^= 0xff;
    const error = await expectOpenFails(damaged, CODES.corrupted);
    expect(isUrbisError(error)).toBe(true);
  });

  it('every single-byte change anywhere in a small file is caught (WALLET_STORE_CORRUPTED), never opens', async () => {
    const { bytes } = await newWallet();
    for (let at = 0; at < bytes.length; at++) {
      const damaged = Uint8Array.from(bytes);
      damaged[at]! ^= 1 << at % 8;
      await expectOpenFails(damaged, CODES.corrupted);
    }
  });

  it('a deliberate change that recomputes the checksum is still caught: GCM tag, passphrase check, KDF bounds', async () => {
    const { bytes } = await newWallet(documentWith([await copyWithKey({ id: 'c-1', marker: 'M', exportable: true })]));
    const alter = (at: number, value?: number) => {
      const out = Uint8Array.from(bytes);
      out[at] = value ?? out[at]! ^ 0x01;
      return withChecksum(out);
    };
    await expectOpenFails(alter(60), CODES.corrupted); // ciphertext: GCM tag fails
    await expectOpenFails(alter(45), CODES.corrupted); // IV (GCM additional data)
    await expectOpenFails(alter(bytes.length - 40), CODES.corrupted); // tag
    await expectOpenFails(alter(6, 30), CODES.corrupted); // N = 2^30: refused before any derivation
    await expectOpenFails(alter(5, 2), CODES.corrupted); // unknown KDF
    await expectOpenFails(alter(4, 0), CODES.corrupted); // format version 0
    // Salt or passphrase check changed: the passphrase no longer matches the file (documented: AUTH_FAILED).
    await expectOpenFails(alter(12), CODES.wrongPassphrase);
    await expectOpenFails(alter(30), CODES.wrongPassphrase);
  });

  it('a truncated file gives WALLET_STORE_CORRUPTED at any length', async () => {
    const { bytes } = await newWallet(documentWith([await copyWithKey({ id: 'c-1', marker: 'M', exportable: true })]));
    for (const length of [0, 1, 3, 4, 5, 36, 37, 52, 53, 68, 100, bytes.length - 33, bytes.length - 32, bytes.length - 1]) {
      await expectOpenFails(bytes.slice(0, length), CODES.corrupted);
    }
    await expectOpenFails(Uint8Array.of(...bytes, 0), CODES.corrupted); // one byte appended
  });

  it('a file of a newer format version gives DOCUMENT_TYPE_UNSUPPORTED saying it is newer', async () => {
    const { bytes } = await newWallet();
    const newer = Uint8Array.from(bytes);
    newer[4] = WALLET_FILE_FORMAT_VERSION + 1;
    const error = await expectOpenFails(withChecksum(newer), CODES.newerVersion);
    expect(error.message).toMatch(/newer/);
    // Whatever a newer layout looks like after the version byte.
    await expectOpenFails(withChecksum(Uint8Array.of(0x55, 0x52, 0x42, 0x57, 7, ...new Uint8Array(32))), CODES.newerVersion);
  });

  it('a document of a newer version inside a current file gives DOCUMENT_TYPE_UNSUPPORTED; an open store will not overwrite it', async () => {
    const { storage, store } = await newWallet();
    // A newer wallet sharing the passphrase wrote a version-2 document (same file format).
    storage.failWrites = false;
    const { sealWalletFile, parseWalletFile } = await import('./sealed-wallet-file.js');
    const { derivePassphraseKey } = await import('./passphrase-key.js');
    const frame = await parseWalletFile((await storage.read())!);
    const key = await derivePassphraseKey({ passphrase: PASSPHRASE, salt: frame.salt, params: frame.params });
    const newer = await sealWalletFile({ document: { ...emptyWalletDocument(), version: 2 } as never, key, salt: frame.salt, params: frame.params });
    await storage.write(newer);
    storage.writes = 0;
    const error = await expectOpenFails(newer, CODES.newerVersion);
    expect(error.message).toMatch(/newer/);
    await expect(store.mutate(() => undefined)).rejects.toMatchObject({ code: CODES.newerVersion });
    expect(storage.writes).toBe(0);
    expect(await storage.read()).toEqual(newer);
  });

  it('create refuses to overwrite a stored wallet, or any stored bytes (STATE_CONFLICT)', async () => {
    const { storage, bytes } = await newWallet();
    await expect(createWalletStore({ storage, passphrase: 'another', kdf: TEST_KDF })).rejects.toMatchObject({ code: CODES.alreadyExists });
    const junk = observeStorage(createMemoryStorage({ initial: Uint8Array.of(1, 2, 3) }));
    await expect(createWalletStore({ storage: junk, passphrase: PASSPHRASE, kdf: TEST_KDF })).rejects.toMatchObject({ code: CODES.alreadyExists });
    expect(storage.writes + junk.writes).toBe(0);
    expect(await storage.read()).toEqual(bytes);
  });

  it('a failing write leaves the stored wallet as it was; the store works again once storage recovers', async () => {
    const copy = await copyWithKey({ id: 'c-1', marker: 'M', exportable: true });
    const { storage, store, bytes } = await newWallet(documentWith([copy]));
    storage.failWrites = true;
    await expect(
      store.mutate((doc) => {
        doc.credentials[0]!.spentAt = TEST_NOW + 1;
      }),
    ).rejects.toThrow('disk full');
    await expect(store.save(emptyWalletDocument())).rejects.toThrow('disk full');
    await expect(store.changePassphrase({ passphrase: 'new one' })).rejects.toThrow('disk full');
    expect(await storage.read()).toEqual(bytes);
    const reopened = await openWalletStore({ storage, passphrase: PASSPHRASE });
    expect((await reopened.load()).credentials[0]!.spentAt).toBeUndefined();
    expect((await store.load()).credentials[0]!.spentAt).toBeUndefined();

    storage.failWrites = false;
    await store.mutate((doc) => {
      doc.credentials[0]!.spentAt = TEST_NOW + 2;
    });
    expect((await reopened.load()).credentials[0]!.spentAt).toBe(TEST_NOW + 2);
  });
});

describe('wallet store: nothing readable at rest', () => {
  it('the stored file contains no credential, key, history or passphrase, in any common encoding', async () => {
    const copy = await copyWithKey({ id: 'c-1', marker: 'PLAINTEXTMARKER', exportable: true });
    const { bytes } = await newWallet(documentWith([copy]));
    const file = Buffer.from(bytes);
    const secrets = ['PLAINTEXTMARKER', copy.credential.credential, copy.key.privateJwk!.d, copy.key.publicJwk.x, 'HISTORYMARKER', 'Gijón', 'did:web:gijon', PASSPHRASE, '"credentials"'];
    for (const secret of secrets) {
      const raw = Buffer.from(secret, 'utf8');
      for (const needle of [raw, Buffer.from(raw.toString('base64')), Buffer.from(raw.toString('base64url')), Buffer.from(raw.toString('hex')), Buffer.from(secret, 'utf16le')]) {
        expect(file.includes(needle)).toBe(false);
      }
    }
    // The private key bytes themselves.
    expect(file.includes(Buffer.from(copy.key.privateJwk!.d, 'base64url'))).toBe(false);
  });
});
