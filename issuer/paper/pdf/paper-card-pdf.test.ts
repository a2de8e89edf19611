import { describe, expect, it } from '@jest/globals';
import { PNG } from 'pngjs';
import { layoutQr, type QrCode } from '../../../core/qr/qr-code.js';
import { pdfText, rasterisePdf, scanQrCodes } from '../testing/scan-pdf.js';
import { paperCardLayout, POINTS_PER_MM } from './paper-card-layout.js';
import { renderPaperCardPdf, type PaperCardPass } from './paper-card-pdf.js';
import { PAPER_CARD_STRINGS } from './paper-card-strings.js';

/**
 * Issue #8's printed card: render, rasterise with poppler (pdftoppm),
 * decode every QR with jsQR back to the exact bytes, read the text with
 * pdftotext. Payloads are pseudo-random bytes from a fixed seed (binary,
 * not UTF-8), sized like real passes and larger (QR versions 17–24);
 * none lands on version 23, which jsQR cannot decode (cozmo/jsQR#251).
 */

/** Deterministic bytes (mulberry32). */
function bytes(length: number, seed: number): Uint8Array {
  let state = seed >>> 0;
  return Uint8Array.from({ length }, () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) & 0xff;
  });
}

const ISSUED_AT = new Date('2025-12-01T09:30:00Z');
const GIJON = { name: 'Gijón', colour: '#005eb8' };

/** A citizen whose personal data the renderer is never given: none of it may be on the page. */
const CITIZEN = {
  givenName: 'Eulalia',
  familyName: 'Cienfuegos Argüelles',
  birthdate: '1938-11-02',
  address: 'Calle Ezcurdia 40, 1º, 33203 Gijón',
  cardNumber: 'GIJ-4821-7730',
  pseudonym: 'p7Qw3xZk9Lm2Rt8Vb',
};

const SERVICES = [
  'Bibliotecas municipales',
  'Puntos limpios',
  'Aparcamiento para residentes',
  'Piscinas',
  'Autobuses urbanos',
  'Reservas deportivas',
  'Carné joven',
  'Museos',
  'Teatro Jovellanos',
  'Bicicleta pública',
  'Escuelas de música',
  'Centros sociales',
];

/** 600–1,100 bytes (QR versions 17–24 at level L; 1,004–1,091 bytes would give version 23). */
const SIZES = [600, 1_100, 777, 940, 1_000, 650, 820, 700, 960, 880, 610, 990];

async function passesFor(count: number, { sizes = SIZES }: { sizes?: number[] } = {}): Promise<{ passes: PaperCardPass[]; payloads: Uint8Array[] }> {
  const payloads = Array.from({ length: count }, (_, i) => bytes(sizes[i % sizes.length]!, 1_000 + i));
  const passes = await Promise.all(
    payloads.map(async (data, i) => ({ serviceName: SERVICES[i]!, validUntil: new Date(Date.UTC(2026, 2, 1 + i)), qr: await layoutQr({ data }) })),
  );
  return { passes, payloads };
}

