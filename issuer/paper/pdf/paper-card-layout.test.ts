import { describe, expect, it } from '@jest/globals';
import { cardGeometry, largestReadableVersion, MIN_MODULE_MM, paperCardLayout, POINTS_PER_MM, sheetGeometry, type Box } from './paper-card-layout.js';

const mm = (points: number) => points / POINTS_PER_MM;
const inside = (inner: Box, outer: Box) => inner.x >= outer.x - 1e-9 && inner.y >= outer.y - 1e-9 && inner.x + inner.width <= outer.x + outer.width + 1e-9 && inner.y + inner.height <= outer.y + outer.height + 1e-9;
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('paper card layout', () => {
  it('an A4 sheet, then one ID-1 card page (85.60 × 53.98 mm) per pass', () => {
    const { pages } = paperCardLayout({ passes: 3 });
    expect(pages.map((p) => [mm(p.width).toFixed(2), mm(p.height).toFixed(2)])).toEqual([['210.00', '297.00'], ...Array(3).fill(['85.60', '53.98'])]);
    expect(pages.map((p) => p.qrBoxes.length)).toEqual([3, 1, 1, 1]);
  });

  it.each([1, 2, 4, 5, 9, 10, 12])('%i passes: square codes inside their blocks, blocks inside the 10 mm margins, nothing overlapping', (passes) => {
    const sheet = sheetGeometry({ passes });
    const printable = { x: sheet.margin, y: sheet.margin, width: sheet.width - 2 * sheet.margin, height: sheet.height - 2 * sheet.margin };
    for (const [i, block] of sheet.blocks.entries()) {
      expect(block.qr.width).toBe(block.qr.height);
      expect(inside(block.qr, block.cell) && inside(block.text, block.cell) && inside(block.cell, printable)).toBe(true);
      expect(overlap(block.qr, block.text) || overlap(block.cell, sheet.band) || overlap(block.cell, sheet.instructions)).toBe(false);
      for (const other of sheet.blocks.slice(i + 1)) expect(overlap(block.cell, other.cell)).toBe(false);
    }
    expect(mm(sheet.blocks[0]!.qr.width)).toBeGreaterThanOrEqual(44);
  });

  it('the card page: code and text side by side inside 3.5 mm margins', () => {
    const card = cardGeometry();
    const page = { x: 0, y: 0, width: card.width, height: card.height };
    expect(mm(card.qr.width)).toBeCloseTo(46.98, 2);
    expect(inside(card.qr, page) && inside(card.text, page) && inside(card.band, page) && inside(card.city, card.band)).toBe(true);
    expect(overlap(card.qr, card.text) || overlap(card.qr, card.band) || overlap(card.band, card.text)).toBe(false);
  });

  it(`the largest version printed with modules of at least ${MIN_MODULE_MM} mm, quiet zone included`, () => {
    for (const [side, version] of [[sheetGeometry({ passes: 12 }).blocks[0]!.qr.width, 25], [cardGeometry().qr.width, 27], [sheetGeometry({ passes: 1 }).blocks[0]!.qr.width, 36]] as const) {
      expect(largestReadableVersion({ side })).toBe(version);
      expect(mm(side) / (17 + 4 * version + 8)).toBeGreaterThanOrEqual(MIN_MODULE_MM);
      expect(mm(side) / (17 + 4 * (version + 1) + 8)).toBeLessThan(MIN_MODULE_MM);
    }
  });

  it('a pass count outside 1–12 is a RangeError (the renderer checks first)', () => {
    for (const passes of [0, 13, 1.5]) expect(() => paperCardLayout({ passes })).toThrow(RangeError);
  });
});
