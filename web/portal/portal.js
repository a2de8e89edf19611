/**
 * The citizen portal (`/portal/`): enrol (identity, address, services from
 * the catalogue, consents per purpose), sign in again (e-mail code or card +
 * PIN), follow the application, send documents, get the credential offer QR
 * (its tx_code comes through the notifier, never on this page), the paper
 * card for citizens without a smartphone (issue #8: print at home, "I lost
 * my paper card"; see docs/paper-card.md), and the GDPR rights (download my
 * data, erase). Talks only to `/front-office/*`.
 */
import { announce, bindInlineConfirm, createApi, errorReporting, h, showView } from '../web-shared/api.js';
import { enrolmentBody, firstInvalidField, renderServiceRows } from '../web-shared/enrolment-form.js';
import { createI18n, LANGUAGE_NAMES, LANGUAGES } from '../web-shared/i18n.js';
import { PORTAL_STRINGS } from './portal-strings.js';

const i18n = createI18n(PORTAL_STRINGS);
const { t } = i18n;
const api = createApi({ tokenKey: 'urbis.citizen' });
const $ = (id) => document.getElementById(id);
const message = $('message');

let catalogue = [];
let lastStatus;
let lastOffer;
/** Whether the citizen chose the printout's language (else it follows the page's). */
let paperLanguageChosen = false;

const { fail, busy } = errorReporting({ strings: PORTAL_STRINGS.en, t, region: message, onSignedOut: () => signedOut() });

function serviceName(service) {
  return service.names?.[i18n.lang] ?? service.names?.en ?? service.id;
}

// ── Enrolment ───────────────────────────────────────────────────────────────
function renderServices() {
  renderServiceRows({ list: $('services-list'), catalogue, prefix: '', name: serviceName, t, tierLabelKey: 'tier' });
}

async function enrol(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const { field: invalid, label } = firstInvalidField(form) ?? {};
  if (invalid !== undefined) {
    announce(message, invalid.id === 'consent-service_provision' ? t('chooseOneConsent') : t('fixField', { field: label }), 'error');
    invalid.setAttribute('aria-invalid', 'true');
    invalid.focus();
    return;
  }
  await busy(form.querySelector('button[type=submit]'), async () => {
    const result = await api.post('/front-office/enrolments', { json: enrolmentBody({ form, catalogue, prefix: '' }) });
    api.setToken(result.session.token);
    form.reset();
    await loadDashboard();
    announce(message, t('enrolled', { reference: result.application.reference }));
  });
}

// ── Sign-in ─────────────────────────────────────────────────────────────────
let challengeId;

function signedIn() {
  $('sign-out').hidden = false;
}

function signedOut() {
  api.setToken(null);
  $('sign-out').hidden = true;
  lastStatus = undefined;
  lastOffer = undefined;
  $('offer').hidden = true;
  $('lost-paper-confirm').hidden = true;
  paperLanguageChosen = false;
  showView('welcome');
}

// ── Dashboard ───────────────────────────────────────────────────────────────
function renderStatus() {
  if (lastStatus === undefined) return;
  const { application, documents = [], missingDocuments = [], citizen } = lastStatus;
  $('app-reference').textContent = application?.reference ?? '—';
  const state = $('app-state');
  state.dataset.state = application?.state ?? 'none';
  state.textContent = application === undefined ? t('noApplication') : t(`state_${application.state}`);
  $('app-card').textContent = citizen?.cardNumber ?? '—';
  const reason = $('app-reason');
  reason.hidden = application?.rejectionReason === undefined;
  if (!reason.hidden) reason.textContent = t('rejectedBecause', { reason: t(`reason_${application.rejectionReason}`) });
  const missing = $('missing-docs');
  missing.hidden = missingDocuments.length === 0;
  missing.textContent = t('missingDocs', { kinds: missingDocuments.map((k) => t(`doc_${k}`)).join(', ') });
  $('doc-list').replaceChildren(...documents.map((d) => h('li', { text: t('documentSize', { kind: t(`doc_${d.kind}`), size: Math.max(1, Math.round(d.size / 1024)), time: i18n.dateTime(d.uploadedAt) }) })));
  $('get-offer').disabled = application?.state !== 'validated';
  renderPaper(application?.state === 'validated');
  if (lastOffer !== undefined) $('offer-expiry').textContent = t('offerExpires', { time: i18n.dateTime(lastOffer.expiresAt) });
}

async function loadDashboard() {
  lastStatus = await api.get('/front-office/me');
  signedIn();
  renderStatus();
  showView('dashboard');
}

