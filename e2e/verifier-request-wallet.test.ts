import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { ResidentClaims } from '../core/credentials/credential-types.js';
import type { CredentialKit } from '../core/test-kit/credential-kit.js';
import { createMemoryReplayCache } from '../core/trust/replay-cache.js';
import { createTrustedIssuerLookup } from '../core/trust/trusted-issuer.js';
import { createPresentationVerifier } from '../core/verification/create-presentation-verifier.js';
import type { SdJwtCredentialFormat } from '../core/verification/verification-result.js';
import { generateHolderKey } from '../holder-wallet/keys/index.js';
import { parsePresentationRequest, prepareConsent, presentWithConsent } from '../holder-wallet/presentation/index.js';
import { createHolderKeyRecord, createMemoryStorage, createWalletStore, type WalletStore } from '../holder-wallet/store/index.js';
import { walletWithCopies, type CopySpec } from '../holder-wallet/testing/test-wallet.js';
import { TEST_KDF } from '../holder-wallet/testing/wallet-fixtures.js';
import { applyServicePolicy, dcqlQueryFor, parseServicePolicies, verificationLimitsFor, type ServiceVerificationResult } from '../verifier/policy/index.js';
import { createRequestIssuer, keyBindingNonceOf, type RequestIssuer } from '../verifier/requests/index.js';

/**
 * The terminal's requests against the wallet's parser and presenter (the
 * only place the two meet: verifier/ never imports holder-wallet/). The
 * terminal builds each Gijón service's OpenID4VP request; the wallet parses
 * it, chooses a copy, discloses, presents; the terminal finds the request
 * by the KB-JWT nonce, verifies offline with core and applies the policy.
 */
const policies = parseServicePolicies(readFileSync(new URL('../verifier/policy/fixtures/gijon-policies.json', import.meta.url), 'utf8'));
const TERMINAL = 'urbis:terminal:gijon-pool-1';

/** A wallet with copies (walletWithCopies), plus resident copies with other claims (e.g. a senior). */
async function wallet({ copies, residents = [] }: { copies: CopySpec[]; residents?: { claims: Partial<ResidentClaims>; format: SdJwtCredentialFormat }[] }) {
  const { kit, document } = await walletWithCopies(copies);
  let n = 0;
  for (const { claims, format } of residents) {
    const holderKey = await generateHolderKey({ extractable: true });
    const key = await createHolderKeyRecord({ holderKey, createdAt: kit.now });
    const credential = await kit.issue({
      format,
      type: 'ResidentCredential',
      holder: { keyPair: { publicJwk: holderKey.publicJwk, privateJwk: undefined as never } },
      statusIndex: 50_000 + n,
      overrides: { claims: { ...kit.residentClaims, ...claims } },
    });
    document.credentials.push({ id: `extra-${++n}`, credential, format, credentialType: 'ResidentCredential', issuerId: kit.issuer.id, holderKeyId: key.id, batchId: `extra-${n}`, receivedAt: kit.now - 100 });
    document.keys.push(key);
  }
  const store = await createWalletStore({ storage: createMemoryStorage(), passphrase: 'correct horse battery staple', kdf: TEST_KDF, document });
  return { kit, store };
}

/** The terminal: requests, and core's verifier with the policy's limits, then the policy. */
function terminal(kit: CredentialKit) {
  const requests: RequestIssuer = createRequestIssuer({ terminalId: TERMINAL, now: () => kit.now });
  const replayCache = createMemoryReplayCache();
  async function receive(presentation: string): Promise<ServiceVerificationResult | 'no pending request'> {
    const pending = requests.take({ nonce: keyBindingNonceOf({ presentation }) ?? '' });
    if (pending === undefined) return 'no pending request';
    const verify = createPresentationVerifier({
      crypto: kit.crypto,
      trust: createTrustedIssuerLookup(kit.trustedIssuers),
      status: kit.status,
      replayCache,
      limits: verificationLimitsFor(pending.policy),
    });
    const result = await verify({ presentation, keyBinding: { nonce: pending.nonce, audience: pending.clientId }, now: kit.now });
    return applyServicePolicy({ policy: pending.policy, result });
  }
  return { requests, receive };
}

async function answer({ store, link, now }: { store: WalletStore; link: string; now: number }) {
  const consent = await prepareConsent({ request: parsePresentationRequest(link), document: await store.load() });
  const presented = await presentWithConsent({ consent, store, now });
  return { consent, text: presented.text };
}

