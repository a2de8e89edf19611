import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { UrbisError } from '../errors/urbis-error.js';
import { ageOver, residentAgePredicates } from './age-predicates.js';
import fixtures from './fixtures/citizens.json' with { type: 'json' };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof UrbisError ? e.code : `not an UrbisError: ${String(e)}`;
  }
  return undefined;
}

const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const DAY = 86_400_000;

describe('ageOver', () => {
  it.each([
    ['the day before the 18th birthday', '2008-03-10', '2026-03-09', false],
    ['the 18th birthday (CC art. 240: the birth day counts whole)', '2008-03-10', '2026-03-10', true],
    ['the day after', '2008-03-10', '2026-03-11', true],
    ['the last day of the year before', '2008-01-01', '2025-12-31', false],
    ['New Year when born on 1 January', '2008-01-01', '2026-01-01', true],
    ['born on 31 December, on 30 December', '2007-12-31', '2025-12-30', false],
    ['born on 31 December, on 31 December', '2007-12-31', '2025-12-31', true],
  ])('18 years: %s', (_label, birthdate, on, expected) => {
    expect(ageOver({ birthdate, years: 18, on })).toBe(expected);
  });

  describe('born on 29 February', () => {
    it.each([
      ['28 Feb of a common year (CC art. 5.1: "expira el último del mes")', '2026-02-28', true],
      ['27 Feb of a common year', '2026-02-27', false],
      ['1 Mar of a common year', '2026-03-01', true],
    ])('default rule, 18th birthday in 2026: %s', (_label, on, expected) => {
      expect(ageOver({ birthdate: '2008-02-29', years: 18, on })).toBe(expected);
      expect(ageOver({ birthdate: '2008-02-29', years: 18, on, leapDayBirthday: 'february-28' })).toBe(expected);
    });

    it.each([
      ['28 Feb of a common year', '2026-02-28', false],
      ['1 Mar of a common year', '2026-03-01', true],
    ])("'march-1' rule: %s", (_label, on, expected) => {
      expect(ageOver({ birthdate: '2008-02-29', years: 18, on, leapDayBirthday: 'march-1' })).toBe(expected);
    });

    it.each(['february-28', 'march-1'] as const)('%s rule: in a leap year the birthday is 29 February', (rule) => {
      // 2004-02-29 + 20 years = 2024-02-29, which exists.
      expect(ageOver({ birthdate: '2004-02-29', years: 20, on: '2024-02-28', leapDayBirthday: rule })).toBe(false);
      expect(ageOver({ birthdate: '2004-02-29', years: 20, on: '2024-02-29', leapDayBirthday: rule })).toBe(true);
    });

    it('century rule: 2100 is a common year', () => {
      // Born 2032-02-29, 68 years later is 2100 (not a leap year).
      expect(ageOver({ birthdate: '2032-02-29', years: 68, on: '2100-02-27' })).toBe(false);
      expect(ageOver({ birthdate: '2032-02-29', years: 68, on: '2100-02-28' })).toBe(true);
      expect(ageOver({ birthdate: '2032-02-29', years: 68, on: '2100-02-28', leapDayBirthday: 'march-1' })).toBe(false);
    });

    it('a birthdate of 28 February is not shifted', () => {
      expect(ageOver({ birthdate: '2008-02-28', years: 18, on: '2026-02-27' })).toBe(false);
      expect(ageOver({ birthdate: '2008-02-28', years: 18, on: '2026-02-28' })).toBe(true);
    });
  });

  it('65 years: day before and day of', () => {
    expect(ageOver({ birthdate: '1961-01-15', years: 65, on: '2026-01-14' })).toBe(false);
    expect(ageOver({ birthdate: '1961-01-15', years: 65, on: '2026-01-15' })).toBe(true);
  });

  it('0 years: true from the day of birth', () => {
    expect(ageOver({ birthdate: '2026-01-15', years: 0, on: '2026-01-15' })).toBe(true);
  });

  it('reads a Date in UTC', () => {
    // 23:30 UTC on 9 March is already 10 March in Madrid, but still 9 March in UTC.
    expect(ageOver({ birthdate: '2008-03-10', years: 18, on: new Date('2026-03-09T23:30:00Z') })).toBe(false);
    expect(ageOver({ birthdate: '2008-03-10', years: 18, on: new Date('2026-03-10T00:00:00Z') })).toBe(true);
    expect(ageOver({ birthdate: '2008-03-10', years: 18, on: new Date('2026-03-10T00:30:00+01:00') })).toBe(false);
  });

  it.each([
    ['29 February of a common year', '2023-02-29'],
    ['30 February', '2024-02-30'],
    ['31 April', '2024-04-31'],
    ['month 13', '2024-13-01'],
    ['month 00', '2024-00-10'],
    ['day 00', '2024-01-00'],
    ['no zero padding', '2024-1-1'],
    ['with a time', '2024-01-01T00:00:00Z'],
    ['DD/MM/YYYY', '01/01/2024'],
    ['empty', ''],
    ['a number', 20240101],
    ['null', null],
  ])('invalid birthdate (%s) is CLAIM_INVALID', (_label, birthdate) => {
    expect(codeOf(() => ageOver({ birthdate: birthdate as string, years: 18, on: '2026-01-01' }))).toBe('CLAIM_INVALID');
  });

  it('a birthdate after the evaluation date is CLAIM_INVALID', () => {
    expect(codeOf(() => ageOver({ birthdate: '2026-01-16', years: 0, on: '2026-01-15' }))).toBe('CLAIM_INVALID');
  });

  it.each([
    ['an invalid Date', { on: new Date('nope') }],
    ['an invalid date string', { on: '2026-02-30' }],
    ['a date-time string', { on: '2026-01-15T10:00:00Z' }],
    ['negative years', { years: -1 }],
    ['fractional years', { years: 17.5 }],
    ['NaN years', { years: Number.NaN }],
    ['years above 200', { years: 201 }],
    ['an unknown leap-day rule', { leapDayBirthday: 'february-29' }],
  ])('%s is INVALID_ARGUMENT', (_label, override) => {
    const args = { birthdate: '2000-01-01', years: 18, on: '2026-01-15', ...override } as Parameters<typeof ageOver>[0];
    expect(codeOf(() => ageOver(args))).toBe('INVALID_ARGUMENT');
  });

  it('is true from the anniversary on and false the day before (fast-check)', () => {
    const birthMs = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2030, 11, 31) }).map((ms) => ms - (ms % DAY));
    fc.assert(
      fc.property(birthMs, fc.integer({ min: 1, max: 120 }), (ms, years) => {
        const birthdate = iso(ms);
        const birth = new Date(ms);
        fc.pre(!(birth.getUTCMonth() === 1 && birth.getUTCDate() === 29));
        const anniversary = Date.UTC(birth.getUTCFullYear() + years, birth.getUTCMonth(), birth.getUTCDate());
        expect(ageOver({ birthdate, years, on: iso(anniversary) })).toBe(true);
        expect(ageOver({ birthdate, years, on: iso(anniversary - DAY) })).toBe(false);
        expect(ageOver({ birthdate, years, on: new Date(anniversary + DAY - 1) })).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('is monotonic in the evaluation date (fast-check)', () => {
    const dayMs = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 11, 31) }).map((ms) => ms - (ms % DAY));
    fc.assert(
      fc.property(dayMs, dayMs, fc.integer({ min: 0, max: 120 }), fc.constantFrom('february-28', 'march-1' as const), (a, b, years, rule) => {
        const [birth, on] = a <= b ? [a, b] : [b, a];
        if (ageOver({ birthdate: iso(birth), years, on: iso(on), leapDayBirthday: rule })) {
          expect(ageOver({ birthdate: iso(birth), years, on: iso(on + DAY), leapDayBirthday: rule })).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('residentAgePredicates', () => {
  it('returns both predicates', () => {
    expect(residentAgePredicates({ birthdate: '2008-03-10', on: '2026-03-10' })).toEqual({
      age_over_18: true,
      age_over_65: false,
    });
    expect(residentAgePredicates({ birthdate: '1961-01-15', on: '2026-01-15' })).toEqual({
      age_over_18: true,
      age_over_65: true,
    });
    expect(residentAgePredicates({ birthdate: '2008-02-29', on: '2026-02-28', leapDayBirthday: 'march-1' })).toEqual({
      age_over_18: false,
      age_over_65: false,
    });
  });

  it.each(fixtures.citizens.map((c) => [c.subjectId, c.resident] as const))(
    'agrees with the fixture citizen %s',
    (_id, resident) => {
      expect(residentAgePredicates({ birthdate: resident.birthdate, on: fixtures.asOf })).toEqual({
        age_over_18: resident.age_over_18,
        age_over_65: resident.age_over_65,
      });
    },
  );

  it('throws CLAIM_INVALID for an invalid birthdate', () => {
    expect(codeOf(() => residentAgePredicates({ birthdate: '2023-02-29', on: '2026-01-15' }))).toBe('CLAIM_INVALID');
  });
});
