import { isApplicationReference, isCardNumber, newApplicationReference, newCardNumber } from './application-reference.js';

/** Crockford base32 without I, L, O, U. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** An independent Luhn check (ISO/IEC 7812-1): the weighted digit sum of the whole number is a multiple of 10. */
function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

describe('application references', () => {
  test('have the shape PREFIX-XXXX-XXXX in Crockford base32 and pass isApplicationReference', () => {
    for (let i = 0; i < 200; i++) {
      const reference = newApplicationReference('GIJ');
      expect(reference).toMatch(/^GIJ-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      for (const char of reference.slice(4).replace('-', '')) expect(CROCKFORD).toContain(char);
      expect(reference.slice(4)).not.toMatch(/[ILOU]/);
      expect(isApplicationReference(reference)).toBe(true);
    }
  });

  test('are random: 40 bits, so 1,000 draws do not repeat', () => {
    const seen = new Set(Array.from({ length: 1_000 }, () => newApplicationReference('OVI')));
    expect(seen.size).toBe(1_000);
  });

  test('every symbol of the alphabet turns up', () => {
    const symbols = new Set<string>();
    for (let i = 0; i < 500; i++) for (const char of newApplicationReference('GIJ').slice(4).replace('-', '')) symbols.add(char);
    expect([...symbols].sort().join('')).toBe([...CROCKFORD].sort().join(''));
  });

  test.each(['GI-7K3M-9QXP', 'GIJON-7K3M-9QXP', 'GIJ-0000-ZZZZ'])('%p is a reference', (text) => {
    expect(isApplicationReference(text)).toBe(true);
  });

  test.each([
    ['a lower-case prefix', 'gij-7K3M-9QXP'],
    ['lower-case symbols', 'GIJ-7k3m-9qxp'],
    ['a one-letter prefix', 'G-7K3M-9QXP'],
    ['a six-letter prefix', 'GIJONS-7K3M-9QXP'],
    ['an I', 'GIJ-7K3M-9QXI'],
    ['an L', 'GIJ-LK3M-9QXP'],
    ['an O', 'GIJ-7K3O-9QXP'],
    ['a U', 'GIJ-7K3M-UQXP'],
    ['a short group', 'GIJ-7K3-9QXP'],
    ['no dashes', 'GIJ7K3M9QXP'],
    ['surrounding space', ' GIJ-7K3M-9QXP'],
    ['a trailing newline', 'GIJ-7K3M-9QXP\n'],
    ['empty', ''],
  ])('refuses %s', (_label, text) => {
    expect(isApplicationReference(text)).toBe(false);
  });

  test('refuses non-strings', () => {
    for (const value of [undefined, null, 42, ['GIJ-7K3M-9QXP'], { reference: 'GIJ-7K3M-9QXP' }]) expect(isApplicationReference(value)).toBe(false);
  });
});

describe('card numbers', () => {
  test('are 10 digits, never starting with 0, with a valid Luhn check digit', () => {
    for (let i = 0; i < 500; i++) {
      const card = newCardNumber();
      expect(card).toMatch(/^[1-9][0-9]{9}$/);
      expect(luhnValid(card)).toBe(true);
      expect(isCardNumber(card)).toBe(true);
    }
  });

  test('are random', () => {
    expect(new Set(Array.from({ length: 1_000 }, () => newCardNumber())).size).toBe(1_000);
  });

  test('known Luhn numbers', () => {
    expect(isCardNumber('1234567897')).toBe(true);
    expect(isCardNumber('7992739871')).toBe(false);
    expect(isCardNumber('1000000008')).toBe(true);
    expect(isCardNumber('9999999999')).toBe(luhnValid('9999999999'));
  });

  test('isCardNumber refuses every wrong check digit', () => {
    for (let i = 0; i < 50; i++) {
      const card = newCardNumber();
      for (let digit = 0; digit <= 9; digit++) {
        const candidate = card.slice(0, 9) + String(digit);
        expect(isCardNumber(candidate)).toBe(candidate === card);
      }
    }
  });

  test('every single-digit typo is caught', () => {
    for (let i = 0; i < 50; i++) {
      const card = newCardNumber();
      for (let position = 1; position < 9; position++) {
        for (let digit = 0; digit <= 9; digit++) {
          if (String(digit) === card[position]) continue;
          expect(isCardNumber(card.slice(0, position) + String(digit) + card.slice(position + 1))).toBe(false);
        }
      }
    }
  });

  test('isCardNumber agrees with an independent Luhn check on every 10-digit number of a sample', () => {
    for (let n = 1_000_000_000; n < 1_000_000_000 + 2_000; n++) {
      expect(isCardNumber(String(n))).toBe(luhnValid(String(n)));
    }
  });

  test.each([
    ['a leading zero', '0234567897'],
    ['nine digits', '123456789'],
    ['eleven digits', '12345678970'],
    ['a letter', '12345678a7'],
    ['spaces', '1234 567897'],
    ['surrounding space', ' 1234567897'],
    ['a sign', '+1234567897'],
    ['empty', ''],
  ])('refuses %s', (_label, text) => {
    expect(isCardNumber(text)).toBe(false);
  });

  test('refuses non-strings, even a valid number as a number', () => {
    for (const value of [1234567897, undefined, null, ['1234567897']]) expect(isCardNumber(value)).toBe(false);
  });
});
