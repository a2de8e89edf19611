/**
 * The back office (`/staff/`): staff sign-in, the queue of applications (by
 * reference only: no browsing of personal data), an application opened by
 * its reference with its documents, validate or reject with a reason from
 * the list, revoke / suspend / lift a credential batch, and the audit log
 * (roles allowed to read it). Talks only to `/back-office/*`; permissions are
 * the issuer's: a refused action shows the issuer's FORBIDDEN.
 */
import { announce, createApi, errorReporting, h, showView } from '../web-shared/api.js';
import { createI18n } from '../web-shared/i18n.js';
import { BACK_OFFICE_STRINGS } from './back-office-strings.js';

/** The issuer's lists (issuer/back-office/back-office-service.ts REJECTION_REASONS, registry/publisher/status-change.ts STATUS_CHANGE_REASONS). */
const REJECTION_REASONS = ['documents_missing', 'documents_unreadable', 'not_resident', 'identity_not_verified', 'duplicate_application', 'other'];
const STATUS_CHANGE_REASONS = ['holder-request', 'issuer-decision', 'eligibility-ended', 'credential-replaced', 'key-compromise', 'suspension-lifted', 'legal-order', 'administrative-correction'];
const STATUS_ACTIONS = ['revoke', 'suspend', 'unsuspend'];

const i18n = createI18n(BACK_OFFICE_STRINGS);
const { t } = i18n;
const api = createApi({ tokenKey: 'urbis.staff' });
const $ = (id) => document.getElementById(id);
const message = $('message');

let staff;
let queue = [];
let file;
let audit;
/** Service names per id, from the catalogue (empty if it cannot be read: ids are shown). */
let serviceNames = new Map();

const { fail, busy } = errorReporting({ strings: BACK_OFFICE_STRINGS.en, t, region: message, onSignedOut: () => signedOut() });

function signedOut() {
  api.setToken(null);
  staff = undefined;
  sessionStorageSafe(null);
  $('sign-out').hidden = true;
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

// ── Audit ──────────────────────────────────────────────────────────────────
function renderAudit() {
  if (audit === undefined) return;
  $('audit-rows').replaceChildren(
    ...audit.map((e) =>
      h('tr', {}, h('td', { text: i18n.dateTime(e.at) }), h('td', { class: 'break', text: `${e.actor.kind}${e.actor.id ? ` ${e.actor.id}` : ''}` }), h('td', { text: e.action }), h('td', { class: 'break', text: e.target ? `${e.target.kind} ${e.target.id}` : '—' })),
    ),
  );
}

// ── Wiring ─────────────────────────────────────────────────────────────────
async function enterWork({ focus = true } = {}) {
  $('sign-out').hidden = false;
  renderWho();
  showView('work', { focus });
  await loadQueue();
  try {
    serviceNames = new Map((await api.get('/back-office/catalogue')).services.map((s) => [s.id, s.names]));
  } catch {
    serviceNames = new Map();
  }
}

async function main() {
  i18n.apply();
  i18n.bindSwitcher($('lang'), () => {
    renderWho();
    renderQueue();
    renderApplication();
    renderAudit();
  });
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
      $('audit').hidden = false;
      $('audit-title').setAttribute('tabindex', '-1');
      $('audit-title').focus();
    }),
  );
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
