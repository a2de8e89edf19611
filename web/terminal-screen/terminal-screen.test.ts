/**
 * The terminal screen (issue 7, web page 3) in real Chromium (playwright-core,
 * Debian's chromium, phone viewport 390×844): served by the terminal's HTTP
 * API under /screen/, it shows the request QR (decoded here with jsQR: it
 * carries the request link), sends a pasted answer to the terminal and shows
 * the verdict: green with only the policy's claims, or red with the failure
 * as a sentence and its code. Screenshots go to e2e/screenshots/.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTerminalServer, type TerminalServer } from '../../verifier/http/start-terminal-server.js';
import { createTerminalFixture, type TerminalFixture } from '../../verifier/testing/terminal-fixture.js';

const jsQR = jsQRModule.default;

const CHROMIUM = process.env.URBIS_CHROMIUM ?? '/usr/bin/chromium';
const here = dirname(fileURLToPath(import.meta.url));
const SCREENSHOTS = resolve(here, '..', '..', 'e2e', 'screenshots');

let fixture: TerminalFixture;
let server: TerminalServer;
let browser: Browser | undefined;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed (${CHROMIUM} is missing): run \`bash scripts/ensure-test-tools.sh\`, or set URBIS_CHROMIUM.`);
  await mkdir(SCREENSHOTS, { recursive: true });
  // The terminal's clock is fixed: set it to now, so the request's expiry means what the screen thinks it means.
  fixture = await createTerminalFixture({ now: Math.floor(Date.now() / 1000) });
  server = await startTerminalServer({ terminal: fixture.terminal });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // A CSP violation is a console error, not a page error.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
  });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fixture?.close();
});

async function openScreen(query = 'service=pools'): Promise<string> {
  await page.goto(`${server.url}/screen/?${query}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
  await page.waitForFunction(() => (document.getElementById('request-link') as HTMLTextAreaElement).value.startsWith('openid4vp://'));
  return page.inputValue('#request-link');
}

async function decodeQr(): Promise<string | undefined> {
  const png = PNG.sync.read(await page.locator('#qr').screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

describe('terminal screen in Chromium', () => {
  it('is served by the terminal under /screen/ with a strict CSP, and /screen redirects there', async () => {
    const response = await fetch(`${server.url}/screen/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    const redirect = await fetch(`${server.url}/screen`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect((await fetch(`${server.url}/screen/../health`)).status).toBe(200); // the URL is normalised: the API, not a file
    expect((await fetch(`${server.url}/screen/nope.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/screen/terminal-screen.test.ts`)).status).toBe(404); // the page's files only
    expect((await fetch(`${server.url}/screen/screen-strings.js`)).headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect((await fetch(`${server.url}/web-shared/i18n.js`)).headers.get('content-type')).toMatch(/^(text|application)\/javascript/); // the pages' shared translator
  });

  it('shows the request QR (it decodes to the request link) and the snapshot age', async () => {
    const link = await openScreen();
    expect(link).toMatch(/^openid4vp:\/\/\?/);
    expect(await page.getAttribute('#qr', 'alt')).toBe('QR code of the request for pools');
    expect(await decodeQr()).toBe(link);
    await expect(page.locator('#snapshot').textContent()).resolves.toMatch(/Trust data: \d+ s old/);
    await page.screenshot({ path: join(SCREENSHOTS, 'terminal-screen-request.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('a valid answer (typed and sent with the keyboard) → green ACCEPTED with only the claims the policy asked for, then a new QR', async () => {
    const link = await openScreen();
    const { credential, holder } = await fixture.issue();
    const answer = await fixture.answer({ request: { link }, credential, holder });
    await page.locator('#answer').fill(answer);
    await page.locator('#answer').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Verify');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#verdict.ok:not([hidden])');
    expect(await page.textContent('#verdict-title')).toContain('ACCEPTED');
    const claims = await page.locator('#verdict-claims dt').allTextContents();
    expect(claims.sort()).toEqual(['Service', 'Tier']);
    expect(await page.locator('#verdict-reasons li').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('verdict');
    await page.waitForFunction((old) => (document.getElementById('request-link') as HTMLTextAreaElement).value !== old, link);
    await page.screenshot({ path: join(SCREENSHOTS, 'terminal-screen-accepted.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390); // no sideways scrolling on a phone
    expect(pageErrors).toEqual([]);
  });

  it('junk → red REJECTED with a sentence and its code; the same answer twice → replayed', async () => {
    await openScreen('service=pools&lang=es');
    await page.locator('#answer').fill('this is not a presentation');
    await page.getByRole('button', { name: 'Verificar' }).click();
    await page.waitForSelector('#verdict.bad:not([hidden])');
    expect(await page.textContent('#verdict-title')).toContain('RECHAZADO');
    const codes = await page.locator('#verdict-reasons li').evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset['code']));
    expect(codes.length).toBeGreaterThan(0);
    expect(await page.textContent('#verdict-reasons')).toMatch(/No es una presentación válida|No se pudo verificar/);
    await page.screenshot({ path: join(SCREENSHOTS, 'terminal-screen-rejected.png'), fullPage: true });

    const link = await page.inputValue('#request-link');
    const { credential, holder } = await fixture.issue();
    const answer = await fixture.answer({ request: { link }, credential, holder });
    for (const expected of ['ok', 'bad']) {
      await page.getByRole('button', { name: 'Siguiente persona' }).click();
      await page.locator('#answer').fill(answer);
      await page.getByRole('button', { name: 'Verificar' }).click();
      await page.waitForSelector(`#verdict.${expected}:not([hidden])`);
    }
    const second = await page.locator('#verdict-reasons li').evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset['code']));
    expect(second.some((code) => code?.startsWith('KB_'))).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('a paper card scanned at the desk (typed by the scanner, ending with Enter): accepted where the service takes paper, refused with its own sentence where it does not', async () => {
    await openScreen('service=library&lang=en');
    await page.locator('#answer').focus();
    await page.keyboard.insertText(await fixture.paper({ serviceId: 'library' }));
    await page.keyboard.press('Enter');
    await page.waitForSelector('#verdict.ok:not([hidden])');
    expect((await page.locator('#verdict-claims dt').allTextContents()).sort()).toEqual(['Service', 'Service pseudonym']);
    await page.screenshot({ path: join(SCREENSHOTS, 'terminal-screen-paper-accepted.png'), fullPage: true });

    await openScreen('service=pools&lang=en');
    await page.locator('#answer').focus();
    await page.keyboard.insertText(await fixture.paper({ serviceId: 'pools', statusIndex: 4_344 }));
    await page.keyboard.press('Enter');
    await page.waitForSelector('#verdict.bad:not([hidden])');
    const codes = await page.locator('#verdict-reasons li').evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset['code']));
    expect(codes).toEqual(['POLICY_PAPER_REFUSED']);
    expect(await page.textContent('#verdict-reasons')).toContain('Paper cards are not accepted for this service');
    await page.screenshot({ path: join(SCREENSHOTS, 'terminal-screen-paper-refused.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
