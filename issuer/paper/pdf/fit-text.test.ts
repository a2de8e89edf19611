import { describe, expect, it } from '@jest/globals';
import { fitText } from './fit-text.js';

/** Every character is `size` wide: widths are easy to reason about. */
const measure = (text: string, size: number) => text.length * size;

describe('fitText', () => {
  it('keeps the largest size at which the text fits', () => {
    expect(fitText({ text: 'Piscinas', what: 'a name', width: 80, maxLines: 1, sizes: [10, 8], measure })).toEqual({ size: 10, lines: ['Piscinas'] });
    expect(fitText({ text: 'Piscinas', what: 'a name', width: 70, maxLines: 1, sizes: [10, 8], measure })).toEqual({ size: 8, lines: ['Piscinas'] });
  });

  it('wraps at spaces only, up to maxLines, and keeps a no-break space', () => {
    expect(fitText({ text: 'Bibliotecas municipales de Gijón', what: 'a name', width: 120, maxLines: 3, sizes: [10], measure })).toEqual({
      size: 10,
      lines: ['Bibliotecas', 'municipales', 'de Gijón'],
    });
    expect(fitText({ text: 'jusqu’au 1er\u00a0mars', what: 'a date', width: 90, maxLines: 2, sizes: [10], measure }).lines).toEqual(['jusqu’au', '1er\u00a0mars']);
  });

  it('never breaks a word: a word wider than the line at every size is INVALID_ARGUMENT, naming what, not the text', () => {
    const call = () => fitText({ text: 'Polideportivo', what: 'a service name', width: 60, maxLines: 3, sizes: [10, 6], measure });
    expect(call).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: 'a service name is too long to print (3 lines at most)' }));
  });

  it('too many lines at every size is INVALID_ARGUMENT', () => {
    expect(() => fitText({ text: 'a b c d', what: 'x', width: 10, maxLines: 3, sizes: [10], measure })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
