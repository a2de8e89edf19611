/**
 * The browser wallet (issue 7, web page 4) in real Chromium (playwright-core,
 * Debian's chromium, phone viewport 390×844) against a real city issuer
 * (loopback HTTP, SQLite): a citizen enrols and a clerk validates through
 * the issuer's HTTP API; in the page, the citizen creates a wallet
 * (IndexedDB, device-bound keys), trusts the city, accepts the offer with
 * its transaction code, sees the copies, answers a terminal's request
 * (verifier/requests) after a consent screen listing exactly the claims
 * shared, and gets the presentation QR (decoded here with jsQR: the compact
 * form of the presentation bound to the request's nonce); history and
 * backup download.
 *
 * Here the page is served from the issuer's own origin: Playwright answers
 * `<issuer>/wallet/*` with the built files (`buildWalletBundle`), as an
 * issuer serving the wallet under /wallet/ would. The wallet on its own
 * origin (the demo's wallet server, through the issuers' CORS for the public
 * OID4VCI surface) is driven by e2e/web-journey.test.ts.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { decodeCompactPresentation } from '../../core/presentation/compact-presentation.js';
import { enrolmentBody } from '../../issuer/testing/city-data.js';
import { startIssuerFixture, type IssuerFixture } from '../../issuer/testing/issuer-fixture.js';
import policiesFile from '../../verifier/policy/fixtures/gijon-policies.json' with { type: 'json' };
import { parseServicePolicies } from '../../verifier/policy/parse-service-policies.js';
import { createRequestIssuer, keyBindingNonceOf } from '../../verifier/requests/index.js';
import { buildWalletBundle, type WalletBundle } from './build-wallet-bundle.js';

const jsQR = jsQRModule.default;

const CHROMIUM = process.env.URBIS_CHROMIUM ?? '/usr/bin/chromium';
const here = dirname(fileURLToPath(import.meta.url));
const SCREENSHOTS = resolve(here, '..', '..', 'e2e', 'screenshots');
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

let outDir: string;
let bundle: WalletBundle;
let city: IssuerFixture;
let browser: Browser | undefined;
let page: Page;
const pageErrors: string[] = [];
const backupFile = () => join(outDir, 'backup.urbw');

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed (${CHROMIUM} is missing): run \`bash scripts/ensure-test-tools.sh\`, or set URBIS_CHROMIUM.`);
  await mkdir(SCREENSHOTS, { recursive: true });
  outDir = await mkdtemp(join(tmpdir(), 'urbis-wallet-page-'));
  [bundle, city] = await Promise.all([buildWalletBundle({ outDir }), startIssuerFixture()]);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  page = await newDevice();
}, 40_000);

afterAll(async () => {
  await browser?.close();
  await city?.close();
  if (outDir !== undefined) await rm(outDir, { recursive: true, force: true });
});

/** A fresh browser profile (its own IndexedDB) on a phone viewport, with the wallet served at `<issuer>/wallet/`. */
async function newDevice(): Promise<Page> {
  const context = await browser!.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB', acceptDownloads: true });
  await context.route(`${city.url}/wallet/**`, async (route) => {
    const name = new URL(route.request().url()).pathname.replace(/^\/wallet\//, '') || 'index.html';
    if (!/^[a-z0-9-]+\.(html|js|css)$/.test(name)) return route.fulfill({ status: 404, body: '' });
    try {
      return await route.fulfill({ status: 200, headers: { 'content-type': TYPES[extname(name)]!, 'cache-control': 'no-store' }, body: await readFile(join(bundle.dir, name)) });
    } catch {
      return route.fulfill({ status: 404, body: '' });
    }
  });
  const opened = await context.newPage();
  opened.on('pageerror', (error) => pageErrors.push(error.message));
  opened.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
  });
  return opened;
}

