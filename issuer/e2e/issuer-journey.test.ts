import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { decodeCompactJws } from '../../core/jose/compact-jws.js';
import { presentCredential } from '../../core/presentation/present-credential.js';
import { createStatusReader } from '../../core/status/status-reader.js';
import { createSnapshotStatusSource } from '../../core/status/status-source.js';
import { decodeTokenStatusList } from '../../core/status/token-status-list.js';
import { createNodeCompression } from '../../core/status/node-compression.js';
import { createTrustedIssuerLookup } from '../../core/trust/trusted-issuer.js';
import { verifyPresentation } from '../../core/verification/verify-presentation.js';
import { accreditIssuer } from '../../registry/snapshot/chain-fixtures.js';
import { thumbprintToChain } from '../../registry/snapshot/issuer-entries.js';
import { startDeployedRegistries, type DeployedRegistries } from '../../registry/testing/deployed-registries.js';
import { HARDHAT_TEST_KEYS } from '../../registry/testing/hardhat-node.js';
import { documentForm, enrolmentBody, samplePdf } from '../testing/city-data.js';
import { startIssuerFixture, type IssuerFixture } from '../testing/issuer-fixture.js';
import { redeemOffer, requestDeferred } from '../testing/oid4vci-test-client.js';

/**
 * The whole issuer journey over real HTTP, a real SQLite file and a real
 * Hardhat node: enrol → upload a document → ask for an offer (deferred
 * while pending) → clerk validates → the wallet-side client gets its
 * batches → a terminal (core's verifier) accepts a presentation → staff
 * revoke → the published status list shows every copy revoked and the
 * terminal refuses.
 */
