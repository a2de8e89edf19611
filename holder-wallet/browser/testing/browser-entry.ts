import { createWebCryptoSuite } from '../../crypto/web-crypto-suite.js';
import { generateHolderKey } from '../../keys/web-crypto-holder-keys.js';
import { createHolderKeyRecord, holderKeyForRecord } from '../../store/holder-key-record.js';
import { createWalletStore, openWalletStore } from '../../store/wallet-store.js';
import { check } from '../../testing/portable-assert.js';
import type { PortableEnv } from '../../testing/portable-env.js';
import { PORTABLE_CASES } from '../../testing/portable-suite.js';
import { TEST_KDF, TEST_NOW, documentWith } from '../../testing/wallet-fixtures.js';
import { createIndexedDbKeyHandles, createIndexedDbStorage } from '../index.js';
import { BROWSER_SUITE_GLOBAL, type BrowserSuiteApi, type CaseOutcome } from './browser-suite-api.js';
import { INDEXEDDB_CASES } from './indexeddb-cases.js';

/**
 * The browser test bundle's entry (esbuild, platform browser): runs the
 * portable suite with IndexedDB storage and key handles, and the
 * IndexedDB-only cases, inside a real page; `../browser-suite.test.ts`
 * drives it. The adapters come through the `holder-wallet/browser` barrel,
 * so its import graph is bundled (and checked) too. Defines
 * `globalThis.urbisBrowserSuite` ({@link BrowserSuiteApi}). Tests only.
 */

const PASSPHRASE = 'reload passphrase';
const SIGNING_INPUT = 'eyJhbGciOiJFUzI1NiJ9.eyJyZWxvYWQiOnRydWV9';
let runs = 0;

/** A namespace no earlier run in this profile used: every case starts from empty databases. */
function freshNamespace(): string {
  runs += 1;
  return `urbis-test-${Date.now().toString(36)}-${runs}`;
}

async function outcome(task: () => Promise<void>): Promise<CaseOutcome> {
  const started = performance.now();
  try {
    await task();
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    const e = error as { name?: unknown; code?: unknown; message?: unknown; stack?: unknown };
    const head = `${String(e?.name)}${e?.code === undefined ? '' : ` ${String(e.code)}`}: ${String(e?.message)}`;
    const stack = typeof e?.stack === 'string' ? `\n${e.stack}` : '';
    return { ok: false, ms: Math.round(performance.now() - started), error: `${head}${stack}` };
  }
}

function find<T extends { name: string }>(cases: readonly T[], name: string): T {
  const found = cases.find((c) => c.name === name);
  if (found === undefined) throw new Error(`the browser bundle has no case named "${name}"`);
  return found;
}

const api: BrowserSuiteApi = {
  portableCaseNames: PORTABLE_CASES.map((c) => c.name),
  indexedDbCaseNames: INDEXEDDB_CASES.map((c) => c.name),
  runPortableCase: ({ name, fixture }) =>
    outcome(async () => {
      const namespace = freshNamespace();
      const env: PortableEnv = {
        platform: 'browser',
        openStorage: async (storageName) => createIndexedDbStorage({ databaseName: `${namespace}/${storageName}` }),
        openKeyHandles: async (handlesName) => createIndexedDbKeyHandles({ databaseName: `${namespace}/${handlesName}` }),
        fixture,
      };
      await find(PORTABLE_CASES, name).run(env);
    }),
  runIndexedDbCase: ({ name }) =>
    outcome(async () => {
      const namespace = freshNamespace();
      await find(INDEXEDDB_CASES, name).run({ databaseName: (n) => `${namespace}/${n}` });
    }),
  storeForReload: ({ databaseName }) =>
    outcome(async () => {
      const handles = createIndexedDbKeyHandles({ databaseName });
      const holderKey = await generateHolderKey({ extractable: false });
      const key = await createHolderKeyRecord({ holderKey, handles, createdAt: TEST_NOW });
      const document = documentWith([]);
      document.keys.push(key);
      await createWalletStore({ storage: createIndexedDbStorage({ databaseName }), passphrase: PASSPHRASE, kdf: TEST_KDF, document });
    }),
  checkAfterReload: ({ databaseName }) =>
    outcome(async () => {
      const store = await openWalletStore({ storage: createIndexedDbStorage({ databaseName }), passphrase: PASSPHRASE });
      const record = (await store.load()).keys[0];
      check(record !== undefined && !record.exportable, 'the wallet still holds the non-exportable key record');
      const key = await holderKeyForRecord({ record, handles: createIndexedDbKeyHandles({ databaseName }) });
      check(!key.cryptoKey.extractable, 'the handle is still non-extractable');
      const signature = await key.signingKey.sign(SIGNING_INPUT);
      check(await createWebCryptoSuite().verifySignature({ alg: 'ES256', publicJwk: record.publicJwk, signingInput: SIGNING_INPUT, signature }), 'the handle signs for its public key');
    }),
};

(globalThis as unknown as Record<string, BrowserSuiteApi>)[BROWSER_SUITE_GLOBAL] = api;
