import type { PresentationFixture } from './portable-env.js';
import { RESIDENT_VCT, walletWithCopies } from './test-wallet.js';

/**
 * Builds the portable suite's {@link PresentationFixture} in Node: three
 * REAL `ResidentCredential` copies (`dc+sd-jwt`, the first one spent),
 * issued by core's test kit, each bound to its own extractable Web Crypto
 * holder key. Node only (the test kit signs with node:crypto): the browser
 * wiring builds it here and passes the JSON into the page. Tests only.
 *
 * @example
 * ```ts
 * const fixture = await buildPresentationFixture();
 * await page.evaluate(({ name, fixture }) => runCase(name, fixture), { name, fixture });
 * ```
 */
export async function buildPresentationFixture(): Promise<PresentationFixture> {
  const { kit, document } = await walletWithCopies([{ type: 'ResidentCredential', count: 3, spent: 1 }]);
  const fixture: PresentationFixture = {
    document,
    residentVct: RESIDENT_VCT,
    trustedIssuers: kit.trustedIssuers.map((issuer) => ({ ...issuer, keys: issuer.keys.map(({ kid, publicJwk }) => ({ kid, publicJwk: { ...publicJwk } })) })),
    status: { uri: kit.statusListUri, size: kit.statusListSize, syncedAt: kit.status.syncedAt },
    now: kit.now,
    residentClaims: structuredClone(kit.residentClaims) as unknown as Record<string, unknown>,
  };
  // What crosses into a browser page is JSON: make sure nothing else slipped in.
  return JSON.parse(JSON.stringify(fixture)) as PresentationFixture;
}
