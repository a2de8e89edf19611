/**
 * The citizen journey across the four web pages (issue 7) in real Chromium
 * (playwright-core, Debian's chromium, phone 390×844) against the whole city
 * demo (chain, Gijón and Oviedo, Gijón's pool terminal, the browser wallet
 * on its own origin) on free loopback ports:
 * portal enrol → back office validates → portal shows the offer → wallet
 * (own origin, calling the issuer through CORS) creates, trusts Gijón and
 * receives → terminal screen's request → wallet consents and shares → the
 * screen says ACCEPTED → back office revokes the pools batch → terminal
 * syncs → a fresh copy is refused (STATUS_REVOKED); and an Oviedo senior's
 * resident credential accepted at Gijón's pools (cross-city). Screenshots
 * go to e2e/screenshots/journey-*.png.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readOutboxFile } from '../issuer/auth/notifier.js';
import { samplePng } from '../issuer/documents/testing/document-samples.js';
import { startCityDemo, type CityDemo } from '../demo/city-demo.js';

const CHROMIUM = process.env.URBIS_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = resolve(dirname(fileURLToPath(import.meta.url)), 'screenshots');
const PHONE = { width: 390, height: 844 };
const CITIZEN_EMAIL = 'ines.fictional@example.org';
const PASSPHRASE = 'correct horse battery staple';

let dir: string;
let demo: CityDemo;
let browser: Browser | undefined;
let portal: Page;
let staff: Page;
let wallet: Page;
let screen: Page;
let reference: string;
const pageErrors: string[] = [];
const demoLog: string[] = [];

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `journey-${name}.png`), fullPage: true });
}

async function newPage(): Promise<Page> {
  const context = await browser!.newContext({ viewport: PHONE, locale: 'en-GB' });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return page;
}

/** The last 6-digit tx_code Gijón's notifier "sent" to `email` (the demo's outbox file). */
async function txCodeSentTo(email: string): Promise<string> {
  const entries = (await readOutboxFile({ path: demo.parts.issuers.gijon.config.notifierOutboxPath })).filter((e) => e.to.email === email);
  const match = /\b(\d{6})\b/.exec(JSON.stringify(entries.at(-1)));
  if (match === null) throw new Error('no tx_code in the notifier outbox');
  return match[1]!;
}

/** Creates a wallet in `page` (the demo's wallet origin). */
async function createWallet(page: Page): Promise<void> {
  await page.goto(demo.urls.wallet);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#home:not([hidden])', { timeout: 15_000 });
}

/** Receives `offer` with `txCode` in the wallet page, trusting its issuer. */
async function receive(page: Page, offer: string, txCode: string, issuerUrl: string): Promise<void> {
  await page.getByLabel('Offer link (from the city)').fill(offer);
  await page.getByLabel('Transaction code (sent to you by e-mail)').fill(txCode);
  await page.getByRole('button', { name: 'Receive', exact: true }).click();
  await page.waitForSelector('#trust:not([hidden])', { timeout: 15_000 });
  expect(await page.textContent('#trust-text')).toContain(issuerUrl);
  await page.getByRole('button', { name: 'Trust and receive' }).click();
  await page.waitForSelector('#credentials li[data-type]', { timeout: 20_000 });
}

/** The terminal screen's current request link (a fresh one after "Next person" when a verdict is shown). */
async function requestFromScreen(): Promise<string> {
  if (await screen.locator('#verdict').isVisible()) await screen.getByRole('button', { name: 'Next person' }).click();
  await screen.waitForFunction(() => (document.getElementById('request-link') as HTMLTextAreaElement).value.startsWith('openid4vp://'));
  return screen.inputValue('#request-link');
}

/** Wallet: answers `request` (consent, share) and returns the presentation text. */
async function present(page: Page, request: string): Promise<string> {
  await page.getByLabel('Request link (from the service point)').fill(request);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForSelector('#consent:not([hidden])', { timeout: 10_000 });
  await page.getByRole('button', { name: 'Share' }).click();
  await page.waitForSelector('#presentation:not([hidden])', { timeout: 15_000 });
  return page.inputValue('#presentation-text');
}

