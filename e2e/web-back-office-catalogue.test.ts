/**
 * The back office's Service catalogue section (issue #7) in Debian's Chromium (playwright-core) against a real issuer
 * (issuer/testing/issuer-fixture.ts): an admin reaches it from the toolbar with the keyboard, renames a service, then
 * deactivates it, and adds a new one; the front office's `GET /front-office/services` reflects each change. A slug
 * that is not one is refused in the page, a definition the issuer refuses (maximum age below the minimum) names
 * the field in the message region, an existing id is not overwritten. A clerk reads the table without any edit
 * control (and the issuer answers FORBIDDEN to a clerk's PUT). axe-core (WCAG 2.1 A/AA) finds nothing, nothing is
 * wider than 390 px, no page error (the CSP allows no inline script or style). Screenshots go to
 * e2e/screenshots/web-back-office-catalogue-*.png.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { startIssuerFixture, type IssuerFixture } from '../issuer/testing/issuer-fixture.js';
import { axeViolations, launchChromium, wideElements } from './testing/page-checks.js';

const SCREENSHOTS = resolve(dirname(fileURLToPath(import.meta.url)), 'screenshots');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const ADMIN = { username: 'admin', password: 'correct horse battery staple' };
const CLERK = { username: 'clerk-catalogue', password: 'a long clerk password for tests' };

let fixture: IssuerFixture;
let browser: Browser | undefined;
let page: Page;
const pageErrors: string[] = [];

interface FrontOfficeService {
  id: string;
  names: Record<'en' | 'es' | 'fr', string>;
  tiers: string[];
  requiredDocuments: string[];
  minAge?: number;
  maxAge?: number;
}

/** The citizens' list of services, read with fetch as the portal reads it. */
async function frontOfficeServices(): Promise<FrontOfficeService[]> {
  const response = await fetch(`${fixture.url}/front-office/services`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { services: FrontOfficeService[] }).services;
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
  fixture = await startIssuerFixture();
  await fixture.issuer.staff.create({ ...CLERK, role: 'clerk' });
  page = await (await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' })).newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    // A refused inline script or style (CSP) is reported on the console.
    if (/Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await fixture?.close();
});

async function signIn({ username, password }: { username: string; password: string }): Promise<void> {
  await page.goto(`${fixture.url}/staff/?lang=en`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 10_000 });
}

/** Opens the section from the toolbar with the keyboard. */
async function openCatalogue(): Promise<void> {
  await page.getByRole('button', { name: 'Service catalogue' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 3, name: 'Service catalogue' }).waitFor({ timeout: 10_000 });
}

/** The table's cells, row by row. */
async function rows(): Promise<string[][]> {
  return page.locator('#catalogue-rows tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')));
}

const rowOf = async (id: string) => (await rows()).find((cells) => cells[0] === id);
const messageText = () => page.locator('#message').textContent();

