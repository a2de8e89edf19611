/**
 * The back office (`/staff/`): staff sign-in, the queue of applications (by
 * reference only: no browsing of personal data), an application opened by
 * its reference with its documents, validate or reject with a reason from
 * the list, revoke / suspend / lift a credential batch, the audit log
 * (roles allowed to read it), and statistics (admins: the city; service
 * managers: their service): credential copies issued and verifications at
 * terminals per day, as charts (bar-chart.js) with the figures as tables.
 * At the counter (clerks, admins): a new enrolment for a citizen at the
 * desk, scanned documents, the card's PIN for the portal's card + PIN
 * sign-in, and the paper card (issue #8: print, reprint, revoke a lost one;
 * see docs/paper-card.md).
 * The service catalogue (catalogue.js): a table of the city's services for
 * every role; admins edit a service or add one.
 * Talks only to `/back-office/*`; permissions are the issuer's: a refused
 * action shows the issuer's FORBIDDEN.
 */
import { announce, bindInlineConfirm, createApi, errorReporting, h, showView } from '../web-shared/api.js';
import { enrolmentBody, firstInvalidField, renderServiceRows } from '../web-shared/enrolment-form.js';
import { createI18n, LANGUAGE_NAMES, LANGUAGES } from '../web-shared/i18n.js';
import { BACK_OFFICE_STRINGS } from './back-office-strings.js';
import { renderBarChart } from './bar-chart.js';
import { createCatalogueSection } from './catalogue.js';

/** The issuer's lists (issuer/back-office/back-office-service.ts REJECTION_REASONS, registry/publisher/status-change.ts STATUS_CHANGE_REASONS). */
const REJECTION_REASONS = ['documents_missing', 'documents_unreadable', 'not_resident', 'identity_not_verified', 'duplicate_application', 'other'];
const STATUS_CHANGE_REASONS = ['holder-request', 'issuer-decision', 'eligibility-ended', 'credential-replaced', 'key-compromise', 'suspension-lifted', 'legal-order', 'administrative-correction'];
const STATUS_ACTIONS = ['revoke', 'suspend', 'unsuspend'];
/** Periods offered for the statistics, in days (the issuer takes 1 to 366). */
const STATISTICS_PERIODS = [7, 30, 90, 365];
/** Roles the issuer shows statistics to (issuer/statistics/statistics-scope.ts). */
const STATISTICS_ROLES = ['admin', 'service_manager'];
/** Roles that work at the counter: enrol, scan documents, set PINs, paper cards (issuer/auth/staff-permissions.ts). */
const COUNTER_ROLES = ['clerk', 'admin'];
/** Consent purposes asked at enrolment, the first required (as in the portal). */

const i18n = createI18n(BACK_OFFICE_STRINGS);
const { t } = i18n;
const api = createApi({ tokenKey: 'urbis.staff' });
const $ = (id) => document.getElementById(id);
const message = $('message');

let staff;
let queue = [];
let file;
let audit;
/** The last statistics read (`GET /back-office/statistics`). */
let statistics;
/** Service names per id, from the catalogue (empty if it cannot be read: ids are shown). */
let serviceNames = new Map();
/** The catalogue's open services, offered in the counter enrolment form. */
let catalogue = [];
/** Whether the clerk chose the paper card's language (else it follows the page's). */
let paperLanguageChosen = false;

const { fail, busy } = errorReporting({ strings: BACK_OFFICE_STRINGS.en, t, region: message, onSignedOut: () => signedOut() });

/** The catalogue as read: service names for the other sections, open services for the counter enrolment. */
function useCatalogue(services) {
  serviceNames = new Map(services.map((s) => [s.id, s.names]));
  catalogue = services.filter((s) => s.active !== false);
}

/** The Service catalogue section: edit controls for admins (unknown after a lost tab storage: the issuer decides). */
const catalogueSection = createCatalogueSection({ api, i18n, busy, message, canEdit: () => staff === undefined || staff.role === 'admin', onChange: useCatalogue });

