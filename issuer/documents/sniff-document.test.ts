import { describe, expect, it } from '@jest/globals';
import { sniffDocument } from './sniff-document.js';
import { sampleExe, sampleGif, sampleHtml, sampleJpeg, samplePdf, samplePng, sampleText, sampleZip } from './testing/document-samples.js';

const unsupported = { code: 'DOCUMENT_TYPE_UNSUPPORTED' };

describe('sniffDocument', () => {
  it.each([
    ['PDF', samplePdf, 'application/pdf'],
    ['PNG', samplePng, 'image/png'],
    ['JPEG', sampleJpeg, 'image/jpeg'],
  ])('recognises a %s from its bytes, declared or not', async (_name, sample, mime) => {
    await expect(sniffDocument({ bytes: sample() })).resolves.toEqual({ mime });
    await expect(sniffDocument({ bytes: sample(), declaredType: mime })).resolves.toEqual({ mime });
  });

  it('accepts a declared type with parameters, other case or a JPEG alias', async () => {
    await expect(sniffDocument({ bytes: samplePdf(), declaredType: ' Application/PDF; charset=binary' })).resolves.toEqual({ mime: 'application/pdf' });
    await expect(sniffDocument({ bytes: sampleJpeg(), declaredType: 'image/jpg' })).resolves.toEqual({ mime: 'image/jpeg' });
    await expect(sniffDocument({ bytes: sampleJpeg(), declaredType: 'image/pjpeg' })).resolves.toEqual({ mime: 'image/jpeg' });
  });

  it.each([
    ['GIF', sampleGif],
    ['ZIP', sampleZip],
    ['Windows executable', sampleExe],
    ['HTML', sampleHtml],
    ['plain text', sampleText],
  ])('refuses %s with DOCUMENT_TYPE_UNSUPPORTED', async (_name, sample) => {
    await expect(sniffDocument({ bytes: sample() })).rejects.toMatchObject(unsupported);
  });

  it('refuses empty input with DOCUMENT_TYPE_UNSUPPORTED', async () => {
    await expect(sniffDocument({ bytes: new Uint8Array() })).rejects.toMatchObject(unsupported);
    await expect(sniffDocument({ bytes: new Uint8Array(), declaredType: 'application/pdf' })).rejects.toMatchObject(unsupported);
  });

  it.each([
    ['a PNG', samplePng],
    ['a JPEG', sampleJpeg],
    ['an executable', sampleExe],
    ['a ZIP', sampleZip],
    ['HTML', sampleHtml],
  ])('refuses %s declared as application/pdf with DOCUMENT_TYPE_UNSUPPORTED', async (_name, sample) => {
    await expect(sniffDocument({ bytes: sample(), declaredType: 'application/pdf' })).rejects.toMatchObject(unsupported);
  });

  it('refuses an accepted type declared as another accepted type, or as a generic type', async () => {
    await expect(sniffDocument({ bytes: samplePdf(), declaredType: 'image/png' })).rejects.toMatchObject(unsupported);
    await expect(sniffDocument({ bytes: samplePdf(), declaredType: 'application/octet-stream' })).rejects.toMatchObject(unsupported);
    await expect(sniffDocument({ bytes: samplePdf(), declaredType: '' })).rejects.toMatchObject(unsupported);
  });

  it('keeps the declared value out of the error message', async () => {
    const declaredType = 'text/html; name="Jeanne Dupont"';
    const error = await sniffDocument({ bytes: samplePdf(), declaredType }).catch((e: unknown) => e);
    expect(error).toMatchObject(unsupported);
    expect((error as Error).message).not.toContain('Dupont');
  });

  it('refuses a non-Uint8Array with INVALID_ARGUMENT', async () => {
    await expect(sniffDocument({ bytes: '%PDF-1.4' as unknown as Uint8Array })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
