import { createNodeCrypto } from '../core/crypto/node-crypto.js';
import { createDidJwk } from '../core/did/did-jwk.js';
import { isUrbisError, type UrbisErrorCode } from '../core/errors/urbis-error.js';
import { decodeCompactJws } from '../core/jose/compact-jws.js';
import { jwkThumbprintInput } from '../core/keys/jwk-thumbprint.js';
import {
  acceptOffer,
  createTrustList,
  inspectOffer,
  pollDeferred,
  type FetchLike,
  type HolderKeyFactory,
  type IssuedConfiguration,
  type IssuedCopy,
  type PendingConfiguration,
  type TrustList,
} from '../holder-wallet/oid4vci/index.js';
import { enrolmentBody } from '../issuer/testing/city-data.js';
import { startIssuerFixture, type IssuerFixture } from '../issuer/testing/issuer-fixture.js';

/**
 * The wallet's OID4VCI client against the real city issuer over loopback
 * HTTP (SQLite, no chain): a citizen enrols in the front office, asks for
 * an offer, gets the tx_code by the notifier, and the wallet redeems the
 * offer by reference or by value; a clerk validates in the back office.
 */
describe('wallet issuance against the city issuer (OID4VCI 1.0 over HTTP)', () => {
  const crypto = createNodeCrypto();
  const newHolderKey: HolderKeyFactory = async () => {
    const { privateJwk, publicJwk } = crypto.generateKeyPair();
    return { publicJwk, signingKey: crypto.signingKeyFromJwk({ privateJwk }) };
  };
  let city: IssuerFixture;
  let clerk: string;
  let trustList: TrustList;

  beforeAll(async () => {
    city = await startIssuerFixture();
    clerk = await city.staffToken({ role: 'clerk' });
    trustList = createTrustList({ issuers: [{ issuerUrl: city.url, name: 'Ayuntamiento de Gijón' }] });
  }, 60_000);
  afterAll(async () => {
    await city?.close();
  });

  /** Enrols a citizen in the front office (application pending). */
  async function enrol(): Promise<{ email: string; reference: string; session: string }> {
    const body = enrolmentBody();
    const enrolled = await city.request('POST', '/front-office/enrolments', { json: body });
    expect(enrolled.status).toBe(201);
    return { email: body['email'] as string, reference: enrolled.body.application.reference, session: enrolled.body.session.token };
  }

  /** The clerk validates the application. */
  async function validate(reference: string): Promise<void> {
    const decided = await city.request('POST', `/back-office/applications/${reference}/decision`, { token: clerk, json: { decision: 'validate' } });
    expect(decided.status).toBe(200);
  }

  /** The citizen asks for an offer; the tx_code arrives by the notifier. */
  async function offerFor(citizen: { email: string; session: string }, formats?: string[]): Promise<{ byReference: string; byValue: string; txCode: string }> {
    const offer = await city.request('POST', '/front-office/me/offers', { token: citizen.session, ...(formats === undefined ? {} : { json: { formats } }) });
    expect(offer.status).toBe(201);
    return { byReference: offer.body.deepLink, byValue: offer.body.deepLinkByValue, txCode: await city.lastCodeSentTo(citizen.email) };
  }

  /** A fetch that records every URL it is asked for. */
  function recordingFetch(): { fetch: FetchLike; urls: string[] } {
    const urls: string[] = [];
    return { urls, fetch: (url, init) => { urls.push(url); return fetch(url, init); } };
  }

  async function expectCode(promise: Promise<unknown>, code: UrbisErrorCode): Promise<void> {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(isUrbisError(error) ? error.code : error).toBe(code);
  }

  /** The credential is bound to the copy's key, and the copy's signer signs with that key. */
  function expectBoundCopy(copy: IssuedCopy): void {
    const jwt = copy.credential.includes('~') ? copy.credential.slice(0, copy.credential.indexOf('~')) : copy.credential;
    const { payload } = decodeCompactJws(jwt);
    const cnf = (payload as { cnf?: { jwk: unknown } }).cnf;
    if (cnf !== undefined) expect(jwkThumbprintInput(cnf.jwk)).toBe(jwkThumbprintInput(copy.publicJwk));
    else expect((payload as { sub?: string }).sub ?? (payload as { vc: { credentialSubject: { id: string } } }).vc.credentialSubject.id).toBe(createDidJwk(copy.publicJwk));
    const signingInput = 'e30.e30';
    const signature = copy.signingKey.sign(signingInput) as Uint8Array;
    expect(crypto.verifySignature({ alg: 'ES256', publicJwk: copy.publicJwk, signingInput, signature })).toBe(true);
  }

  const issued = (result: unknown): IssuedConfiguration => {
    expect(result).toHaveProperty('copies');
    return result as IssuedConfiguration;
  };

  test('a pending application: the offer by reference is deferred; pollDeferred waits the interval, then gives the copies once the clerk validates', async () => {
    const citizen = await enrol();
    const { byReference, txCode } = await offerFor(citizen);
    const accepted = await acceptOffer({ offer: byReference, txCode, trustList, newHolderKey });
    expect(accepted.results.map((r) => r.configurationId).sort()).toEqual(['entitlement.library.dc+sd-jwt', 'entitlement.pools.dc+sd-jwt', 'resident.dc+sd-jwt']);
    const pendings = accepted.results.map((result) => {
      expect(result).toHaveProperty('pending');
      return (result as PendingConfiguration).pending;
    });
    for (const pending of pendings) {
      expect(pending.keys).toHaveLength(10);
      expect(pending.interval).toBeGreaterThan(0);
      expect(pending.notBefore).toBeGreaterThan(Date.now());
    }

    // Too early: without waiting, nothing is sent.
    const idle = recordingFetch();
    const early = await pollDeferred({ pending: pendings[0]!, fetch: idle.fetch, wait: false });
    expect(early.pending).toBe(pendings[0]);
    expect(idle.urls).toEqual([]);

    // Waiting: the poll sleeps out the interval first; the clerk has not decided yet, so it is still pending.
    const sleeps: number[] = [];
    const sleep = async (ms: number): Promise<void> => void sleeps.push(ms);
    const still = await pollDeferred({ pending: pendings[0]!, sleep });
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]!).toBeGreaterThan(0);
    expect(sleeps[0]!).toBeLessThanOrEqual(pendings[0]!.interval * 1000);
    expect(still.pending?.transactionId).toBe(pendings[0]!.transactionId);

    await validate(citizen.reference);
    const allKeys = new Set<string>();
    for (const pending of [still.pending!, ...pendings.slice(1)]) {
      const done = await pollDeferred({ pending, sleep });
      expect(done.copies).toHaveLength(10);
      expect(done.issuerId).toBe(city.config.did);
      for (const [i, copy] of done.copies!.entries()) {
        expect(copy.publicJwk).toEqual(pending.keys[i]!.publicJwk);
        expectBoundCopy(copy);
        allKeys.add(jwkThumbprintInput(copy.publicJwk));
      }
    }
    expect(allKeys.size).toBe(30);

    // A transaction gives its copies once.
    await expectCode(pollDeferred({ pending: pendings[1]!, sleep }), 'TRANSACTION_ID_INVALID');
  }, 30_000);

  test('a validated citizen, the offer by value: a batch of 10 one-time copies per configuration, each with its own key; the offer cannot be replayed', async () => {
    const citizen = await enrol();
    await validate(citizen.reference);
    const { byReference, byValue, txCode } = await offerFor(citizen);
    const pinned = createTrustList({ issuers: [{ issuerUrl: city.url, name: 'Ayuntamiento de Gijón', issuerIds: [city.config.did] }] });
    const accepted = await acceptOffer({ offer: byValue, txCode, trustList: pinned, newHolderKey, batchSize: 10 });
    expect(accepted.issuer.name).toBe('Ayuntamiento de Gijón');
    expect(accepted.metadata.credentialIssuer.batchSize).toBe(10);
    const keys = new Set<string>();
    const statusIndices = new Set<number>();
    for (const result of accepted.results) {
      const { copies, issuerId, format } = issued(result);
      expect(format).toBe('dc+sd-jwt');
      expect(issuerId).toBe(city.config.did);
      expect(copies).toHaveLength(10);
      for (const copy of copies) {
        expectBoundCopy(copy);
        keys.add(jwkThumbprintInput(copy.publicJwk));
        const { payload } = decodeCompactJws(copy.credential.slice(0, copy.credential.indexOf('~')));
        statusIndices.add((payload as { status: { status_list: { idx: number } } }).status.status_list.idx);
      }
    }
    expect(keys.size).toBe(30);
    expect(statusIndices.size).toBe(30);

    // The same offer again: by value the pre-authorized code is spent; by reference the offer is gone.
    await expectCode(acceptOffer({ offer: byValue, txCode, trustList, newHolderKey }), 'PRE_AUTH_CODE_REPLAYED');
    await expectCode(acceptOffer({ offer: byReference, txCode, trustList, newHolderKey }), 'OFFER_NOT_FOUND');
  }, 30_000);

  test('a wrong tx_code is TX_CODE_INVALID (a missing or malformed one is refused before it costs an attempt); the right one then works, in every format', async () => {
    const citizen = await enrol();
    await validate(citizen.reference);
    const { byReference, txCode } = await offerFor(citizen, ['vc+sd-jwt', 'jwt_vc_json']);
    const wrong = String((Number(txCode) + 1) % 1_000_000).padStart(6, '0');
    await expectCode(acceptOffer({ offer: byReference, txCode: wrong, trustList, newHolderKey }), 'TX_CODE_INVALID');

    const local = recordingFetch();
    await expectCode(acceptOffer({ offer: byReference, trustList, newHolderKey, fetch: local.fetch }), 'TX_CODE_INVALID');
    await expectCode(acceptOffer({ offer: byReference, txCode: '12a456', trustList, newHolderKey, fetch: local.fetch }), 'TX_CODE_INVALID');
    await expectCode(acceptOffer({ offer: byReference, txCode: '1234567', trustList, newHolderKey, fetch: local.fetch }), 'TX_CODE_INVALID');
    expect(local.urls.some((url) => url.endsWith('/oid4vci/token'))).toBe(false);

    const accepted = await acceptOffer({ offer: byReference, txCode, trustList, newHolderKey, batchSize: 2 });
    expect(accepted.results.map((r) => r.configurationId).sort()).toEqual([
      'entitlement.library.vc+sd-jwt',
      'entitlement.pools.vc+sd-jwt',
      'resident.jwt_vc_json',
      'resident.vc+sd-jwt',
    ]);
    for (const result of accepted.results) {
      const { copies, format, issuerId } = issued(result);
      expect(copies).toHaveLength(2);
      copies.forEach(expectBoundCopy);
      if (format === 'jwt_vc_json') expect(issuerId).toMatch(/^did:key:/);
      else expect(issuerId).toBe(city.config.did);
    }
  }, 30_000);

  test('an issuer outside the trust list is refused before its token endpoint is called; after addTrustedIssuer the same offer is accepted', async () => {
    const citizen = await enrol();
    await validate(citizen.reference);
    const { byReference, txCode } = await offerFor(citizen);
    const empty = createTrustList();
    const spy = recordingFetch();
    await expectCode(acceptOffer({ offer: byReference, txCode, trustList: empty, newHolderKey, fetch: spy.fetch }), 'ISSUER_UNTRUSTED');
    expect(spy.urls).toEqual([new URL(byReference).searchParams.get('credential_offer_uri')]);

    // The UI shows who is asking, the citizen agrees, the wallet adds the issuer.
    const preview = await inspectOffer({ offer: byReference, trustList: empty });
    expect(preview.trusted).toBeUndefined();
    expect(preview.issuerUrl).toBe(city.url);
    expect(preview.txCode).toMatchObject({ length: 6, input_mode: 'numeric' });
    expect(preview.issuerDisplay.map((d) => d.name)).toContain(city.config.cityName);
    empty.addTrustedIssuer({ issuerUrl: preview.issuerUrl, name: preview.issuerDisplay[0]!.name });

    const accepted = await acceptOffer({ offer: preview.offer, txCode, trustList: empty, newHolderKey, batchSize: 3 });
    expect(accepted.issuer).toEqual({ issuerUrl: city.url, name: city.config.cityName });
    for (const result of accepted.results) expect(issued(result).copies).toHaveLength(3);
  }, 30_000);

  test('metadata whose credential_issuer differs from the offer is BODY_INVALID, and the offer is not spent', async () => {
    const citizen = await enrol();
    await validate(citizen.reference);
    const { byValue, txCode } = await offerFor(citizen);
    const lying: FetchLike = async (url, init) => {
      const response = await fetch(url, init);
      if (!url.includes('/.well-known/openid-credential-issuer')) return response;
      const metadata = (await response.json()) as Record<string, unknown>;
      return new Response(JSON.stringify({ ...metadata, credential_issuer: 'https://other-city.example' }), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    await expectCode(acceptOffer({ offer: byValue, txCode, trustList, newHolderKey, fetch: lying }), 'BODY_INVALID');
    const accepted = await acceptOffer({ offer: byValue, txCode, trustList, newHolderKey, batchSize: 1 });
    for (const result of accepted.results) expect(issued(result).copies).toHaveLength(1);
  }, 30_000);

  test('a garbage offer link is BODY_INVALID, without a request', async () => {
    const spy = recordingFetch();
    const links = [
      'hello',
      '',
      'openid-credential-offer://?foo=bar',
      'openid-credential-offer://?credential_offer=%7Bnot-json',
      `openid-credential-offer://?credential_offer_uri=${encodeURIComponent('http://city.example/offers/1')}`,
      `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify({ credential_issuer: city.url, credential_configuration_ids: ['resident.dc+sd-jwt'] }))}`,
    ];
    for (const offer of links) await expectCode(acceptOffer({ offer, trustList, newHolderKey, fetch: spy.fetch }), 'BODY_INVALID');
    expect(spy.urls).toEqual([]);
  });
});
