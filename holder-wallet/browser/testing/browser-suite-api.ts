import type { PresentationFixture } from '../../testing/portable-env.js';

/**
 * What the browser test bundle (`browser-entry.ts`) puts on `globalThis`
 * for the Jest wiring (`../browser-suite.test.ts`) to drive through
 * Playwright. Every argument and result is JSON. Types only. Tests only.
 */

/** The global the bundle defines. */
export const BROWSER_SUITE_GLOBAL = 'urbisBrowserSuite';

/** One case's outcome, as it crosses back from the page. */
export type CaseOutcome = { ok: true; ms: number } | { ok: false; ms: number; error: string };

export interface BrowserSuiteApi {
  /** The portable cases' names, in order, as the bundle has them. */
  portableCaseNames: string[];
  /** The browser-only IndexedDB cases' names, in order. */
  indexedDbCaseNames: string[];
  /** Runs one portable case (fresh IndexedDB databases), with the copies built in Node. */
  runPortableCase(args: { name: string; fixture: PresentationFixture }): Promise<CaseOutcome>;
  /** Runs one browser-only IndexedDB case. */
  runIndexedDbCase(args: { name: string }): Promise<CaseOutcome>;
  /** Stores a wallet and a non-extractable holder key under `databaseName`: step 1 of the reload check. */
  storeForReload(args: { databaseName: string }): Promise<CaseOutcome>;
  /** After a page reload: the wallet opens and the key handle signs, still non-extractable. Step 2. */
  checkAfterReload(args: { databaseName: string }): Promise<CaseOutcome>;
}
