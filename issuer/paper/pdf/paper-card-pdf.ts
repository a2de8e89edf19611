import PDFDocument from 'pdfkit';
import { UrbisError } from '../../../core/errors/urbis-error.js';
import type { QrCode } from '../../../core/qr/qr-code.js';
import { qrModules, type QrModules } from '../../../core/qr/qr-modules.js';
import { fitText } from './fit-text.js';
import {
  cardGeometry,
  largestReadableVersion,
  MAX_PASSES,
  paperCardLayout,
  POINTS_PER_MM,
  QUIET_ZONE_MODULES,
  sheetGeometry,
  type Box,
  type PaperCardLayout,
} from './paper-card-layout.js';
import { PAPER_CARD_STRINGS, validityLine, type PaperCardLanguage, type PaperCardStrings } from './paper-card-strings.js';
import { isWinAnsiText } from './win-ansi-text.js';

export type { PaperCardLanguage } from './paper-card-strings.js';
export type { Box, PaperCardLayout, PaperCardPageLayout } from './paper-card-layout.js';

/** The city's design on the card. */
export interface PaperCardCity {
  /** Printed on every page (standard-font characters only). */
  name: string;
  /** The band's colour, `#rrggbb`. */
  colour: string;
}

/** One printed pass: a service's QR code, its name and the end of its validity. */
export interface PaperCardPass {
  /** In the card's language (standard-font characters only). */
  serviceName: string;
  /** The credential's `exp`: the card prints the last whole day before it. */
  validUntil: Date;
  /** Laid out by core's `layoutQr`, as the wallet lays out its codes. */
  qr: QrCode;
}

/** A rendered card. */
export interface RenderedPaperCard {
  pdf: Uint8Array;
  /** Every page's size and QR boxes (points, origin top left, quiet zone included). */
  layout: PaperCardLayout;
}

const MAX_CITY_NAME = 60;
const MAX_SERVICE_NAME = 80;
const COLOUR = /^#[0-9a-fA-F]{6}$/;
const INK = '#000000';
const PAPER = '#ffffff';
const GUIDE = '#8a8a8a';
const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const LEADING = 1.2;

/**
 * Renders a paper card (issue #8) as one PDF: an A4 sheet with a cut-out
 * block per pass (QR, service name, validity), the city's band, a title and
 * short instructions, then one ID-1 card-sized page per pass (QR, service
 * name, validity, city). Nothing else is printed: no name, birthdate,
 * address, card number or pseudonym — those are not even inputs.
 *
 * The codes are drawn as vector modules from the very layout the wallet
 * uses (core's `layoutQr`: same bytes, version and level), with the
 * 4-module quiet zone, modules never under 0.35 mm (see
 * `paper-card-layout.ts`). Standard fonts only (Helvetica, WinAnsi):
 * Spanish and French print and extract as themselves. The same input gives
 * the same bytes (dates and file ID from `issuedAt`).
 *
 * @throws UrbisError `INVALID_ARGUMENT`: 0 or more than 12 passes, a bad
 *   colour, language or date, a name with characters the standard font
 *   cannot print or too long to print, a QR code not made by `layoutQr`;
 *   `INPUT_TOO_LARGE`: a code too large to print with readable modules
 *   (above version 25 with 10–12 passes, 27 on a card page).
 *
 * @example
 * ```ts
 * const qr = await layoutQr({ data: encodeCompactPresentation({ text: pass.credential }) });
 * const { pdf } = await renderPaperCardPdf({
 *   city: { name: 'Gijón', colour: '#005eb8' },
 *   passes: [{ serviceName: 'Bibliotecas', validUntil: new Date(pass.validUntil * 1000), qr }],
 *   language: 'es',
 *   issuedAt: new Date(),
 * });
 * ```
 */
