import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jsQRModule from 'jsqr';
import { paperCardLayout, type Box, type PaperCardLayout } from '../pdf/paper-card-layout.js';

/**
 * Test helpers that read a printed paper card as a person or a scanner
 * would: the pages rasterised by poppler's `pdftoppm`, the QR codes
 * decoded from the pixels by jsQR (binary byte-mode data intact), the
 * text extracted by `pdftotext`. Debian's poppler-utils must be installed
 * (scripts/ensure-test-tools.sh does it).
 */

/** jsqr is a CommonJS bundle: its function is both the module and its `default`. */
const jsQR = jsQRModule.default;

const execFileAsync = promisify(execFile);

const MISSING_TOOL = 'poppler-utils is not installed (pdftoppm, pdftotext): run scripts/ensure-test-tools.sh';

/** Pixels added around each QR box when cropping (the quiet zone is in the box already; this absorbs rounding). */
const CROP_SLACK_POINTS = 2;

/**
 * Rasterises every page of a PDF to PNG with `pdftoppm -png -r <dpi>`, in a
 * temporary folder removed afterwards.
 *
 * @example
 * ```ts
 * const [sheet, ...cards] = await rasterisePdf({ pdf, dpi: 150 });
 * ```
 * @throws Error naming scripts/ensure-test-tools.sh when pdftoppm is missing.
 */
export async function rasterisePdf({ pdf, dpi }: { pdf: Uint8Array; dpi: number }): Promise<Buffer[]> {
  return rasterise({ pdf, dpi, format: 'png' });
}

/**
 * Decodes every QR code of a printed paper card from its rasterised pages:
 * each QR box of `layout` (by default the layout of a card with one pass
 * per card page, i.e. the page count minus the A4 sheet) is cropped and
 * decoded with jsQR, keeping the binary byte-mode data. Returns the bytes
 * in page order, then box order: the sheet's codes, then the cards'.
 *
 * 300 dpi by default: the card's smallest module (0.35 mm) is then 4 px.
 * jsQR 1.4.0 misses many codes of pristine renders below that, depending on
 * where module edges fall between pixels (measured: 10–85% of version
 * 15–25 codes missed at 150 dpi, none at 300), and it never decodes a
 * version-23 code (a wrong alignment-pattern table, cozmo/jsQR#251), which
 * phone and terminal scanners read.
 *
 * @example
 * ```ts
 * const [first] = await scanQrCodes({ pdf, dpi: 150 });
 * decodeCompactPresentation({ bytes: first });
 * ```
 * @throws Error when a page does not have the layout's size, or a code does not decode (page and box named).
 */
export async function scanQrCodes({ pdf, layout, dpi = 300 }: { pdf: Uint8Array; layout?: PaperCardLayout; dpi?: number }): Promise<Uint8Array[]> {
  const pages = (await rasterise({ pdf, dpi, format: 'pgm' })).map(parsePgm);
  const expected = layout ?? paperCardLayout({ passes: pages.length - 1 });
  if (expected.pages.length !== pages.length) throw new Error(`the PDF has ${pages.length} pages, the layout ${expected.pages.length}`);
  const scale = dpi / 72;
  return pages.flatMap((image, pageIndex) => {
    const page = expected.pages[pageIndex]!;
    if (Math.abs(image.width - page.width * scale) > 1.5 || Math.abs(image.height - page.height * scale) > 1.5) {
      throw new Error(`page ${pageIndex + 1} is ${image.width}×${image.height} px, the layout says ${Math.round(page.width * scale)}×${Math.round(page.height * scale)}`);
    }
    return page.qrBoxes.map((box, boxIndex) => {
      const { data, width, height } = crop({ image, box, scale });
      const code = jsQR(data, width, height, { inversionAttempts: 'dontInvert' });
      if (code === null) throw new Error(`no QR code decoded on page ${pageIndex + 1}, box ${boxIndex + 1} (at ${dpi} dpi; jsQR cannot decode version 23)`);
      return Uint8Array.from(code.binaryData);
    });
  });
}

/**
 * The text of a PDF as `pdftotext -layout` extracts it (UTF-8; pages
 * separated by form feeds).
 *
 * @throws Error naming scripts/ensure-test-tools.sh when pdftotext is missing.
 */
export async function pdfText({ pdf }: { pdf: Uint8Array }): Promise<string> {
  return withPdfFile(pdf, async (_, file) => run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']));
}

/** A greyscale image, one byte a pixel, row-major. */
interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** The pixels of `box` (points, origin top left) with some slack, clamped to the image, as RGBA for jsQR. */
function crop({ image, box, scale }: { image: GrayImage; box: Box; scale: number }): { data: Uint8ClampedArray; width: number; height: number } {
  const left = Math.max(0, Math.floor((box.x - CROP_SLACK_POINTS) * scale));
  const top = Math.max(0, Math.floor((box.y - CROP_SLACK_POINTS) * scale));
  const right = Math.min(image.width, Math.ceil((box.x + box.width + CROP_SLACK_POINTS) * scale));
  const bottom = Math.min(image.height, Math.ceil((box.y + box.height + CROP_SLACK_POINTS) * scale));
  const [width, height] = [right - left, bottom - top];
  const data = new Uint8ClampedArray(width * height * 4);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const [grey, at] = [image.data[(top + row) * image.width + left + col]!, (row * width + col) * 4];
      data[at] = data[at + 1] = data[at + 2] = grey;
      data[at + 3] = 255;
    }
  }
  return { data, width, height };
}

/** Pages as PNG files, or as greyscale PGM (no compression: much faster to read back). */
async function rasterise({ pdf, dpi, format }: { pdf: Uint8Array; dpi: number; format: 'png' | 'pgm' }): Promise<Buffer[]> {
  if (!Number.isInteger(dpi) || dpi < 36 || dpi > 1200) throw new RangeError('dpi is an integer from 36 to 1200');
  return withPdfFile(pdf, async (dir, file) => {
    await run('pdftoppm', [format === 'png' ? '-png' : '-gray', '-r', String(dpi), file, join(dir, 'page')]);
    const pages = (await readdir(dir)).filter((name) => new RegExp(`^page-\\d+\\.${format}$`).test(name)).sort((a, b) => pageNumber(a) - pageNumber(b));
    return Promise.all(pages.map((name) => readFile(join(dir, name))));
  });
}

/** A binary PGM (P5, 8 bits) as pdftoppm writes it. */
function parsePgm(file: Buffer): GrayImage {
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(file.subarray(0, 64).toString('latin1'));
  if (header === null) throw new Error('pdftoppm did not write an 8-bit PGM');
  const [width, height] = [Number(header[1]), Number(header[2])];
  const data = new Uint8Array(file.buffer, file.byteOffset + header[0].length, width * height);
  return { width, height, data };
}

async function withPdfFile<T>(pdf: Uint8Array, use: (dir: string, file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'urbis-scan-pdf-'));
  try {
    const file = join(dir, 'card.pdf');
    await writeFile(file, pdf);
    return await use(dir, file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function run(command: string, args: string[]): Promise<string> {
  try {
    return (await execFileAsync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: process.env })).stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(MISSING_TOOL);
    throw error;
  }
}

function pageNumber(name: string): number {
  return Number(/-(\d+)\.\w+$/.exec(name)![1]);
}