describe('terminal requests, wallet answers', () => {
  it("the wallet's parser takes every Gijón service's request, query unchanged", () => {
    const requests = createRequestIssuer({ terminalId: TERMINAL });
    for (const policy of policies.values()) {
      const request = requests.newRequest({ policy });
      const parsed = parsePresentationRequest(request.link);
      expect(parsed).toEqual({ clientId: TERMINAL, nonce: request.nonce, responseType: 'vp_token', dcqlQuery: dcqlQueryFor(policy) });
      // No larger than a presentation QR (DESIGN §7: version 29-L; version 30-L holds 1,732 bytes).
      expect(request.link.length).toBeLessThanOrEqual(1_732);
    }
  });

  it('pools: the wallet presents its pools entitlement, disclosing only service_id and tier; the terminal accepts once', async () => {
    const { kit, store } = await wallet({
      copies: [
        { type: 'ServiceEntitlementCredential', serviceId: 'library', count: 2 },
        { type: 'ServiceEntitlementCredential', serviceId: 'pools', count: 2 },
        { type: 'ResidentCredential', count: 2 },
      ],
    });
    const { requests, receive } = terminal(kit);
    const request = requests.newRequest({ policy: policies.get('pools')! });
    const { consent, text } = await answer({ store, link: request.link, now: kit.now });
    expect(consent.items).toEqual([expect.objectContaining({ queryId: 'entitlement_dc', serviceId: 'pools', disclosed: [['service_id'], ['tier']] })]);
    expect(await receive(text)).toMatchObject({ ok: true, serviceId: 'pools', accepted: 'entitlement', claims: { service_id: 'pools', tier: 'standard' } });
    // The same presentation again: its request was taken (one-time nonce).
    expect(await receive(text)).toBe('no pending request');
    expect(requests.stats()).toMatchObject({ issued: 1, taken: 1, unknown: 1, pending: 0 });
  });

  it('formats in order of preference: with both, the wallet answers vc+sd-jwt (claims under credentialSubject)', async () => {
    const { kit, store } = await wallet({
      copies: [
        { type: 'ServiceEntitlementCredential', serviceId: 'library', format: 'dc+sd-jwt', count: 1 },
        { type: 'ServiceEntitlementCredential', serviceId: 'library', format: 'vc+sd-jwt', count: 1 },
      ],
    });
    const { requests, receive } = terminal(kit);
    const { consent, text } = await answer({ store, link: requests.newRequest({ policy: policies.get('library')! }).link, now: kit.now });
    expect(consent.items).toEqual([expect.objectContaining({ queryId: 'entitlement_vc', disclosed: [['service_id'], ['pseudonym']] })]);
    expect(await receive(text)).toMatchObject({ ok: true, format: 'vc+sd-jwt', accepted: 'entitlement', claims: { service_id: 'library', pseudonym: kit.entitlementClaims.pseudonym } });
  });

  it('senior entry: the wallet offers a resident copy only when age_over_65 is true, and discloses only that', async () => {
    const young = await wallet({ copies: [{ type: 'ResidentCredential', count: 2 }, { type: 'ServiceEntitlementCredential', serviceId: 'library', count: 1 }] });
    const request = terminal(young.kit).requests.newRequest({ policy: policies.get('pools')! });
    await expect(prepareConsent({ request: parsePresentationRequest(request.link), document: await young.store.load() })).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });

    const senior = await wallet({ copies: [{ type: 'ResidentCredential', count: 1 }], residents: [{ claims: { age_over_65: true }, format: 'dc+sd-jwt' }] });
    const { requests, receive } = terminal(senior.kit);
    const { consent, text } = await answer({ store: senior.store, link: requests.newRequest({ policy: policies.get('pools')! }).link, now: senior.kit.now });
    expect(consent.items).toEqual([expect.objectContaining({ queryId: 'senior_dc', copyId: 'extra-1', disclosed: [['age_over_65']], values: [true] })]);
    const result = await receive(text);
    expect(result).toMatchObject({ ok: true, accepted: 'senior', claims: { age_over_65: true } });
    expect(Object.keys((result as { claims: object }).claims)).toEqual(['age_over_65']);
  });

  it('waste centre: a resident of Gijón discloses the locality only; a resident elsewhere has nothing to offer', async () => {
    const local = await wallet({ copies: [{ type: 'ResidentCredential', format: 'vc+sd-jwt', count: 1 }] });
    const { requests, receive } = terminal(local.kit);
    const { consent, text } = await answer({ store: local.store, link: requests.newRequest({ policy: policies.get('waste-centre')! }).link, now: local.kit.now });
    expect(consent.items).toEqual([expect.objectContaining({ queryId: 'resident_vc', disclosed: [['address', 'locality']] })]);
    expect(await receive(text)).toMatchObject({ ok: true, accepted: 'resident', claims: { address: { locality: 'Gijón' } } });

    const away = await wallet({ copies: [], residents: [{ claims: { address: { ...local.kit.residentClaims.address, locality: 'Oviedo' } }, format: 'dc+sd-jwt' }] });
    const request = terminal(away.kit).requests.newRequest({ policy: policies.get('waste-centre')! });
    await expect(prepareConsent({ request: parsePresentationRequest(request.link), document: await away.store.load() })).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
  });

  it("an answer to an expired request, or to another terminal's request, is refused", async () => {
    const { kit, store } = await wallet({ copies: [{ type: 'ServiceEntitlementCredential', serviceId: 'pools', count: 2 }] });
    let now = kit.now;
    const requests = createRequestIssuer({ terminalId: TERMINAL, now: () => now });
    const request = requests.newRequest({ policy: policies.get('pools')! });
    const { text } = await answer({ store, link: request.link, now: kit.now });
    now += 120;
    expect(requests.take({ nonce: keyBindingNonceOf({ presentation: text })! })).toBeUndefined();

    // Bus 12's request answered, the answer shown at the pool: the pool has no such nonce pending.
    const bus = createRequestIssuer({ terminalId: 'urbis:terminal:gijon-bus-12', now: () => kit.now });
    const pool = terminal(kit);
    const other = await answer({ store, link: bus.newRequest({ policy: policies.get('pools')! }).link, now: kit.now });
    expect(await pool.receive(other.text)).toBe('no pending request');
  });
});
