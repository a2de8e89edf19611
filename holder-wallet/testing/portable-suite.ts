import { splitSdJwt } from '../../core/sd-jwt/compact-sd-jwt.js';
import { StatusList } from '../../core/status/status-list.js';
import { createStatusReader } from '../../core/status/status-reader.js';
import { createSnapshotStatusSource } from '../../core/status/status-source.js';
import { createMemoryReplayCache } from '../../core/trust/replay-cache.js';
import { createTrustedIssuerLookup } from '../../core/trust/trusted-issuer.js';
import { verifyPresentation } from '../../core/verification/verify-presentation.js';
import { createWebCryptoSuite } from '../crypto/web-crypto-suite.js';
import { subtleCrypto } from '../crypto/web-crypto.js';
import type { HolderKeyHandles } from '../keys/holder-key-handles.js';
import { exportHolderKey, generateHolderKey, importHolderKey } from '../keys/web-crypto-holder-keys.js';
import { prepareConsent } from '../presentation/consent.js';
import { presentWithConsent } from '../presentation/present.js';
import { parsePresentationRequest } from '../presentation/presentation-request.js';
import { createBackup, restoreBackup } from '../store/backup.js';
import { createHolderKeyRecord, holderKeyForRecord } from '../store/holder-key-record.js';
import type { WalletDocument } from '../store/wallet-document.js';
import { WALLET_STORE_ERROR_CODES as CODES } from '../store/wallet-store-errors.js';
import { createWalletStore, openWalletStore } from '../store/wallet-store.js';
import type { WalletStorage } from '../store/wallet-storage.js';
import { check, checkEqual, checkRejects } from './portable-assert.js';
import type { PortableCase, PortableEnv, PresentationFixture } from './portable-env.js';
import { TEST_KDF, TEST_NOW, copyWithKey, documentWith } from './wallet-fixtures.js';

/**
 * The wallet's store and presentation path, written once and run on every
 * platform (issue 5): under Jest in Node with the file storage and memory
 * key handles (`portable-suite.node.test.ts`), and inside a real Chromium
 * with IndexedDB for both (`holder-wallet/browser/browser-suite.test.ts`).
 * Both wirings iterate over this one array. Browser-safe: no Node built-in,
 * no Jest, no core test kit (the real copies come in `env.fixture`).
 * Tests only.
 */

const PASSPHRASE = 'correct horse battery staple';
const OTHER_PASSPHRASE = 'a passphrase on the other device';
const TERMINAL = 'urn:urbis:terminal:gijon-pool-1';
const NONCE = 'n-portable-0123456789';
const SIGNING_INPUT = 'eyJhbGciOiJFUzI1NiIsInR5cCI6ImtiK2p3dCJ9.eyJub25jZSI6Im4ifQ';

/** The stored bytes, which must exist. */
async function storedBytes(storage: WalletStorage): Promise<Uint8Array> {
  const bytes = await storage.read();
  check(bytes !== undefined, 'a wallet file is stored');
  return bytes;
}

