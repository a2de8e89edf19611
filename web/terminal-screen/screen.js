/**
 * The terminal screen: shows the request QR of a service (GET ../request),
 * verifies a pasted answer or a scanned paper card (POST
 * ../presentations/verify?service=…; a desk scanner that types what it
 * reads and ends with Enter sends it at once) and shows the
 * verdict big and clear, with only the claims the policy asked for, or the
 * failure codes as short sentences; shows the age of the snapshot
 * (GET ../health). Served by the terminal's HTTP API under /screen/.
 */
import { createI18n } from '../web-shared/i18n.js';
import { SCREEN_STRINGS, reasonKey } from './screen-strings.js';

const API = new URL('../', location.href);
const params = new URLSearchParams(location.search);
const service = params.get('service') || 'pools';
const VERDICT_SHOWN_MS = 20_000;
const HEALTH_EVERY_MS = 30_000;

const i18n = createI18n(SCREEN_STRINGS);
const { t } = i18n;
let request;
let refreshTimer;
let verdictTimer;
let lastVerdict;
let lastHealth;

const $ = (id) => document.getElementById(id);

/** Translates what the page builds itself (the rest is `i18n.apply()`). */
function renderLanguage() {
  $('service-line').textContent = t('service', { service });
  if (request !== undefined) showRequest(request);
  if (lastVerdict !== undefined) showVerdict(lastVerdict, { focus: false });
  showHealth(lastHealth);
}

async function getJson(path) {
  const response = await fetch(new URL(path, API), { headers: { accept: 'application/json' }, cache: 'no-store' });
  const body = await response.json();
  if (!response.ok) throw Object.assign(new Error(body.detail ?? response.statusText), { code: body.code });
  return body;
}

function showRequest(current) {
  const img = $('qr');
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(current.qr.svg)}`;
  img.alt = t('qrAlt', { service: current.serviceId });
  img.hidden = false;
  $('request-link').value = current.link;
  const time = new Date(current.expiresAt * 1000).toLocaleTimeString(i18n.lang, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  $('request-status').textContent = t('expires', { time });
}

async function newRequest() {
  clearTimeout(refreshTimer);
  try {
    request = await getJson(`request?service=${encodeURIComponent(service)}`);
    showRequest(request);
    // Refresh a little before the request expires (bounded: the terminal's clock may differ from ours).
    const delay = Math.min(Math.max(request.expiresAt * 1000 - Date.now() - 5_000, 10_000), 600_000);
    refreshTimer = setTimeout(newRequest, delay);
  } catch {
    $('request-status').textContent = t('unreachable');
    refreshTimer = setTimeout(newRequest, 5_000);
  }
}

function claimValue(value) {
  if (value === true) return t('yes');
  if (value === false) return t('no');
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}

function showVerdict(verdict, { focus = true } = {}) {
  lastVerdict = verdict;
  const section = $('verdict');
  section.className = verdict.ok ? 'ok' : 'bad';
  $('verdict-title').textContent = verdict.ok ? `✔ ${t('accepted')}` : `✖ ${t('rejected')}`;
  const claims = $('verdict-claims');
  const reasons = $('verdict-reasons');
  claims.replaceChildren();
  reasons.replaceChildren();
  if (verdict.ok) {
    for (const [name, value] of Object.entries(verdict.claims ?? {})) {
      const dt = document.createElement('dt');
      dt.textContent = i18n.has(`claim_${name}`) ? t(`claim_${name}`) : name;
      const dd = document.createElement('dd');
      dd.textContent = claimValue(value);
      claims.append(dt, dd);
    }
  } else {
    const codes = [...new Set((verdict.failures ?? []).map((f) => f.code))];
    const shown = new Set();
    for (const code of codes) {
      const key = reasonKey(code);
      if (shown.has(key)) continue;
      shown.add(key);
      const li = document.createElement('li');
      li.dataset.code = code;
      li.append(t(key));
      const small = document.createElement('code');
      small.textContent = codes.filter((c) => reasonKey(c) === key).join(', ');
      li.append(small);
      reasons.append(li);
    }
  }
  section.hidden = false;
  if (focus) section.focus();
  clearTimeout(verdictTimer);
  verdictTimer = setTimeout(hideVerdict, VERDICT_SHOWN_MS);
}

function hideVerdict() {
  lastVerdict = undefined;
  $('verdict').hidden = true;
  clearTimeout(verdictTimer);
}

async function verify(text) {
  $('request-status').textContent = t('checking');
  let verdict;
  try {
    const response = await fetch(new URL(`presentations/verify?service=${encodeURIComponent(service)}`, API), { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8', accept: 'application/json' }, body: text, cache: 'no-store' });
    const body = await response.json();
    verdict = response.ok ? body : { ok: false, failures: [{ code: body.code ?? 'INTERNAL' }] };
  } catch {
    verdict = { ok: false, failures: [{ code: 'INTERNAL' }] };
  }
  showVerdict(verdict);
  await newRequest();
}

function formatAge(seconds) {
  if (seconds < 120) return t('seconds', { n: seconds });
  if (seconds < 7_200) return t('minutes', { n: Math.round(seconds / 60) });
  if (seconds < 172_800) return t('hours', { n: Math.round(seconds / 3_600) });
  return t('days', { n: Math.round(seconds / 86_400) });
}

function showHealth(health) {
  lastHealth = health;
  const line = $('snapshot');
  const age = health?.snapshot?.ageSeconds;
  line.replaceChildren();
  if (typeof age !== 'number') {
    line.textContent = health === undefined ? '' : t('snapshotNone');
    return;
  }
  line.append(t('snapshot', { age: formatAge(age) }));
  if (health.status !== 'ok') {
    const stale = document.createElement('span');
    stale.className = 'stale';
    stale.textContent = ` ${t('stale')}`;
    line.append(stale);
  }
}

async function refreshHealth() {
  try {
    showHealth(await getJson('health'));
  } catch {
    showHealth(undefined);
  }
}

i18n.bindSwitcher($('lang'), renderLanguage);
$('answer-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const field = $('answer');
  const text = field.value.trim();
  if (text.length === 0) return;
  field.value = '';
  await verify(text);
});
// A desk scanner types the paper card's QR and presses Enter: Enter sends (Shift+Enter is a new line).
$('answer').addEventListener('keydown', (event) => {
  if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
  event.preventDefault();
  $('answer-form').requestSubmit();
});
$('next').addEventListener('click', () => {
  hideVerdict();
  $('answer').focus();
});

i18n.apply();
renderLanguage();
await Promise.all([newRequest(), refreshHealth()]);
setInterval(refreshHealth, HEALTH_EVERY_MS);
document.body.dataset.ready = 'true';