describe('back office: Service catalogue', () => {
  it('an admin reads the catalogue from the toolbar: every service with its tiers, documents, ages and state', async () => {
    await signIn(ADMIN);
    await openCatalogue();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('catalogue-title');
    expect(await messageText()).toBe('Service catalogue: 7 services.');
    expect(await rowOf('youth-pass')).toEqual(['youth-pass', 'Youth pass', 'youth', 'proof of address, identity document', '14 to 30 years', 'yes', 'Edit']);
    expect(await rowOf('library')).toEqual(['library', 'Public libraries', 'standard', 'none', 'any age', 'yes', 'Edit']);
    expect(await page.getByRole('button', { name: 'Edit Municipal pools' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Add a service' }).isVisible()).toBe(true);
    expect(await page.locator('#catalogue-read-only').isHidden()).toBe(true);
  });

  it('the admin renames a service, then deactivates it: the front office follows', async () => {
    await page.getByRole('button', { name: 'Edit Municipal pools' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('catalogue-edit-title');
    expect(await page.locator('#catalogue-edit-title').textContent()).toBe('Edit Municipal pools (pools)');
    const form = page.locator('#catalogue-edit-form');
    expect(await form.getByLabel('Name in Spanish').inputValue()).toBe('Piscinas municipales');
    expect(await form.getByLabel('family').isChecked()).toBe(true);
    expect(await form.getByLabel('proof of address').isChecked()).toBe(true);
    expect(await axeViolations({ page })).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'web-back-office-catalogue-edit-desktop.png'), fullPage: true });

    await form.getByLabel('Name in English').fill('City pools');
    await form.getByLabel('Name in French').fill('Piscines de la ville');
    await form.getByLabel('reduced').check();
    await form.getByLabel('Minimum age').fill('3');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Service City pools saved.').waitFor({ timeout: 10_000 });
    expect(await form.isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('catalogue-edit-pools');
    expect(await rowOf('pools')).toEqual(['pools', 'City pools', 'standard, youth, senior, reduced, family', 'proof of address', 'from 3 years', 'yes', 'Edit']);
    const renamed = (await frontOfficeServices()).find((s) => s.id === 'pools');
    expect(renamed).toEqual({ id: 'pools', names: { en: 'City pools', es: 'Piscinas municipales', fr: 'Piscines de la ville' }, tiers: ['standard', 'youth', 'senior', 'reduced', 'family'], requiredDocuments: ['proof_of_address'], minAge: 3, active: true });

    // Deactivate it, with the keyboard: Space ticks off the box, Enter in a field submits.
    await page.getByRole('button', { name: 'Edit City pools' }).click();
    await form.getByLabel('Active: shown in the portal and open to applications').focus();
    await page.keyboard.press('Space');
    await form.getByLabel('Minimum age').focus();
    await page.keyboard.press('Enter');
    await page.locator('#catalogue-rows tr[data-service="pools"] td:nth-child(6)').filter({ hasText: /^no$/ }).waitFor({ timeout: 10_000 });
    expect(await messageText()).toBe('Service City pools saved.');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('catalogue-edit-pools');
    const open = await frontOfficeServices();
    expect(open.some((s) => s.id === 'pools')).toBe(false);
    expect(open).toHaveLength(6);
  });

  it('a maximum age below the minimum: the issuer refuses it and the page names the field', async () => {
    await page.getByRole('button', { name: 'Edit Public libraries' }).click();
    const form = page.locator('#catalogue-edit-form');
    await form.getByLabel('Minimum age').fill('40');
    await form.getByLabel('Maximum age').fill('20');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText('The issuer refused the field: Maximum age').waitFor({ timeout: 10_000 });
    expect(await page.locator('#message').getAttribute('role')).toBe('alert');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('ce-edit-max-age');
    expect(await form.getByLabel('Maximum age').getAttribute('aria-invalid')).toBe('true');
    // No tier at all: refused too, the tiers named.
    await form.getByLabel('Maximum age').fill('');
    await form.getByLabel('standard').uncheck();
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText('The issuer refused the field: Tiers').waitFor({ timeout: 10_000 });
    expect((await frontOfficeServices()).find((s) => s.id === 'library')).toMatchObject({ tiers: ['standard'], requiredDocuments: [] });
    expect((await frontOfficeServices()).find((s) => s.id === 'library')?.minAge).toBeUndefined();
    await form.getByRole('button', { name: 'Cancel' }).click();
    expect(await form.isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('catalogue-edit-library');
  });

  it('the admin adds a service; an id that is not a slug, or one in use, is refused', async () => {
    await page.getByRole('button', { name: 'Add a service' }).click();
    const form = page.locator('#catalogue-add-form');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('ce-add-id');
    const id = form.getByLabel('Service id (lowercase slug)');
    await id.fill('City Zoo');
    await form.getByLabel('Name in English').fill('City zoo');
    await form.getByLabel('Name in Spanish').fill('Zoo municipal');
    await form.getByLabel('Name in French').fill('Zoo de la ville');
    await form.getByRole('button', { name: 'Add the service' }).click();
    expect(await messageText()).toBe('Please check the field: Service id (lowercase slug)');
    expect(await page.locator('#message').getAttribute('role')).toBe('alert');
    expect(await id.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('ce-add-id');
    expect((await frontOfficeServices()).some((s) => s.id.includes('zoo'))).toBe(false);

    await id.fill('library');
    await form.getByRole('button', { name: 'Add the service' }).click();
    expect(await messageText()).toBe('A service with the id library exists already: edit it in the table.');
    expect((await frontOfficeServices()).find((s) => s.id === 'library')?.names.en).toBe('Public libraries');

    await id.fill('city-zoo');
    expect(await id.getAttribute('aria-invalid')).toBeNull();
    await form.getByLabel('youth').check();
    await form.getByLabel('identity document').check();
    await form.getByLabel('Maximum age').fill('17');
    expect(await wideElements({ page: await phoneWidth() })).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'web-back-office-catalogue-add-phone.png'), fullPage: true });
    await desktopWidth();
    // With the keyboard this time.
    await form.getByRole('button', { name: 'Add the service' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Service City zoo added.').waitFor({ timeout: 10_000 });
    expect(await form.isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('catalogue-edit-city-zoo');
    expect(await rowOf('city-zoo')).toEqual(['city-zoo', 'City zoo', 'standard, youth', 'identity document', 'up to 17 years', 'yes', 'Edit']);
    expect((await frontOfficeServices()).find((s) => s.id === 'city-zoo')).toEqual({ id: 'city-zoo', names: { en: 'City zoo', es: 'Zoo municipal', fr: 'Zoo de la ville' }, tiers: ['standard', 'youth'], requiredDocuments: ['identity_document'], maxAge: 17, active: true });
  });

  it('reads in Spanish and French, the forms translated; the counter enrolment offers the new service', async () => {
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('heading', { level: 3, name: 'Catálogo de servicios' }).waitFor();
    expect(await rowOf('city-zoo')).toEqual(['city-zoo', 'Zoo municipal', 'general, joven', 'documento de identidad', 'hasta 17 años', 'sí', 'Editar']);
    await page.getByRole('button', { name: 'Editar Zoo municipal' }).click();
    expect(await page.locator('#catalogue-edit-form').getByLabel('Nombre en francés').inputValue()).toBe('Zoo de la ville');
    expect(await axeViolations({ page })).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'web-back-office-catalogue-edit-desktop-es.png'), fullPage: true });
    await page.getByLabel('Idioma').selectOption('fr');
    expect(await page.locator('#catalogue-edit-title').textContent()).toBe('Modifier Zoo de la ville (city-zoo)');
    expect(await page.locator('#catalogue-edit-form').getByLabel('Âge maximum').inputValue()).toBe('17');
    await page.getByLabel('Langue').selectOption('en');
    await page.locator('#catalogue-edit-form').getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'New enrolment at the counter' }).click();
    expect(await page.locator('#catalogue').isHidden()).toBe(true);
    const offered = await page.locator('#ce-services label').allTextContents();
    expect(offered).toContain('City zoo');
    expect(offered).not.toContain('City pools');
  });

  it('a clerk reads the table with no edit control; the issuer refuses a clerk’s PUT', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(CLERK);
    await openCatalogue();
    expect(await rowOf('city-zoo')).toEqual(['city-zoo', 'City zoo', 'standard, youth', 'identity document', 'up to 17 years', 'yes']);
    expect(await rowOf('pools')).toEqual(['pools', 'City pools', 'standard, youth, senior, reduced, family', 'proof of address', 'from 3 years', 'no']);
    expect(await page.locator('#catalogue-rows button').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add a service' }).count()).toBe(0);
    expect(await page.locator('#catalogue-edit-form').isHidden()).toBe(true);
    expect(await page.locator('#catalogue-add-form').isHidden()).toBe(true);
    expect(await page.locator('#catalogue-read-only').textContent()).toBe('Only administrators change the catalogue.');
    expect(await page.locator('#catalogue th.catalogue-admin').isHidden()).toBe(true);
    expect(await axeViolations({ page })).toEqual([]);
    expect(await wideElements({ page: await phoneWidth() })).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'web-back-office-catalogue-clerk-phone.png'), fullPage: true });
    await desktopWidth();

    const token = await page.evaluate(() => sessionStorage.getItem('urbis.staff'));
    const refused = await fixture.request('PUT', '/back-office/catalogue/library', { token: token ?? '', json: { id: 'library', names: { en: 'x', es: 'x', fr: 'x' }, tiers: ['standard'], requiredDocuments: [], active: false } });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});

/** The page at a phone's width, after the layout settles. */
async function phoneWidth(): Promise<Page> {
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(100);
  return page;
}

/** Back to a desktop's width, after the layout settles (a click during the reflow lands beside its target). */
async function desktopWidth(): Promise<void> {
  await page.setViewportSize(DESKTOP);
  await page.waitForTimeout(100);
}
