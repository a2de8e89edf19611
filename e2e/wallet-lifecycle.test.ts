import { createNodeCrypto } from '../core/crypto/node-crypto.js';
import { isUrbisError, type UrbisErrorCode } from '../core/errors/urbis-error.js';
import { createNodeCompression } from '../core/status/node-compression.js';
import { createStatusReader } from '../core/status/status-reader.js';
import { createSnapshotStatusSource } from '../core/status/status-source.js';
import { decodeTokenStatusList } from '../core/status/token-status-list.js';
import { decodeCompactJws } from '../core/jose/compact-jws.js';
import { createTrustedIssuerLookup, type TrustedIssuerLookup } from '../core/trust/trusted-issuer.js';
import { verifyPresentation } from '../core/verification/verify-presentation.js';
import { exportHistory } from '../holder-wallet/history/index.js';
import { createMemoryKeyHandles } from '../holder-wallet/keys/index.js';
import { createFileStorage } from '../holder-wallet/node/index.js';
import { parsePresentationRequest, prepareConsent, presentWithConsent } from '../holder-wallet/presentation/index.js';
import { checkCredentialStatus } from '../holder-wallet/status/index.js';
import { createBackup, createMemoryStorage, createWalletStore, restoreBackup, type WalletStore } from '../holder-wallet/store/index.js';
import { TEST_KDF } from '../holder-wallet/testing/wallet-fixtures.js';
import { requestLink, residentQuery } from '../holder-wallet/testing/test-wallet.js';
import { copyInventory, receiveOffer, refreshCopies, reissueAfterRestore, trustIssuer } from '../holder-wallet/wallet/index.js';
import type { HolderKeyHandles } from '../holder-wallet/keys/index.js';
import { enrolmentBody } from '../issuer/testing/city-data.js';
import { startIssuerFixture, type IssuerFixture } from '../issuer/testing/issuer-fixture.js';
import { startDeployedRegistries, type DeployedRegistries } from '../registry/testing/deployed-registries.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The citizen's wallet through its whole life against the real city
 * issuer (loopback HTTP, SQLite, a Hardhat node for status): trust →
 * receive an offer → present at a terminal (core's offline verifier
 * accepts) → history export → status check (valid; revoked after the
 * city revokes) → refresh when copies run low → backup, migration to a
 * device whose keys cannot move, re-issuance, present again.
 */
