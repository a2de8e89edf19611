import { describe, expect, it } from '@jest/globals';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { presentationQr } from '../qr/presentation-qr.js';
import { presentationQrPng } from './qr-png.js';

/** jsqr is a CommonJS bundle: its function is both the module and its `default`. */
const jsQR = jsQRModule.default;

describe('presentationQrPng', () => {
  it('writes a PNG whose QR decodes back to the exact bytes', async () => {
    const text = `eyJhbGciOiJFUzI1NiJ9.${'x'.repeat(900)}~WyJzYWx0IiwiYWdlX292ZXJfMTgiLHRydWVd~`;
    const qr = await presentationQr({ text, encoding: 'text' });
    const png = PNG.sync.read(await presentationQrPng({ qr, scale: 3 }));
    expect(png.width).toBe((qr.size + 8) * 3);
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(text);
    expect(decoded?.version).toBe(qr.version);
  });
});
