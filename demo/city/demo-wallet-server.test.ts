import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startDemoWalletServer, walletPageCsp, type DemoWalletServer } from './demo-wallet-server.js';

/** The demo's static server for the browser wallet: the page's files only, with its CSP; nothing else. */
describe('demo wallet server', () => {
  let dir: string;
  let server: DemoWalletServer;
  const ISSUERS = ['http://127.0.0.1:4001', 'http://127.0.0.1:4002/'];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'urbis-demo-wallet-'));
    server = await startDemoWalletServer({ outDir: join(dir, 'wallet'), port: 0, issuerUrls: ISSUERS });
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the page at / and its files, with the page policy', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(walletPageCsp(['http://127.0.0.1:4001', 'http://127.0.0.1:4002']));
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('wallet.js');
    for (const [file, type] of [['urbis-wallet.js', 'text/javascript'], ['wallet.js', 'text/javascript'], ['wallet.css', 'text/css'], ['i18n.js', 'text/javascript']]) {
      const res = await fetch(`${server.url}/${file}`);
      expect([file, res.status, res.headers.get('content-type')?.split(';')[0]]).toEqual([file, 200, type]);
    }
  });

  it('the policy: own scripts and styles only, fetches to itself and the issuers only, no framing', () => {
    const csp = walletPageCsp(['http://127.0.0.1:4001']);
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:4001;");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
  });

  it('answers 404 for anything else and 405 for other methods', async () => {
    for (const path of ['/package.json', '/../package.json', '/%2e%2e/package.json', '/index.html/x', '/wallet-lib.ts']) expect([path, (await fetch(`${server.url}${path}`)).status]).toEqual([path, 404]);
    expect((await fetch(`${server.url}/`, { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('stops: nothing listens afterwards (stop is idempotent)', async () => {
    const other = await startDemoWalletServer({ outDir: join(dir, 'other'), port: 0, issuerUrls: [] });
    await Promise.all([other.stop(), other.stop()]);
    await expect(fetch(`${other.url}/`)).rejects.toThrow();
  }, 30_000);
});
