import { randomInt } from 'node:crypto';

/** Crockford base32 without I, L, O, U: easy to read out at a counter. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A new application reference such as `GIJ-7K3M-9QXP`: the city's prefix and
 * 40 random bits. Staff search by it; it says nothing about the citizen.
 */
export function newApplicationReference(prefix: string): string {
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === 4) out += '-';
    out += ALPHABET[randomInt(ALPHABET.length)];
  }
  return `${prefix}-${out}`;
}

/** Whether `text` has the shape of an application reference. */
export function isApplicationReference(text: unknown): text is string {
  return typeof text === 'string' && /^[A-Z]{2,5}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/.test(text);
}

/** A new 10-digit card number (the printed citizen card's number), with a Luhn check digit. */
export function newCardNumber(): string {
  let digits = String(randomInt(1, 10));
  for (let i = 0; i < 8; i++) digits += String(randomInt(10));
  return digits + luhnDigit(digits);
}

/** Whether `text` is a 10-digit card number with a valid Luhn check digit. */
export function isCardNumber(text: unknown): text is string {
  return typeof text === 'string' && /^[1-9][0-9]{9}$/.test(text) && luhnDigit(text.slice(0, 9)) === text[9];
}

function luhnDigit(payload: string): string {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    let d = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}
