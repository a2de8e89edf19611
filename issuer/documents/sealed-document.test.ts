import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { SEALED_DOCUMENT_MAGIC, SEALED_DOCUMENT_VERSION, importDocumentKey, openSealedDocument, sealDocument } from './sealed-document.js';
import { newStorageKey } from './storage-key.js';
import { PDF_MARKER, samplePdf, samplePng } from './testing/document-samples.js';

const key = importDocumentKey(new Uint8Array(randomBytes(32)));
const corrupted = { code: 'DOCUMENT_CORRUPTED' };

function sealPdf(): { storageKey: string; file: Uint8Array } {
  const storageKey = newStorageKey();
  return { storageKey, file: sealDocument({ key, storageKey, mime: 'application/pdf', bytes: samplePdf() }) };
}

describe('sealed document format v1', () => {
  it('lays out magic, version, content type, IV, ciphertext and tag', () => {
    const { file } = sealPdf();
    const type = Buffer.from('application/pdf');
    expect(file.subarray(0, 4)).toEqual(SEALED_DOCUMENT_MAGIC);
    expect(Buffer.from(file.subarray(0, 4)).toString('latin1')).toBe('UDOC');
    expect(file[4]).toBe(SEALED_DOCUMENT_VERSION);
    expect(file[5]).toBe(type.length);
    expect(Buffer.from(file.subarray(6, 6 + type.length)).toString('latin1')).toBe('application/pdf');
    expect(file.length).toBe(6 + type.length + 12 + samplePdf().length + 16);
  });

  it('opens what it sealed, into a buffer of its own', () => {
    const { storageKey, file } = sealPdf();
    const opened = openSealedDocument({ key, storageKey, file });
    expect(opened.mime).toBe('application/pdf');
    expect(opened.bytes).toEqual(samplePdf());
    expect(opened.bytes.byteOffset).toBe(0);
    expect(opened.bytes.buffer.byteLength).toBe(opened.bytes.length);
  });

  it('uses a fresh IV per file: the same document seals differently', () => {
    const storageKey = newStorageKey();
    const a = sealDocument({ key, storageKey, mime: 'image/png', bytes: samplePng() });
    const b = sealDocument({ key, storageKey, mime: 'image/png', bytes: samplePng() });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('never holds the plaintext', () => {
    const { file } = sealPdf();
    expect(Buffer.from(file).includes(PDF_MARKER)).toBe(false);
    expect(Buffer.from(file).includes('%PDF')).toBe(false);
  });

  it('refuses every single flipped bit in the header, IV, ciphertext or tag with DOCUMENT_CORRUPTED', () => {
    const { storageKey, file } = sealPdf();
    for (let i = 0; i < file.length; i++) {
      const altered = file.slice();
      altered[i] = altered[i]! ^ (1 << i % 8);
      expect(() => openSealedDocument({ key, storageKey, file: altered })).toThrow(expect.objectContaining(corrupted));
    }
  });

  it('refuses a header edited to another accepted type with DOCUMENT_CORRUPTED', () => {
    const storageKey = newStorageKey();
    const file = sealDocument({ key, storageKey, mime: 'image/png', bytes: samplePng() });
    const jpeg = Buffer.from('image/jpeg', 'latin1');
    const relabelled = Buffer.concat([file.subarray(0, 5), Uint8Array.of(jpeg.length), jpeg, file.subarray(6 + 'image/png'.length)]);
    expect(() => openSealedDocument({ key, storageKey, file: relabelled })).toThrow(expect.objectContaining(corrupted));
  });

  it('refuses bad magic, unknown version and truncation with DOCUMENT_CORRUPTED', () => {
    const { storageKey, file } = sealPdf();
    const badMagic = file.slice();
    badMagic[0] = 0x25; // "%"
    const futureVersion = file.slice();
    futureVersion[4] = 2;
    for (const altered of [badMagic, futureVersion, file.subarray(0, 3), file.subarray(0, 6 + 15 + 12 + 15), new Uint8Array()]) {
      expect(() => openSealedDocument({ key, storageKey, file: altered })).toThrow(expect.objectContaining(corrupted));
    }
  });

  it('refuses the wrong key and another storage key with DOCUMENT_CORRUPTED', () => {
    const { storageKey, file } = sealPdf();
    const otherKey = importDocumentKey(new Uint8Array(randomBytes(32)));
    expect(() => openSealedDocument({ key: otherKey, storageKey, file })).toThrow(expect.objectContaining(corrupted));
    expect(() => openSealedDocument({ key, storageKey: newStorageKey(), file })).toThrow(expect.objectContaining(corrupted));
  });

  it('refuses a key that is not 32 bytes with CONFIG_INVALID', () => {
    for (const bytes of [new Uint8Array(16), new Uint8Array(31), new Uint8Array(33)]) {
      expect(() => importDocumentKey(bytes)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
  });

  it('refuses a bad storage key or content type with INVALID_ARGUMENT', () => {
    expect(() => sealDocument({ key, storageKey: '../x', mime: 'application/pdf', bytes: samplePdf() })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => sealDocument({ key, storageKey: newStorageKey(), mime: 'image/gif' as 'image/png', bytes: samplePng() })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
