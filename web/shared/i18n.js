/**
 * French, Spanish and English for every web page (issue 7): one language
 * negotiation, one switcher, one missing-key rule, one `lang` attribute,
 * whichever page uses it (citizen portal, back office, terminal screen,
 * browser wallet). Each page keeps its own strings file
 * (`{ en: {...}, es: {...}, fr: {...} }`) and passes it here.
 *
 * - Language: `?lang=` in the page's address, else the tab's earlier choice
 *   (`sessionStorage`), else the first of the browser's languages
 *   (`navigator.languages`) that the page offers, else English.
 * - Switching (`bindSwitcher`): the choice is kept for the tab, written to
 *   the address as `?lang=` (a reload or a shared link keeps it), and the
 *   page is translated again.
 * - `apply()`: `<html lang>`, the text of every `data-i18n="key"` element,
 *   the `aria-label` of every `data-i18n-label="key"` element and the
 *   document title (`<title data-i18n-title="key">`).
 * - A key missing in the current language falls back to English, then to
 *   the key itself; a `{name}` placeholder without a value stays as is.
 *
 * Served by the issuer under `/web-shared/` (portal, back office) and by the
 * terminal under `/web-shared/` (terminal screen); the browser wallet's
 * build copies it beside the page as `i18n.js`.
 *
 * @example
 * ```js
 * const i18n = createI18n({ en: { hello: 'Hello {name}' }, es: { hello: 'Hola {name}' }, fr: { hello: 'Bonjour {name}' } });
 * i18n.apply();
 * i18n.t('hello', { name: 'Ana' });
 * i18n.bindSwitcher(document.getElementById('lang'), () => render());
 * ```
 */

/** The languages every page offers. */
export const LANGUAGES = Object.freeze(['en', 'es', 'fr']);

/** Each language's name in that language (the switcher's options). */
export const LANGUAGE_NAMES = Object.freeze({ en: 'English', es: 'Español', fr: 'Français' });

/** Where the tab keeps its choice. */
export const LANGUAGE_STORAGE_KEY = 'urbis.lang';

/** The offered language a tag (`es-ES`, `FR`, `en_GB`) names, or undefined. */
function offered(tag) {
  const base = String(tag ?? '').toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.includes(base) ? base : undefined;
}

/**
 * The page's language: `?lang=` in `search`, else `stored` (the tab's earlier
 * choice), else the first of `preferred` (the browser's languages) offered,
 * else English.
 * @param {{ search?: string, stored?: string | null, preferred?: readonly string[] }} [sources]
 * @returns {'en' | 'es' | 'fr'}
 * @example
 * ```js
 * negotiateLanguage({ search: '?service=pools', preferred: ['fr-BE', 'en'] }); // 'fr'
 * ```
 */
export function negotiateLanguage({ search = '', stored = null, preferred = [] } = {}) {
  for (const tag of [new URLSearchParams(search).get('lang'), stored, ...preferred]) {
    const lang = offered(tag);
    if (lang !== undefined) return lang;
  }
  return 'en';
}

/**
 * `template` with each `{name}` replaced by `values[name]`; a placeholder
 * without a value is left as is (so a missing value shows, not a blank).
 * @param {string} template
 * @param {Record<string, unknown>} [values]
 */
export function fill(template, values = {}) {
  return template.replace(/\{(\w+)\}/g, (placeholder, name) => (values[name] === undefined || values[name] === null ? placeholder : String(values[name])));
}

/**
 * The string of `key` in `lang` (else English, else undefined), placeholders filled.
 * @param {{ dictionaries: Record<string, Record<string, string>>, lang: string, key: string, values?: Record<string, unknown> }} args
 * @returns {string | undefined}
 */
export function lookup({ dictionaries, lang, key, values }) {
  const text = dictionaries[lang]?.[key] ?? dictionaries.en?.[key];
  return text === undefined ? undefined : fill(text, values);
}

/** The browser's sources of a language: the address, the tab's storage, the browser's languages. */
function browserSources() {
  let storage;
  try {
    storage = sessionStorage;
  } catch {
    storage = undefined; // storage disabled: the choice lasts until the page is left
  }
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language ?? 'en'];
  return { search: location.search, storage, preferred };
}

/**
 * Creates the page's translator.
 * @param {Record<string, Record<string, string>>} dictionaries - the page's strings per language (English is the fallback).
 * @param {{ search?: string, storage?: Pick<Storage, 'getItem' | 'setItem'>, preferred?: readonly string[] }} [sources] - where the language comes from (default: the browser's).
 */
export function createI18n(dictionaries, sources = browserSources()) {
  const { storage, preferred = [] } = sources;
  let stored = null;
  try {
    stored = storage?.getItem(LANGUAGE_STORAGE_KEY) ?? null;
  } catch {
    stored = null;
  }
  let lang = negotiateLanguage({ search: sources.search ?? '', stored, preferred });
  const switchers = new Set();

  /** The translation of `key` with `{name}` placeholders filled; a missing key gives English, then the key itself. */
  function t(key, values) {
    return lookup({ dictionaries, lang, key, values }) ?? key;
  }

  /** Whether `key` has a string (in the current language or in English). */
  function has(key) {
    return lookup({ dictionaries, lang, key }) !== undefined;
  }

  /** Translates every marked element under `root`, the document's `lang` and title, and the switchers. */
  function apply(root = document) {
    document.documentElement.lang = lang;
    for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
    for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
    const title = document.querySelector('title[data-i18n-title]');
    if (title !== null) document.title = t(title.dataset.i18nTitle);
    for (const select of switchers) select.value = lang;
  }

  /**
   * Switches to `code` (ignored unless offered): kept for the tab, written to
   * the address as `?lang=`, then `apply()`.
   */
  function setLanguage(code) {
    lang = offered(code) ?? 'en';
    try {
      storage?.setItem(LANGUAGE_STORAGE_KEY, lang);
    } catch {
      // storage disabled or full: the address still carries the choice
    }
    if (typeof history !== 'undefined' && typeof location !== 'undefined') {
      const url = new URL(location.href);
      url.searchParams.set('lang', lang);
      history.replaceState(history.state, '', url);
    }
    apply();
  }

  /** Fills a `<select>` with the languages and switches on change; `onChange` re-renders what the page builds itself. */
  function bindSwitcher(select, onChange = () => {}) {
    select.replaceChildren(
      ...LANGUAGES.map((code) => {
        const option = document.createElement('option');
        option.value = code;
        option.textContent = LANGUAGE_NAMES[code];
        option.lang = code;
        return option;
      }),
    );
    select.value = lang;
    switchers.add(select);
    select.addEventListener('change', () => {
      setLanguage(select.value);
      onChange(lang);
    });
  }

  /** Formats a time (epoch ms or ISO string) for the current language. */
  function dateTime(value) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? '' : new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  }

  return {
    t,
    has,
    apply,
    bindSwitcher,
    setLanguage,
    dateTime,
    get lang() {
      return lang;
    },
  };
}
