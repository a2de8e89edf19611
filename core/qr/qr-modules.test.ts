import { describe, expect, test } from '@jest/globals';
import { layoutQr } from './qr-code.js';
import { qrModules } from './qr-modules.js';

/** The dark modules drawn by qrcode's SVG (the wallet's rendering): its stroke path is runs `M{x} {y+0.5}h{n}` / `m{dx} {dy}h{n}`, quiet zone included. */
function darkModulesOfSvg(svg: string, size: number): Uint8Array {
  const path = /<path stroke="#000000" d="([^"]+)"/.exec(svg)![1]!;
  const dark = new Uint8Array(size * size);
  let x = 0;
  let y = 0;
  for (const [, command, a, b] of path.matchAll(/([MmHhVv])(-?[\d.]+)(?: (-?[\d.]+))?/g)) {
    const [dx, dy] = [Number(a), Number(b ?? 0)];
    if (command === 'M') [x, y] = [dx, dy];
    else if (command === 'm') [x, y] = [x + dx, y + dy];
    else if (command === 'h') {
      for (let i = 0; i < dx; i++) dark[Math.floor(y - 4) * size + (x + i - 4)] = 1;
      x += dx;
    } else throw new Error(`unexpected SVG command ${command}`);
  }
  return dark;
}

describe('qrModules', () => {
  test.each([
    ['a short link (version 1-H)', new TextEncoder().encode('urbis')],
    ['900 random-looking bytes (version 21-L)', Uint8Array.from({ length: 900 }, (_, i) => (i * 197 + 13) % 256)],
  ])('gives the same modules as the SVG layoutQr made: %s', async (_, data) => {
    const qr = await layoutQr({ data });
    const modules = qrModules({ qr });
    expect(modules.size).toBe(qr.size);
    expect(modules.dark.length).toBe(qr.size * qr.size);
    expect(modules.dark).toEqual(darkModulesOfSvg(qr.svg, qr.size));
  });

  test('has the finder patterns in three corners (dark outer ring, light ring, dark 3 × 3 centre)', async () => {
    const { size, dark } = qrModules({ qr: await layoutQr({ data: 'x'.repeat(300) }) });
    const at = (row: number, col: number) => dark[row * size + col];
    for (const [top, left] of [[0, 0], [0, size - 7], [size - 7, 0]] as const) {
      expect([at(top, left), at(top + 1, left + 1), at(top + 3, left + 3), at(top + 6, left + 6)]).toEqual([1, 0, 1, 1]);
    }
  });

  test('a code whose version, level or size does not describe its data is INVALID_ARGUMENT', async () => {
    const qr = await layoutQr({ data: 'x'.repeat(100) });
    expect(() => qrModules({ qr: { ...qr, version: 1 } })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => qrModules({ qr: { ...qr, size: qr.size + 4 } })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
