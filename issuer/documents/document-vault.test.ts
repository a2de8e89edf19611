import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rename, rm, stat, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { isUrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';
import { createDocumentVault, type DocumentVault } from './document-vault.js';
import { newStorageKey } from './storage-key.js';
import { PDF_MARKER, sampleExe, sampleGif, sampleHtml, sampleJpeg, samplePdf, samplePng, sampleText, sampleZip } from './testing/document-samples.js';

const FILE_SUFFIX = '.udoc';

async function codeOf(promise: Promise<unknown>): Promise<UrbisErrorCode | 'NOT_URBIS' | undefined> {
  try {
    await promise;
  } catch (e) {
    return isUrbisError(e) ? e.code : 'NOT_URBIS';
  }
  return undefined;
}

describe('createDocumentVault', () => {
  let directory: string;
  let key: Uint8Array;
  let vault: DocumentVault;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'urbis-documents-'));
    key = new Uint8Array(randomBytes(32));
    vault = createDocumentVault({ directory, key });
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const fileOf = (storageKey: string): string => join(directory, `${storageKey}${FILE_SUFFIX}`);

  describe('put and get', () => {
    it.each([
      ['PDF', samplePdf, 'application/pdf'],
      ['PNG', samplePng, 'image/png'],
      ['JPEG', sampleJpeg, 'image/jpeg'],
    ])('round-trips a %s', async (_name, sample, mime) => {
      const bytes = sample();
      const stored = await vault.put({ bytes, declaredType: mime });
      expect(stored).toEqual({
        storageKey: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        mime,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
      const opened = await vault.get(stored.storageKey);
      expect(opened.mime).toBe(mime);
      expect(opened.bytes).toEqual(bytes);
      expect(await vault.has(stored.storageKey)).toBe(true);
    });

    it('sniffs the type when none is declared', async () => {
      await expect(vault.put({ bytes: samplePng() })).resolves.toMatchObject({ mime: 'image/png' });
    });

    it('gives every document its own storage key, even the same bytes twice', async () => {
      const a = await vault.put({ bytes: samplePdf() });
      const b = await vault.put({ bytes: samplePdf() });
      expect(a.storageKey).not.toBe(b.storageKey);
      expect(a.sha256).toBe(b.sha256);
      expect((await readdir(directory)).sort()).toEqual([`${a.storageKey}${FILE_SUFFIX}`, `${b.storageKey}${FILE_SUFFIX}`].sort());
    });

    it('keeps the plaintext off the disk: neither the marker nor the PDF header is in the file', async () => {
      const bytes = samplePdf();
      expect(Buffer.from(bytes).includes(PDF_MARKER)).toBe(true);
      const { storageKey } = await vault.put({ bytes, declaredType: 'application/pdf' });
      const onDisk = await readFile(fileOf(storageKey));
      expect(onDisk.includes(PDF_MARKER)).toBe(false);
      expect(onDisk.includes('%PDF')).toBe(false);
      expect(onDisk.subarray(0, 4).toString('latin1')).toBe('UDOC');
    });

    it('writes files with mode 0o600, leaves no temporary file, and creates a missing directory', async () => {
      const nested = join(directory, 'a', 'b');
      const nestedVault = createDocumentVault({ directory: nested, key });
      const { storageKey } = await nestedVault.put({ bytes: sampleJpeg() });
      expect(await readdir(nested)).toEqual([`${storageKey}${FILE_SUFFIX}`]);
      if (process.platform !== 'win32') {
        expect((await stat(join(nested, `${storageKey}${FILE_SUFFIX}`))).mode & 0o777).toBe(0o600);
        expect((await stat(nested)).mode & 0o077).toBe(0);
      }
      await expect(nestedVault.get(storageKey)).resolves.toMatchObject({ mime: 'image/jpeg' });
    });

    it('keeps its own copy of the key', async () => {
      const { storageKey } = await vault.put({ bytes: samplePng() });
      key.fill(0);
      await expect(vault.get(storageKey)).resolves.toMatchObject({ mime: 'image/png' });
    });
  });

  describe('refusals on put', () => {
    it('refuses a document over the limit with DOCUMENT_TOO_LARGE, before sniffing', async () => {
      const small = createDocumentVault({ directory, key, maxBytes: 64 });
      const pdf = samplePdf();
      expect(pdf.length).toBeGreaterThan(64);
      expect(await codeOf(small.put({ bytes: pdf }))).toBe('DOCUMENT_TOO_LARGE');
      // Over the limit and of a refused type: the size check comes first.
      expect(await codeOf(small.put({ bytes: new Uint8Array(65) }))).toBe('DOCUMENT_TOO_LARGE');
      expect(await readdir(directory)).toEqual([]);
    });

    it('accepts a document of exactly the limit', async () => {
      const jpeg = sampleJpeg();
      const exact = createDocumentVault({ directory, key, maxBytes: jpeg.length });
      await expect(exact.put({ bytes: jpeg })).resolves.toMatchObject({ size: jpeg.length });
      expect(await codeOf(createDocumentVault({ directory, key, maxBytes: jpeg.length - 1 }).put({ bytes: jpeg }))).toBe('DOCUMENT_TOO_LARGE');
    });

    it('applies the 5 MiB default limit', async () => {
      const pdf = samplePdf();
      const big = new Uint8Array(5 * 1024 * 1024 + 1);
      big.set(pdf);
      expect(await codeOf(vault.put({ bytes: big, declaredType: 'application/pdf' }))).toBe('DOCUMENT_TOO_LARGE');
      await expect(vault.put({ bytes: big.subarray(0, 5 * 1024 * 1024), declaredType: 'application/pdf' })).resolves.toMatchObject({
        size: 5 * 1024 * 1024,
      });
    });

    it.each([
      ['GIF', sampleGif],
      ['ZIP', sampleZip],
      ['executable', sampleExe],
      ['HTML', sampleHtml],
      ['plain text', sampleText],
      ['empty', () => new Uint8Array()],
    ])('refuses %s with DOCUMENT_TYPE_UNSUPPORTED and stores nothing', async (_name, sample) => {
      expect(await codeOf(vault.put({ bytes: sample() }))).toBe('DOCUMENT_TYPE_UNSUPPORTED');
      expect(await readdir(directory)).toEqual([]);
    });

    it('refuses a declared type that disagrees with the bytes with DOCUMENT_TYPE_UNSUPPORTED', async () => {
      expect(await codeOf(vault.put({ bytes: samplePng(), declaredType: 'application/pdf' }))).toBe('DOCUMENT_TYPE_UNSUPPORTED');
      expect(await codeOf(vault.put({ bytes: sampleExe(), declaredType: 'application/pdf' }))).toBe('DOCUMENT_TYPE_UNSUPPORTED');
      expect(await codeOf(vault.put({ bytes: samplePdf(), declaredType: 'image/jpeg' }))).toBe('DOCUMENT_TYPE_UNSUPPORTED');
      expect(await readdir(directory)).toEqual([]);
    });

    it('refuses non-bytes with INVALID_ARGUMENT', async () => {
      expect(await codeOf(vault.put({ bytes: 'hello' as unknown as Uint8Array }))).toBe('INVALID_ARGUMENT');
    });
  });

  describe('refusals on get', () => {
    it('refuses a flipped ciphertext byte with DOCUMENT_CORRUPTED', async () => {
      const { storageKey } = await vault.put({ bytes: samplePdf() });
      const file = await readFile(fileOf(storageKey));
      file[file.length - 40] = file[file.length - 40]! ^ 0x01;
      await writeFile(fileOf(storageKey), file);
      expect(await codeOf(vault.get(storageKey))).toBe('DOCUMENT_CORRUPTED');
    });

    it('refuses a flipped tag byte, bad magic, unknown version and truncation with DOCUMENT_CORRUPTED', async () => {
      const { storageKey } = await vault.put({ bytes: samplePng() });
      const original = await readFile(fileOf(storageKey));
      const alterations: Array<(file: Buffer) => Buffer> = [
        (f) => ((f[f.length - 1] = f[f.length - 1]! ^ 0x80), f),
        (f) => ((f[0] = 0x89), f),
        (f) => ((f[4] = 9), f),
        (f) => f.subarray(0, f.length - 1),
        () => Buffer.alloc(0),
      ];
      for (const alter of alterations) {
        await writeFile(fileOf(storageKey), alter(Buffer.from(original)));
        expect(await codeOf(vault.get(storageKey))).toBe('DOCUMENT_CORRUPTED');
      }
    });

    it('refuses a vault opened with the wrong key with DOCUMENT_CORRUPTED', async () => {
      const { storageKey } = await vault.put({ bytes: sampleJpeg() });
      const otherVault = createDocumentVault({ directory, key: new Uint8Array(randomBytes(32)) });
      expect(await codeOf(otherVault.get(storageKey))).toBe('DOCUMENT_CORRUPTED');
    });

    it('refuses a file renamed to another storage key with DOCUMENT_CORRUPTED', async () => {
      const { storageKey } = await vault.put({ bytes: samplePdf() });
      const otherKey = newStorageKey();
      await rename(fileOf(storageKey), fileOf(otherKey));
      expect(await codeOf(vault.get(otherKey))).toBe('DOCUMENT_CORRUPTED');
    });

    it("refuses one document's file swapped over another's with DOCUMENT_CORRUPTED", async () => {
      const first = await vault.put({ bytes: samplePdf() });
      const second = await vault.put({ bytes: samplePng() });
      await copyFile(fileOf(first.storageKey), fileOf(second.storageKey));
      expect(await codeOf(vault.get(second.storageKey))).toBe('DOCUMENT_CORRUPTED');
      await expect(vault.get(first.storageKey)).resolves.toMatchObject({ mime: 'application/pdf' });
    });

    it('refuses an absent document with RESOURCE_NOT_FOUND', async () => {
      expect(await codeOf(vault.get(newStorageKey()))).toBe('RESOURCE_NOT_FOUND');
      const empty = createDocumentVault({ directory: join(directory, 'never-created'), key });
      expect(await codeOf(empty.get(newStorageKey()))).toBe('RESOURCE_NOT_FOUND');
    });
  });

  describe('storage key checks', () => {
    it.each(['../x', '../../etc/passwd', '/etc/passwd', '..', '', 'a'.repeat(22) + '/..', `..${'/'.repeat(20)}`, '%2e%2e%2fx'])(
      'refuses %p with INVALID_ARGUMENT on get, has and delete',
      async (storageKey) => {
        expect(await codeOf(vault.get(storageKey))).toBe('INVALID_ARGUMENT');
        expect(await codeOf(vault.has(storageKey))).toBe('INVALID_ARGUMENT');
        expect(await codeOf(vault.delete(storageKey))).toBe('INVALID_ARGUMENT');
      },
    );

    it('cannot reach a file planted outside the directory, nor a temporary file inside it', async () => {
      const inner = join(directory, 'vault');
      const innerVault = createDocumentVault({ directory: inner, key });
      const { storageKey } = await innerVault.put({ bytes: samplePdf() });
      await copyFile(join(inner, `${storageKey}${FILE_SUFFIX}`), join(directory, `x${FILE_SUFFIX}`));
      await copyFile(join(inner, `${storageKey}${FILE_SUFFIX}`), join(inner, `${storageKey}${FILE_SUFFIX}.0011aabbccdd.tmp`));
      expect(await codeOf(innerVault.get('../x'))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(innerVault.get(`${storageKey}${FILE_SUFFIX}.0011aabbccdd.tmp`))).toBe('INVALID_ARGUMENT');
    });
  });

  describe('delete and has', () => {
    it('deletes a document once, after which it is gone', async () => {
      const { storageKey } = await vault.put({ bytes: samplePdf() });
      expect(await vault.has(storageKey)).toBe(true);
      expect(await vault.delete(storageKey)).toBe(true);
      expect(await vault.has(storageKey)).toBe(false);
      expect(await vault.delete(storageKey)).toBe(false);
      expect(await codeOf(vault.get(storageKey))).toBe('RESOURCE_NOT_FOUND');
      expect(await readdir(directory)).toEqual([]);
    });

    it('reports false for a key never stored', async () => {
      expect(await vault.has(newStorageKey())).toBe(false);
    });
  });

  describe('configuration', () => {
    it.each([
      ['a 16-byte key', () => createDocumentVault({ directory, key: new Uint8Array(16) })],
      ['a 33-byte key', () => createDocumentVault({ directory, key: new Uint8Array(33) })],
      ['a key given as text', () => createDocumentVault({ directory, key: 'a'.repeat(32) as unknown as Uint8Array })],
      ['an empty directory', () => createDocumentVault({ directory: '', key })],
      ['a zero size limit', () => createDocumentVault({ directory, key, maxBytes: 0 })],
      ['a fractional size limit', () => createDocumentVault({ directory, key, maxBytes: 1.5 })],
      ['an infinite size limit', () => createDocumentVault({ directory, key, maxBytes: Infinity })],
    ])('refuses %s with CONFIG_INVALID', (_name, make) => {
      expect(make).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    });
  });
});