function signedOut() {
  api.setToken(null);
  staff = undefined;
  sessionStorageSafe(null);
  $('sign-out').hidden = true;
  $('show-statistics').hidden = true;
  $('statistics').hidden = true;
  $('enrol').hidden = true;
  $('enrol-form').reset();
  catalogueSection.reset();
  $('application').hidden = true;
  file = undefined;
  statistics = undefined;
  $('who').textContent = '';
  showView('login');
}

/** The signed-in member (name and role only) is kept for the tab, to show who is signed in after a reload. */
function sessionStorageSafe(value) {
  try {
    if (value === null) globalThis.sessionStorage.removeItem('urbis.staff.member');
    else if (value !== undefined) globalThis.sessionStorage.setItem('urbis.staff.member', JSON.stringify(value));
    return JSON.parse(globalThis.sessionStorage.getItem('urbis.staff.member') ?? 'null') ?? undefined;
  } catch {
    return undefined;
  }
}

function renderWho() {
  $('who').textContent = staff === undefined ? '' : t('who', { username: staff.username, role: staff.role });
}

// ── Queue ──────────────────────────────────────────────────────────────────
function renderQueue() {
  $('queue-rows').replaceChildren(
    ...queue.map((row) =>
      h(
        'tr',
        {},
        h('td', {}, h('span', { class: 'break', text: row.reference })),
        h('td', { text: i18n.dateTime(row.submittedAt) }),
        h('td', {}, h('button', { type: 'button', class: 'secondary', 'aria-label': `${t('open')} ${row.reference}`, text: t('open'), onclick: () => openApplication(row.reference) })),
      ),
    ),
  );
  $('queue-empty').hidden = queue.length > 0;
}

async function loadQueue() {
  queue = (await api.get('/back-office/applications?limit=50')).applications;
  renderQueue();
}

// ── One application ────────────────────────────────────────────────────────
function serviceName(id) {
  const names = serviceNames.get(id);
  return names?.[i18n.lang] ?? names?.en ?? id;
}

function fact(term, value) {
  return [h('dt', { text: term }), h('dd', { text: value ?? '—' })];
}

