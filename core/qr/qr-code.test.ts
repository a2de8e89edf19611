import { describe, expect, test } from '@jest/globals';
import QRCode from 'qrcode';
import { smallestVersion } from './qr-capacity.js';
import { layoutQr } from './qr-code.js';

describe('layoutQr', () => {
  test('a 1,570-byte presentation (DESIGN §7) takes version 29 at level L, the smallest version', async () => {
    const qr = await layoutQr({ data: 'x'.repeat(1_570) });
    expect(qr).toMatchObject({ version: 29, level: 'L', size: 17 + 4 * 29 });
    expect(qr.versionByLevel).toEqual({ L: 29, M: 33, Q: 39, H: undefined });
    expect(qr.svg).toMatch(/^<svg/);
  });

  test('at the smallest version, the most redundant level that still fits is taken', async () => {
    // Version 1 holds 17 bytes at level L, 14 at M, 11 at Q and 7 at H (byte mode).
    const tiny = await layoutQr({ data: 'urbis' });
    expect(tiny.version).toBe(1);
    expect(tiny.level).toBe('H');
    const seventeen = await layoutQr({ data: 'x'.repeat(17) });
    expect(seventeen).toMatchObject({ version: 1, level: 'L' });
  });

  test('the code encodes the text in byte mode at the reported version and level (qrcode as the reference)', async () => {
    const text = 'eyJ0eXAiOiJrYitqd3QifQ.payload~WyJzYWx0IiwiYWdlX292ZXJfMTgiLHRydWVd~';
    const qr = await layoutQr({ data: text });
    const reference = QRCode.create([{ data: new TextEncoder().encode(text), mode: 'byte' }], { errorCorrectionLevel: qr.level });
    expect(reference.version).toBe(qr.version);
    expect(reference.segments.map((s) => s.mode.id)).toEqual(['Byte']);
    expect(qr.svg).toBe(await QRCode.toString([{ data: new TextEncoder().encode(text), mode: 'byte' }], { type: 'svg', errorCorrectionLevel: qr.level, version: qr.version }));
  });

  test('too much data for a QR code is INPUT_TOO_LARGE; none is INVALID_ARGUMENT', async () => {
    await expect(layoutQr({ data: 'x'.repeat(3_000) })).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
    await expect(layoutQr({ data: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('layoutQr version choice (qrcode as the reference)', () => {
  test('the capacity table picks the version qrcode itself picks, at every level, around every capacity boundary', () => {
    for (const level of ['L', 'M', 'Q', 'H'] as const) {
      for (const bytes of [1, 17, 18, 100, 500, 1_000, 1_273, 1_274, 2_000, 2_331, 2_953]) {
        const data = new Uint8Array(bytes).fill(0x78);
        let reference: number | undefined;
        try {
          reference = QRCode.create([{ data, mode: 'byte' }], { errorCorrectionLevel: level }).version;
        } catch {
          reference = undefined;
        }
        expect({ level, bytes, version: smallestVersion({ bytes, level }) }).toEqual({ level, bytes, version: reference });
      }
    }
  });
});