async function getOffer() {
  const offer = await api.post('/front-office/me/offers');
  lastOffer = offer;
  $('offer-qr').src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(offer.qrSvg)}`;
  $('offer-qr').alt = t('qrCaption');
  $('offer-link').href = offer.deepLink;
  $('offer').hidden = false;
  renderStatus();
  announce(message, t('offerReady'));
}

// ── Paper card (issue #8) ────────────────────────────────────────────────────
/** The paper card's controls: usable once the application is validated; the printout's language follows the page's until chosen. */
function renderPaper(validated) {
  $('print-paper').disabled = !validated;
  $('lost-paper').disabled = !validated;
  $('paper-not-yet').hidden = validated;
  if (!validated) $('lost-paper-confirm').hidden = true;
  if (!paperLanguageChosen) $('paper-lang').value = i18n.lang;
}

/** Fills the printout's language choice (each language named in itself). */
function fillPaperLanguages() {
  $('paper-lang').replaceChildren(...LANGUAGES.map((code) => h('option', { value: code, lang: code, text: LANGUAGE_NAMES[code] })));
  $('paper-lang').value = i18n.lang;
}

/** Prints the card at home: downloads the PDF (the earlier card stops working) and says how many services it carries. */
async function printPaper() {
  let headers;
  try {
    headers = await api.download('/front-office/me/paper-card', 'my-paper-card.pdf', { method: 'POST', json: { language: $('paper-lang').value } });
  } catch (error) {
    // Validated but no service chosen: nothing to print (the generic sentence would not say why).
    if (error?.code !== 'STATE_CONFLICT') throw error;
    announce(message, t('paperNothingToPrint'), 'error');
    return;
  }
  const passes = Number(headers.get('x-urbis-paper-passes') ?? 0);
  const replaced = Number(headers.get('x-urbis-paper-replaced') ?? 0);
  announce(message, [t('paperPrinted', { passes }), replaced > 0 ? t('paperReplaced', { replaced }) : ''].join(' ').trim());
}

/** "I lost my paper card", once confirmed: every paper pass stops working at the terminals' next sync. */
async function revokePaper() {
  const { revoked } = await api.post('/front-office/me/paper-card/revoke');
  $('lost-paper-confirm').hidden = true;
  $('lost-paper').focus();
  announce(message, revoked > 0 ? t('paperRevoked', { revoked }) : t('paperNoneToRevoke'));
}

// ── Wiring ──────────────────────────────────────────────────────────────────
async function main() {
  i18n.apply();
  i18n.bindSwitcher($('lang'), () => {
    renderServices();
    renderStatus();
  });
  fillPaperLanguages();

  $('go-enrol').addEventListener('click', () => showView('enrol'));
  $('enrol-cancel').addEventListener('click', () => showView('welcome'));
  $('enrol-form').addEventListener('submit', enrol);
  $('enrol-form').addEventListener('input', (event) => event.target.removeAttribute?.('aria-invalid'));

  $('code-start').addEventListener('submit', (event) => {
    event.preventDefault();
    busy(event.submitter, async () => {
      const started = await api.post('/front-office/login/code', { json: { email: $('otp-email').value.trim() } });
      challengeId = started.challengeId;
      $('code-verify').hidden = false;
      $('otp-code').focus();
      announce(message, t('codeSent'));
    });
  });
  $('code-verify').addEventListener('submit', (event) => {
    event.preventDefault();
    busy(event.submitter, async () => {
      const session = await api.post('/front-office/login/code/verify', { json: { challengeId, code: $('otp-code').value.trim() } });
      api.setToken(session.token);
      event.target.reset();
      event.target.hidden = true;
      await loadDashboard();
      announce(message, t('signedIn'));
    });
  });
  $('card-login').addEventListener('submit', (event) => {
    event.preventDefault();
    busy(event.submitter, async () => {
      const session = await api.post('/front-office/login/card', { json: { cardNumber: $('card-number').value.trim(), pin: $('card-pin').value } });
      api.setToken(session.token);
      event.target.reset();
      await loadDashboard();
      announce(message, t('signedIn'));
    });
  });
  $('sign-out').addEventListener('click', (event) =>
    busy(event.currentTarget, async () => {
      try {
        await api.post('/front-office/logout');
      } finally {
        signedOut();
        announce(message, t('signedOut'));
      }
    }),
  );

  $('refresh').addEventListener('click', (event) =>
    busy(event.currentTarget, async () => {
      await loadDashboard();
      $('refresh').focus();
      announce(message, t('statusRefreshed', { state: $('app-state').textContent }));
    }),
  );
  $('upload-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const file = $('doc-file').files?.[0];
    if (file === undefined) {
      announce(message, t('fixField', { field: t('docFile') }), 'error');
      $('doc-file').focus();
      return;
    }
    busy(event.submitter, async () => {
      const form = new FormData();
      form.append('kind', $('doc-kind').value);
      form.append('file', file);
      await api.post('/front-office/me/documents', { form });
      event.target.reset();
      lastStatus = await api.get('/front-office/me');
      renderStatus();
      announce(message, t('uploaded'));
    });
  });
  $('get-offer').addEventListener('click', (event) => busy(event.currentTarget, getOffer));
  $('paper-lang').addEventListener('change', () => {
    paperLanguageChosen = true;
  });
  $('print-paper').addEventListener('click', (event) => busy(event.currentTarget, printPaper));
  bindInlineConfirm({ trigger: $('lost-paper'), panel: $('lost-paper-confirm'), yes: $('lost-paper-yes'), no: $('lost-paper-no'), onYes: revokePaper, busy });
  $('export').addEventListener('click', (event) =>
    busy(event.currentTarget, async () => {
      await api.download('/front-office/me/export', 'my-city-card-data.json');
      announce(message, t('exported'));
    }),
  );
  $('erase-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!$('erase-confirm').checked) {
      announce(message, t('eraseAsk'), 'error');
      $('erase-confirm').focus();
      return;
    }
    busy(event.submitter, async () => {
      await api.del('/front-office/me', { json: { confirm: 'erase' } });
      event.target.reset();
      signedOut();
      announce(message, t('erased'));
    });
  });

  try {
    catalogue = (await api.get('/front-office/services')).services;
  } catch (error) {
    fail(error);
  }
  renderServices();
  if (api.token !== null) {
    try {
      lastStatus = await api.get('/front-office/me');
      signedIn();
      renderStatus();
      showView('dashboard', { focus: false });
      return;
    } catch (error) {
      fail(error);
    }
  }
  showView('welcome', { focus: false });
}

main();