function renderApplication() {
  if (file === undefined) return;
  const { application, citizen, services, documents, credentials } = file;
  $('app-title').textContent = t('applicationTitle', { reference: application.reference });
  const a = citizen.address ?? {};
  $('app-facts').replaceChildren(
    ...fact(t('appState'), t(`state_${application.state}`) + (application.rejectionReason ? ` — ${t(`reason_${application.rejectionReason}`)}` : '')),
    ...fact(t('submitted'), i18n.dateTime(application.submittedAt)),
    ...fact(t('name'), `${citizen.given_name} ${citizen.family_name}`),
    ...fact(t('birthdate'), citizen.birthdate),
    ...fact(t('address'), [a.street_address, a.postal_code, a.locality, a.country].filter(Boolean).join(', ')),
    ...fact(t('residentSince'), citizen.resident_since),
    ...fact(t('services'), services.map((s) => `${serviceName(s.service_id)} (${t(`tier_${s.tier}`)})`).join(', ') || '—'),
    ...fact(t('cardNumber'), citizen.cardNumber),
  );
  $('app-documents').replaceChildren(
    ...(documents.length === 0
      ? [h('li', { text: t('noDocuments') })]
      : documents.map((d) =>
          h('li', {}, h('button', { type: 'button', class: 'secondary', text: t('viewDocument', { kind: t(`doc_${d.kind}`), size: Math.max(1, Math.round(d.size / 1024)) }), onclick: (e) => busy(e.currentTarget, () => api.download(`/back-office/applications/${encodeURIComponent(application.reference)}/documents/${encodeURIComponent(d.id)}`)) })),
        )),
  );
  const decided = application.state !== 'submitted';
  $('validate').disabled = decided;
  $('reject').disabled = decided;
  $('reject-reason').disabled = decided;
  const reasonSelect = $('reject-reason');
  const chosen = reasonSelect.value;
  reasonSelect.replaceChildren(...REJECTION_REASONS.map((r) => h('option', { value: r, text: t(`reason_${r}`) })));
  if (chosen) reasonSelect.value = chosen;

  $('no-credentials').hidden = credentials.length > 0;
  $('app-credentials').closest('.table-wrap').hidden = credentials.length === 0;
  $('app-credentials').replaceChildren(
    ...credentials.map((batch) => {
      const label = `${batch.credentialType}${batch.serviceId ? ` · ${serviceName(batch.serviceId)}` : ''} · ${batch.format}`;
      const actionId = `action-${batch.id}`;
      const reasonId = `reason-${batch.id}`;
      return h(
        'tr',
        {},
        h('td', { class: 'break', text: label }),
        h('td', { text: t(`batch_${batch.state}`) }),
        h('td', { text: i18n.dateTime(batch.validUntil) }),
        h(
          'td',
          {},
          h('label', { for: actionId, class: 'visually-hidden', text: t('statusAction', { batch: label }) }),
          h('select', { id: actionId }, ...STATUS_ACTIONS.map((a) => h('option', { value: a, text: t(`action_${a}`) }))),
          h('label', { for: reasonId, class: 'visually-hidden', text: t('statusReason', { batch: label }) }),
          h('select', { id: reasonId }, ...STATUS_CHANGE_REASONS.map((r) => h('option', { value: r, text: t(`status_${r}`) }))),
          h('button', {
            type: 'button',
            text: t('apply'),
            onclick: (e) =>
              busy(e.currentTarget, async () => {
                const action = $(actionId).value;
                await api.post(`/back-office/credentials/${encodeURIComponent(batch.id)}/status`, { json: { action, reason: $(reasonId).value } });
                await openApplication(application.reference, { quiet: true });
                announce(message, t('statusChanged', { action: t(`action_${action}`) }));
              }),
          }),
        ),
      );
    }),
  );
  renderCounter();
  $('application').hidden = false;
}

async function openApplication(reference, { quiet = false } = {}) {
  try {
    file = await api.get(`/back-office/applications/${encodeURIComponent(reference.trim())}`);
  } catch (error) {
    fail(error);
    return;
  }
  $('audit').hidden = true;
  $('statistics').hidden = true;
  $('enrol').hidden = true;
  catalogueSection.hide();
  renderApplication();
  if (!quiet) {
    $('app-title').setAttribute('tabindex', '-1');
    $('app-title').focus();
    announce(message, t('opened', { reference: file.application.reference }));
  }
}

async function decide(decision) {
  const reference = file.application.reference;
  await api.post(`/back-office/applications/${encodeURIComponent(reference)}/decision`, { json: decision === 'reject' ? { decision, reason: $('reject-reason').value } : { decision } });
  await openApplication(reference, { quiet: true });
  await loadQueue();
  announce(message, t(decision === 'reject' ? 'rejected' : 'validated', { reference }));
}

// ── At the counter: enrolment, scanned documents, PIN, paper card ──────────
/** Whether the signed-in member works at the counter (unknown after a lost tab storage: the issuer decides). */
function atCounter() {
  return staff === undefined || COUNTER_ROLES.includes(staff.role);
}

function renderCounterServices() {
  renderServiceRows({ list: $('ce-services'), catalogue, prefix: 'ce-', name: (service) => serviceName(service.id), t, tierLabelKey: 'tierFor' });
}