describe('wallet lifecycle against the city issuer', () => {
  const crypto = createNodeCrypto();
  let registries: DeployedRegistries;
  let city: IssuerFixture;
  let clerk: string;
  let trust: TrustedIssuerLookup;
  const dirs: string[] = [];

  beforeAll(async () => {
    registries = await startDeployedRegistries();
    city = await startIssuerFixture({ registries });
    clerk = await city.staffToken({ role: 'clerk' });
    const didDocument = (await city.request('GET', '/.well-known/did.json')).body;
    trust = createTrustedIssuerLookup([
      {
        id: city.config.did,
        keys: didDocument.verificationMethod.map((m: { id: string; publicKeyJwk: never }) => ({ kid: m.id, publicJwk: m.publicKeyJwk })),
        credentialTypes: ['ResidentCredential', 'ServiceEntitlementCredential'],
      },
    ]);
  }, 120_000);
  afterAll(async () => {
    await city?.close();
    await registries?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function newWallet(): Promise<WalletStore> {
    const dir = mkdtempSync(join(tmpdir(), 'urbis-wallet-'));
    dirs.push(dir);
    return createWalletStore({ storage: createFileStorage({ path: join(dir, 'wallet.urbw') }), passphrase: 'correct horse battery staple', kdf: TEST_KDF });
  }

  /** Enrols a citizen (services: pools), the clerk validates, the citizen asks for an offer. */
  async function offerForNewCitizen(): Promise<{ link: string; txCode: string; reference: string }> {
    const body = enrolmentBody();
    const enrolled = await city.request('POST', '/front-office/enrolments', { json: body });
    expect(enrolled.status).toBe(201);
    const reference = enrolled.body.application.reference as string;
    const decided = await city.request('POST', `/back-office/applications/${reference}/decision`, { token: clerk, json: { decision: 'validate' } });
    expect(decided.status).toBe(200);
    const offer = await city.request('POST', '/front-office/me/offers', { token: enrolled.body.session.token });
    expect(offer.status).toBe(201);
    return { link: offer.body.deepLink, txCode: await city.lastCodeSentTo(body['email'] as string), reference };
  }

  async function expectCode(promise: Promise<unknown>, code: UrbisErrorCode): Promise<void> {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(isUrbisError(error) ? error.code : error).toBe(code);
  }

  async function statusSource() {
    const lists = new Map();
    for (const listId of city.config.chain!.statusListIds) {
      const uri = `${city.url}/status/${listId}`;
      const token = await city.request('GET', `/status/${listId}`, { headers: { accept: 'application/statuslist+jwt' } });
      lists.set(uri, createStatusReader({ list: decodeTokenStatusList({ statusList: (decodeCompactJws(token.text).payload as { status_list: unknown }).status_list, compression: createNodeCompression() }) }));
    }
    return createSnapshotStatusSource({ syncedAt: Math.floor(Date.now() / 1000), lists });
  }

  /** A terminal's request for age_over_18, answered by the wallet; core's verifier checks it. */
  async function presentAtTerminal(store: WalletStore, handles?: HolderKeyHandles) {
    const nonce = `n-${Buffer.from(crypto.randomBytes(12)).toString('base64url')}`;
    const audience = 'urbis:terminal:gijon-pool-1';
    const request = parsePresentationRequest(requestLink({ client_id: audience, nonce, response_type: 'vp_token', dcql_query: JSON.stringify({ credentials: [residentQuery()] }) }));
    const consent = await prepareConsent({ request, document: await store.load() });
    expect(consent.items.map((i) => i.disclosed)).toEqual([[['age_over_18']]]);
    const result = await presentWithConsent({ consent, store, now: Math.floor(Date.now() / 1000), ...(handles === undefined ? {} : { handles }) });
    const verified = await verifyPresentation({ presentation: result.presentations[0]!, crypto, trust, status: await statusSource(), keyBinding: { nonce, audience } });
    return { consent, verified };
  }

  test('an untrusted issuer is refused before any request; once trusted, the offer arrives; presentations verify; history exports', async () => {
    const store = await newWallet();
    const { link, txCode } = await offerForNewCitizen();
    await expectCode(receiveOffer({ store, offer: link, txCode }), 'ISSUER_UNTRUSTED');
    await trustIssuer({ store, issuerUrl: city.url, name: 'Ayuntamiento de Gijón', now: Math.floor(Date.now() / 1000) });
    const received = await receiveOffer({ store, offer: link, txCode });
    expect(received.configurations.every((c) => c.outcome === 'received')).toBe(true);
    const resident = copyInventory(await store.load()).find((s) => s.credentialType === 'ResidentCredential' && s.format === 'dc+sd-jwt')!;
    expect(resident).toMatchObject({ unspent: 10, spent: 0, low: false, issuerUrl: city.url });

    const { verified } = await presentAtTerminal(store);
    expect(verified).toMatchObject({ ok: true });
    const after = copyInventory(await store.load()).find((s) => s.credentialType === 'ResidentCredential' && s.format === 'dc+sd-jwt')!;
    expect(after).toMatchObject({ unspent: 9, spent: 1 });

    const exported = JSON.parse(exportHistory({ document: await store.load(), format: 'json' }));
    expect(exported.presentations).toEqual([
      { at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), verifier: 'urbis:terminal:gijon-pool-1', credentialType: 'ResidentCredential', flow: 'oid4vp', disclosed: ['age_over_18'] },
    ]);
    const csv = exportHistory({ document: await store.load(), format: 'csv' });
    expect(csv.split('\r\n')[0]).toBe('at,verifier,credentialType,flow,disclosed');
  }, 120_000);

  test('status awareness: the wallet reads its copies as valid, then revoked after the city revokes them', async () => {
    const store = await newWallet();
    await trustIssuer({ store, issuerUrl: city.url, name: 'Gijón', now: Math.floor(Date.now() / 1000) });
    const { link, txCode, reference } = await offerForNewCitizen();
    await receiveOffer({ store, offer: link, txCode });
    const first = await checkCredentialStatus({ store });
    expect(first.failures).toEqual([]);
    expect(first.credentials.length).toBeGreaterThan(0);
    expect(first.credentials.every((c) => c.status === 'valid')).toBe(true);

    const batch = (await city.request('GET', `/back-office/applications/${reference}`, { token: clerk })).body.credentials.find(
      (b: { credentialType: string; format?: string }) => b.credentialType === 'ResidentCredential',
    );
    const confirmedBefore = city.issuer.outbox.counts().confirmed;
    const revoked = await city.request('POST', `/back-office/credentials/${batch.id}/status`, { token: clerk, json: { action: 'revoke', reason: 'issuer-decision' } });
    expect(revoked.status).toBe(200);
    const deadline = Date.now() + 30_000;
    while (city.issuer.outbox.counts().confirmed < confirmedBefore + 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));

    const second = await checkCredentialStatus({ store });
    expect(second.failures).toEqual([]);
    const resident = second.credentials.filter((c) => c.credentialType === 'ResidentCredential');
    expect(resident.some((c) => c.status === 'revoked')).toBe(true);
    expect(second.credentials.filter((c) => c.credentialType === 'ServiceEntitlementCredential').every((c) => c.status === 'valid')).toBe(true);
    const stock = copyInventory(await store.load()).filter((s) => s.credentialType === 'ResidentCredential');
    expect(stock.some((s) => s.status === 'revoked')).toBe(true);
  }, 120_000);

  test('refresh when copies run low: fresh copies with fresh keys; the spent refresh token is refused', async () => {
    const store = await newWallet();
    await trustIssuer({ store, issuerUrl: city.url, name: 'Gijón', now: Math.floor(Date.now() / 1000) });
    const { link, txCode } = await offerForNewCitizen();
    const received = await receiveOffer({ store, offer: link, txCode, batchSize: 3 });
    expect(received.refreshable).toBe(true);
    const grantBefore = (await store.load()).refreshGrants![0]!.refreshToken;
    const { consent } = await presentAtTerminal(store);
    expect(consent.items[0]!.lowOnCopies).toBe(true);

    const outcomes = await refreshCopies({ store, batchSize: 3 });
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.every((o) => o.outcome === 'received' && o.copies === 3)).toBe(true);
    const document = await store.load();
    expect(document.refreshGrants![0]!.refreshToken).not.toBe(grantBefore);
    expect(new Set(document.keys.map((k) => k.id)).size).toBe(document.keys.length);
    const resident = copyInventory(document).find((s) => s.credentialType === 'ResidentCredential' && s.format === 'dc+sd-jwt')!;
    expect(resident.unspent).toBe(5);
    expect((await presentAtTerminal(store)).verified).toMatchObject({ ok: true });

    // The spent token, replayed (e.g. from an old backup), is refused; the wallet forgets a refused token.
    const replay = await createWalletStore({
      storage: createMemoryStorage(),
      passphrase: 'another passphrase',
      kdf: TEST_KDF,
      document: { ...document, refreshGrants: [{ ...document.refreshGrants![0]!, refreshToken: grantBefore }] },
    });
    const refused = await refreshCopies({ store: replay, targets: [{ issuerUrl: city.url, configurationId: resident.configurationId! }] });
    expect(refused).toEqual([expect.objectContaining({ outcome: 'failed', code: 'REFRESH_TOKEN_INVALID' })]);
    expect((await replay.load()).refreshGrants).toEqual([]);
  }, 120_000);

  test('migration: a backup from a device whose keys cannot move, restored elsewhere, re-issued through the refresh token, presents again', async () => {
    const oldHandles = createMemoryKeyHandles();
    const oldDevice = await createWalletStore({ storage: createMemoryStorage(), passphrase: 'old device passphrase', kdf: TEST_KDF });
    await trustIssuer({ store: oldDevice, issuerUrl: city.url, name: 'Gijón', now: Math.floor(Date.now() / 1000) });
    const { link, txCode } = await offerForNewCitizen();
    await receiveOffer({ store: oldDevice, offer: link, txCode, keyStorage: 'device', handles: oldHandles, batchSize: 2 });
    expect((await oldDevice.load()).keys.every((k) => !k.exportable)).toBe(true);

    const backup = await createBackup({ store: oldDevice, passphrase: 'backup passphrase', kdf: TEST_KDF });
    const newHandles = createMemoryKeyHandles();
    const { store, needReissuance } = await restoreBackup({ backup, passphrase: 'backup passphrase', targetStorage: createMemoryStorage(), targetPassphrase: 'new device passphrase', kdf: TEST_KDF });
    expect(needReissuance.length).toBe((await oldDevice.load()).credentials.length);
    expect(needReissuance.every((n) => n.reason === 'key-not-exportable' && n.issuerUrl === city.url)).toBe(true);
    expect((await store.load()).credentials).toEqual([]);

    const outcomes = await reissueAfterRestore({ store, needs: needReissuance, keyStorage: 'device', handles: newHandles, batchSize: 2 });
    expect(outcomes.every((o) => o.outcome === 'received')).toBe(true);
    const restored = await store.load();
    expect(restored.credentials.length).toBe(needReissuance.length);
    const oldKeys = new Set((await oldDevice.load()).keys.map((k) => k.id));
    expect(restored.keys.some((k) => oldKeys.has(k.id))).toBe(false);
    expect((await presentAtTerminal(store, newHandles)).verified).toMatchObject({ ok: true });
  }, 120_000);
});