/** Terminal screen: pastes `answer`, verifies, returns 'ok' or 'bad' and the failure codes. */
async function verifyOnScreen(answer: string): Promise<{ verdict: 'ok' | 'bad'; codes: string[] }> {
  await screen.locator('#answer').fill(answer);
  await screen.getByRole('button', { name: 'Verify' }).click();
  await screen.waitForSelector('#verdict:not([hidden])', { timeout: 10_000 });
  const verdict = (await screen.locator('#verdict.ok').count()) > 0 ? 'ok' : 'bad';
  const codes = await screen.locator('#verdict-reasons li').evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset['code'] ?? ''));
  return { verdict, codes };
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed (${CHROMIUM} is missing): run \`bash scripts/ensure-test-tools.sh\`, or set URBIS_CHROMIUM.`);
  await mkdir(SCREENSHOTS, { recursive: true });
  dir = await mkdtemp(join(tmpdir(), 'urbis-web-journey-'));
  [demo, browser] = await Promise.all([
    startCityDemo({ baseDir: dir, ports: { chain: 0, gijon: 0, oviedo: 0, terminal: 0, wallet: 0 }, terminalSyncSeconds: 1, log: (line) => demoLog.push(line) }),
    chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] }),
  ]);
  [portal, staff, wallet, screen] = await Promise.all([newPage(), newPage(), newPage(), newPage()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('the citizen journey across the four pages, on the demo', () => {
  const gijon = () => demo.urls.issuers.gijon.api;

  it('serves the wallet on its own origin with a CSP naming the issuers', async () => {
    const res = await fetch(demo.urls.wallet);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(new URL(gijon()).origin);
    expect(new URL(demo.urls.wallet).origin).not.toBe(new URL(gijon()).origin);
    expect((await fetch(`${demo.urls.wallet}../package.json`)).status).toBe(404);
    expect(demoLog).toContain(`  wallet  ${demo.urls.wallet}`);
    expect(demo.urls.wallet).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('portal: enrols with a proof of address', async () => {
    await portal.goto(`${gijon()}/portal/`);
    await portal.getByRole('button', { name: 'Apply for the city card' }).click({ timeout: 10_000 });
    const form = portal.locator('[data-view]:not([hidden])');
    await form.getByLabel('Given name', { exact: true }).fill('Inés');
    await form.getByLabel('Family name', { exact: true }).fill('Fictional Llanes');
    await form.getByLabel('Date of birth').fill('1988-07-21');
    await form.getByLabel('E-mail', { exact: true }).fill(CITIZEN_EMAIL);
    await form.getByLabel('Street and number', { exact: true }).fill('Calle Corrida 5');
    await form.getByLabel('Postal code', { exact: true }).fill('33201');
    await form.getByLabel('Town', { exact: true }).fill('Gijón');
    await form.getByLabel('Resident since').fill('2012-03-01');
    await form.getByLabel('Municipal pools', { exact: true }).check();
    await form.getByLabel('Tier for Municipal pools').selectOption('standard');
    await form.getByLabel(/Process my data to run the city card/).check();
    await form.getByLabel('Town', { exact: true }).press('Enter');
    await portal.locator('#app-reference').filter({ hasText: /\S/ }).waitFor({ timeout: 10_000 });
    reference = (await portal.locator('#app-reference').textContent()) ?? '';
    await portal.getByLabel('Kind of document').selectOption('proof_of_address');
    await portal.getByLabel('File (PDF, PNG or JPEG)').setInputFiles({ name: 'address.png', mimeType: 'image/png', buffer: Buffer.from(samplePng()) });
    await portal.getByRole('button', { name: 'Send the document' }).click();
    await portal.locator('#message', { hasText: 'Document received.' }).waitFor({ timeout: 10_000 });
    await shot(portal, 'portal-enrolled');
  }, 20_000);

  it('back office: the demo admin signs in and validates the reference', async () => {
    const admin = demo.staff.gijon.find((s) => s.role === 'admin')!; // an admin: the same session revokes later (a clerk may not)
    await staff.goto(`${gijon()}/staff/`);
    await staff.getByLabel('User name', { exact: true }).fill(admin.username);
    await staff.getByLabel('Password', { exact: true }).fill(admin.password);
    await staff.keyboard.press('Enter');
    await staff.getByLabel('Open an application by reference').fill(reference, { timeout: 10_000 });
    await staff.getByLabel('Open an application by reference').press('Enter');
    await staff.locator('#message', { hasText: `Application ${reference} opened.` }).waitFor({ timeout: 10_000 });
    await staff.getByRole('button', { name: 'Validate', exact: true }).click();
    await staff.locator('#message', { hasText: `Application ${reference} validated.` }).waitFor({ timeout: 10_000 });
    await shot(staff, 'staff-validated');
  }, 20_000);

  let offer: string;
  it('portal: shows the offer (deep link); the tx_code goes to the citizen by the notifier', async () => {
    await portal.getByRole('button', { name: 'Refresh status' }).click();
    await portal.locator('#app-state', { hasText: 'Validated' }).waitFor({ timeout: 10_000 });
    await portal.getByRole('button', { name: "Show my card's QR code" }).click();
    offer = (await portal.getByRole('link', { name: 'Open in my wallet app' }).getAttribute('href', { timeout: 10_000 })) ?? '';
    expect(offer).toMatch(/^openid-credential-offer:\/\//);
    await shot(portal, 'portal-offer');
  }, 20_000);

  it('wallet (its own origin, through CORS): creates a wallet, trusts Gijón, receives the offer', async () => {
    await createWallet(wallet);
    await receive(wallet, offer, await txCodeSentTo(CITIZEN_EMAIL), gijon());
    await wallet.waitForSelector('#credentials li[data-type="ServiceEntitlementCredential"]', { timeout: 10_000 });
    await shot(wallet, 'wallet-received');
  }, 40_000);

  it('terminal screen → wallet → terminal screen: ACCEPTED', async () => {
    await screen.goto(demo.urls.terminal.screen);
    await screen.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
    const answer = await present(wallet, await requestFromScreen());
    await shot(wallet, 'wallet-presentation');
    const { verdict } = await verifyOnScreen(answer);
    expect(verdict).toBe('ok');
    expect(await screen.textContent('#verdict-title')).toContain('ACCEPTED');
    expect((await screen.locator('#verdict-claims dt').allTextContents()).sort()).toEqual(['Service', 'Tier']); // only what the pools' policy needs
    await shot(screen, 'terminal-accepted');
  }, 30_000);

  it('back office revokes the pools batch; after the terminal syncs, a fresh copy is refused: STATUS_REVOKED', async () => {
    // Open the application again: its credential batches were issued after the clerk's page showed it.
    await staff.getByLabel('Open an application by reference').fill(reference);
    await staff.getByLabel('Open an application by reference').press('Enter');
    await staff.locator('#message', { hasText: `Application ${reference} opened.` }).waitFor({ timeout: 10_000 });
    const rows = staff.locator('#app-credentials tr', { hasText: 'Municipal pools' });
    await rows.first().waitFor({ timeout: 10_000 });
    const row = rows.first();
    await row.getByRole('combobox', { name: /^Action on / }).selectOption('revoke');
    await row.getByRole('combobox', { name: /^Reason for / }).selectOption('issuer-decision');
    await row.getByRole('button', { name: 'Apply' }).click();
    await staff.locator('#message', { hasText: 'Credential batch Revoke: done.' }).waitFor({ timeout: 10_000 });
    await shot(staff, 'staff-revoked');

    // The publisher puts the change on chain, the terminal syncs (1 s loop, and now); each try spends one fresh copy.
    let result: { verdict: 'ok' | 'bad'; codes: string[] } | undefined;
    for (let attempt = 0; attempt < 6; attempt++) {
      await new Promise((done) => setTimeout(done, 1_500));
      await demo.parts.terminal.syncNow();
      result = await verifyOnScreen(await present(wallet, await requestFromScreen()));
      if (result.verdict === 'bad') break;
    }
    expect(result).toEqual({ verdict: 'bad', codes: expect.arrayContaining(['STATUS_REVOKED']) });
    await shot(screen, 'terminal-revoked');
  }, 45_000);

  it("cross-city: an Oviedo senior's resident credential is accepted at Gijón's pools", async () => {
    const senior = demo.offers.find((o) => o.cityId === 'oviedo' && o.birthdate < '1960-01-01')!;
    expect(senior).toBeDefined();
    const phone = await newPage();
    await createWallet(phone);
    await receive(phone, senior.offer, senior.txCode, demo.urls.issuers.oviedo.api);
    const { verdict } = await verifyOnScreen(await present(phone, await requestFromScreen()));
    expect(verdict).toBe('ok');
    expect(await screen.textContent('#verdict-title')).toContain('ACCEPTED');
    await shot(screen, 'terminal-cross-city');
  }, 40_000);

  it('raised no script error in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
