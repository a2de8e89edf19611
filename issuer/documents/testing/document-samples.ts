/**
 * Tiny but real document samples for the document tests, built in code (no
 * binary fixtures in the repository).
 */
import { deflateSync } from 'node:zlib';

const ascii = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'));

/** A marker embedded in {@link samplePdf}, to prove it never reaches the disk in clear. */
export const PDF_MARKER = 'URBIS-PLAINTEXT-MARKER-4f1c9e';

/** A minimal one-page PDF 1.4 carrying `marker` (default {@link PDF_MARKER}) in its content stream. */
export function samplePdf(marker = PDF_MARKER): Uint8Array {
  const stream = `BT /F1 12 Tf 72 720 Td (${marker}) Tj ET`;
  return ascii(
    [
      '%PDF-1.4',
      '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
      '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
      '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >> endobj',
      `4 0 obj << /Length ${stream.length} >> stream`,
      stream,
      'endstream endobj',
      'trailer << /Root 1 0 R >>',
      '%%EOF',
      '',
    ].join('\n'),
  );
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A valid 1×1 RGBA PNG (signature, IHDR, IDAT, IEND with correct CRCs). */
export function samplePng(): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0); // width
  ihdr.writeUInt32BE(1, 4); // height
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA, deflate, no filter, no interlace
  const scanline = Uint8Array.of(0, 0x1e, 0x6e, 0xb4, 0xff); // filter 0, one pixel
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk('IHDR', ihdr),
      pngChunk('IDAT', deflateSync(scanline)),
      pngChunk('IEND', new Uint8Array()),
    ]),
  );
}

/** The start of a JFIF JPEG: SOI, an APP0 "JFIF" segment, then EOI. */
export function sampleJpeg(): Uint8Array {
  return Uint8Array.of(
    0xff, 0xd8, // SOI
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, // APP0, length 16, "JFIF\0"
    0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, // version 1.1, no units, 1:1 density, no thumbnail
    0xff, 0xd9, // EOI
  );
}

/** A 1×1 GIF89a (a real image, but not an accepted document type). */
export function sampleGif(): Uint8Array {
  return new Uint8Array(Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64'));
}

/** A ZIP archive holding one stored file `a.txt`. */
export function sampleZip(): Uint8Array {
  const name = Buffer.from('a.txt', 'latin1');
  const data = Buffer.from('hello', 'latin1');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(10, 4); // version needed
  local.writeUInt32LE(crc32(data), 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(10, 6);
  central.writeUInt32LE(crc32(data), 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  const centralOffset = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return new Uint8Array(Buffer.concat([local, name, data, central, name, end]));
}

/** The start of a Windows executable: "MZ" DOS header pointing at a "PE\0\0" header. */
export function sampleExe(): Uint8Array {
  const bytes = Buffer.alloc(128);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(64, 0x3c);
  bytes.write('PE\0\0', 64, 'latin1');
  return new Uint8Array(bytes);
}

/** An HTML page (file-type has no magic number for HTML). */
export function sampleHtml(): Uint8Array {
  return ascii('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n');
}

/** Plain text. */
export function sampleText(): Uint8Array {
  return ascii('Proof of address: 1 rue de la Mairie\n');
}
