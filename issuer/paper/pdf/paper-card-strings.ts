/**
 * Everything the paper card prints besides the city's and the services'
 * names: a title, the validity line and the short instructions, in the
 * languages the card is printed in. Every string is in the standard PDF
 * font's WinAnsi set (a test checks it), and none carries personal data.
 */

/** The languages a paper card is printed in. */
export type PaperCardLanguage = 'es' | 'en' | 'fr';

/** The printed strings of one language. */
export interface PaperCardStrings {
  /** Under the city's name, on the A4 sheet. */
  title: string;
  /** Before the last valid day (see {@link validityLine}). */
  validUntil: string;
  /** The A4 sheet's instructions, one line each: show it, one code per service, if lost, cut or fold. */
  instructions: readonly string[];
  /** Month names, January first. */
  months: readonly string[];
  /** A day of the month as written before the month's name. */
  day: (day: number) => string;
  /** Joins day, month and year. */
  date: (parts: { day: string; month: string; year: number }) => string;
}

/** The strings of every printed language. */
export const PAPER_CARD_STRINGS: Readonly<Record<PaperCardLanguage, PaperCardStrings>> = Object.freeze({
  es: {
    title: 'Tarjeta de servicios en papel',
    validUntil: 'Válido hasta el',
    instructions: [
      'Enseñe el código en el punto de servicio. Funciona sin teléfono móvil.',
      'Cada código sirve solo para el servicio escrito debajo de él.',
      'Si lo pierde, pida otro en el mostrador o vuelva a imprimirlo: el anterior dejará de funcionar.',
      'Recorte por la línea de puntos o doble entre las filas, sin doblar los códigos.',
    ],
    months: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
    day: (day: number) => String(day),
    date: ({ day, month, year }: { day: string; month: string; year: number }) => `${day} de ${month} de ${year}`,
  },
  en: {
    title: 'Paper service card',
    validUntil: 'Valid until',
    instructions: [
      'Show the code at the service point. It works without a mobile phone.',
      'Each code is only for the service written under it.',
      'If you lose it, ask for another at the counter or print it again: the old one will stop working.',
      'Cut along the dotted lines or fold between the rows, without folding the codes.',
    ],
    months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
    day: (day: number) => String(day),
    date: ({ day, month, year }: { day: string; month: string; year: number }) => `${day} ${month} ${year}`,
  },
  fr: {
    title: 'Carte de services papier',
    validUntil: 'Valable jusqu’au',
    instructions: [
      'Présentez le code au point de service. Il fonctionne sans téléphone portable.',
      'Chaque code ne vaut que pour le service écrit en dessous.',
      'En cas de perte, demandez-en un autre au guichet ou imprimez-le à nouveau : l’ancien ne fonctionnera plus.',
      'Découpez le long des pointillés ou pliez entre les rangées, sans plier les codes.',
    ],
    months: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
    day: (day: number) => (day === 1 ? '1er' : String(day)),
    date: ({ day, month, year }: { day: string; month: string; year: number }) => `${day} ${month} ${year}`,
  },
});

const DAY_MS = 86_400_000;

/**
 * The last day a pass is valid for the whole day, as printed: the UTC day
 * before the one in which `validUntil` falls (so a pass expiring at
 * midnight UTC on 1 March reads "until 28 February", and one expiring at
 * noon on 1 March does too: the printed date never promises more than the
 * terminal accepts, in Spain and France, east of UTC).
 *
 * @example
 * ```ts
 * lastValidDay(new Date('2026-03-01T00:00:00Z')); // 2026-02-28T00:00:00Z
 * ```
 */
export function lastValidDay(validUntil: Date): Date {
  return new Date((Math.floor(validUntil.getTime() / DAY_MS) - 1) * DAY_MS);
}

/**
 * A day written out with the month's name ("28 de febrero de 2026",
 * "28 February 2026", "1er mars 2026"): unambiguous in every language,
 * read in UTC, with no dependence on the machine's locale data.
 *
 * @example
 * ```ts
 * printedDate({ date: new Date('2026-02-28T00:00:00Z'), language: 'es' }); // '28 de febrero de 2026'
 * ```
 */
export function printedDate({ date, language }: { date: Date; language: PaperCardLanguage }): string {
  const strings = PAPER_CARD_STRINGS[language];
  return strings.date({ day: strings.day(date.getUTCDate()), month: strings.months[date.getUTCMonth()]!, year: date.getUTCFullYear() });
}

/**
 * The printed validity of a pass: the words before the date, and the
 * {@link lastValidDay} written out (printed on one line, or two on a card).
 *
 * @example
 * ```ts
 * validityLine({ validUntil: new Date('2026-03-01T00:00:00Z'), language: 'en' }); // { label: 'Valid until', date: '28 February 2026' }
 * ```
 */
export function validityLine({ validUntil, language }: { validUntil: Date; language: PaperCardLanguage }): { label: string; date: string } {
  return { label: PAPER_CARD_STRINGS[language].validUntil, date: printedDate({ date: lastValidDay(validUntil), language }) };
}