/** Creates the application of the citizen at the desk, then opens it (documents, decision, PIN, paper card follow there). */
async function enrolAtCounter(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const { field: invalid, label } = firstInvalidField(form) ?? {};
  if (invalid !== undefined) {
    announce(message, invalid.id === 'ce-consent-service_provision' ? t('consentRequired') : t('fixField', { field: label }), 'error');
    invalid.setAttribute('aria-invalid', 'true');
    invalid.focus();
    return;
  }
  if ($('ce-email').value.trim() === '' && $('ce-phone').value.trim() === '') {
    announce(message, t('contactRequired'), 'error');
    $('ce-email').setAttribute('aria-invalid', 'true');
    $('ce-email').focus();
    return;
  }
  await busy(event.submitter, async () => {
    const { application } = await api.post('/back-office/enrolments', { json: enrolmentBody({ form, catalogue, prefix: 'ce-' }) });
    form.reset();
    renderCounterServices();
    await openApplication(application.reference);
    announce(message, t('enrolledAtCounter', { reference: application.reference }));
    await loadQueue();
  });
}

function showEnrolment() {
  $('application').hidden = true;
  $('audit').hidden = true;
  $('statistics').hidden = true;
  catalogueSection.hide();
  $('enrol').hidden = false;
  renderCounterServices();
  $('enrol-title').setAttribute('tabindex', '-1');
  $('enrol-title').focus();
}

/** The counter's parts of an opened application: scan, paper card, PIN. */
function renderCounter() {
  if (file === undefined) return;
  for (const el of document.querySelectorAll('.counter-only')) el.hidden = !atCounter();
  const { application, citizen, credentials } = file;
  const validated = application.state === 'validated';
  const inUse = credentials.filter((b) => b.credentialType === 'PaperServicePass' && b.state === 'active').length;
  $('paper-in-use').textContent = inUse > 0 ? t('paperInUse', { passes: inUse }) : t('paperNone');
  $('print-paper').textContent = t(inUse > 0 ? 'reprintPaper' : 'printPaper');
  $('print-paper').disabled = !validated;
  $('paper-not-yet').hidden = validated;
  if (!paperLanguageChosen) $('paper-lang').value = i18n.lang;
  $('pin-hint').textContent = citizen.cardNumber ? t('pinHint', { cardNumber: citizen.cardNumber }) : t('pinHintNoCard');
}

function fillPaperLanguages() {
  $('paper-lang').replaceChildren(...LANGUAGES.map((code) => h('option', { value: code, lang: code, text: LANGUAGE_NAMES[code] })));
  $('paper-lang').value = i18n.lang;
}

const referencePath = () => `/back-office/applications/${encodeURIComponent(file.application.reference)}`;

/** Adds a document scanned at the desk to the opened application. */
async function scanDocument(event) {
  event.preventDefault();
  const scanned = $('scan-file').files?.[0];
  if (scanned === undefined) {
    announce(message, t('fixField', { field: t('scanFile') }), 'error');
    $('scan-file').focus();
    return;
  }
  await busy(event.submitter, async () => {
    const form = new FormData();
    form.append('kind', $('scan-kind').value);
    form.append('file', scanned);
    await api.post(`${referencePath()}/documents`, { form });
    event.target.reset();
    await openApplication(file.application.reference, { quiet: true });
    announce(message, t('scanned'));
  });
}

/** Prints (or reprints: the earlier card stops working) the paper card as a PDF download, then says what it carries. */
async function printPaper() {
  const { reference } = file.application;
  let headers;
  try {
    headers = await api.download(`${referencePath()}/paper-card`, `paper-card-${reference}.pdf`, { method: 'POST', json: { language: $('paper-lang').value } });
  } catch (error) {
    // Validated but without a service: nothing to print ("Already decided" would mislead).
    if (error?.code !== 'STATE_CONFLICT') throw error;
    announce(message, t('paperNothingToPrint'), 'error');
    return;
  }
  const passes = Number(headers.get('x-urbis-paper-passes') ?? 0);
  const replaced = Number(headers.get('x-urbis-paper-replaced') ?? 0);
  await openApplication(reference, { quiet: true });
  announce(message, [t('paperPrinted', { passes }), replaced > 0 ? t('paperReplaced', { replaced }) : ''].join(' ').trim());
}

