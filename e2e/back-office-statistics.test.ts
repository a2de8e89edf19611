/**
 * The back office's Statistics section (issue #7) in Debian's Chromium (playwright-core) against a real issuer:
 * issued credentials (inserted as the issuer stores them) and a terminal's signed count report (real HTTP) show as
 * two SVG bar charts with their figures as tables; the section is reached and read with the keyboard (arrow keys
 * on a chart speak each day), in English and Spanish; nothing overflows at 390 px; no page error (the CSP allows
 * no inline script or style). A clerk has no Statistics button. Screenshots go to e2e/screenshots/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { publicPartOf } from '../core/keys/public-jwk.js';
import { startIssuerFixture, type IssuerFixture } from '../issuer/testing/issuer-fixture.js';
import { sendTerminalReport } from '../verifier/reporting/send-terminal-report.js';
import { signTerminalReport } from '../verifier/reporting/terminal-report.js';
import { openLocalSnapshotKey } from '../verifier/snapshot/local-snapshot-key.js';

const CHROMIUM = process.env.URBIS_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = resolve(dirname(fileURLToPath(import.meta.url)), 'screenshots');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const TERMINAL_ID = 'urbis:terminal:gijon-pool-1';
const DAY_MS = 86_400_000;
const ADMIN = { username: 'admin', password: 'correct horse battery staple' };
const CLERK = { username: 'clerk-stats', password: 'a long clerk password for tests' };

let dir: string;
let fixture: IssuerFixture;
let browser: Browser | undefined;
let page: Page;
const pageErrors: string[] = [];
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed (${CHROMIUM} is missing). Install it with \`bash scripts/ensure-test-tools.sh\`, or point URBIS_CHROMIUM at a Chromium.`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = await mkdtemp(join(tmpdir(), 'urbis-stats-page-'));
  const key = await openLocalSnapshotKey({ path: join(dir, 'snapshot-key.json') });
  fixture = await startIssuerFixture({ overrides: { terminalKeys: { [TERMINAL_ID]: publicPartOf(key.publicJwk) } } });
  await fixture.issuer.staff.create({ ...CLERK, role: 'clerk' });
  // Issued batches as the issuer stores them (no citizen needed for counts), over the last days.
  const now = Date.now();
  let index = 0;
  for (let d = 0; d < 10; d++) {
    for (const [type, serviceId, copies] of [['ResidentCredential', null, 10], ['ServiceEntitlementCredential', 'pools', 10 * ((d % 3) + 1)]] as const) {
      const id = `batch-${d}-${type}`;
      const at = now - d * DAY_MS;
      await fixture.issuer.db.insertInto('issued_batches').values({ id, citizen_id: null, configuration_id: `${type}.dc+sd-jwt`, credential_type: type, service_id: serviceId, format: 'dc+sd-jwt', state: d === 2 ? 'revoked' : 'active', issued_at: at, valid_until: at + 365 * DAY_MS }).execute();
      for (let i = 0; i < copies; i++) await fixture.issuer.db.insertInto('issued_copies').values({ batch_id: id, status_list_id: 0, status_index: index++ }).execute();
    }
  }
  const days = Array.from({ length: 8 }, (_v, d) => ({ day: dayOf(now - d * DAY_MS), services: { pools: { accepted: 20 + 5 * d, rejected: d % 4, rejectedByCode: d % 4 === 0 ? {} : { KB_REPLAYED: d % 4 } }, library: { accepted: 4 + d, rejected: 0, rejectedByCode: {} } } }));
  await sendTerminalReport({ issuerUrl: fixture.url, jwt: await signTerminalReport({ terminalId: TERMINAL_ID, audience: fixture.url, days, signingKey: key, now: Math.floor(now / 1000) }) });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
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
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function signIn({ username, password }: { username: string; password: string }): Promise<void> {
  await page.goto(`${fixture.url}/staff/?lang=en`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 10_000 });
}

describe('back office: Statistics', () => {
  it('a clerk has no Statistics button', async () => {
    await signIn(CLERK);
    expect(await page.locator('#show-statistics').isHidden()).toBe(true);
    await page.getByRole('button', { name: 'Sign out' }).click();
  });

  it('an admin opens Statistics with the keyboard: two charts, their tables, and a day read out with the arrow keys', async () => {
    await signIn(ADMIN);
    const button = page.getByRole('button', { name: 'Statistics' });
    await button.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 3, name: 'Statistics' }).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('statistics-title');

    const issuance = page.getByRole('img', { name: /credential copies issued/ });
    const verification = page.getByRole('img', { name: /verifications accepted/ });
    expect(await issuance.getAttribute('aria-label')).toMatch(/^Bar chart: 290 credential copies issued from /);
    expect(await verification.getAttribute('aria-label')).toMatch(/^Bar chart: 360 verifications accepted and 12 rejected from /);
    expect(await page.locator('#issuance-chart svg.bar-chart rect.series-0').count()).toBe(10);
    expect(await page.locator('#issuance-chart svg.bar-chart rect.series-1').count()).toBe(10);
    expect(await page.locator('.chart-legend li').allTextContents()).toEqual([' Resident credential', ' Service entitlement', ' accepted', ' rejected']);

    // Keyboard: the chart is a tab stop; End then ← reads yesterday in the live caption.
    await verification.focus();
    await page.keyboard.press('End');
    expect(await page.locator('#verification-caption').textContent()).toMatch(/: accepted 24, rejected 0$/);
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('#verification-caption').textContent()).toMatch(/: accepted 30, rejected 1$/);

    // The tables: the screen reader's alternative, opened from the keyboard.
    const summaries = page.locator('details.chart-table summary');
    await summaries.nth(0).focus();
    await page.keyboard.press('Enter');
    await summaries.nth(1).focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#issuance-rows tr').count()).toBe(20);
    expect(await page.locator('#verification-rows tr').count()).toBe(16);
    expect(await page.locator('#verification-rows').textContent()).toContain('KB_REPLAYED × 3');
    expect(await page.locator('#verification-terminals').textContent()).toBe('Terminals that reported in this period: 1.');

    // One service only.
    await page.getByLabel('Service (verifications)').selectOption({ label: 'Public libraries' });
    expect(await verification.getAttribute('aria-label')).toMatch(/^Bar chart: 60 verifications accepted and 0 rejected/);
    await page.getByLabel('Service (verifications)').selectOption('');
  });

  it('reads at 390 px without overflow, and in Spanish', async () => {
    await page.setViewportSize(PHONE);
    await page.waitForTimeout(200); // the ResizeObserver redraws at the new width
    const overflow = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const wider = Array.from(document.querySelectorAll<HTMLElement>('body *'))
        .filter((el) => el.getBoundingClientRect().right > width + 0.5 && el.parentElement?.closest('.table-wrap') == null && (el as HTMLElement).offsetParent !== null)
        .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}`);
      return document.documentElement.scrollWidth > width ? [`document:${document.documentElement.scrollWidth}`, ...wider] : wider;
    });
    expect(overflow).toEqual([]);
    expect(await page.locator('#issuance-chart svg.bar-chart').evaluate((el) => el.getBoundingClientRect().width)).toBeLessThanOrEqual(PHONE.width);
    await page.locator('#statistics').screenshot({ path: join(SCREENSHOTS, 'back-office-statistics-phone.png') });
    await page.setViewportSize(DESKTOP);
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('heading', { level: 3, name: 'Estadísticas' }).waitFor();
    expect(await page.getByRole('img', { name: /copias de credenciales emitidas/ }).count()).toBe(1);
    await page.locator('#statistics').screenshot({ path: join(SCREENSHOTS, 'back-office-statistics-desktop-es.png') });
    expect(pageErrors).toEqual([]);
  });
});