describe('issuer journey: enrol → validate → batch → revoke → status list', () => {
  let registries: DeployedRegistries;
  let city: IssuerFixture;
  const crypto = createNodeCrypto();

  beforeAll(async () => {
    registries = await startDeployedRegistries();
    city = await startIssuerFixture({ registries });
  }, 120_000);
  afterAll(async () => {
    await city?.close();
    await registries?.stop();
  });

  test('a citizen gets one-time copies, a terminal accepts them, a revocation reaches the status list', async () => {
    const body = enrolmentBody();
    const enrolled = await city.request('POST', '/front-office/enrolments', { json: body });
    expect(enrolled.status).toBe(201);
    const reference = enrolled.body.application.reference as string;
    const citizen = enrolled.body.session.token as string;

    const upload = await city.request('POST', '/front-office/me/documents', { token: citizen, body: documentForm({ kind: 'proof_of_address', bytes: samplePdf() }) });
    expect(upload.status).toBe(201);
    expect(upload.body).toMatchObject({ kind: 'proof_of_address', mime: 'application/pdf' });

    const offer = await city.request('POST', '/front-office/me/offers', { token: citizen });
    expect(offer.status).toBe(201);
    expect(offer.body.qrSvg).toContain('<svg');
    expect(JSON.stringify(offer.body)).not.toMatch(/txCode|tx_code":"\d/);
    const txCode = await city.lastCodeSentTo(body['email'] as string);

    // Pending application: every configuration is deferred.
    const redeemed = await redeemOffer({ offer: offer.body.deepLink, txCode, batchSize: 10 });
    expect(redeemed.results.map((r) => r.configurationId).sort()).toEqual(['entitlement.library.dc+sd-jwt', 'entitlement.pools.dc+sd-jwt', 'resident.dc+sd-jwt']);
    for (const result of redeemed.results) expect('transactionId' in result).toBe(true);
    const first = redeemed.results[0]! as { transactionId: string };
    const stillPending = await requestDeferred({ issuerUrl: city.url, accessToken: redeemed.accessToken, transactionId: first.transactionId });
    expect(stillPending.status).toBe(202);

    // The clerk finds the application in the queue by reference and validates it.
    const clerk = await city.staffToken({ role: 'clerk' });
    const queue = await city.request('GET', '/back-office/applications', { token: clerk });
    expect(queue.body.applications.map((a: { reference: string }) => a.reference)).toContain(reference);
    const file = await city.request('GET', `/back-office/applications/${reference}`, { token: clerk });
    expect(file.status).toBe(200);
    const doc = await city.request('GET', `/back-office/applications/${reference}/documents/${file.body.documents[0].id}`, { token: clerk });
    expect(doc.status).toBe(200);
    expect(doc.text).toContain('URBIS-TEST-PROOF-OF-ADDRESS');
    const decided = await city.request('POST', `/back-office/applications/${reference}/decision`, { token: clerk, json: { decision: 'validate' } });
    expect(decided.status).toBe(200);
    expect(decided.body.state).toBe('validated');

    const issued = new Map<string, { credentials: string[]; holderKeys: typeof redeemed.results[number]['holderKeys'] }>();
    for (const result of redeemed.results) {
      const answer = await requestDeferred({ issuerUrl: city.url, accessToken: redeemed.accessToken, transactionId: (result as { transactionId: string }).transactionId });
      expect(answer.status).toBe(200);
      const credentials = (answer.body as { credentials: { credential: string }[] }).credentials.map((c) => c.credential);
      expect(credentials).toHaveLength(10);
      issued.set(result.configurationId, { credentials, holderKeys: result.holderKeys });
    }

    // One-time copies: distinct holder keys and status indices, day-rounded iat, the issuer's did:web and kid.
    const resident = issued.get('resident.dc+sd-jwt')!;
    const payloads = resident.credentials.map((c) => decodeCompactJws(c.slice(0, c.indexOf('~'))));
    expect(new Set(payloads.map((p) => (p.payload as { status: { status_list: { idx: number } } }).status.status_list.idx)).size).toBe(10);
    expect(new Set(payloads.map((p) => JSON.stringify((p.payload as { cnf: unknown }).cnf))).size).toBe(10);
    for (const p of payloads) {
      expect((p.payload as { iat: number }).iat % 86_400).toBe(0);
      expect((p.payload as { iss: string }).iss).toBe(city.config.did);
      expect(String(p.header.kid)).toMatch(new RegExp(`^${city.config.did}#`));
    }
    const pools = issued.get('entitlement.pools.dc+sd-jwt')!;
    const library = issued.get('entitlement.library.dc+sd-jwt')!;
    const pseudonymOf = (c: string) => {
      const disclosures = c.split('~').slice(1, -1).map((d) => JSON.parse(Buffer.from(d, 'base64url').toString('utf8')) as unknown[]);
      return disclosures.find((d) => d[1] === 'pseudonym')?.[2];
    };
    expect(pseudonymOf(pools.credentials[0]!)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pseudonymOf(pools.credentials[0]!)).toBe(pseudonymOf(pools.credentials[1]!));
    expect(pseudonymOf(pools.credentials[0]!)).not.toBe(pseudonymOf(library.credentials[0]!));

    // A terminal verifies offline, with the issuer key from the DID document and status from the published list.
    const didDocument = (await city.request('GET', '/.well-known/did.json')).body;
    const trust = createTrustedIssuerLookup([
      { id: city.config.did, keys: didDocument.verificationMethod.map((m: { id: string; publicKeyJwk: never }) => ({ kid: m.id, publicJwk: m.publicKeyJwk })), credentialTypes: ['ResidentCredential', 'ServiceEntitlementCredential'] },
    ]);
    const listUri = (payloads[0]!.payload as { status: { status_list: { uri: string } } }).status.status_list.uri;
    const listPath = new URL(listUri).pathname;
    const statusAt = async () => {
      const token = await city.request('GET', listPath, { headers: { accept: 'application/statuslist+jwt' } });
      expect(token.status).toBe(200);
      expect(token.headers.get('content-type')).toContain('application/statuslist+jwt');
      const list = decodeTokenStatusList({ statusList: (decodeCompactJws(token.text).payload as { status_list: unknown }).status_list, compression: createNodeCompression() });
      return { list, source: createSnapshotStatusSource({ syncedAt: Math.floor(Date.now() / 1000), lists: new Map([[listUri, createStatusReader({ list })]]) }) };
    };
    const present = async (copy: number) => {
      const nonce = `nonce-${copy}`;
      const presentation = await presentCredential({
        credential: resident.credentials[copy]!,
        claims: [['age_over_18']],
        nonce,
        audience: 'terminal:pool-1',
        holderKey: crypto.signingKeyFromJwk({ privateJwk: resident.holderKeys[copy]! }),
        hash: crypto.hash,
      });
      return verifyPresentation({ presentation, crypto, trust, status: (await statusAt()).source, keyBinding: { nonce, audience: 'terminal:pool-1' } });
    };
    const accepted = await present(0);
    expect(accepted).toMatchObject({ ok: true });

    // Staff revoke the resident batch; the publisher puts it on chain; the published list shows it.
    const batch = (await city.request('GET', `/back-office/applications/${reference}`, { token: clerk })).body.credentials.find((b: { credentialType: string }) => b.credentialType === 'ResidentCredential');
    const revoked = await city.request('POST', `/back-office/credentials/${batch.id}/status`, { token: clerk, json: { action: 'revoke', reason: 'issuer-decision' } });
    expect(revoked.status).toBe(200);
    expect(revoked.body.state).toBe('revoked');
    const deadline = Date.now() + 30_000;
    while (city.issuer.outbox.counts().confirmed < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(city.issuer.outbox.counts()).toMatchObject({ confirmed: 10, pending: 0 });
    // The publisher's confirmation drops the cached list: the next fetch shows the revocation.
    const fresh = await statusAt();
    for (const p of payloads) expect(fresh.list.get((p.payload as { status: { status_list: { idx: number } } }).status.status_list.idx)).toBe(1);
    const refused = await present(1);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.failures.map((f) => f.code)).toContain('STATUS_REVOKED');
    const bitstring = await city.request('GET', listPath, { headers: { accept: 'application/vc+jwt' } });
    expect(bitstring.headers.get('content-type')).toContain('application/vc+jwt');
  }, 120_000);

  test('key rotation publishes the new key in the federation registry before it signs; a city that does not control the entry rotates nothing', async () => {
    const did = 'did:web:federated.city.example';
    const cityA = await registries.signers[1]!.getAddress();
    const federated = await startIssuerFixture({ registries, federationKey: HARDHAT_TEST_KEYS[1]!, overrides: { did } });
    const intruder = await startIssuerFixture({ registries, federationKey: HARDHAT_TEST_KEYS[2]!, overrides: { did } });
    try {
      const admin = await federated.adminToken();
      const before = (await federated.request('GET', '/back-office/keys', { token: admin })).body.keys as { thumbprint: string; publicJwk: never }[];
      expect(before).toHaveLength(1);
      await accreditIssuer({ trust: registries.trust, did, controller: cityA, keys: [before[0]!.publicJwk], credentialTypes: ['ResidentCredential'], hash: crypto.hash });

      // City B's key does not control this entry: the registry refuses, and the issuer keeps its key.
      const intruderAdmin = await intruder.adminToken();
      const refused = await intruder.request('POST', '/back-office/keys/rotate', { token: intruderAdmin });
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.body.code).toMatch(/^CHAIN_/);
      expect((await intruder.request('GET', '/back-office/keys', { token: intruderAdmin })).body.keys).toHaveLength(1);

      const rotated = await federated.request('POST', '/back-office/keys/rotate', { token: admin });
      expect(rotated.status).toBe(200);
      expect(rotated.body.federation).toBe('updated');
      const entry = (await registries.trust.issuers()).find((i) => i.did === did)!;
      expect(entry.keyThumbprints.sort()).toEqual([rotated.body.active.thumbprint, before[0]!.thumbprint].map(thumbprintToChain).sort());
      const didDocument = (await federated.request('GET', '/.well-known/did.json')).body;
      expect(didDocument.verificationMethod).toHaveLength(2);
    } finally {
      await intruder.close();
      await federated.close();
    }
  }, 60_000);
});