/** The text with runs of white space (line breaks, columns, wrapped lines) made one space. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('renderPaperCardPdf', () => {
  it.each([1, 3, 12])('%i pass(es): every QR on the A4 sheet and on the card pages decodes to the exact bytes', async (count) => {
    const { passes, payloads } = await passesFor(count);
    for (const pass of passes) expect(pass.qr.version).not.toBe(23);
    const { pdf, layout } = await renderPaperCardPdf({ city: GIJON, passes, language: 'es', issuedAt: ISSUED_AT });
    expect(layout).toEqual(paperCardLayout({ passes: count }));
    expect(layout.pages).toHaveLength(1 + count);
    const scanned = await scanQrCodes({ pdf, layout });
    expect(scanned.map((b) => Buffer.from(b).toString('base64'))).toEqual([...payloads, ...payloads].map((b) => Buffer.from(b).toString('base64')));
  }, 60_000);

  it('prints the city, service names and validity, and no word it was not meant to print', async () => {
    const { passes } = await passesFor(3);
    const { pdf } = await renderPaperCardPdf({ city: GIJON, passes, language: 'es', issuedAt: ISSUED_AT });
    const text = await pdfText({ pdf });
    const pages = text.split('\f').filter((page) => page.trim() !== '');
    expect(pages).toHaveLength(4);
    for (const page of pages) expect(page).toContain('Gijón');
    expect(flat(pages[0]!)).toContain('Tarjeta de servicios en papel');
    for (const line of PAPER_CARD_STRINGS.es.instructions) expect(flat(pages[0]!)).toContain(line);
    const validity = ['28 de febrero de 2026', '1 de marzo de 2026', '2 de marzo de 2026'];
    passes.forEach((pass, i) => {
      expect(flat(pages[0]!)).toContain(pass.serviceName);
      expect(flat(pages[0]!)).toContain(`Válido hasta el ${validity[i]}`);
      expect(flat(pages[i + 1]!)).toContain(`${pass.serviceName} Válido hasta el ${validity[i]}`);
    });
    // Every word on the page is one the card means to print.
    const vocabulary = new Set(
      [GIJON.name, PAPER_CARD_STRINGS.es.title, PAPER_CARD_STRINGS.es.validUntil, ...PAPER_CARD_STRINGS.es.instructions, ...passes.map((p) => p.serviceName), ...validity, '•']
        .join(' ')
        .split(/\s+/),
    );
    const printed = text.split(/\s+/).filter((word) => word !== '');
    expect(printed.filter((word) => !vocabulary.has(word))).toEqual([]);
    for (const personal of [CITIZEN.givenName, 'Cienfuegos', 'Argüelles', '1938', '02/11', 'Ezcurdia', '33203', CITIZEN.cardNumber, CITIZEN.pseudonym]) {
      expect(text).not.toContain(personal);
    }
  }, 30_000);

  it('prints accented names and French and English text that extract as themselves', async () => {
    const { passes } = await passesFor(1);
    const fr = await renderPaperCardPdf({ city: { name: 'Avilés', colour: '#f2c500' }, passes: [{ ...passes[0]!, serviceName: 'Bibliothèque « Œuvres » – prêt', validUntil: new Date('2026-04-02T00:00:00Z') }], language: 'fr', issuedAt: ISSUED_AT });
    const text = flat(await pdfText({ pdf: fr.pdf }));
    expect(text).toContain('Avilés');
    expect(text).toContain('Bibliothèque « Œuvres » – prêt');
    expect(text).toContain('Valable jusqu’au 1er avril 2026');
    expect(text).toContain('Carte de services papier');
    expect(text).toContain(PAPER_CARD_STRINGS.fr.instructions[2]!);
    const en = await renderPaperCardPdf({ city: GIJON, passes, language: 'en', issuedAt: ISSUED_AT });
    expect(flat(await pdfText({ pdf: en.pdf }))).toContain('Valid until 28 February 2026');
  }, 30_000);

  it('draws the band in the city colour', async () => {
    const { passes } = await passesFor(1);
    const { pdf } = await renderPaperCardPdf({ city: { name: 'Gijón', colour: '#c8102e' }, passes, language: 'es', issuedAt: ISSUED_AT });
    const [sheet, card] = (await rasterisePdf({ pdf, dpi: 72 })).map((png) => PNG.sync.read(png));
    const pixel = (image: PNG, x: number, y: number) => [...image.data.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 3)];
    // Right end of the sheet's band (no text there), and the card's band corner.
    expect(pixel(sheet!, Math.round(190 * POINTS_PER_MM), Math.round(12 * POINTS_PER_MM))).toEqual([0xc8, 0x10, 0x2e]);
    expect(pixel(card!, card!.width - 2, 2)).toEqual([0xc8, 0x10, 0x2e]);
  }, 30_000);

  it('is byte-identical for the same input; the issue date changes the file', async () => {
    const { passes } = await passesFor(2);
    const first = await renderPaperCardPdf({ city: GIJON, passes, language: 'es', issuedAt: ISSUED_AT });
    const second = await renderPaperCardPdf({ city: GIJON, passes, language: 'es', issuedAt: new Date(ISSUED_AT) });
    expect(Buffer.from(second.pdf).equals(Buffer.from(first.pdf))).toBe(true);
    const later = await renderPaperCardPdf({ city: GIJON, passes, language: 'es', issuedAt: new Date(ISSUED_AT.getTime() + 1_000) });
    expect(Buffer.from(later.pdf).equals(Buffer.from(first.pdf))).toBe(false);
    expect(Buffer.from(first.pdf).toString('latin1')).toMatch(/^%PDF-1\.\d/);
  });
});

describe('renderPaperCardPdf refuses what it cannot print well', () => {
  const render = (input: Partial<Parameters<typeof renderPaperCardPdf>[0]>) => async () => {
    const { passes } = await passesFor(1, { sizes: [300] });
    return renderPaperCardPdf({ city: GIJON, passes, language: 'es', issuedAt: ISSUED_AT, ...input });
  };
  const code = (expected: string) => expect.objectContaining({ code: expected });

  it('0 or 13 passes', async () => {
    await expect(render({ passes: [] })()).rejects.toEqual(code('INVALID_ARGUMENT'));
    const { passes } = await passesFor(1, { sizes: [300] });
    await expect(render({ passes: Array.from({ length: 13 }, () => passes[0]!) })()).rejects.toEqual(code('INVALID_ARGUMENT'));
  });

  it('a colour that is not #rrggbb, a language not printed, an invalid date', async () => {
    for (const colour of ['#12345', 'red', '#GG0000', '#0055b8 ', '']) await expect(render({ city: { name: 'Gijón', colour } })()).rejects.toEqual(code('INVALID_ARGUMENT'));
    await expect(render({ language: 'de' as 'es' })()).rejects.toEqual(code('INVALID_ARGUMENT'));
    await expect(render({ issuedAt: new Date('not a date') })()).rejects.toEqual(code('INVALID_ARGUMENT'));
  });

  it('characters the standard font cannot print, in the city or a service name; names too long to print', async () => {
    for (const name of ['Łódź', 'Gijón 🏊', 'Gijón\nOviedo', 'Київ', '   ']) await expect(render({ city: { name, colour: '#005eb8' } })()).rejects.toEqual(code('INVALID_ARGUMENT'));
    const { passes } = await passesFor(1, { sizes: [300] });
    await expect(render({ passes: [{ ...passes[0]!, serviceName: 'Biblioteka Łazienki' }] })()).rejects.toEqual(code('INVALID_ARGUMENT'));
    await expect(render({ passes: [{ ...passes[0]!, serviceName: 'Polideportivomunicipalelnatahoyo' }] })()).rejects.toEqual(code('INVALID_ARGUMENT'));
    await expect(render({ passes: [{ ...passes[0]!, serviceName: 'x '.repeat(41) }] })()).rejects.toEqual(code('INVALID_ARGUMENT'));
  });

  it('a pass already expired at print time, or a QR code not laid out by layoutQr', async () => {
    const { passes } = await passesFor(1, { sizes: [300] });
    await expect(render({ passes: [{ ...passes[0]!, validUntil: ISSUED_AT }] })()).rejects.toEqual(code('INVALID_ARGUMENT'));
    const forged: QrCode = { ...passes[0]!.qr, version: 1, size: 21 };
    await expect(render({ passes: [{ ...passes[0]!, qr: forged }] })()).rejects.toEqual(code('INVALID_ARGUMENT'));
  });

  it('a QR code too large for readable modules (≥ 0.35 mm): above version 25 with 10–12 passes, above 27 on a card', async () => {
    const v25 = await layoutQr({ data: bytes(1_250, 1) });
    const v26 = await layoutQr({ data: bytes(1_300, 2) });
    const v27 = await layoutQr({ data: bytes(1_400, 3) });
    const v28 = await layoutQr({ data: bytes(1_500, 4) });
    expect([v25.version, v26.version, v27.version, v28.version]).toEqual([25, 26, 27, 28]);
    const pass = (qr: QrCode) => ({ serviceName: 'Museos', validUntil: new Date('2026-03-01T00:00:00Z'), qr });
    await expect(render({ passes: Array.from({ length: 10 }, () => pass(v25)) })()).resolves.toBeDefined();
    await expect(render({ passes: Array.from({ length: 10 }, () => pass(v26)) })()).rejects.toEqual(code('INPUT_TOO_LARGE'));
    await expect(render({ passes: Array.from({ length: 9 }, () => pass(v26)) })()).resolves.toBeDefined();
    await expect(render({ passes: [pass(v27)] })()).resolves.toBeDefined();
    await expect(render({ passes: [pass(v28)] })()).rejects.toEqual(code('INPUT_TOO_LARGE'));
  }, 30_000);
});