export async function renderPaperCardPdf({
  city,
  passes,
  language,
  issuedAt,
}: {
  city: PaperCardCity;
  passes: readonly PaperCardPass[];
  language: PaperCardLanguage;
  issuedAt: Date;
}): Promise<RenderedPaperCard> {
  const strings = checkLanguage(language);
  checkDate(issuedAt, 'the issue date');
  checkCity(city);
  if (!Array.isArray(passes) || passes.length < 1 || passes.length > MAX_PASSES) {
    throw new UrbisError('INVALID_ARGUMENT', `a paper card has 1 to ${MAX_PASSES} passes`);
  }
  const sheet = sheetGeometry({ passes: passes.length });
  const card = cardGeometry();
  const printed = passes.map((pass, index) => checkPass({ pass, index, issuedAt, sides: [sheet.blocks[0]!.qr.width, card.qr.width] }));

  const doc = new PDFDocument({
    autoFirstPage: false,
    compress: true,
    lang: language,
    info: { Title: `${city.name} - ${strings.title}`, Creator: 'Urbis', Producer: 'Urbis', CreationDate: issuedAt, ModDate: issuedAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  try {
    drawSheet({ doc, sheet, city, strings, printed, language });
    for (const pass of printed) drawCard({ doc, card, city, pass, language });
  } finally {
    doc.end();
  }
  await ended;
  return { pdf: new Uint8Array(Buffer.concat(chunks)), layout: paperCardLayout({ passes: passes.length }) };
}

interface PrintedPass {
  serviceName: string;
  validUntil: Date;
  modules: QrModules;
}

type Doc = PDFKit.PDFDocument;

function drawSheet({ doc, sheet, city, strings, printed, language }: { doc: Doc; sheet: ReturnType<typeof sheetGeometry>; city: PaperCardCity; strings: PaperCardStrings; printed: PrintedPass[]; language: PaperCardLanguage }) {
  doc.addPage({ size: [sheet.width, sheet.height], margin: 0 });
  const { band } = sheet;
  const inset = 4 * POINTS_PER_MM;
  doc.roundedRect(band.x, band.y, band.width, band.height, 2 * POINTS_PER_MM).fill(city.colour);
  const onBand = textColourOn(city.colour);
  const name = fitText({ text: city.name, what: 'the city name', width: band.width - 2 * inset, maxLines: 1, sizes: [18, 16, 14, 12], measure: measurer(doc, BOLD) });
  drawLines({ doc, font: BOLD, fitted: name, x: band.x + inset, y: band.y + 2.5 * POINTS_PER_MM, colour: onBand });
  const title = fitText({ text: strings.title, what: 'the title', width: band.width - 2 * inset, maxLines: 1, sizes: [10], measure: measurer(doc, REGULAR) });
  drawLines({ doc, font: REGULAR, fitted: title, x: band.x + inset, y: band.y + band.height - 2.5 * POINTS_PER_MM - title.size * LEADING, colour: onBand });

  let y = sheet.instructions.y;
  for (const instruction of strings.instructions) {
    const fitted = fitText({ text: `\u2022 ${instruction}`, what: 'an instruction', width: sheet.instructions.width, maxLines: 1, sizes: [8.5, 8, 7.5], measure: measurer(doc, REGULAR) });
    drawLines({ doc, font: REGULAR, fitted, x: sheet.instructions.x, y, colour: INK });
    y += 8.5 * LEADING;
  }

  doc.save().lineWidth(0.5).strokeColor(GUIDE).dash(3, { space: 2 });
  for (const { cell } of sheet.blocks) doc.rect(cell.x, cell.y, cell.width, cell.height).stroke();
  doc.undash();
  // Fold marks in both margins, between rows (never across a code).
  for (const fold of sheet.folds) {
    doc.moveTo(5 * POINTS_PER_MM, fold).lineTo(8 * POINTS_PER_MM, fold).stroke();
    doc.moveTo(sheet.width - 8 * POINTS_PER_MM, fold).lineTo(sheet.width - 5 * POINTS_PER_MM, fold).stroke();
  }
  doc.restore();

  sheet.blocks.forEach((block, index) => {
    const pass = printed[index]!;
    drawQr({ doc, box: block.qr, modules: pass.modules });
    const service = fitText({ text: pass.serviceName, what: 'a service name', width: block.text.width, maxLines: 2, sizes: [9, 8.5, 8, 7.5, 7], measure: measurer(doc, BOLD) });
    drawLines({ doc, font: BOLD, fitted: service, x: block.text.x, y: block.text.y, colour: INK, centreIn: block.text.width });
    const { label, date } = validityLine({ validUntil: pass.validUntil, language });
    const validity = fitText({ text: `${label} ${date}`, what: 'the validity', width: block.text.width, maxLines: 1, sizes: [7.5, 7, 6.5], measure: measurer(doc, REGULAR) });
    drawLines({ doc, font: REGULAR, fitted: validity, x: block.text.x, y: block.text.y + 2 * 9 * LEADING, colour: INK, centreIn: block.text.width });
  });
}

function drawCard({ doc, card, city, pass, language }: { doc: Doc; card: ReturnType<typeof cardGeometry>; city: PaperCardCity; pass: PrintedPass; language: PaperCardLanguage }) {
  doc.addPage({ size: [card.width, card.height], margin: 0 });
  drawQr({ doc, box: card.qr, modules: pass.modules });
  doc.rect(card.band.x, card.band.y, card.band.width, card.band.height).fill(city.colour);
  const name = fitText({ text: city.name, what: 'the city name', width: card.city.width, maxLines: 2, sizes: [10, 9, 8, 7], measure: measurer(doc, BOLD) });
  const nameHeight = name.lines.length * name.size * LEADING;
  drawLines({ doc, font: BOLD, fitted: name, x: card.city.x, y: card.band.y + (card.band.height - nameHeight) / 2, colour: textColourOn(city.colour) });

  const service = fitText({ text: pass.serviceName, what: 'a service name', width: card.text.width, maxLines: 3, sizes: [9, 8.5, 8, 7.5, 7, 6.5], measure: measurer(doc, BOLD) });
  drawLines({ doc, font: BOLD, fitted: service, x: card.text.x, y: card.text.y, colour: INK });
  const { label, date } = validityLine({ validUntil: pass.validUntil, language });
  const validity = [label, date].map((text) => fitText({ text, what: 'the validity', width: card.text.width, maxLines: 1, sizes: [7.5, 7, 6.5, 6], measure: measurer(doc, REGULAR) }));
  const size = Math.min(...validity.map((v) => v.size));
  drawLines({ doc, font: REGULAR, fitted: { size, lines: validity.flatMap((v) => v.lines) }, x: card.text.x, y: card.text.y + 3 * 9 * LEADING + 1.5 * POINTS_PER_MM, colour: INK });
}

/** The code's modules as filled rectangles (one per horizontal run, all in one path), on white, quiet zone included. */
function drawQr({ doc, box, modules: { size, dark } }: { doc: Doc; box: Box; modules: QrModules }) {
  const module = box.width / (size + 2 * QUIET_ZONE_MODULES);
  doc.rect(box.x, box.y, box.width, box.height).fill(PAPER);
  // In module units (integers: a short, well-compressed path).
  doc.save().translate(box.x + QUIET_ZONE_MODULES * module, box.y + QUIET_ZONE_MODULES * module).scale(module);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; ) {
      if (dark[row * size + col] !== 1) {
        col++;
        continue;
      }
      let end = col;
      while (end < size && dark[row * size + end] === 1) end++;
      doc.rect(col, row, end - col, 1);
      col = end;
    }
  }
  doc.fill(INK).restore();
}

function drawLines({ doc, font, fitted, x, y, colour, centreIn }: { doc: Doc; font: string; fitted: { size: number; lines: string[] }; x: number; y: number; colour: string; centreIn?: number }) {
  doc.font(font).fontSize(fitted.size).fillColor(colour);
  fitted.lines.forEach((line, index) => {
    const left = centreIn === undefined ? x : x + (centreIn - doc.widthOfString(line)) / 2;
    doc.text(line, left, y + index * fitted.size * LEADING, { lineBreak: false });
  });
}

function measurer(doc: Doc, font: string): (text: string, size: number) => number {
  return (text, size) => doc.font(font).fontSize(size).widthOfString(text);
}

/** Black or white, whichever contrasts more with the band (WCAG relative luminance). */
function textColourOn(colour: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(colour.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return (1.05) / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? PAPER : INK;
}

function checkLanguage(language: unknown): PaperCardStrings {
  if (typeof language !== 'string' || !Object.hasOwn(PAPER_CARD_STRINGS, language)) throw new UrbisError('INVALID_ARGUMENT', 'the card is printed in es, en or fr');
  return PAPER_CARD_STRINGS[language as PaperCardLanguage];
}

function checkDate(date: unknown, what: string): asserts date is Date {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new UrbisError('INVALID_ARGUMENT', `${what} must be a valid date`);
}

function checkName(name: unknown, what: string, max: number): asserts name is string {
  if (typeof name !== 'string' || name.trim() === '') throw new UrbisError('INVALID_ARGUMENT', `${what} must be non-empty text`);
  if (name.length > max) throw new UrbisError('INVALID_ARGUMENT', `${what} is longer than ${max} characters`);
  if (!isWinAnsiText(name)) throw new UrbisError('INVALID_ARGUMENT', `${what} has characters the standard PDF font cannot print`);
}

function checkCity(city: PaperCardCity) {
  if (typeof city !== 'object' || city === null) throw new UrbisError('INVALID_ARGUMENT', 'the city is required');
  checkName(city.name, 'the city name', MAX_CITY_NAME);
  if (typeof city.colour !== 'string' || !COLOUR.test(city.colour)) throw new UrbisError('INVALID_ARGUMENT', 'the city colour must be #rrggbb');
}

function checkPass({ pass, index, issuedAt, sides }: { pass: PaperCardPass; index: number; issuedAt: Date; sides: number[] }): PrintedPass {
  const what = `pass ${index + 1}`;
  if (typeof pass !== 'object' || pass === null) throw new UrbisError('INVALID_ARGUMENT', `${what} is missing`);
  checkName(pass.serviceName, `the service name of ${what}`, MAX_SERVICE_NAME);
  checkDate(pass.validUntil, `the validity of ${what}`);
  if (pass.validUntil.getTime() <= issuedAt.getTime()) throw new UrbisError('INVALID_ARGUMENT', `${what} is no longer valid when the card is issued`);
  const qr = pass.qr as QrCode | undefined;
  if (typeof qr !== 'object' || qr === null || !(qr.data instanceof Uint8Array) || qr.data.length === 0) throw new UrbisError('INVALID_ARGUMENT', `the QR code of ${what} is missing`);
  const modules = qrModules({ qr });
  const version = (modules.size - 17) / 4;
  const limit = Math.min(...sides.map((side) => largestReadableVersion({ side })));
  if (version > limit) {
    throw new UrbisError('INPUT_TOO_LARGE', `the QR code of ${what} (version ${version}) is too large to print readably on this card (version ${limit} at most)`);
  }
  return { serviceName: pass.serviceName, validUntil: pass.validUntil, modules };
}
