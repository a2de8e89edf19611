import { describe, expect, it } from '@jest/globals';
import PDFDocument from 'pdfkit';
import { pdfText } from '../testing/scan-pdf.js';
import { isWinAnsiText } from './win-ansi-text.js';

/** A PDF of `text` in Helvetica, as pdfkit writes it, 30 characters a line. */
async function helveticaPdf(text: string): Promise<Uint8Array> {
  const doc = new PDFDocument({ size: 'A4', margin: 20, info: { CreationDate: new Date(0) } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => doc.on('end', resolve));
  const characters = [...text];
  for (let line = 0; line * 30 < characters.length; line++) doc.font('Helvetica').fontSize(10).text(characters.slice(line * 30, line * 30 + 30).join(''), 20, 20 + line * 14, { lineBreak: false });
  doc.end();
  await ended;
  return new Uint8Array(Buffer.concat(chunks));
}

describe('isWinAnsiText', () => {
  const accepted = [...Array(0x10000).keys()].filter((code) => (code < 0xd800 || code > 0xdfff) && isWinAnsiText(String.fromCodePoint(code)));

  it('takes the 95 ASCII, 95 Latin-1 (no soft hyphen) and 27 Windows-1252 characters, nothing else', () => {
    expect(accepted).toHaveLength(95 + 95 + 27);
    expect(isWinAnsiText('Gijón, Avilés, Valable jusqu’au 1er mars – « Œuvres », 5 €')).toBe(true);
    for (const text of ['Łódź', 'Київ', '🏊', 'a\nb', 'tab\t', '\u0080', '\u00ad', '\u202f', '\u{1F600}']) expect({ text, ok: isWinAnsiText(text) }).toEqual({ text, ok: false });
  });

  it('every character it takes prints and extracts as itself in Helvetica (pdfkit + pdftotext)', async () => {
    // No-break space extracts as a space; the rest as themselves.
    const printable = accepted.filter((code) => code !== 0x20 && code !== 0xa0).map((code) => String.fromCodePoint(code));
    const text = printable.join('');
    const extracted = (await pdfText({ pdf: await helveticaPdf(text) })).replace(/\s+/g, '');
    expect([...extracted]).toEqual([...text]);
  });

  it('a character it refuses does not extract as itself (pdfkit would print garbage)', async () => {
    const extracted = (await pdfText({ pdf: await helveticaPdf('Łódź') })).replace(/\s+/g, '');
    expect(extracted).not.toBe('Łódź');
  });
});
