import { UrbisError } from '../errors/urbis-error.js';

/**
 * Age predicates (`age_over_18`, `age_over_65`) from a birthdate, by pure
 * calendar arithmetic: no clock, no time zone, no milliseconds.
 *
 * **When is an age reached?** On the anniversary of the birth date itself,
 * from its first moment: Spanish Civil Code art. 240 (art. 315 before Ley
 * 8/2021) — "la mayor edad empieza a los dieciocho años cumplidos. Para el
 * cómputo de los años de la mayoría de edad se incluirá completo el día del
 * nacimiento". Someone born 2008-03-10 is 18 on 2026-03-10, not the day after.
 *
 * **Born on 29 February?** In a common year the anniversary does not exist.
 * Spanish law counts periods in years "de fecha a fecha" and, when the final
 * month has no equivalent day, "se entenderá que el plazo expira el último del
 * mes" (CC art. 5.1), so the age is reached on **28 February**; that is also
 * how Spanish administrations apply it. It is the default here
 * (`leapDayBirthday: 'february-28'`). Some other jurisdictions deem the
 * birthday to be 1 March (e.g. Hong Kong's Age of Majority (Related
 * Provisions) Ordinance); a federated city under such a law passes
 * `leapDayBirthday: 'march-1'`. (1 March is *not* the Spanish rule.)
 *
 * **Which day is "today"?** `on` is a calendar date. Pass a `YYYY-MM-DD`
 * string for the civil date where the rule applies (e.g. Europe/Madrid); a
 * `Date` is read in UTC, which lags Spanish civil time by one or two hours
 * around midnight.
 */

/** How a 29 February birthday falls in a common year. */
export type LeapDayBirthdayRule = 'february-28' | 'march-1';

/** A calendar date (proleptic Gregorian), month 1..12. */
interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Parses an RFC 3339 full-date that names a real calendar day, or returns undefined. */
function parseFullDate(text: unknown): CalendarDate | undefined {
  if (typeof text !== 'string') return undefined;
  const m = FULL_DATE.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

function compare(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

function birthdateOf(birthdate: string): CalendarDate {
  const parsed = parseFullDate(birthdate);
  if (!parsed) throw new UrbisError('CLAIM_INVALID', 'birthdate is not a valid YYYY-MM-DD calendar date');
  return parsed;
}

function evaluationDateOf(on: Date | string): CalendarDate {
  if (on instanceof Date) {
    if (Number.isNaN(on.getTime())) throw new UrbisError('INVALID_ARGUMENT', 'evaluation date is an invalid Date');
    return { year: on.getUTCFullYear(), month: on.getUTCMonth() + 1, day: on.getUTCDate() };
  }
  const parsed = parseFullDate(on);
  if (!parsed) throw new UrbisError('INVALID_ARGUMENT', 'evaluation date is not a valid YYYY-MM-DD calendar date');
  return parsed;
}

function leapDayRuleOf(rule: unknown): LeapDayBirthdayRule {
  if (rule !== 'february-28' && rule !== 'march-1') {
    throw new UrbisError('INVALID_ARGUMENT', "leapDayBirthday must be 'february-28' or 'march-1'");
  }
  return rule;
}

function hasReached(birth: CalendarDate, years: number, on: CalendarDate, rule: LeapDayBirthdayRule): boolean {
  const year = birth.year + years;
  let anniversary: CalendarDate = { year, month: birth.month, day: birth.day };
  if (birth.month === 2 && birth.day === 29 && !isLeapYear(year)) {
    anniversary = rule === 'february-28' ? { year, month: 2, day: 28 } : { year, month: 3, day: 1 };
  }
  return compare(on, anniversary) >= 0;
}

/**
 * Whether someone born on `birthdate` is at least `years` old on the
 * calendar date `on` (see the module notes for the rules).
 *
 * @param args.birthdate RFC 3339 full-date `YYYY-MM-DD`, a real calendar day.
 * @param args.years Whole years, 0..200.
 * @param args.on Evaluation date: a `YYYY-MM-DD` civil date, or a `Date` read in UTC.
 * @param args.leapDayBirthday When a 29 February birthday falls in a common
 *   year: `'february-28'` (default, Spanish Civil Code art. 5.1) or `'march-1'`.
 *
 * @throws UrbisError `CLAIM_INVALID` when `birthdate` is not a real calendar
 *   date or lies after `on`; `INVALID_ARGUMENT` for a bad `on`, `years` or
 *   `leapDayBirthday`.
 *
 * @example
 * ```ts
 * ageOver({ birthdate: '2008-03-10', years: 18, on: '2026-03-09' }); // false
 * ageOver({ birthdate: '2008-03-10', years: 18, on: '2026-03-10' }); // true
 * ageOver({ birthdate: '2008-02-29', years: 18, on: '2026-02-28' }); // true (CC art. 5.1)
 * ```
 */
export function ageOver({
  birthdate,
  years,
  on,
  leapDayBirthday = 'february-28',
}: {
  birthdate: string;
  years: number;
  on: Date | string;
  leapDayBirthday?: LeapDayBirthdayRule;
}): boolean {
  if (!Number.isSafeInteger(years) || years < 0 || years > 200) {
    throw new UrbisError('INVALID_ARGUMENT', 'years must be an integer from 0 to 200');
  }
  const rule = leapDayRuleOf(leapDayBirthday);
  const birth = birthdateOf(birthdate);
  const today = evaluationDateOf(on);
  if (compare(birth, today) > 0) throw new UrbisError('CLAIM_INVALID', 'birthdate is after the evaluation date');
  return hasReached(birth, years, today, rule);
}

/** The age predicates of a `ResidentCredential`. */
export interface ResidentAgePredicates {
  age_over_18: boolean;
  age_over_65: boolean;
}

/**
 * The `age_over_18` and `age_over_65` claims of a `ResidentCredential`,
 * computed from the birthdate on the issuance date. They are true from the
 * anniversary on; the credential's validity should not outlast the next
 * change (e.g. cap `validUntil` at the next 18th or 65th birthday).
 *
 * @throws UrbisError as {@link ageOver}.
 *
 * @example
 * ```ts
 * residentAgePredicates({ birthdate: '1960-06-01', on: '2026-01-15' });
 * // { age_over_18: true, age_over_65: true }
 * ```
 */
export function residentAgePredicates({
  birthdate,
  on,
  leapDayBirthday = 'february-28',
}: {
  birthdate: string;
  on: Date | string;
  leapDayBirthday?: LeapDayBirthdayRule;
}): ResidentAgePredicates {
  return {
    age_over_18: ageOver({ birthdate, years: 18, on, leapDayBirthday }),
    age_over_65: ageOver({ birthdate, years: 65, on, leapDayBirthday }),
  };
}
