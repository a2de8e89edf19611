/**
 * The citizen portal (`/portal/`) and the back office (`/staff/`) in a real
 * browser (issue 7): Debian's Chromium driven by playwright-core against a
 * real issuer (issuer/testing/issuer-fixture.ts). A fictional citizen
 * enrols through the form with the keyboard, sends a document and sees the
 * application reference; a clerk signs in to the back office, opens that
 * reference from the queue and validates it; the citizen sees "validated"
 * and gets the credential offer QR (the tx_code goes through the notifier,
 * not the page). Screenshots (phone 390×844 and desktop) go to
 * e2e/screenshots/.
 *
 * Chromium is installed by scripts/ensure-test-tools.sh (npm test's pretest,
 * .ci/run). Without it this file FAILS, naming the script. URBIS_CHROMIUM
 * overrides the executable path.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { samplePng } from '../issuer/documents/testing/document-samples.js';
import { redeemOffer } from '../issuer/testing/oid4vci-test-client.js';
import { startIssuerFixture, type IssuerFixture } from '../issuer/testing/issuer-fixture.js';

const CHROMIUM = process.env.URBIS_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = resolve(dirname(fileURLToPath(import.meta.url)), 'screenshots');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const CLERK = { username: 'clerk-lucia', password: 'a long clerk password for tests' };
const CITIZEN_EMAIL = 'marta.fictional@example.org';

let fixture: IssuerFixture;
let browser: Browser | undefined;
let context: BrowserContext;
let portal: Page;
let staff: Page;
let reference: string;
let deepLink: string;
let txCode: string;
const pageErrors: string[] = [];

/** Screenshots of `page` at phone and desktop widths (full page), then back to desktop. */
async function screenshots(page: Page, name: string): Promise<void> {
  await page.setViewportSize(PHONE);
  // Phone width: nothing wider than the screen (tables scroll inside their own box).
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wider = Array.from(document.querySelectorAll<HTMLElement>('body *'))
      .filter((el) => el.getBoundingClientRect().right > width + 0.5 && el.parentElement?.closest('.table-wrap') == null && el.offsetParent !== null)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}:${Math.round(el.getBoundingClientRect().right)}`);
    return document.documentElement.scrollWidth > width ? [`document:${document.documentElement.scrollWidth}`, ...wider] : wider;
  });
  expect({ name, overflow }).toEqual({ name, overflow: [] });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-desktop.png`), fullPage: true });
}

/** Focuses the field labelled `label` in the view on screen and types `text` on the keyboard. */
async function typeInto(page: Page, label: string, text: string): Promise<void> {
  await page.locator('[data-view]:not([hidden])').getByLabel(label, { exact: true }).focus();
  await page.keyboard.type(text);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed (${CHROMIUM} is missing). Install it with \`bash scripts/ensure-test-tools.sh\`, or point URBIS_CHROMIUM at a Chromium.`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  fixture = await startIssuerFixture();
  await fixture.issuer.staff.create({ ...CLERK, role: 'clerk' });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' });
  portal = await context.newPage();
  staff = await context.newPage();
  for (const page of [portal, staff]) page.on('pageerror', (error) => pageErrors.push(error.message));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await fixture?.close();
});