/** Revokes a lost paper card without a reprint, once confirmed. */
async function revokePaper() {
  const { revoked } = await api.post(`${referencePath()}/paper-card/revoke`);
  $('revoke-paper-confirm').hidden = true;
  await openApplication(file.application.reference, { quiet: true });
  $('revoke-paper').focus();
  announce(message, revoked > 0 ? t('paperRevoked', { revoked }) : t('paperNoneToRevoke'));
}

/** Sets the card's PIN (and unlocks a locked card): the citizen signs in at the portal with card number + PIN. */
async function setPin(event) {
  event.preventDefault();
  const input = $('new-pin');
  if (!input.checkValidity()) {
    announce(message, t('pinInvalid'), 'error');
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return;
  }
  await busy(event.submitter, async () => {
    await api.put(`${referencePath()}/pin`, { json: { pin: input.value } });
    event.target.reset();
    input.removeAttribute('aria-invalid');
    await openApplication(file.application.reference, { quiet: true });
    announce(message, t('pinSet'));
  });
}

function bindCounter() {
  $('show-enrol').addEventListener('click', showEnrolment);
  $('enrol-form').addEventListener('submit', enrolAtCounter);
  $('enrol-form').addEventListener('input', (event) => event.target.removeAttribute?.('aria-invalid'));
  $('enrol-cancel').addEventListener('click', () => {
    $('enrol-form').reset();
    $('enrol').hidden = true;
    $('show-enrol').focus();
  });
  $('scan-form').addEventListener('submit', scanDocument);
  $('pin-form').addEventListener('submit', setPin);
  $('paper-lang').addEventListener('change', () => {
    paperLanguageChosen = true;
  });
  $('print-paper').addEventListener('click', (event) => busy(event.currentTarget, printPaper));
  bindInlineConfirm({ trigger: $('revoke-paper'), panel: $('revoke-paper-confirm'), yes: $('revoke-paper-yes'), no: $('revoke-paper-no'), onYes: revokePaper, busy });
}

// ── Audit ──────────────────────────────────────────────────────────────────
function renderAudit() {
  if (audit === undefined) return;
  $('audit-rows').replaceChildren(
    ...audit.map((e) =>
      h('tr', {}, h('td', { text: i18n.dateTime(e.at) }), h('td', { class: 'break', text: `${e.actor.kind}${e.actor.id ? ` ${e.actor.id}` : ''}` }), h('td', { text: e.action }), h('td', { class: 'break', text: e.target ? `${e.target.kind} ${e.target.id}` : '—' })),
    ),
  );
}

