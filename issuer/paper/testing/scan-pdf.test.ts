import { describe, expect, it } from '@jest/globals';
import { PNG } from 'pngjs';
import { layoutQr } from '../../../core/qr/qr-code.js';
import { paperCardLayout } from '../pdf/paper-card-layout.js';
import { renderPaperCardPdf } from '../pdf/paper-card-pdf.js';
import { pdfText, rasterisePdf, scanQrCodes } from './scan-pdf.js';

/** Every byte value, twice, in an order that is not valid UTF-8. */
const BINARY = Uint8Array.from({ length: 512 }, (_, i) => (i * 151 + 7) % 256);

async function twoPassCard() {
  const passes = await Promise.all(
    [BINARY, new TextEncoder().encode('eyJhbGciOiJFUzI1NiJ9.payload~')].map(async (data, i) => ({ serviceName: ['Museos', 'Piscinas'][i]!, validUntil: new Date('2026-03-01T00:00:00Z'), qr: await layoutQr({ data }) })),
  );
  return renderPaperCardPdf({ city: { name: 'Gijón', colour: '#005eb8' }, passes, language: 'es', issuedAt: new Date('2025-12-01T00:00:00Z') });
}

describe('scan-pdf test helpers', () => {
  it('rasterisePdf gives one PNG a page, at the asked resolution', async () => {
    const { pdf, layout } = await twoPassCard();
    const pages = (await rasterisePdf({ pdf, dpi: 72 })).map((png) => PNG.sync.read(png));
    // pdftoppm rounds a page's size in pixels up.
    expect(pages.map((p) => [p.width, p.height])).toEqual(layout.pages.map((p) => [Math.ceil(p.width), Math.ceil(p.height)]));
    expect(pages).toHaveLength(3);
    await expect(rasterisePdf({ pdf, dpi: 0 })).rejects.toThrow(RangeError);
  });

  it('scanQrCodes keeps binary byte-mode data intact, and finds the boxes from the page count when no layout is given', async () => {
    const { pdf, layout } = await twoPassCard();
    const given = await scanQrCodes({ pdf, layout, dpi: 300 });
    const found = await scanQrCodes({ pdf });
    expect(found).toEqual(given);
    expect(found).toHaveLength(4); // the sheet's two codes, then each card's
    expect(Buffer.from(found[0]!).equals(Buffer.from(BINARY))).toBe(true);
    expect(Buffer.from(found[2]!).equals(Buffer.from(BINARY))).toBe(true);
    expect(new TextDecoder().decode(found[3])).toBe('eyJhbGciOiJFUzI1NiJ9.payload~');
  }, 30_000);

  it('scanQrCodes fails loudly on a layout that is not the PDF\'s, or a box with no code', async () => {
    const { pdf, layout } = await twoPassCard();
    await expect(scanQrCodes({ pdf, layout: paperCardLayout({ passes: 3 }), dpi: 72 })).rejects.toThrow(/3 pages, the layout 4/);
    const shifted = { pages: layout.pages.map((page, i) => (i === 1 ? { ...page, qrBoxes: [{ ...page.qrBoxes[0]!, x: page.qrBoxes[0]!.x + 60 }] } : page)) };
    await expect(scanQrCodes({ pdf, layout: shifted, dpi: 150 })).rejects.toThrow(/page 2, box 1/);
    const sheetOnly = { pages: [layout.pages[1]!, layout.pages[0]!, layout.pages[2]!] };
    await expect(scanQrCodes({ pdf, layout: sheetOnly, dpi: 72 })).rejects.toThrow(/page 1 is/);
  }, 30_000);

  it('pdfText gives the pages\' text, separated by form feeds', async () => {
    const { pdf } = await twoPassCard();
    const pages = (await pdfText({ pdf })).split('\f');
    expect(pages[0]).toMatch(/Museos[\s\S]*Piscinas/);
    expect(pages[1]).toContain('Museos');
    expect(pages[2]).toContain('Piscinas');
  });

  it('names scripts/ensure-test-tools.sh when poppler-utils is missing', async () => {
    const path = process.env['PATH'];
    process.env['PATH'] = '/nonexistent';
    try {
      await expect(pdfText({ pdf: new Uint8Array([0x25]) })).rejects.toThrow(/scripts\/ensure-test-tools\.sh/);
    } finally {
      process.env['PATH'] = path;
    }
  });
});