/** Whether `bytes` contain `text` (ASCII) anywhere. */
function containsAscii(bytes: Uint8Array, text: string): boolean {
  const needle = Array.from(text, (c) => c.charCodeAt(0));
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** A wallet holding one recognisable copy (exportable key), stored under `name`. */
async function storedWallet(env: PortableEnv, name: string, marker = 'PORTABLEMARKER') {
  const storage = await env.openStorage(name);
  const document = documentWith([await copyWithKey({ id: 'c-1', marker, exportable: true })]);
  const store = await createWalletStore({ storage, passphrase: PASSPHRASE, kdf: TEST_KDF, document });
  return { storage, store, document, bytes: await storedBytes(storage) };
}

/**
 * The fixture's document with the holder keys of `copyIds` turned into
 * non-extractable handles kept in `handles` (the record loses its private
 * part), as a browser wallet holds them.
 */
async function withHandles({ fixture, handles, copyIds }: { fixture: PresentationFixture; handles: HolderKeyHandles; copyIds: string[] }): Promise<WalletDocument> {
  const document = structuredClone(fixture.document);
  for (const copyId of copyIds) {
    const copy = document.credentials.find((c) => c.id === copyId);
    check(copy !== undefined, `the fixture holds ${copyId}`);
    const index = document.keys.findIndex((k) => k.id === copy.holderKeyId);
    const record = document.keys[index];
    check(record?.privateJwk !== undefined, `${copyId}'s key arrives exportable`);
    const holderKey = await importHolderKey({ privateJwk: record.privateJwk, extractable: false });
    await handles.put(record.id, holderKey.cryptoKey);
    document.keys[index] = { id: record.id, publicJwk: record.publicJwk, exportable: false, createdAt: record.createdAt };
  }
  return document;
}

/** An OpenID4VP request by value for the fixture's resident copies. */
function residentRequestLink(fixture: PresentationFixture, claims: string[][]): string {
  const query = { id: 'resident', format: 'dc+sd-jwt', meta: { vct_values: [fixture.residentVct] }, claims: claims.map((path) => ({ path })) };
  const params = { client_id: TERMINAL, nonce: NONCE, response_type: 'vp_token', dcql_query: JSON.stringify({ credentials: [query] }) };
  return `openid4vp://?${new URLSearchParams(params).toString()}`;
}

/** Core's offline verifier on the Web Crypto suite, with the fixture's snapshot (every status valid). */
function verifyAsTerminal(fixture: PresentationFixture, presentation: string) {
  const list = StatusList.create({ size: fixture.status.size, bits: 2 });
  return verifyPresentation({
    presentation,
    crypto: createWebCryptoSuite(),
    trust: createTrustedIssuerLookup(fixture.trustedIssuers),
    status: createSnapshotStatusSource({ syncedAt: fixture.status.syncedAt, lists: new Map([[fixture.status.uri, createStatusReader({ list })]]) }),
    keyBinding: { nonce: NONCE, audience: TERMINAL },
    replayCache: createMemoryReplayCache(),
    now: fixture.now,
  });
}

/** The store and presentation cases, in the order both wirings run them. */
export const PORTABLE_CASES: readonly PortableCase[] = Object.freeze([
  {
    name: 'storage: read is undefined before the first write; write replaces the whole file; read hands out copies',
    async run(env) {
      const storage = await env.openStorage('raw');
      checkEqual(await storage.read(), undefined, 'an empty storage');
      const source = Uint8Array.of(1, 2, 3, 4, 5);
      await storage.write(source);
      source[0] = 99;
      checkEqual(await storage.read(), Uint8Array.of(1, 2, 3, 4, 5), 'the bytes as written (changing the source afterwards changes nothing)');
      const copy = await storedBytes(storage);
      copy[1] = 99;
      checkEqual(await storage.read(), Uint8Array.of(1, 2, 3, 4, 5), 'the bytes as written (changing what read returned changes nothing)');
      const larger = Uint8Array.of(7, 8, 9, 10);
      await storage.write(larger.subarray(1, 3));
      checkEqual(await storage.read(), Uint8Array.of(8, 9), 'a shorter write replaces the whole file, and only the viewed bytes are kept');
      checkEqual(await (await env.openStorage('raw')).read(), Uint8Array.of(8, 9), 'the same bytes through a reopened storage');
      checkEqual(await (await env.openStorage('raw-other')).read(), undefined, 'another storage name is another place');
    },
  },
  {
    name: 'store: create, then open through a reopened storage: the same document, sealed, and changes persist',
    async run(env) {
      const { store, document, bytes } = await storedWallet(env, 'wallet', 'ROUNDTRIPMARKER');
      checkEqual(await store.load(), document, 'the created wallet');
      check(!containsAscii(bytes, 'ROUNDTRIPMARKER') && !containsAscii(bytes, 'HISTORYMARKER'), 'no plaintext in the stored bytes');
      const reopened = await openWalletStore({ storage: await env.openStorage('wallet'), passphrase: PASSPHRASE });
      checkEqual(await reopened.load(), document, 'the reopened wallet');
      checkEqual({ ...reopened.kdf }, { ...TEST_KDF }, 'the KDF cost read from the file');
      await reopened.mutate((doc) => {
        doc.credentials[0]!.spentAt = TEST_NOW + 5;
      });
      const third = await openWalletStore({ storage: await env.openStorage('wallet'), passphrase: PASSPHRASE });
      checkEqual((await third.load()).credentials[0]?.spentAt, TEST_NOW + 5, 'the change, after another reopen');
      await checkRejects(openWalletStore({ storage: await env.openStorage('nothing-here'), passphrase: PASSPHRASE }), CODES.notFound, 'opening an empty storage');
    },
  },
  {
    name: 'store: a wrong passphrase is WALLET_PASSPHRASE_WRONG and leaves the stored bytes unchanged',
    async run(env) {
      const { storage, bytes, document } = await storedWallet(env, 'wallet');
      await checkRejects(openWalletStore({ storage, passphrase: 'not the passphrase' }), CODES.wrongPassphrase, 'a wrong passphrase');
      checkEqual(await storage.read(), bytes, 'the stored bytes after a wrong passphrase');
      await checkRejects(openWalletStore({ storage, passphrase: '' }), CODES.invalidArgument, 'an empty passphrase');
      const store = await openWalletStore({ storage: await env.openStorage('wallet'), passphrase: PASSPHRASE });
      checkEqual(await store.load(), document, 'the right passphrase still opens it');
    },
  },
  {
    name: 'store: damaged bytes are WALLET_STORE_CORRUPTED and are left as they are',
    async run(env) {
      const { storage, store, bytes } = await storedWallet(env, 'wallet');
      const flipped = Uint8Array.from(bytes);
      flipped[60]! ^= 0xff;
      const damages: [string, Uint8Array][] = [
        ['one flipped byte', flipped],
        ['a truncated file', bytes.slice(0, bytes.length - 10)],
        ['not a wallet file', Uint8Array.from('hello, not a wallet', (c) => c.charCodeAt(0))],
      ];
      for (const [what, damaged] of damages) {
        await storage.write(damaged);
        await checkRejects(openWalletStore({ storage: await env.openStorage('wallet'), passphrase: PASSPHRASE }), CODES.corrupted, `opening ${what}`);
        await checkRejects(store.mutate(() => undefined), CODES.corrupted, `changing ${what} through an open store`);
        checkEqual(await (await env.openStorage('wallet')).read(), damaged, `${what}, left as it was`);
      }
    },
  },
  {
    name: 'store: a file written by a newer wallet is WALLET_FORMAT_NEWER and is left as it is',
    async run(env) {
      const { storage, bytes } = await storedWallet(env, 'wallet');
      const newer = Uint8Array.from(bytes);
      newer[4] = 2; // format version
      const digest = new Uint8Array(await subtleCrypto().digest('SHA-256', newer.slice(0, newer.length - 32)));
      newer.set(digest, newer.length - 32); // an intact file of version 2
      await storage.write(newer);
      await checkRejects(openWalletStore({ storage: await env.openStorage('wallet'), passphrase: PASSPHRASE }), CODES.newerVersion, 'a newer file');
      checkEqual(await storage.read(), newer, 'the newer file, left as it was');
    },
  },
  {
    name: 'store: creating over an existing wallet is WALLET_EXISTS; the wallet there is untouched',
    async run(env) {
      const { bytes, document } = await storedWallet(env, 'wallet');
      await checkRejects(createWalletStore({ storage: await env.openStorage('wallet'), passphrase: OTHER_PASSPHRASE, kdf: TEST_KDF }), CODES.alreadyExists, 'a second create');
      checkEqual(await (await env.openStorage('wallet')).read(), bytes, 'the stored bytes after the refused create');
      const store = await openWalletStore({ storage: await env.openStorage('wallet'), passphrase: PASSPHRASE });
      checkEqual(await store.load(), document, 'the first wallet still opens');
    },
  },
  {
    name: 'keys: a non-extractable holder key is kept as a handle, reloaded after reopening, signs, and never exports',
    async run(env) {
      const handles = await env.openKeyHandles('keys');
      const copy = await copyWithKey({ id: 'c-1', marker: 'M', exportable: false, handles });
      check(copy.key.exportable === false && copy.key.privateJwk === undefined, 'the record keeps no private part');
      await createWalletStore({ storage: await env.openStorage('wallet'), passphrase: PASSPHRASE, kdf: TEST_KDF, document: documentWith([copy]) });

      // "Restart": new adapters over the same places.
      const store = await openWalletStore({ storage: await env.openStorage('wallet'), passphrase: PASSPHRASE });
      const record = (await store.load()).keys[0];
      check(record !== undefined && record.exportable === false && record.privateJwk === undefined, 'the stored record has no private part');
      const reopened = await env.openKeyHandles('keys');
      const key = await holderKeyForRecord({ record, handles: reopened });
      check(key.cryptoKey.extractable === false && key.extractable === false, 'the reloaded handle is non-extractable');
      checkEqual(key.publicJwk, record.publicJwk, 'the public key');
      const signature = await key.signingKey.sign(SIGNING_INPUT);
      check(await createWebCryptoSuite().verifySignature({ alg: 'ES256', publicJwk: record.publicJwk, signingInput: SIGNING_INPUT, signature }), 'the reloaded key signs for its public key');

      await checkRejects(exportHolderKey(key), 'KEY_INVALID', 'exportHolderKey');
      const exported = await subtleCrypto()
        .exportKey('jwk', key.cryptoKey)
        .then(() => true, () => false);
      check(!exported, 'Web Crypto itself refuses to export the key');

      await checkRejects(holderKeyForRecord({ record }), 'RESOURCE_NOT_FOUND', 'without the handles');
      await checkRejects(holderKeyForRecord({ record, handles: await env.openKeyHandles('another-device') }), 'RESOURCE_NOT_FOUND', "another place's handles");
      await reopened.delete(record.id);
      checkEqual(await (await env.openKeyHandles('keys')).get(record.id), undefined, 'the handle, once deleted');

      // A fresh key made here, stored through a record, comes back the same way.
      const fresh = await generateHolderKey();
      const freshRecord = await createHolderKeyRecord({ holderKey: fresh, handles: reopened, createdAt: TEST_NOW });
      const again = await holderKeyForRecord({ record: freshRecord, handles: await env.openKeyHandles('keys') });
      check(
        await createWebCryptoSuite().verifySignature({ alg: 'ES256', publicJwk: freshRecord.publicJwk, signingInput: SIGNING_INPUT, signature: await again.signingKey.sign(SIGNING_INPUT) }),
        'a freshly generated key signs after reloading',
      );
    },
  },
  {
    name: 'presentation: an openid4vp:// request, consent to exactly the asked claims, one-time spending, verified by core’s verifier',
    async run(env) {
      const { fixture } = env;
      const document = await withHandles({ fixture, handles: await env.openKeyHandles('keys'), copyIds: ['copy-2', 'copy-3'] });
      await createWalletStore({ storage: await env.openStorage('wallet'), passphrase: PASSPHRASE, kdf: TEST_KDF, document });
      const store = await openWalletStore({ storage: await env.openStorage('wallet'), passphrase: PASSPHRASE });
      const handles = await env.openKeyHandles('keys');

      const asked = [['age_over_18'], ['address', 'locality']];
      const request = parsePresentationRequest(residentRequestLink(fixture, asked));
      checkEqual({ clientId: request.clientId, nonce: request.nonce }, { clientId: TERMINAL, nonce: NONCE }, 'the parsed request');
      const consent = await prepareConsent({ request, document: await store.load() });
      checkEqual({ flow: consent.flow, verifier: consent.verifier, nonce: consent.nonce }, { flow: 'oid4vp', verifier: TERMINAL, nonce: NONCE }, 'the consent');
      checkEqual(consent.items.length, 1, 'one credential presented');
      const item = consent.items[0]!;
      checkEqual(item.copyId, 'copy-2', 'the oldest unspent copy (copy-1 is spent)');
      checkEqual(item.disclosed, asked, 'exactly the asked claims');
      const address = fixture.residentClaims.address as Record<string, unknown>;
      checkEqual(item.values, [fixture.residentClaims.age_over_18, address.locality], 'their values');
      checkEqual(item.remainingCopies, 1, 'copies left');

      const result = await presentWithConsent({ consent, store, handles, now: fixture.now });
      checkEqual(Object.keys(result.vpToken), ['resident'], 'the vp_token keys');
      const presentation = result.vpToken.resident![0];
      checkEqual(result.text, presentation, 'the QR text is the one presentation');
      checkEqual(splitSdJwt(presentation, { maxBytes: 65_536 }).disclosures.length, 3, 'disclosures: age_over_18, address (its _sd) and locality');

      const verified = await verifyAsTerminal(fixture, presentation);
      check(verified.ok, `core's verifier accepts the presentation: ${JSON.stringify(verified.ok ? [] : verified.failures.map((f) => f.code))}`);
      checkEqual(verified.claims, { age_over_18: fixture.residentClaims.age_over_18, address: { locality: address.locality } }, 'the verifier sees exactly the asked claims');
      checkEqual(verified.type, 'ResidentCredential', 'the verified type');

      const after = await (await openWalletStore({ storage: await env.openStorage('wallet'), passphrase: PASSPHRASE })).load();
      checkEqual(after.credentials.map((c) => c.spentAt), [fixture.document.credentials[0]!.spentAt, fixture.now, undefined], 'copy-2 spent, persisted');
      checkEqual(after.history.map((h) => [h.credentialId, h.verifier, h.disclosed]), [['copy-2', TERMINAL, asked]], 'the history entry');
      const bytes = await storedBytes(await env.openStorage('wallet'));
      await checkRejects(presentWithConsent({ consent, store, handles, now: fixture.now + 1 }), 'STATE_CONFLICT', 'presenting the same consent again');
      checkEqual(await (await env.openStorage('wallet')).read(), bytes, 'nothing written by the refused presentation');

      const next = await prepareConsent({ request, document: after });
      checkEqual(next.items.map((i) => [i.copyId, i.remainingCopies]), [['copy-3', 0]], 'the next consent takes the last copy');
      const wrong = await verifyAsTerminal(fixture, (await presentWithConsent({ consent: { ...next, nonce: 'n-another-nonce-0123' }, store, handles, now: fixture.now })).text);
      check(!wrong.ok && wrong.failures.some((f) => f.code === 'KB_NONCE_MISMATCH'), 'a presentation for another nonce is refused');
    },
  },
  {
    name: 'backup: restored into a second storage; copies bound to non-extractable keys are listed for re-issuance, the others still present',
    async run(env) {
      const { fixture } = env;
      const handles = await env.openKeyHandles('old-keys');
      const document = await withHandles({ fixture, handles, copyIds: ['copy-2'] });
      const oldStorage = await env.openStorage('old-device');
      const store = await createWalletStore({ storage: oldStorage, passphrase: PASSPHRASE, kdf: TEST_KDF, document });
      const oldBytes = await storedBytes(oldStorage);
      const backup = await createBackup({ store, passphrase: 'backup passphrase', kdf: TEST_KDF });
      checkEqual(await oldStorage.read(), oldBytes, 'the old wallet, untouched by the backup');

      const target = await env.openStorage('new-device');
      await checkRejects(
        restoreBackup({ backup, passphrase: 'not the backup passphrase', targetStorage: target, targetPassphrase: OTHER_PASSPHRASE, kdf: TEST_KDF }),
        CODES.wrongPassphrase,
        'a wrong backup passphrase',
      );
      checkEqual(await target.read(), undefined, 'nothing written at the target by the refused restore');
      const restored = await restoreBackup({ backup, passphrase: 'backup passphrase', targetStorage: target, targetPassphrase: OTHER_PASSPHRASE, kdf: TEST_KDF });
      checkEqual(restored.restoredCredentialIds, ['copy-1', 'copy-3'], 'carried over: the spent copy and the one with an exportable key');
      checkEqual(
        restored.needReissuance.map((n) => [n.credentialId, n.reason, n.credentialType]),
        [['copy-2', 'key-not-exportable', 'ResidentCredential']],
        'listed for re-issuance',
      );
      await checkRejects(
        restoreBackup({ backup, passphrase: 'backup passphrase', targetStorage: await env.openStorage('new-device'), targetPassphrase: OTHER_PASSPHRASE, kdf: TEST_KDF }),
        CODES.alreadyExists,
        'restoring over the restored wallet',
      );

      // The new device: reopened from its own storage, no handles of the old one; the carried copy presents and verifies.
      const reopened = await openWalletStore({ storage: await env.openStorage('new-device'), passphrase: OTHER_PASSPHRASE });
      checkEqual((await reopened.load()).credentials.map((c) => c.id), ['copy-1', 'copy-3'], 'the new wallet after reopening');
      const request = parsePresentationRequest(residentRequestLink(fixture, [['age_over_18']]));
      const consent = await prepareConsent({ request, document: await reopened.load() });
      checkEqual(consent.items.map((i) => i.copyId), ['copy-3'], 'the carried copy answers');
      const { text } = await presentWithConsent({ consent, store: reopened, handles: await env.openKeyHandles('new-keys'), now: fixture.now });
      const verified = await verifyAsTerminal(fixture, text);
      check(verified.ok, `the carried copy verifies on the new device: ${JSON.stringify(verified.ok ? [] : verified.failures.map((f) => f.code))}`);
      checkEqual(verified.claims, { age_over_18: fixture.residentClaims.age_over_18 }, 'only age_over_18 disclosed');
    },
  },
] satisfies PortableCase[]);

/** The case names, in order (what each wiring reports, one test per case). */
export const PORTABLE_CASE_NAMES: readonly string[] = Object.freeze(PORTABLE_CASES.map((c) => c.name));
