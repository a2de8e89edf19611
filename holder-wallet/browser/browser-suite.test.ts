/**
 * The portable wallet suite (holder-wallet/testing/portable-suite.ts) in a
 * real browser (issue 5): Debian's Chromium, driven by playwright-core,
 * runs the same cases as Node, with IndexedDB storage and key handles, plus
 * the IndexedDB adapters' own cases and a page reload.
 *
 * The page's code is bundled here with esbuild (platform browser: a Node
 * built-in anywhere in its import graph fails the build), served from
 * http://127.0.0.1 (a secure context: Web Crypto and IndexedDB work). The
 * real copies are issued in Node (core's test kit signs with node:crypto)
 * and passed into the page as JSON; the presentation is verified inside
 * the page, by core's verifier on the Web Crypto suite.
 *
 * Chromium is installed by scripts/ensure-test-tools.sh (run by `npm test`'s
 * pretest and by .ci/run). Without it this file FAILS, naming the script.
 * URBIS_CHROMIUM overrides the executable path.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { build, type Metafile } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { PresentationFixture } from '../testing/portable-env.js';
import { PORTABLE_CASE_NAMES } from '../testing/portable-suite.js';
import { buildPresentationFixture } from '../testing/presentation-fixture.js';
import { BROWSER_SUITE_GLOBAL, type BrowserSuiteApi, type CaseOutcome } from './testing/browser-suite-api.js';
import { INDEXEDDB_CASE_NAMES } from './testing/indexeddb-cases.js';

const CHROMIUM = process.env.URBIS_CHROMIUM ?? '/usr/bin/chromium';
const SETUP_SCRIPT = 'scripts/ensure-test-tools.sh';
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const ENTRY = join(here, 'testing', 'browser-entry.ts');

let outdir: string | undefined;
let server: Server | undefined;
let browser: Browser | undefined;
let page: Page;
let origin: string;
let metafile: Metafile;
let bundleText: string;
let fixture: PresentationFixture;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed (${CHROMIUM} is missing), so the wallet's browser suite cannot run. ` +
        `Install it with \`bash ${SETUP_SCRIPT}\` (Debian's chromium; npm test's pretest and .ci/run call it), or point URBIS_CHROMIUM at a Chromium.`,
    );
  }
  outdir = await mkdtemp(join(tmpdir(), 'urbis-browser-suite-'));
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    outfile: join(outdir, 'bundle.js'),
    metafile: true,
    logLevel: 'silent',
  });
  metafile = result.metafile;
  bundleText = await readFile(join(outdir, 'bundle.js'), 'utf8');
  fixture = await buildPresentationFixture();

  const html = '<!doctype html><meta charset="utf-8"><title>urbis wallet browser suite</title><script type="module" src="/bundle.js"></script>';
  server = createServer((request, response) => {
    if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else if (request.url === '/bundle.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(bundleText);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((ready, fail) => {
    server!.once('error', fail);
    server!.listen(0, '127.0.0.1', () => ready());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the test server has no TCP address');
  origin = `http://127.0.0.1:${address.port}`;

  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await loadPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((closed) => (server === undefined ? closed() : server.close(() => closed())));
  if (outdir !== undefined) await rm(outdir, { recursive: true, force: true });
});

/** Loads (or reloads) the page and waits for the bundle to define its API. */
async function loadPage({ reload = false }: { reload?: boolean } = {}): Promise<void> {
  if (reload) await page.reload();
  else await page.goto(`${origin}/`);
  await page.waitForFunction((name) => name in globalThis, BROWSER_SUITE_GLOBAL, { timeout: 10_000 });
  expect(pageErrors).toEqual([]);
}

/** Calls one method of the page's API with JSON arguments. */
function callPage<K extends keyof BrowserSuiteApi>(method: K, args?: unknown): Promise<unknown> {
  return page.evaluate(
    ({ global, method, args }) => {
      const api = (globalThis as unknown as Record<string, Record<string, unknown>>)[global]!;
      const member = api[method];
      return typeof member === 'function' ? (member as (a: unknown) => Promise<unknown>)(args) : member;
    },
    { global: BROWSER_SUITE_GLOBAL, method, args },
  );
}

/** Fails the Jest test with the page's error when a case failed in the page. */
function expectPassed(outcome: unknown): void {
  const result = outcome as CaseOutcome;
  if (!result.ok) throw new Error(`failed in Chromium:\n${result.error}`);
  expect(pageErrors).toEqual([]);
}

describe('the browser bundle', () => {
  it('bundles for the browser with no Node built-in, no Node adapter and no Node-only part of core', () => {
    const inputs = Object.keys(metafile.inputs).map((input) => relative(repoRoot, resolve(repoRoot, input)));
    expect(inputs.filter((input) => input.startsWith('node:') || !(input.startsWith('core/') || input.startsWith('holder-wallet/') || input.startsWith('node_modules/')))).toEqual([]);
    expect(inputs.filter((input) => input.startsWith('holder-wallet/node/'))).toEqual([]);
    expect(inputs.filter((input) => ['core/crypto/node-crypto.ts', 'core/status/node-compression.ts'].includes(input) || input.startsWith('core/test-kit/'))).toEqual([]);
    expect(bundleText).not.toMatch(/\bfrom\s*["']node:|\bimport\s*\(\s*["']node:|\brequire\s*\(\s*["']node:/);
    expect(inputs).toEqual(expect.arrayContaining(['holder-wallet/browser/index.ts', 'holder-wallet/browser/indexeddb-storage.ts', 'holder-wallet/browser/indexeddb-key-handles.ts']));
  });
});

describe('portable wallet suite in Chromium (IndexedDB storage and key handles)', () => {
  it('the page runs exactly the cases Node runs (one shared array)', async () => {
    expect(await callPage('portableCaseNames')).toEqual([...PORTABLE_CASE_NAMES]);
  });

  it.each([...PORTABLE_CASE_NAMES])('%s', async (name) => {
    expectPassed(await callPage('runPortableCase', { name, fixture }));
  });
});

describe('IndexedDB adapters in Chromium', () => {
  it('the page has the IndexedDB cases this file lists', async () => {
    expect(await callPage('indexedDbCaseNames')).toEqual([...INDEXEDDB_CASE_NAMES]);
  });

  it.each([...INDEXEDDB_CASE_NAMES])('%s', async (name) => {
    expectPassed(await callPage('runIndexedDbCase', { name }));
  });

  it('the wallet file and a non-extractable key handle survive a page reload', async () => {
    const databaseName = `urbis-reload-${Date.now().toString(36)}`;
    expectPassed(await callPage('storeForReload', { databaseName }));
    await loadPage({ reload: true });
    expectPassed(await callPage('checkAfterReload', { databaseName }));
  });
});
