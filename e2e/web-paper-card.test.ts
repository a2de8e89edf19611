/**
 * The paper card (issue #8) in the back office (`/staff/`) and the citizen
 * portal (`/portal/`), in Debian's Chromium driven by playwright-core
 * against a real issuer (issuer/testing/issuer-fixture.ts). A clerk enrols a
 * citizen without a smartphone at the counter, scans their proof of
 * address, validates, sets the PIN of their card, prints the paper card (a
 * PDF download) and reprints it (the page says the earlier card was
 * revoked); the citizen then signs in at the portal with card number + PIN,
 * prints at home (which stops the counter's card) and reports the card lost.
 * The new sections pass an axe-core WCAG 2.1 A/AA scan and fit 390 px.
 * Screenshots go to e2e/screenshots/web-paper-card-*.png.
 *
 * Chromium comes from scripts/ensure-test-tools.sh; without it this file
 * FAILS, naming the script (URBIS_CHROMIUM overrides the path).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { samplePng } from '../issuer/documents/testing/document-samples.js';
import { startIssuerFixture, type IssuerFixture } from '../issuer/testing/issuer-fixture.js';
import { axeViolations, launchChromium, wideElements } from './testing/page-checks.js';

const SCREENSHOTS = resolve(dirname(fileURLToPath(import.meta.url)), 'screenshots');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const CLERK = { username: 'clerk-paper', password: 'a long clerk password for paper tests' };
const PIN = '4821';

let fixture: IssuerFixture;
let browser: Browser | undefined;
let staff: Page;
let portal: Page;
let reference: string;
let cardNumber: string;
const pageErrors: string[] = [];

/**
 * At 390 px: nothing wider than the screen and no axe-core violation; then
 * screenshots of `page` at phone and desktop widths (full page).
 */