/** Enrols a citizen (pools, library), a clerk validates, the citizen asks for an offer. */
async function offerForNewCitizen(): Promise<{ link: string; txCode: string }> {
  const clerk = await city.staffToken({ role: 'clerk' });
  const body = enrolmentBody();
  const enrolled = await city.request('POST', '/front-office/enrolments', { json: body });
  expect(enrolled.status).toBe(201);
  const reference = enrolled.body.application.reference as string;
  expect((await city.request('POST', `/back-office/applications/${reference}/decision`, { token: clerk, json: { decision: 'validate' } })).status).toBe(200);
  const offer = await city.request('POST', '/front-office/me/offers', { token: enrolled.body.session.token });
  expect(offer.status).toBe(201);
  return { link: offer.body.deepLink, txCode: await city.lastCodeSentTo(body['email'] as string) };
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

describe('browser wallet in Chromium', () => {
  it('bundles the wallet library for the browser: no Node built-in, no Node adapter', () => {
    expect(bundle.inputs.filter((input) => input.startsWith('node:') || input.startsWith('holder-wallet/node/') || input === 'core/crypto/node-crypto.ts')).toEqual([]);
    expect(bundle.inputs).toEqual(expect.arrayContaining(['holder-wallet/browser/indexeddb-storage.ts', 'holder-wallet/wallet/receive-offer.ts']));
  });

  it('create → trust the city → receive the offer with its tx_code → consent → presentation QR → history → backup', async () => {
    const { link, txCode } = await offerForNewCitizen();
    await page.goto(`${city.url}/wallet/index.html`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
    expect(await page.textContent('#unlock-heading')).toBe('Create your wallet');
    await shot('wallet-create');

    await page.getByLabel('Passphrase', { exact: true }).fill('correct horse battery staple');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#home:not([hidden])', { timeout: 15_000 });

    await page.getByLabel('Offer link (from the city)').fill(link);
    await page.getByLabel('Transaction code (sent to you by e-mail)').fill(txCode);
    await page.getByRole('button', { name: 'Receive', exact: true }).click();
    await page.waitForSelector('#trust:not([hidden])');
    expect(await page.textContent('#trust-text')).toContain(city.url);
    await shot('wallet-trust-issuer');
    await page.getByRole('button', { name: 'Trust and receive' }).click();
    await page.waitForSelector('#credentials li[data-type="ServiceEntitlementCredential"]', { timeout: 20_000 });
    const copies = await page.locator('#credentials li').evaluateAll((items) => items.map((li) => [(li as HTMLElement).dataset['type'], Number((li as HTMLElement).dataset['unspent'])]));
    expect(copies.length).toBeGreaterThan(0);
    expect(copies.every(([, unspent]) => (unspent as number) > 0)).toBe(true);
    expect(await page.textContent('#message')).toMatch(/^Received: /);
    await shot('wallet-credentials');

    const policies = parseServicePolicies(policiesFile);
    const requests = createRequestIssuer({ terminalId: 'urbis:terminal:gijon-pool-1' });
    const { link: requestLink } = requests.newRequest({ policy: policies.get('pools')! });
    await page.getByLabel('Request link (from the service point)').fill(requestLink);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForSelector('#consent:not([hidden])');
    expect(await page.textContent('#consent-verifier')).toBe('With: urbis:terminal:gijon-pool-1');
    const shared = await page.locator('#consent-items dt').allTextContents();
    expect(shared.length).toBeGreaterThan(0);
    expect(shared).not.toContain('Given name');
    await shot('wallet-consent');
    const before = await page.locator('#credentials li').evaluateAll((items) => items.map((li) => Number((li as HTMLElement).dataset['unspent'])).reduce((a, b) => a + b, 0));
    await page.getByRole('button', { name: 'Share' }).click();
    await page.waitForSelector('#presentation:not([hidden])');
    const text = await page.inputValue('#presentation-text');
    expect(text).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+(~[\w-]+)+~[\w-]+\.[\w-]+\.[\w-]+$/); // SD-JWT, its disclosures, the KB-JWT
    const pending = requests.take({ nonce: keyBindingNonceOf({ presentation: text }) ?? '' });
    expect(pending).toBeDefined();
    const png = PNG.sync.read(await page.locator('#presentation-qr').screenshot());
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded).not.toBeNull();
    expect(decodeCompactPresentation({ bytes: Uint8Array.from(decoded!.binaryData) })).toBe(text);
    await shot('wallet-presentation');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390); // no sideways scrolling on a phone
    const after = await page.locator('#credentials li').evaluateAll((items) => items.map((li) => Number((li as HTMLElement).dataset['unspent'])).reduce((a, b) => a + b, 0));
    expect(after).toBe(before - 1);
    expect(await page.locator('#history li').count()).toBe(1);
    expect(await page.textContent('#history')).toContain('urbis:terminal:gijon-pool-1');

    await page.getByLabel('Backup passphrase').fill('another long passphrase');
    await page.getByRole('button', { name: 'Make a backup' }).click();
    await page.waitForSelector('#backup-link:not([hidden])', { timeout: 15_000 });
    const download = page.waitForEvent('download');
    await page.click('#backup-link');
    expect((await download).suggestedFilename()).toBe('urbis-wallet-backup.urbw');
    await (await download).saveAs(backupFile());
    expect(pageErrors).toEqual([]);
  }, 40_000);

  it('the wallet survives a reload: unlock with the passphrase (a wrong one is refused), in French', async () => {
    await page.goto(`${city.url}/wallet/index.html?lang=fr&request=${encodeURIComponent('openid4vp://?client_id=x')}`);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.textContent('#unlock-heading')).toBe('Ouvrir votre portefeuille');
    await page.getByLabel('Phrase secrète', { exact: true }).fill('wrong passphrase!');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('error')!.textContent!.includes('WALLET_PASSPHRASE_WRONG'), undefined, { timeout: 15_000 });
    await page.getByLabel('Phrase secrète', { exact: true }).fill('correct horse battery staple');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#home:not([hidden])', { timeout: 15_000 });
    expect(await page.locator('#credentials li[data-type]').count()).toBeGreaterThan(0);
    expect(await page.locator('#history li').count()).toBe(1);
    expect(await page.inputValue('#request')).toBe('openid4vp://?client_id=x'); // prefilled from the page's link, not acted on
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('request');
    expect(pageErrors).toEqual([]);
  }, 30_000);

  it('restore on a new device: the backup file and its passphrase; device-bound copies are issued again by the city', async () => {
    const device = await newDevice();
    await device.goto(`${city.url}/wallet/`);
    await device.waitForSelector('body[data-ready="true"]');
    await device.setInputFiles('#restore-file', backupFile());
    await device.getByLabel('Passphrase of the backup').fill('another long passphrase');
    await device.getByLabel('New passphrase for this device').fill('a new device passphrase');
    await device.getByRole('button', { name: 'Restore' }).click();
    await device.waitForSelector('#home:not([hidden])', { timeout: 20_000 });
    expect(await device.textContent('#message')).toMatch(/^Restored: \d+ copies carried over, [1-9]\d* copies issued again by the city\.$/);
    expect(await device.locator('#credentials li[data-type]').count()).toBeGreaterThan(0);
    expect(await device.locator('#history li').count()).toBe(1);
    await device.screenshot({ path: join(SCREENSHOTS, 'wallet-restored.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 30_000);
});
