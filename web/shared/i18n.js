/**
 * French, Spanish and English strings for the static pages, and the language
 * switcher.
 *
 * Each page passes its own dictionaries (`{ en: {...}, es: {...}, fr: {...} }`);
 * elements carrying `data-i18n="key"` get their text from them,
 * `data-i18n-label="key"` sets `aria-label`. The language defaults to
 * `navigator.language` (first of en/es/fr that matches, else English) and the
 * choice is kept for the tab in `sessionStorage`.
 *
 * @example
 * ```js
 * const i18n = createI18n({ en: { hello: 'Hello {name}' }, es: { hello: 'Hola {name}' }, fr: { hello: 'Bonjour {name}' } });
 * i18n.t('hello', { name: 'Ana' });
 * i18n.bindSwitcher(document.getElementById('lang'), () => render());
 * ```
 */

/** The languages every page offers. */
export const LANGUAGES = Object.freeze(['en', 'es', 'fr']);

const STORAGE_KEY = 'urbis.lang';

/**
 * The language to start with: the tab's earlier choice, else the browser's.
 * @param {readonly string[]} [preferred] - the browser's languages (navigator.languages).
 * @returns {'en' | 'es' | 'fr'}
 */
export function initialLanguage(preferred) {
  let stored = null;
  try {
    stored = sessionStorage.getItem(STORAGE_KEY);
  } catch {
    stored = null;
  }
  if (stored !== null && LANGUAGES.includes(stored)) return stored;
  const wanted = preferred ?? (navigator.languages?.length ? navigator.languages : [navigator.language ?? 'en']);
  for (const tag of wanted) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

/**
 * Creates the page's translator.
 * @param {Record<string, Record<string, string>>} dictionaries - strings per language (English is the fallback).
 */
export function createI18n(dictionaries) {
  let lang = initialLanguage();

  /** Translates `key`, filling `{name}` placeholders; an unknown key is returned as is. */
  function t(key, params = {}) {
    const text = dictionaries[lang]?.[key] ?? dictionaries.en?.[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_m, name) => (name in params ? String(params[name]) : `{${name}}`));
  }

  /** Re-translates every marked element under `root`, and the document's `lang`. */
  function apply(root = document) {
    document.documentElement.lang = lang;
    for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
    for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
    const title = document.querySelector('title[data-i18n-title]');
    if (title !== null) document.title = t(title.dataset.i18nTitle);
  }

  /** Wires a `<select>` to switch languages; `onChange` re-renders what the page builds itself. */
  function bindSwitcher(select, onChange = () => {}) {
    select.replaceChildren(
      ...LANGUAGES.map((code) => {
        const option = document.createElement('option');
        option.value = code;
        option.textContent = { en: 'English', es: 'Español', fr: 'Français' }[code];
        option.lang = code;
        return option;
      }),
    );
    select.value = lang;
    select.addEventListener('change', () => {
      lang = LANGUAGES.includes(select.value) ? select.value : 'en';
      try {
        sessionStorage.setItem(STORAGE_KEY, lang);
      } catch {
        // storage disabled: the choice lasts until the page is left
      }
      apply();
      onChange(lang);
    });
  }

  /** Formats a time (epoch ms or ISO string) for the current language. */
  function dateTime(value) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? '' : new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  }

  return { t, apply, bindSwitcher, dateTime, get lang() { return lang; } };
}
