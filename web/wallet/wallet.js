/**
 * The browser wallet (issue 7, web page 4): the holder-wallet library in the
 * page (bundled as ./urbis-wallet.js by build-wallet-bundle.ts). The wallet
 * file is sealed under the citizen's passphrase in IndexedDB; holder keys
 * are non-extractable Web Crypto keys whose handles stay in IndexedDB
 * (device-bound). Receive an offer (OID4VCI, with its transaction code),
 * list credentials and copies left, answer a request link (OpenID4VP) after
 * a consent screen listing exactly the claims shared, show the answer as a
 * QR and as text, history, encrypted backup download.
 */
import * as W from './urbis-wallet.js';
// i18n.js is web/shared/i18n.js, copied beside the page by build-wallet-bundle.ts (as urbis-wallet.js is built there).
import { createI18n } from './i18n.js';
import { WALLET_STRINGS } from './wallet-strings.js';

const i18n = createI18n(WALLET_STRINGS);
const { t } = i18n;
const storage = W.createIndexedDbStorage();
const handles = W.createIndexedDbKeyHandles();
let store;
let exists = false;
let pendingOffer;
let pendingConsent;
let backupUrl;

const $ = (id) => document.getElementById(id);
const nowSeconds = () => Math.floor(Date.now() / 1000);

function say(key, values) {
  $('error').textContent = '';
  $('message').textContent = key === undefined ? '' : t(key, values);
}

function fail(error) {
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const key = code !== undefined && i18n.has(`e_${code}`) ? `e_${code}` : 'e_other';
  $('message').textContent = '';
  $('error').textContent = code === undefined ? t(key) : `${t(key)} (${code})`;
  if (code === undefined) console.error(error);
}

/** Runs a UI action: one at a time, with its errors shown. */
let busy = false;
async function act(action) {
  if (busy) return;
  busy = true;
  document.body.setAttribute('aria-busy', 'true');
  try {
    await action();
  } catch (error) {
    fail(error);
  } finally {
    busy = false;
    document.body.removeAttribute('aria-busy');
  }
}

function claimLabel(path) {
  const name = path.join('.');
  return i18n.has(`claim_${name}`) ? t(`claim_${name}`) : name;
}
function claimValue(value) {
  if (value === true) return t('yes');
  if (value === false) return t('no');
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}
function credentialName(type, serviceId) {
  const name = i18n.has(type) ? t(type) : type;
  return serviceId === undefined ? name : `${name} — ${t('service', { service: serviceId })}`;
}

/** Translates what the page builds itself (the rest is `i18n.apply()`). */
function renderLanguage() {
  $('unlock-heading').textContent = t(exists ? 'unlockHeading' : 'createHeading');
  $('unlock-button').textContent = t(exists ? 'unlock' : 'create');
  if (store !== undefined) void render();
  if (pendingConsent !== undefined) showConsent(pendingConsent);
}

async function render() {
  const document_ = await store.load();
  const list = $('credentials');
  list.replaceChildren();
  const stocks = W.copyInventory(document_);
  if (stocks.length === 0) {
    const li = document.createElement('li');
    li.textContent = t('noCredentials');
    list.append(li);
  }
  for (const stock of stocks) {
    const li = document.createElement('li');
    li.dataset.type = stock.credentialType;
    li.dataset.unspent = String(stock.unspent);
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = credentialName(stock.credentialType, stock.serviceId);
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = `${t('copiesLeft', { n: stock.unspent })} · ${stock.format} · ${issuerLabel(document_, stock)}`;
    li.append(name, meta);
    if (stock.low) {
      const low = document.createElement('span');
      low.className = 'low';
      low.textContent = ` · ${t('low')}`;
      meta.append(low);
    }
    list.append(li);
  }
  const history = $('history');
  history.replaceChildren();
  const entries = [...document_.history].sort((a, b) => b.at - a.at);
  if (entries.length === 0) {
    const li = document.createElement('li');
    li.textContent = t('noHistory');
    history.append(li);
  }
  for (const entry of entries) {
    const li = document.createElement('li');
    const date = new Date(entry.at * 1000).toLocaleString(i18n.lang);
    li.textContent = t('historyItem', { date, claims: entry.disclosed.map(claimLabel).join(', '), verifier: entry.verifier });
    history.append(li);
  }
}

function issuerLabel(document_, stock) {
  const trusted = document_.trustedIssuers.find((entry) => entry.issuerUrl === stock.issuerUrl);
  return trusted?.name ?? stock.issuerUrl ?? stock.issuerId;
}

function showHome() {
  $('unlock').hidden = true;
  $('restore').hidden = true;
  $('home').hidden = false;
  $('lock').hidden = false;
}

async function start() {
  exists = (await storage.read()) !== undefined;
  $('passphrase').autocomplete = exists ? 'current-password' : 'new-password';
  renderLanguage();
  $('unlock').hidden = false;
  $('restore').hidden = exists;
  $('home').hidden = true;
  $('lock').hidden = true;
  $('passphrase').focus();
}

$('unlock-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void act(async () => {
    const passphrase = $('passphrase').value;
    say('working');
    store = exists ? await W.openWalletStore({ storage, passphrase }) : await W.createWalletStore({ storage, passphrase });
    say(exists ? 'unlocked' : 'created');
    exists = true;
    $('passphrase').value = '';
    await render();
    showHome();
    // Links may bring an offer or a request (…/wallet/?offer=<link> or ?request=<link>): prefilled, never acted on without the citizen.
    const linked = new URLSearchParams(location.search);
    if (linked.get('offer')) $('offer').value = linked.get('offer');
    if (linked.get('request')) $('request').value = linked.get('request');
    (linked.get('request') ? $('request') : linked.get('offer') ? $('tx-code') : $('offer')).focus();
  });
});

