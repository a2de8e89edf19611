/**
 * The pages' shared translator (web/shared/i18n.js) outside the browser:
 * language negotiation, placeholders, the missing-key rule, the tab's
 * stored choice. What needs a DOM (`apply`, the switcher, `<html lang>`) is
 * driven in Chromium on every page by e2e/web-accessibility.test.ts and the
 * pages' own tests.
 */
import { describe, expect, it } from '@jest/globals';
// @ts-expect-error -- a plain browser ES module without type declarations
import { createI18n, fill, LANGUAGE_STORAGE_KEY, LANGUAGES, lookup, negotiateLanguage } from './i18n.js';

const DICTIONARIES = {
  en: { hello: 'Hello {name}', onlyEnglish: 'Only in English', count: '{n} copies left' },
  es: { hello: 'Hola {name}', count: 'quedan {n} copias' },
  fr: { hello: 'Bonjour {name}', count: '{n} copies restantes' },
};

/** A `sessionStorage` stand-in (a Map): what the translator reads and writes. */
function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value), items };
}

describe('negotiateLanguage', () => {
  it('offers English, Spanish and French', () => {
    expect(LANGUAGES).toEqual(['en', 'es', 'fr']);
  });

  it('takes ?lang= first, then the tab\'s choice, then the browser\'s languages, then English', () => {
    expect(negotiateLanguage({ search: '?service=pools&lang=es', stored: 'fr', preferred: ['en'] })).toBe('es');
    expect(negotiateLanguage({ search: '?service=pools', stored: 'fr', preferred: ['es'] })).toBe('fr');
    expect(negotiateLanguage({ search: '', stored: null, preferred: ['de-DE', 'fr-BE', 'es'] })).toBe('fr');
    expect(negotiateLanguage({ search: '', stored: null, preferred: ['de', 'it'] })).toBe('en');
    expect(negotiateLanguage()).toBe('en');
  });

  it('reads region and case variants, and skips what it does not offer', () => {
    expect(negotiateLanguage({ preferred: ['ES-es'] })).toBe('es');
    expect(negotiateLanguage({ preferred: ['fr_CA'] })).toBe('fr');
    expect(negotiateLanguage({ search: '?lang=de', stored: 'xx', preferred: ['es'] })).toBe('es');
    expect(negotiateLanguage({ search: '?lang=english', preferred: ['fr'] })).toBe('fr'); // not a tag of an offered language
  });
});

describe('fill and lookup', () => {
  it('fills {name} placeholders; a placeholder without a value stays visible', () => {
    expect(fill('Hello {name}, {n} left', { name: 'Ana', n: 0 })).toBe('Hello Ana, 0 left');
    expect(fill('Hello {name}', {})).toBe('Hello {name}');
    expect(fill('Hello {name}', { name: null })).toBe('Hello {name}');
  });

  it('falls back to English, then gives undefined', () => {
    expect(lookup({ dictionaries: DICTIONARIES, lang: 'fr', key: 'hello', values: { name: 'Ana' } })).toBe('Bonjour Ana');
    expect(lookup({ dictionaries: DICTIONARIES, lang: 'es', key: 'onlyEnglish' })).toBe('Only in English');
    expect(lookup({ dictionaries: DICTIONARIES, lang: 'es', key: 'nowhere' })).toBeUndefined();
  });
});

describe('createI18n', () => {
  it('translates in the negotiated language; a missing key gives English, then the key itself', () => {
    const i18n = createI18n(DICTIONARIES, { search: '?lang=es', storage: memoryStorage(), preferred: ['fr'] });
    expect(i18n.lang).toBe('es');
    expect(i18n.t('hello', { name: 'Ana' })).toBe('Hola Ana');
    expect(i18n.t('count', { n: 3 })).toBe('quedan 3 copias');
    expect(i18n.t('onlyEnglish')).toBe('Only in English');
    expect(i18n.t('claim_nowhere')).toBe('claim_nowhere');
    expect([i18n.has('onlyEnglish'), i18n.has('claim_nowhere')]).toEqual([true, false]);
  });

  it('starts from the tab\'s stored choice when the address names no language', () => {
    const storage = memoryStorage({ [LANGUAGE_STORAGE_KEY]: 'fr' });
    expect(createI18n(DICTIONARIES, { search: '', storage, preferred: ['es'] }).lang).toBe('fr');
    expect(createI18n(DICTIONARIES, { search: '', storage: memoryStorage(), preferred: ['es'] }).lang).toBe('es');
  });

  it('works without storage (disabled or throwing)', () => {
    const throwing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => undefined,
    };
    expect(createI18n(DICTIONARIES, { search: '', storage: throwing, preferred: ['fr'] }).lang).toBe('fr');
    expect(createI18n(DICTIONARIES, { search: '?lang=es' }).lang).toBe('es');
  });

  it('formats dates for its language', () => {
    const at = Date.UTC(2025, 0, 15, 12, 0);
    expect(createI18n(DICTIONARIES, { search: '?lang=fr' }).dateTime(at)).toMatch(/janv\./);
    expect(createI18n(DICTIONARIES, { search: '?lang=es' }).dateTime(at)).toMatch(/ene/);
    expect(createI18n(DICTIONARIES, { search: '?lang=en' }).dateTime('not a date')).toBe('');
  });
});