async function checkAndShoot(page: Page, name: string): Promise<void> {
  await page.setViewportSize(PHONE);
  expect({ name, wide: await wideElements({ page }) }).toEqual({ name, wide: [] });
  expect({ name, violations: await axeViolations({ page }) }).toEqual({ name, violations: [] });
  await page.screenshot({ path: join(SCREENSHOTS, `web-paper-card-${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: join(SCREENSHOTS, `web-paper-card-${name}-desktop.png`), fullPage: true });
}

/** Clicks `button` and returns the file it downloads. */
async function downloadBy(page: Page, button: ReturnType<Page['getByRole']>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), button.click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

/** Waits until the page's live region says `text` (else fails showing what it says). */
async function said(page: Page, text: string | RegExp): Promise<void> {
  try {
    await page.locator('#message', { hasText: text }).waitFor({ timeout: 15_000 });
  } catch {
    expect(await page.locator('#message').textContent()).toMatch(text);
  }
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
  fixture = await startIssuerFixture();
  await fixture.issuer.staff.create({ ...CLERK, role: 'clerk' });
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB', acceptDownloads: true });
  staff = await context.newPage();
  portal = await context.newPage();
  for (const page of [staff, portal]) page.on('pageerror', (error) => pageErrors.push(error.message));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await fixture?.close();
});

describe('paper card at the counter (back office)', () => {
  it('enrols a citizen at the counter and opens the new application', async () => {
    await staff.goto(`${fixture.url}/staff/`);
    await staff.getByLabel('User name').fill(CLERK.username);
    await staff.getByLabel('Password').fill(CLERK.password);
    await staff.getByLabel('Password').press('Enter');
    const newEnrolment = staff.getByRole('button', { name: 'New enrolment at the counter' });
    await newEnrolment.waitFor({ timeout: 10_000 });
    await newEnrolment.focus();
    await staff.keyboard.press('Enter');
    await staff.getByRole('heading', { level: 3, name: 'New enrolment at the counter' }).waitFor({ timeout: 10_000 });
    await expect(staff.evaluate(() => document.activeElement?.id)).resolves.toBe('enrol-title');

    const form = staff.locator('#enrol-form');
    await form.getByLabel('Given name').fill('Eulalia');
    await form.getByLabel('Family name').fill('Fictional Cienfuegos');
    await form.getByLabel('Date of birth').fill('1938-11-02');
    await form.getByLabel('Phone').fill('+34985000000');
    await form.getByLabel('Street and number').fill('Calle Ezcurdia 40');
    await form.getByLabel('Postal code').fill('33203');
    await form.getByLabel('Town').fill('Gijón');
    await form.getByLabel('Resident since').fill('1970-05-01');
    // Services and the required consent with the keyboard: focus, Space.
    for (const label of ['Public libraries', 'Recycling centres', /^Process their data/]) {
      await form.getByLabel(label, { exact: typeof label === 'string' }).focus();
      await staff.keyboard.press('Space');
    }
    await checkAndShoot(staff, 'staff-enrol');

    await form.getByRole('button', { name: 'Create the application' }).click();
    await said(staff, /^Application [A-Z0-9-]+ created\./);
    reference = /Application ([A-Z0-9-]+) created/.exec((await staff.locator('#message').textContent()) ?? '')?.[1] ?? '';
    expect(reference).toMatch(/^[A-Z0-9]{3}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await expect(staff.getByRole('heading', { name: `Application ${reference}` }).isVisible()).resolves.toBe(true);
    await expect(staff.locator('#enrol').isHidden()).resolves.toBe(true);
    await expect(staff.locator('#app-facts').textContent()).resolves.toContain('Eulalia Fictional Cienfuegos');
    // Not validated yet: nothing to print.
    await expect(staff.getByRole('button', { name: 'Print the paper card' }).isDisabled()).resolves.toBe(true);
  }, 30_000);

  it('scans a document, validates and sets the PIN for the portal', async () => {
    await staff.getByLabel('Kind of document').selectOption('proof_of_address');
    await staff.getByLabel('Scanned file (PDF, PNG or JPEG)').setInputFiles({ name: 'address.png', mimeType: 'image/png', buffer: Buffer.from(samplePng()) });
    await staff.getByRole('button', { name: 'Add the document' }).click();
    await said(staff, 'Document added to the application.');
    await expect(staff.locator('#app-documents').textContent()).resolves.toContain('proof of address');

    await staff.getByRole('button', { name: 'Validate', exact: true }).click();
    await said(staff, `Application ${reference} validated.`);
    const hint = (await staff.locator('#pin-hint').textContent()) ?? '';
    cardNumber = /\b([0-9]{10})\b/.exec(hint)?.[1] ?? '';
    expect(cardNumber).toMatch(/^[0-9]{10}$/);

    await staff.getByLabel('New PIN (4 to 8 digits)').fill('12');
    await staff.getByRole('button', { name: 'Set PIN' }).click();
    await said(staff, 'A PIN is 4 to 8 digits.');
    await expect(staff.evaluate(() => document.activeElement?.id)).resolves.toBe('new-pin');
    await staff.getByLabel('New PIN (4 to 8 digits)').fill(PIN);
    await staff.getByLabel('New PIN (4 to 8 digits)').press('Enter');
    await said(staff, /^PIN set/);
  }, 30_000);

  it('prints the paper card as a PDF, then reprints it, revoking the earlier card', async () => {
    await expect(staff.locator('#paper-in-use').textContent()).resolves.toBe('No paper card in use.');
    await expect(staff.getByLabel('Card printed in').inputValue()).resolves.toBe('en');
    await staff.getByLabel('Card printed in').selectOption('es');
    const first = await downloadBy(staff, staff.getByRole('button', { name: 'Print the paper card' }));
    expect(first.name).toBe(`paper-card-${reference}.pdf`);
    expect(first.bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    await said(staff, 'Paper card downloaded: print it. Services on it: 2.');
    await expect(staff.locator('#paper-in-use').textContent()).resolves.toBe('Paper passes in use: 2.');
    await expect(staff.locator('#app-credentials').textContent()).resolves.toContain('PaperServicePass');
    await checkAndShoot(staff, 'staff-printed');

    const again = await downloadBy(staff, staff.getByRole('button', { name: 'Reprint the paper card (the earlier one stops working)' }));
    expect(again.bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    await said(staff, 'The earlier paper card was revoked (passes stopped: 2).');
    await expect(staff.locator('#message').textContent()).resolves.toContain('Services on it: 2.');
    await expect(staff.locator('#paper-in-use').textContent()).resolves.toBe('Paper passes in use: 2.');
  }, 30_000);
});

describe('paper card at home (portal, card number + PIN)', () => {
  it('signs in with card number and PIN and prints at home, which stops the counter card', async () => {
    await portal.bringToFront();
    await portal.goto(`${fixture.url}/portal/`);
    await portal.getByLabel('Card number').fill(cardNumber);
    await portal.getByLabel('PIN', { exact: true }).fill(PIN);
    await portal.getByLabel('PIN', { exact: true }).press('Enter');
    await said(portal, 'Signed in.');
    await expect(portal.locator('#app-reference').textContent()).resolves.toBe(reference);
    await expect(portal.getByRole('heading', { level: 3, name: 'Paper card (no smartphone)' }).isVisible()).resolves.toBe(true);
    await expect(portal.locator('#paper-not-yet').isHidden()).resolves.toBe(true);
    await expect(portal.getByLabel('Card printed in').inputValue()).resolves.toBe('en');

    const printed = await downloadBy(portal, portal.getByRole('button', { name: 'Print my paper card' }));
    expect(printed.name).toBe('my-paper-card.pdf');
    expect(printed.bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    await said(portal, 'Services on it: 2.');
    await expect(portal.locator('#message').textContent()).resolves.toContain('Your earlier paper card no longer works (passes stopped: 2).');
    await checkAndShoot(portal, 'portal-printed');
  }, 30_000);

  it('"I lost my paper card": asks first, then stops every pass', async () => {
    await portal.getByRole('button', { name: 'I lost my paper card' }).click();
    const yes = portal.getByRole('button', { name: 'Yes, stop my paper card' });
    await yes.waitFor({ timeout: 10_000 });
    await expect(portal.evaluate(() => document.activeElement?.id)).resolves.toBe('lost-paper-yes');
    // Cancel leaves the card working and gives the focus back.
    await portal.getByRole('button', { name: 'Cancel' }).click();
    await expect(yes.isHidden()).resolves.toBe(true);
    await expect(portal.evaluate(() => document.activeElement?.id)).resolves.toBe('lost-paper');

    await portal.keyboard.press('Enter');
    await yes.waitFor({ timeout: 10_000 });
    await checkAndShoot(portal, 'portal-lost');
    await portal.keyboard.press('Enter');
    await said(portal, 'Your paper card was stopped (passes stopped: 2). You can print a new one.');
    await expect(yes.isHidden()).resolves.toBe(true);

    // The counter sees it: no paper card in use any more.
    await staff.bringToFront();
    await staff.getByLabel('Open an application by reference').fill(reference);
    await staff.getByLabel('Open an application by reference').press('Enter');
    await said(staff, `Application ${reference} opened.`);
    await expect(staff.locator('#paper-in-use').textContent()).resolves.toBe('No paper card in use.');
    await staff.getByRole('button', { name: 'Revoke lost paper card' }).click();
    await staff.getByRole('button', { name: 'Yes, revoke the paper card' }).click();
    await said(staff, 'No paper card was in use: nothing revoked.');
  }, 30_000);

  it('raised no script error in either page', () => {
    expect(pageErrors).toEqual([]);
  });
});
