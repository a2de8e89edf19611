import { describe, expect, it } from '@jest/globals';
import { lastValidDay, PAPER_CARD_STRINGS, printedDate, validityLine } from './paper-card-strings.js';
import { isWinAnsiText } from './win-ansi-text.js';

describe('paper card strings', () => {
  it('writes dates out with the month name, in UTC, as each language does', () => {
    const date = new Date('2026-02-28T00:00:00Z');
    expect(printedDate({ date, language: 'es' })).toBe('28 de febrero de 2026');
    expect(printedDate({ date, language: 'en' })).toBe('28 February 2026');
    expect(printedDate({ date, language: 'fr' })).toBe('28 février 2026');
    expect(printedDate({ date: new Date('2026-03-01T23:59:59Z'), language: 'fr' })).toBe('1er mars 2026');
    expect(printedDate({ date: new Date('2026-08-01T00:00:00Z'), language: 'es' })).toBe('1 de agosto de 2026');
  });

  it('prints the last whole day before the expiry, never a day the terminal refuses', () => {
    expect(lastValidDay(new Date('2026-03-01T00:00:00Z')).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(lastValidDay(new Date('2026-03-01T12:30:00Z')).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(lastValidDay(new Date('2026-03-02T00:00:00.001Z')).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(validityLine({ validUntil: new Date('2027-01-01T00:00:00Z'), language: 'es' })).toEqual({ label: 'Válido hasta el', date: '31 de diciembre de 2026' });
    expect(validityLine({ validUntil: new Date('2026-05-02T00:00:00Z'), language: 'fr' })).toEqual({ label: 'Valable jusqu’au', date: '1er mai 2026' });
  });

  it('every language has the same parts, twelve months and four instructions, all printable in the standard font', () => {
    for (const strings of Object.values(PAPER_CARD_STRINGS)) {
      expect(strings.months).toHaveLength(12);
      expect(strings.instructions).toHaveLength(4);
      const all = [strings.title, strings.validUntil, ...strings.instructions, ...strings.months];
      for (const text of all) expect({ text, printable: isWinAnsiText(text) }).toEqual({ text, printable: true });
    }
    // The instructions say what issue #8 asks: show it, no phone needed, lost → counter or reprint, the old one stops working.
    expect(PAPER_CARD_STRINGS.en.instructions.join(' ')).toMatch(/service point.*without a mobile phone.*counter.*print it again.*old one will stop working/s);
  });
});
