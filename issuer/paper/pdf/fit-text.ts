import { UrbisError } from '../../../core/errors/urbis-error.js';

/** Text broken into lines at one font size. */
export interface FittedText {
  size: number;
  lines: string[];
}

/**
 * Breaks `text` into at most `maxLines` lines no wider than `width`, at the
 * largest of `sizes` (largest first) where it fits. Lines break at spaces
 * only (a no-break space holds), never inside a word: a name is printed
 * whole or not at all. `measure` gives a string's width at a size.
 *
 * @throws UrbisError `INVALID_ARGUMENT` when it fits at none of the sizes
 *   (the message names `what`, never the text).
 *
 * @example
 * ```ts
 * const { size, lines } = fitText({ text: serviceName, what: 'a service name', width: 160, maxLines: 2, sizes: [9, 8, 7],
 *   measure: (s, size) => doc.fontSize(size).widthOfString(s) });
 * ```
 */
export function fitText({
  text,
  what,
  width,
  maxLines,
  sizes,
  measure,
}: {
  text: string;
  what: string;
  width: number;
  maxLines: number;
  sizes: readonly number[];
  measure: (text: string, size: number) => number;
}): FittedText {
  const words = text.split(' ').filter((word) => word !== '');
  for (const size of sizes) {
    const lines = wrap({ words, width, measure: (s) => measure(s, size) });
    if (lines !== undefined && lines.length <= maxLines) return { size, lines };
  }
  throw new UrbisError('INVALID_ARGUMENT', `${what} is too long to print (${maxLines} line${maxLines === 1 ? '' : 's'} at most)`);
}

/** Greedy wrap; `undefined` when a word alone is wider than the line. */
function wrap({ words, width, measure }: { words: string[]; width: number; measure: (text: string) => number }): string[] | undefined {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (measure(word) > width) return undefined;
    const longer = line === '' ? word : `${line} ${word}`;
    if (measure(longer) <= width) line = longer;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