describe('web pages served by the issuer', () => {
  it('serves /portal/ and /staff/ with a policy that allows no inline script', async () => {
    for (const path of ['/portal/', '/staff/', '/web-shared/i18n.js']) {
      const res = await fetch(`${fixture.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
    const html = await (await fetch(`${fixture.url}/portal/`)).text();
    expect(html).not.toMatch(/<script>(?!<\/script>)|\son[a-z]+="/);
    const api = await fetch(`${fixture.url}/front-office/services`);
    expect(api.status).toBe(200);
  });
});

describe('citizen journey: portal → back office → portal', () => {
  it('enrols a fictional citizen with the keyboard and shows the application reference', async () => {
    await portal.goto(`${fixture.url}/portal/`);
    await portal.getByRole('heading', { level: 2, name: 'Your city card, in your phone' }).waitFor({ timeout: 10_000 });
    await screenshots(portal, 'portal-welcome');

    await portal.getByRole('button', { name: 'Apply for the city card' }).focus();
    await portal.keyboard.press('Enter');
    await portal.getByRole('heading', { level: 2, name: 'Apply for the city card' }).waitFor({ timeout: 10_000 });

    await typeInto(portal, 'Given name', 'Marta');
    await typeInto(portal, 'Family name', 'Fictional Prado');
    await portal.getByLabel('Date of birth').fill('1990-04-12');
    await typeInto(portal, 'E-mail', CITIZEN_EMAIL);
    await typeInto(portal, 'Street and number', 'Calle Corrida 1');
    await typeInto(portal, 'Postal code', '33201');
    await typeInto(portal, 'Town', 'Gijón');
    await portal.getByLabel('Resident since').fill('2015-09-01');
    // Services and consents with the keyboard: focus, Space.
    for (const label of ['Public libraries', 'Municipal pools']) {
      await portal.getByLabel(label, { exact: true }).focus();
      await portal.keyboard.press('Space');
    }
    await portal.getByLabel('Tier for Municipal pools').selectOption('standard');
    await portal.getByLabel(/Process my data to run the city card/).focus();
    await portal.keyboard.press('Space');
    await screenshots(portal, 'portal-enrol-form');

    // Enter in a text field submits the form.
    await portal.getByLabel('Town').focus();
    await portal.keyboard.press('Enter');
    await portal.locator('#app-reference').filter({ hasText: /\S/ }).waitFor({ timeout: 10_000 });
    reference = (await portal.locator('#app-reference').textContent()) ?? '';
    expect(reference).toMatch(/^[A-Z0-9]{3}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await expect(portal.locator('#message').textContent()).resolves.toContain(reference);
    await expect(portal.locator('#app-state').textContent()).resolves.toBe('Submitted, being checked');
    await expect(portal.locator('#missing-docs').textContent()).resolves.toContain('Proof of address');

    // A supporting document for the pools.
    await portal.getByLabel('Kind of document').selectOption('proof_of_address');
    await portal.getByLabel('File (PDF, PNG or JPEG)').setInputFiles({ name: 'address.png', mimeType: 'image/png', buffer: Buffer.from(samplePng()) });
    await portal.getByRole('button', { name: 'Send the document' }).click();
    await portal.locator('#message', { hasText: 'Document received.' }).waitFor({ timeout: 10_000 });
    await expect(portal.locator('#missing-docs').isHidden()).resolves.toBe(true);
    await expect(portal.locator('#get-offer').isDisabled()).resolves.toBe(true);
    await screenshots(portal, 'portal-status-submitted');
  }, 30_000);

  it('lets a clerk sign in, open the reference from the queue and validate it', async () => {
    await staff.goto(`${fixture.url}/staff/`);
    await typeInto(staff, 'User name', CLERK.username);
    await typeInto(staff, 'Password', CLERK.password);
    await staff.keyboard.press('Enter');
    const open = staff.getByRole('button', { name: `Open ${reference}` });
    await open.waitFor({ timeout: 10_000 });
    await screenshots(staff, 'staff-queue');

    await open.focus();
    await staff.keyboard.press('Enter');
    await staff.locator('#message', { hasText: `Application ${reference} opened.` }).waitFor({ timeout: 10_000 });
    await expect(staff.getByRole('heading', { name: `Application ${reference}` }).isVisible()).resolves.toBe(true);
    await expect(staff.locator('#app-facts').textContent()).resolves.toContain('Marta Fictional Prado');
    await expect(staff.locator('#app-documents').textContent()).resolves.toContain('proof of address');
    await screenshots(staff, 'staff-application');

    await staff.getByRole('button', { name: 'Validate', exact: true }).focus();
    await staff.keyboard.press('Enter');
    await staff.locator('#message', { hasText: `Application ${reference} validated.` }).waitFor({ timeout: 10_000 });
    await expect(staff.locator('#app-facts').textContent()).resolves.toContain('validated');
    await expect(staff.getByRole('button', { name: 'Validate', exact: true }).isDisabled()).resolves.toBe(true);
    await expect(staff.getByRole('button', { name: `Open ${reference}` }).count()).resolves.toBe(0);

    // A clerk may not read the audit log: the issuer's refusal is shown, not hidden.
    await staff.getByRole('button', { name: 'Audit log' }).click();
    await staff.locator('#message', { hasText: 'Your role does not allow this.' }).waitFor({ timeout: 10_000 });
  }, 30_000);

  it('shows the citizen "validated" and the credential offer QR, the tx_code going through the notifier', async () => {
    await portal.bringToFront();
    await portal.getByRole('button', { name: 'Refresh status' }).click();
    await portal.locator('#app-state', { hasText: 'Validated' }).waitFor({ timeout: 10_000 });
    await expect(portal.locator('#app-card').textContent()).resolves.toMatch(/^[0-9]{10}$/);

    await portal.getByRole('button', { name: "Show my card's QR code" }).focus();
    await portal.keyboard.press('Enter');
    const qr = portal.getByRole('img', { name: 'Credential offer QR code' });
    await qr.waitFor({ timeout: 10_000 });
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    deepLink = (await portal.getByRole('link', { name: 'Open in my wallet app' }).getAttribute('href')) ?? '';
    expect(deepLink).toMatch(/^openid-credential-offer:\/\//);
    await expect(portal.locator('main').textContent()).resolves.toContain('not shown here');
    txCode = await fixture.lastCodeSentTo(CITIZEN_EMAIL);
    await expect(portal.locator('body').textContent()).resolves.not.toContain(txCode);
    await screenshots(portal, 'portal-offer-qr');
  }, 30_000);

  it('lets staff suspend a batch the wallet received, and an admin read the audit log', async () => {
    // The wallet's part (issue 7's browser wallet is another page): redeem the offer the portal showed, with the tx_code sent to the citizen.
    const { results } = await redeemOffer({ offer: deepLink, txCode, batchSize: 2 });
    expect(results.length).toBeGreaterThan(0);

    await staff.bringToFront();
    await typeInto(staff, 'Open an application by reference', reference);
    await staff.keyboard.press('Enter');
    await staff.locator('#message', { hasText: `Application ${reference} opened.` }).waitFor({ timeout: 10_000 });
    const rows = staff.locator('#app-credentials tr');
    await expect(rows.count()).resolves.toBe(results.length);
    const first = rows.first();
    await first.getByRole('combobox', { name: /^Action on / }).selectOption('suspend');
    await first.getByRole('combobox', { name: /^Reason for / }).selectOption('issuer-decision');
    await first.getByRole('button', { name: 'Apply' }).click();
    await staff.locator('#message', { hasText: 'Credential batch Suspend: done.' }).waitFor({ timeout: 10_000 });
    await expect(staff.locator('#app-credentials tr').first().textContent()).resolves.toContain('suspended');
    await screenshots(staff, 'staff-credentials');

    await staff.getByRole('button', { name: 'Sign out' }).click();
    await typeInto(staff, 'User name', 'admin');
    await typeInto(staff, 'Password', 'correct horse battery staple');
    await staff.keyboard.press('Enter');
    await staff.getByRole('button', { name: 'Audit log' }).click();
    await staff.locator('#audit-rows tr').first().waitFor({ timeout: 10_000 });
    const log = (await staff.locator('#audit-rows').textContent()) ?? '';
    expect(log).toContain('application.validated');
    expect(log).not.toContain('Marta');
    await screenshots(staff, 'staff-audit');
  }, 30_000);

  it('switches the portal to Spanish and French', async () => {
    await portal.bringToFront();
    await portal.getByLabel('Language').selectOption('es');
    await portal.getByRole('heading', { level: 2, name: 'Mi tarjeta ciudadana' }).waitFor({ timeout: 10_000 });
    await expect(portal.locator('#app-state').textContent()).resolves.toBe('Validada');
    await expect(portal.locator('html').getAttribute('lang')).resolves.toBe('es');
    await screenshots(portal, 'portal-offer-qr-es');
    await portal.getByLabel('Idioma').selectOption('fr');
    await portal.getByRole('heading', { level: 2, name: 'Ma carte citoyenne' }).waitFor({ timeout: 10_000 });
    await portal.getByLabel('Langue').selectOption('en');
  });

  it('signs the citizen out and back in with an e-mail one-time code', async () => {
    await portal.getByRole('button', { name: 'Sign out' }).click();
    await portal.getByRole('heading', { level: 2, name: 'Your city card, in your phone' }).waitFor({ timeout: 10_000 });
    await typeInto(portal, 'E-mail', CITIZEN_EMAIL);
    await portal.keyboard.press('Enter');
    await portal.getByLabel('One-time code').waitFor({ timeout: 10_000 });
    await expect(portal.evaluate(() => document.activeElement?.id)).resolves.toBe('otp-code');
    await portal.keyboard.type(await fixture.lastCodeSentTo(CITIZEN_EMAIL));
    await portal.keyboard.press('Enter');
    await portal.locator('#message', { hasText: 'Signed in.' }).waitFor({ timeout: 10_000 });
    await expect(portal.locator('#app-reference').textContent()).resolves.toBe(reference);
  });

  it('downloads the citizen\'s data, then erases it only once confirmed', async () => {
    const [download] = await Promise.all([portal.waitForEvent('download'), portal.getByRole('button', { name: 'Download my data' }).click()]);
    expect(download.suggestedFilename()).toBe('my-city-card-data.json');
    const path = await download.path();
    expect(readFileSync(path, 'utf8')).toContain('Fictional Prado');

    const erase = portal.locator('#erase-form').getByRole('button', { name: 'Erase my data' });
    await erase.click();
    await portal.locator('#message', { hasText: 'Erase your data now?' }).waitFor({ timeout: 10_000 });
    await expect(portal.evaluate(() => document.activeElement?.id)).resolves.toBe('erase-confirm');
    await portal.keyboard.press('Space');
    await erase.click();
    await portal.locator('#message', { hasText: 'Your data was erased.' }).waitFor({ timeout: 10_000 });
    await portal.getByRole('heading', { level: 2, name: 'Your city card, in your phone' }).waitFor({ timeout: 10_000 });
    expect((await fixture.request('GET', '/front-office/services')).status).toBe(200);
  });

  it('raised no script error in either page', () => {
    expect(pageErrors).toEqual([]);
  });
});