// ── Statistics ─────────────────────────────────────────────────────────────
/** Every UTC day from `from` to `to`, `YYYY-MM-DD`. */
function daysBetween(from, to) {
  const days = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

function formatDay(day, options) {
  return new Intl.DateTimeFormat(i18n.lang, { ...options, timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}
const shortDay = (day) => formatDay(day, { day: 'numeric', month: 'short' });
const longDay = (day) => formatDay(day, { dateStyle: 'medium' });
const credentialLabel = (type) => (i18n.has(`credType_${type}`) ? t(`credType_${type}`) : type);
const cell = (text, numeric = false) => h('td', { text, ...(numeric ? { class: 'number' } : {}) });

function renderStatistics() {
  if (statistics === undefined) return;
  const { window: span, issuance, verifications, serviceId, reportingTerminals } = statistics;
  const days = daysBetween(span.from, span.to);
  $('statistics-scope').textContent = serviceId === null ? t('scopeCity') : t('scopeService', { service: serviceName(serviceId) });
  const daySelect = $('statistics-days');
  daySelect.replaceChildren(...STATISTICS_PERIODS.map((n) => h('option', { value: String(n), text: t('lastDays', { n }) })));
  daySelect.value = String(span.days);

  // Issuance: copies per day, stacked by credential type.
  const types = [...new Set(issuance.map((r) => r.credentialType))].sort();
  const copies = new Map();
  for (const r of issuance) copies.set(`${r.day} ${r.credentialType}`, (copies.get(`${r.day} ${r.credentialType}`) ?? 0) + r.copies);
  const totalCopies = issuance.reduce((sum, r) => sum + r.copies, 0);
  renderBarChart({
    container: $('issuance-chart'),
    caption: $('issuance-caption'),
    days,
    series: types.map((type) => ({ key: type, label: credentialLabel(type) })),
    value: (day, type) => copies.get(`${day} ${type}`) ?? 0,
    label: t('issuanceSummary', { total: totalCopies, from: longDay(span.from), to: longDay(span.to) }),
    dayLabel: shortDay,
    describeDay: (day, parts) => t('chartDay', { day: longDay(day), parts: parts || '0' }),
  });
  $('issuance-rows').replaceChildren(
    ...issuance.map((r) =>
      h('tr', {}, cell(longDay(r.day)), h('td', { text: r.serviceId ? `${credentialLabel(r.credentialType)} · ${serviceName(r.serviceId)}` : credentialLabel(r.credentialType) }), cell(String(r.batches), true), cell(String(r.copies), true), cell(String(r.revoked), true), cell(String(r.suspended), true)),
    ),
  );
  $('issuance-empty').hidden = issuance.length > 0;

  // Verifications: accepted and rejected per day, for one service or all.
  const serviceSelect = $('statistics-service');
  const chosen = serviceSelect.value;
  const services = [...new Set(verifications.map((r) => r.serviceId))].sort();
  serviceSelect.replaceChildren(h('option', { value: '', text: t('allServices') }), ...services.map((id) => h('option', { value: id, text: serviceName(id) })));
  serviceSelect.value = services.includes(chosen) ? chosen : '';
  const shown = verifications.filter((r) => serviceSelect.value === '' || r.serviceId === serviceSelect.value);
  const byDay = new Map();
  for (const r of shown) {
    const d = byDay.get(r.day) ?? { accepted: 0, rejected: 0 };
    d.accepted += r.accepted;
    d.rejected += r.rejected;
    byDay.set(r.day, d);
  }
  const sum = (key) => shown.reduce((total, r) => total + r[key], 0);
  renderBarChart({
    container: $('verification-chart'),
    caption: $('verification-caption'),
    days,
    series: ['accepted', 'rejected'].map((key) => ({ key, label: t(`outcome_${key}`) })),
    value: (day, key) => byDay.get(day)?.[key] ?? 0,
    label: t('verificationSummary', { accepted: sum('accepted'), rejected: sum('rejected'), from: longDay(span.from), to: longDay(span.to) }),
    dayLabel: shortDay,
    describeDay: (day, parts) => t('chartDay', { day: longDay(day), parts }),
  });
  $('verification-rows').replaceChildren(
    ...shown.map((r) =>
      h(
        'tr',
        {},
        cell(longDay(r.day)),
        h('td', { text: serviceName(r.serviceId) }),
        cell(String(r.accepted), true),
        cell(String(r.rejected), true),
        h('td', { class: 'break', text: Object.entries(r.rejectedByCode).map(([code, n]) => `${code} × ${n}`).join(', ') || '—' }),
      ),
    ),
  );
  $('verification-empty').hidden = shown.length > 0;
  $('verification-terminals').textContent = t('reportingTerminals', { n: reportingTerminals });
}

async function loadStatistics(days) {
  statistics = await api.get(`/back-office/statistics?days=${encodeURIComponent(days)}`);
  $('statistics').hidden = false;
  renderStatistics();
}

// ── Wiring ─────────────────────────────────────────────────────────────────
async function enterWork({ focus = true } = {}) {
  $('sign-out').hidden = false;
  $('show-statistics').hidden = !STATISTICS_ROLES.includes(staff?.role);
  $('show-enrol').hidden = !atCounter();
  renderWho();
  showView('work', { focus });
  await loadQueue();
  try {
    await catalogueSection.load();
  } catch {
    useCatalogue([]);
  }
}

async function main() {
  i18n.apply();
  i18n.bindSwitcher($('lang'), () => {
    renderWho();
    renderQueue();
    renderApplication();
    renderAudit();
    renderStatistics();
    renderCounterServices();
    catalogueSection.render();
  });
  fillPaperLanguages();
  bindCounter();
  $('reject-reason').replaceChildren(...REJECTION_REASONS.map((r) => h('option', { value: r, text: t(`reason_${r}`) })));

  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    busy(event.submitter, async () => {
      const session = await api.post('/back-office/login', { json: { username: $('username').value.trim(), password: $('password').value } });
      api.setToken(session.token);
      staff = session.staff;
      sessionStorageSafe({ username: staff.username, role: staff.role });
      event.target.reset();
      await enterWork();
      announce(message, t('signedIn'));
    });
  });
  $('sign-out').addEventListener('click', (event) =>
    busy(event.currentTarget, async () => {
      try {
        await api.post('/back-office/logout');
      } finally {
        signedOut();
        announce(message, t('signedOut'));
      }
    }),
  );
  $('open-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $('reference');
    if (!input.checkValidity()) {
      input.focus();
      return;
    }
    busy(event.submitter, () => openApplication(input.value));
  });
  $('reload-queue').addEventListener('click', (event) => busy(event.currentTarget, loadQueue));
  $('show-queue').addEventListener('click', (event) =>
    busy(event.currentTarget, async () => {
      $('audit').hidden = true;
      $('statistics').hidden = true;
      $('enrol').hidden = true;
      catalogueSection.hide();
      $('queue').hidden = false;
      await loadQueue();
      $('queue-title').setAttribute('tabindex', '-1');
      $('queue-title').focus();
    }),
  );
  $('show-audit').addEventListener('click', (event) =>
    busy(event.currentTarget, async () => {
      audit = (await api.get('/back-office/audit')).entries;
      renderAudit();
      $('application').hidden = true;
      $('statistics').hidden = true;
      $('enrol').hidden = true;
      catalogueSection.hide();
      $('audit').hidden = false;
      $('audit-title').setAttribute('tabindex', '-1');
      $('audit-title').focus();
    }),
  );
  $('show-statistics').addEventListener('click', (event) =>
    busy(event.currentTarget, async () => {
      await loadStatistics($('statistics-days').value || '30');
      $('application').hidden = true;
      $('audit').hidden = true;
      $('enrol').hidden = true;
      catalogueSection.hide();
      $('statistics-title').setAttribute('tabindex', '-1');
      $('statistics-title').focus();
      announce(message, t('statisticsShown', { n: statistics.window.days }));
    }),
  );
  $('show-catalogue').addEventListener('click', (event) =>
    busy(event.currentTarget, async () => {
      await catalogueSection.load();
      $('application').hidden = true;
      $('audit').hidden = true;
      $('statistics').hidden = true;
      $('enrol').hidden = true;
      catalogueSection.show();
    }),
  );
  $('statistics-form').addEventListener('submit', (event) => {
    event.preventDefault();
    busy(event.submitter, () => loadStatistics($('statistics-days').value));
  });
  $('statistics-service').addEventListener('change', () => renderStatistics());
  // Charts are drawn at the width they have: redraw when it changes (phone rotation, window resize).
  let drawnWidth = 0;
  new globalThis.ResizeObserver(() => {
    const width = $('issuance-chart').clientWidth;
    if (statistics !== undefined && !$('statistics').hidden && width !== drawnWidth) {
      drawnWidth = width;
      renderStatistics();
    }
  }).observe($('statistics'));

  // The buttons' state follows the application's (renderApplication), not the request's.
  for (const decision of ['validate', 'reject'])
    $(decision).addEventListener('click', () =>
      busy(undefined, async () => {
        $('validate').disabled = true;
        $('reject').disabled = true;
        try {
          await decide(decision);
        } finally {
          renderApplication();
        }
      }),
    );

  if (api.token !== null) {
    staff = sessionStorageSafe(undefined);
    try {
      await enterWork({ focus: false });
      return;
    } catch (error) {
      fail(error);
    }
  }
  showView('login', { focus: false });
}

main();