$('restore-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void act(async () => {
    const file = $('restore-file').files?.[0];
    if (file === undefined) return;
    say('working');
    const restored = await W.restoreBackup({
      backup: new Uint8Array(await file.arrayBuffer()),
      passphrase: $('restore-passphrase').value,
      targetStorage: storage,
      targetPassphrase: $('restore-new-passphrase').value,
    });
    store = restored.store;
    exists = true;
    for (const id of ['restore-passphrase', 'restore-new-passphrase', 'restore-file']) $(id).value = '';
    // Copies bound to the old device's keys cannot move: the city issues them again, with keys of this device.
    const outcomes = restored.needReissuance.length === 0 ? [] : await W.reissueAfterRestore({ store, needs: restored.needReissuance, keyStorage: 'device', handles });
    say('restored', { carried: restored.restoredCredentialIds.length, reissued: outcomes.reduce((sum, o) => sum + (o.outcome === 'received' ? o.copies : 0), 0) });
    await render();
    showHome();
  });
});

$('lock').addEventListener('click', () => {
  store = undefined;
  pendingOffer = undefined;
  pendingConsent = undefined;
  for (const id of ['presentation', 'consent', 'trust']) $(id).hidden = true;
  say('locked');
  void start();
});

async function acceptOffer() {
  say('working');
  const received = await W.receiveOffer({ store, offer: pendingOffer.offer, keyStorage: 'device', handles, ...(pendingOffer.txCode === '' ? {} : { txCode: pendingOffer.txCode }) });
  pendingOffer = undefined;
  $('trust').hidden = true;
  $('offer').value = '';
  $('tx-code').value = '';
  const list = received.configurations
    .map((c) => `${credentialName(c.credentialType ?? c.configurationId, c.serviceId)}: ${c.outcome === 'received' ? t('copies', { n: c.copies }) : c.outcome === 'pending' ? t('pending') : c.code}`)
    .join('; ');
  say('received', { list });
  await render();
}

$('receive-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void act(async () => {
    say('working');
    const preview = await W.inspectOffer({ offer: $('offer').value.trim(), trustList: W.trustListOf(await store.load()) });
    const display = preview.issuerDisplay.find((d) => d.locale?.startsWith(i18n.lang)) ?? preview.issuerDisplay[0];
    pendingOffer = { offer: preview.offer, txCode: $('tx-code').value.trim(), issuerUrl: preview.issuerUrl, name: display?.name ?? new URL(preview.issuerUrl).host };
    if (preview.trusted !== undefined) return acceptOffer();
    say();
    $('trust-text').textContent = t('trustText', { name: pendingOffer.name, url: pendingOffer.issuerUrl });
    $('trust').hidden = false;
    $('trust').focus();
  });
});

$('trust-accept').addEventListener('click', () => {
  void act(async () => {
    await W.trustIssuer({ store, issuerUrl: pendingOffer.issuerUrl, name: pendingOffer.name, now: nowSeconds() });
    await acceptOffer();
  });
});
$('trust-cancel').addEventListener('click', () => {
  pendingOffer = undefined;
  $('trust').hidden = true;
  $('offer').focus();
});

function showConsent(consent) {
  $('consent-verifier').textContent = t('consentTo', { verifier: consent.verifier });
  const items = $('consent-items');
  items.replaceChildren();
  for (const item of consent.items) {
    const heading = document.createElement('h3');
    heading.textContent = credentialName(item.credentialType, item.serviceId);
    const dl = document.createElement('dl');
    item.disclosed.forEach((path, i) => {
      const dt = document.createElement('dt');
      dt.textContent = claimLabel(path);
      const dd = document.createElement('dd');
      dd.textContent = claimValue(item.values[i]);
      dl.append(dt, dd);
    });
    const left = document.createElement('p');
    left.className = item.lowOnCopies ? 'hint low' : 'hint';
    left.textContent = t('leftAfter', { n: item.remainingCopies });
    items.append(heading, dl, left);
  }
  $('consent').hidden = false;
}

$('present-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void act(async () => {
    say();
    $('presentation').hidden = true;
    const request = W.parsePresentationRequest($('request').value.trim());
    pendingConsent = await W.prepareConsent({ request, document: await store.load() });
    showConsent(pendingConsent);
    $('consent').focus();
  });
});

$('share').addEventListener('click', () => {
  void act(async () => {
    say('working');
    const result = await W.presentWithConsent({ consent: pendingConsent, store, handles, now: nowSeconds() });
    pendingConsent = undefined;
    $('consent').hidden = true;
    $('request').value = '';
    const qr = await W.presentationQr({ text: result.text });
    $('presentation-qr').src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(qr.svg)}`;
    $('presentation-qr').alt = t('presentationQrAlt');
    $('presentation-text').value = result.text;
    $('presentation').hidden = false;
    say();
    await render();
    $('presentation').focus();
  });
});
$('consent-cancel').addEventListener('click', () => {
  pendingConsent = undefined;
  $('consent').hidden = true;
  $('request').focus();
});

$('copy').addEventListener('click', () => {
  void act(async () => {
    $('presentation-text').select();
    await navigator.clipboard?.writeText($('presentation-text').value);
    say('copied');
  });
});

$('backup-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void act(async () => {
    say('working');
    const bytes = await W.createBackup({ store, passphrase: $('backup-passphrase').value });
    $('backup-passphrase').value = '';
    if (backupUrl !== undefined) URL.revokeObjectURL(backupUrl);
    backupUrl = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
    const link = $('backup-link');
    link.href = backupUrl;
    link.hidden = false;
    say();
    link.focus();
  });
});

i18n.apply();
i18n.bindSwitcher($('lang'), renderLanguage);
await start();
document.body.dataset.ready = 'true';
