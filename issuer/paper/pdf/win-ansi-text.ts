/**
 * The characters the standard PDF fonts (Helvetica and the other 13, with
 * WinAnsiEncoding, as pdfkit writes them) can print: printable ASCII,
 * Latin-1's letters and signs (á é í ó ú ñ ü ç œ « » …) and the 27 extra
 * signs of Windows-1252 (€ ‘ ’ “ ” – — … œ Œ Š ž Ÿ …). Anything else would
 * print as a wrong glyph or nothing (pdfkit writes the low byte of the
 * UTF-16 code unit), so the card refuses it instead.
 */

/** Windows-1252's signs in 0x80–0x9F, by Unicode code point. */
const CP1252_EXTRAS = new Set([
  0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017d, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013,
  0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e, 0x0178,
]);

/** Soft hyphen: pdfkit would print it as a visible hyphen. */
const SOFT_HYPHEN = 0xad;

/**
 * Whether every character of `text` prints as itself in a standard PDF
 * font. Control characters (newlines included), C1 codes, the soft hyphen
 * and everything past Latin-1 but the Windows-1252 signs are refused.
 *
 * @example
 * ```ts
 * isWinAnsiText('Gijón — Bibliothèque, œuvres'); // true
 * isWinAnsiText('Łódź'); // false
 * ```
 */
export function isWinAnsiText(text: string): boolean {
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const printable = (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff && code !== SOFT_HYPHEN) || CP1252_EXTRAS.has(code);
    if (!printable) return false;
  }
  return true;
}
