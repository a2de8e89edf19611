/**
 * The web pages' link to the issuer's JSON API, and small DOM helpers.
 *
 * Why the pages look like this (issue 7): plain HTML + CSS + vanilla ES
 * modules, no framework and no build step, served as static files by the
 * issuer itself under `/portal/` (citizens' front office) and `/staff/`
 * (back office), with this folder under `/web-shared/`. Nothing to build in
 * CI or at a city, no framework to keep up to date, and the pages talk only
 * to the issuer's existing JSON API on the same origin (`/front-office/*`,
 * `/back-office/*`), which already validates every body and is documented
 * at `/openapi.json`: the pages hold no business rule of their own. Per
 * DESIGN §1, `web/` imports nothing from the repository and no Express; the
 * issuer's HTTP layer (issuer/http/create-issuer-app.ts) serves these files
 * with a Content-Security-Policy that forbids inline scripts and styles, so
 * every script is an external module and every style is in a .css file.
 *
 * Session tokens live in `sessionStorage` (gone when the tab closes), never
 * in cookies or `localStorage`.
 *
 * @example
 * ```js
 * const api = createApi({ tokenKey: 'urbis.citizen' });
 * const { services } = await api.get('/front-office/services');
 * ```
 */

/** An answer of the API that is not 2xx: `code` is the issuer's stable error code (RFC 9457 body). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem?.code ?? 'INTERNAL';
  }
}

/**
 * A small client of the issuer's API keeping one bearer token in `sessionStorage` under `tokenKey`.
 * @param {{ tokenKey: string }} options
 */
export function createApi({ tokenKey }) {
  const store = {
    get() {
      try {
        return sessionStorage.getItem(tokenKey);
      } catch {
        return null;
      }
    },
    set(token) {
      try {
        if (token === null) sessionStorage.removeItem(tokenKey);
        else sessionStorage.setItem(tokenKey, token);
      } catch {
        // storage disabled: the session lasts until the page is left
      }
    },
  };
  let memory = store.get();

  async function send(method, path, { json, form, raw = false } = {}) {
    const headers = {};
    if (memory !== null) headers.authorization = `Bearer ${memory}`;
    let body;
    if (json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(json);
    } else if (form !== undefined) {
      body = form;
    }
    const response = await fetch(path, { method, headers, body, credentials: 'same-origin' });
    if (!response.ok) {
      let problem;
      try {
        problem = await response.json();
      } catch {
        problem = undefined;
      }
      if (response.status === 401) {
        memory = null;
        store.set(null);
      }
      throw new ApiError(response.status, problem);
    }
    if (raw) return response;
    if (response.status === 204) return undefined;
    return response.json();
  }

  return {
    get token() {
      return memory;
    },
    setToken(token) {
      memory = token;
      store.set(token);
    },
    get: (path, options) => send('GET', path, options),
    post: (path, options) => send('POST', path, options),
    put: (path, options) => send('PUT', path, options),
    del: (path, options) => send('DELETE', path, options),
    /**
     * Fetches a file with the session and offers it as a download (or opens it
     * in a new tab without `filename`). `method` and `json` send a body (a
     * `POST` that answers a file, such as a paper card's PDF). Returns the
     * answer's headers (what the file carries, e.g. `X-Urbis-Paper-Passes`).
     * @param {string} path
     * @param {string} [filename]
     * @param {{ method?: 'GET' | 'POST', json?: unknown }} [options]
     * @returns {Promise<Headers>}
     */
    async download(path, filename, { method = 'GET', json } = {}) {
      const response = await send(method, path, { raw: true, json });
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      if (filename !== undefined) link.download = filename;
      else link.target = '_blank';
      link.rel = 'noopener';
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      return response.headers;
    },
  };
}

/**
 * Creates an element: `h('p', { class: 'x', text: 'hi' }, child…)`.
 * `text` sets textContent (never HTML); other keys are attributes, `on*` functions are listeners.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') el.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  el.append(...children.filter((c) => c !== undefined && c !== null && c !== false));
  return el;
}

/**
 * Shows a message in a live region: `kind` 'ok' (polite status) or 'error' (alert).
 * @param {HTMLElement} region - an element with `role="status"` (its `aria-live` is polite).
 */
export function announce(region, text, kind = 'ok') {
  region.dataset.kind = kind;
  region.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  region.textContent = text;
}

/** Shows exactly one of the page's views (elements with `data-view`), and moves focus to its heading (unless `focus: false`, as on page load). */
export function showView(name, { focus = true } = {}) {
  for (const view of document.querySelectorAll('[data-view]')) view.hidden = view.dataset.view !== name;
  const heading = document.querySelector(`[data-view="${name}"] h2`);
  if (heading !== null && focus) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

/**
 * The error reporting both staff and citizen pages use: `fail(error)` puts
 * the error's translated sentence in the live region (or a generic one with
 * its code) and signs out on an expired session; `busy(button, action)` runs
 * an action with its button disabled and reports what it throws.
 *
 * @param {{ strings: Record<string, string>, t: (key: string, values?: object) => string, region: HTMLElement, onSignedOut: () => void }} args
 */
export function errorReporting({ strings, t, region, onSignedOut }) {
  const fail = (error) => {
    const code = error?.code ?? 'INTERNAL';
    const known = strings[`error_${code}`] !== undefined;
    announce(region, known ? t(`error_${code}`) : `${t('error_generic', { code })} ${error?.message ?? ''}`.trim(), 'error');
    if (code === 'AUTH_REQUIRED' || code === 'SESSION_INVALID') onSignedOut();
  };
  const busy = async (button, action) => {
    if (button) button.disabled = true;
    try {
      await action();
    } catch (error) {
      fail(error);
    } finally {
      if (button) button.disabled = false;
    }
  };
  return { fail, busy };
}

/**
 * An inline confirmation (no modal dialog): `trigger` shows `panel` and puts
 * the focus on `yes`; `no` hides it and gives the focus back to `trigger`;
 * `yes` runs `onYes` through the page's `busy` helper.
 * @param {{ trigger: HTMLElement, panel: HTMLElement, yes: HTMLElement, no: HTMLElement, onYes: () => Promise<void>, busy: (button: HTMLElement, work: () => Promise<void>) => Promise<void> }} options
 */
export function bindInlineConfirm({ trigger, panel, yes, no, onYes, busy }) {
  trigger.addEventListener('click', () => {
    panel.hidden = false;
    yes.focus();
  });
  no.addEventListener('click', () => {
    panel.hidden = true;
    trigger.focus();
  });
  yes.addEventListener('click', (event) => busy(event.currentTarget, onYes));
}
