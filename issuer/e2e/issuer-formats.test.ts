import { createJwtVcAgent } from '../../adapters/veramo-jwt-vc/agent.js';
import { createDidJwtVcVerifier } from '../../adapters/veramo-jwt-vc/did-jwt-vc-verifier.js';
import { createVeramoJwtVcVerifier } from '../../adapters/veramo-jwt-vc/veramo-verifier.js';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import type { PrivateJwk, PublicJwk } from '../../core/crypto/ports.js';
import { createDidJwk } from '../../core/did/did-jwk.js';
import { createDidKey } from '../../core/did/did-key.js';
import { decodeCompactJws } from '../../core/jose/compact-jws.js';
import { VCDM_2_0_CONTEXT } from '../../core/jwt-vc/jwt-vc-port.js';
import { publicPartOf } from '../../core/keys/public-jwk.js';
import { presentCredential } from '../../core/presentation/present-credential.js';
import type { StatusSource } from '../../core/status/status-source.js';
import { createTrustedIssuerLookup, type TrustedIssuerLookup } from '../../core/trust/trusted-issuer.js';
import { verifyPresentation } from '../../core/verification/verify-presentation.js';
import { enrolmentBody } from '../testing/city-data.js';
import { startIssuerFixture, type IssuerFixture } from '../testing/issuer-fixture.js';
import { redeemOffer, resolveOffer } from '../testing/oid4vci-test-client.js';

/**
 * One citizen, the resident credential in the three formats the issuer
 * offers: `vc+sd-jwt` (W3C VCDM 2.0 secured as an SD-JWT), `dc+sd-jwt`
 * (IETF SD-JWT VC) and `jwt_vc_json` (VCDM 2.0 as a JWT, signed through
 * Veramo as a did:key). The SD-JWT ones are checked by core's verifier with
 * the keys of the issuer's DID document; the JWT VC by the adapter's
 * verifiers (did-jwt-vc and Veramo).
 *
 * The API has no way to ask for an offer of other formats (the front and
 * back office offers list the `dc+sd-jwt` configurations only), so the
 * offers here are made in-process with the issuer's offer service. The JWT
 * VC has an offer of its own, redeemed with a bounded wait, so that a hang
 * of its issuance fails its tests without holding up the SD-JWT ones.
 */

const ALL_FORMATS = ['resident.vc+sd-jwt', 'resident.dc+sd-jwt', 'resident.jwt_vc_json'] as const;
const SD_JWT_FORMATS = ['resident.vc+sd-jwt', 'resident.dc+sd-jwt'] as const;
/** Longest wait for one offer's credentials (they take well under a second). */
const ISSUANCE_WAIT_MS = 5_000;

interface Copies {
  credentials: string[];
  holderKeys: PrivateJwk[];
}

describe('one citizen, three credential formats', () => {
  const crypto = createNodeCrypto();
  let city: IssuerFixture;
  let admin: string;
  let body: Record<string, unknown>;
  let citizenId: string;
  let citizenToken: string;
  let issued: Map<string, Copies>;
  let jwtVcs: Promise<Copies> | undefined;
  /** The JWT VC copies, issued once (on first use) through their own offer. */
  const jwtVcCopies = (): Promise<Copies> => (jwtVcs ??= issue(['resident.jwt_vc_json']).then((m) => m.get('resident.jwt_vc_json')!));

  /** An offer of `configurationIds` made in-process (no route takes a list of configurations), redeemed like a wallet. */
  async function issue(configurationIds: readonly string[], batchSize = 2): Promise<Map<string, Copies>> {
    const offer = await city.issuer.offers.create({ citizenId, configurationIds, requester: { kind: 'citizen', id: citizenId } });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ISSUANCE_WAIT_MS} ms for ${configurationIds.join(', ')}`)), ISSUANCE_WAIT_MS);
    });
    const redeemed = await Promise.race([redeemOffer({ offer: offer.deepLinkByReference, txCode: offer.txCode, batchSize }), timeout]).finally(() => clearTimeout(timer));
    const out = new Map<string, Copies>();
    for (const result of redeemed.results) {
      if (!('credentials' in result)) throw new Error(`${result.configurationId} was deferred`);
      expect(result.credentials).toHaveLength(batchSize);
      out.set(result.configurationId, { credentials: result.credentials, holderKeys: result.holderKeys });
    }
    return out;
  }

  async function trustFromDidDocument(): Promise<TrustedIssuerLookup> {
    const didDocument = (await city.request('GET', '/.well-known/did.json')).body as { verificationMethod: { id: string; publicKeyJwk: PublicJwk }[] };
    return createTrustedIssuerLookup([{ id: city.config.did, keys: didDocument.verificationMethod.map((m) => ({ kid: m.id, publicJwk: m.publicKeyJwk })), credentialTypes: ['ResidentCredential'] }]);
  }

  /** The status a terminal would sync, from the issuer's status outbox (no chain in this test). */
  function statusFromOutbox(): StatusSource {
    const listUri = `${city.url}/status/0`;
    const changes = city.issuer.outbox.changes({ listId: 0 });
    return {
      syncedAt: Math.floor(Date.now() / 1000),
      statusOf: (ref) => {
        if (ref.uri !== listUri) throw new Error(`unexpected status list ${ref.uri}`);
        return changes.filter((c) => c.index === ref.index).at(-1)?.value ?? 0;
      },
    };
  }

  async function presentAndVerify(copies: Copies, copy: number, trust?: TrustedIssuerLookup) {
    const nonce = `nonce-${copy}-${Math.random()}`;
    const presentation = await presentCredential({
      credential: copies.credentials[copy]!,
      claims: [['given_name'], ['family_name'], ['age_over_18']],
      nonce,
      audience: 'terminal:library-1',
      holderKey: crypto.signingKeyFromJwk({ privateJwk: copies.holderKeys[copy]! }),
      hash: crypto.hash,
    });
    return verifyPresentation({ presentation, crypto, trust: trust ?? (await trustFromDidDocument()), status: statusFromOutbox(), keyBinding: { nonce, audience: 'terminal:library-1' } });
  }

  beforeAll(async () => {
    city = await startIssuerFixture();
    admin = await city.adminToken();
    body = enrolmentBody({ services: [{ service_id: 'library', tier: 'standard' }] });
    const enrolled = await city.request('POST', '/front-office/enrolments', { json: body });
    expect(enrolled.status).toBe(201);
    citizenToken = enrolled.body.session.token;
    citizenId = (await city.request('GET', '/front-office/me', { token: citizenToken })).body.citizen.id;
    const clerk = await city.staffToken({ role: 'clerk' });
    const decided = await city.request('POST', `/back-office/applications/${enrolled.body.application.reference}/decision`, { token: clerk, json: { decision: 'validate' } });
    expect(decided.status).toBe(200);
    issued = await issue(SD_JWT_FORMATS);
  }, 30_000);
  afterAll(async () => {
    // Bounded: an issuance stuck in a database transaction would hold the close forever.
    await Promise.race([city?.close(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  });

  test('the metadata lists the three resident formats; offers list dc+sd-jwt by default, other formats when asked', async () => {
    const metadata = (await city.request('GET', '/.well-known/openid-credential-issuer')).body;
    const configurations = metadata.credential_configurations_supported as Record<string, { format: string; vct?: string; credential_definition?: { type: string[] } }>;
    expect(configurations['resident.vc+sd-jwt']).toMatchObject({ format: 'vc+sd-jwt', credential_definition: { type: ['VerifiableCredential', 'ResidentCredential'] } });
    expect(configurations['resident.dc+sd-jwt']).toMatchObject({ format: 'dc+sd-jwt' });
    expect(configurations['resident.jwt_vc_json']).toMatchObject({ format: 'jwt_vc_json', credential_definition: { type: ['VerifiableCredential', 'ResidentCredential'] } });

    const byDefault = await city.request('POST', '/front-office/me/offers', { token: citizenToken });
    expect(byDefault.status).toBe(201);
    expect((await resolveOffer({ offer: byDefault.body.deepLink })).credential_configuration_ids).toEqual(['resident.dc+sd-jwt', 'entitlement.library.dc+sd-jwt']);
    const asked = await city.request('POST', '/front-office/me/offers', { token: citizenToken, json: { formats: ['vc+sd-jwt', 'jwt_vc_json'] } });
    expect(asked.status).toBe(201);
    expect((await resolveOffer({ offer: asked.body.deepLink })).credential_configuration_ids).toEqual(['resident.vc+sd-jwt', 'entitlement.library.vc+sd-jwt', 'resident.jwt_vc_json']);
    // Configuration ids are not a client's to choose: an unknown member or format is BODY_INVALID.
    const refused = await city.request('POST', '/front-office/me/offers', { token: citizenToken, json: { configurationIds: [...ALL_FORMATS] } });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('BODY_INVALID');
    expect((await city.request('POST', '/front-office/me/offers', { token: citizenToken, json: { formats: ['ldp_vc'] } })).body.code).toBe('BODY_INVALID');
  });

  test('vc+sd-jwt (W3C VCDM 2.0) and dc+sd-jwt (SD-JWT VC) of the same citizen: own holder key and status entry per copy, the same claims', async () => {
    expect([...issued.keys()]).toEqual([...SD_JWT_FORMATS]);
    const vc = issued.get('resident.vc+sd-jwt')!;
    const dc = issued.get('resident.dc+sd-jwt')!;

    // vc+sd-jwt: W3C VCDM 2.0, typ vc+sd-jwt, a BitstringStatusListEntry per copy.
    const vcIndices = new Set<string>();
    for (const [i, credential] of vc.credentials.entries()) {
      const { header, payload } = decodeCompactJws(credential.slice(0, credential.indexOf('~')));
      expect(header).toMatchObject({ typ: 'vc+sd-jwt', alg: 'ES256' });
      expect(String(header.kid)).toMatch(new RegExp(`^${city.config.did}#`));
      expect(payload['@context']).toEqual([VCDM_2_0_CONTEXT, 'https://urbis.city/credentials/v1']);
      expect(payload['type']).toEqual(['VerifiableCredential', 'ResidentCredential']);
      expect(payload['issuer']).toBe(city.config.did);
      expect(payload['validFrom']).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00Z$/);
      expect(typeof payload['validUntil']).toBe('string');
      const status = payload['credentialStatus'] as Record<string, unknown>;
      expect(status).toMatchObject({ type: 'BitstringStatusListEntry', statusPurpose: 'message', statusSize: 2, statusListCredential: `${city.url}/status/0` });
      expect(status['statusListIndex']).toMatch(/^[0-9]+$/);
      vcIndices.add(status['statusListIndex'] as string);
      expect(payload['status']).toBeUndefined();
      expect((payload['cnf'] as { jwk: { x: string } }).jwk.x).toBe(vc.holderKeys[i]!.x);
    }
    expect(vcIndices.size).toBe(vc.credentials.length);

    // dc+sd-jwt: IETF SD-JWT VC, typ dc+sd-jwt, a Token Status List entry.
    for (const credential of dc.credentials) {
      const { header, payload } = decodeCompactJws(credential.slice(0, credential.indexOf('~')));
      expect(header).toMatchObject({ typ: 'dc+sd-jwt', alg: 'ES256' });
      expect(payload['iss']).toBe(city.config.did);
      expect(typeof payload['vct']).toBe('string');
      expect(payload['@context']).toBeUndefined();
      expect(payload['status']).toMatchObject({ status_list: { uri: `${city.url}/status/0` } });
    }

    // Both SD-JWT formats verify and disclose the same claims.
    const accepted = await Promise.all([presentAndVerify(vc, 0), presentAndVerify(dc, 0)]);
    for (const result of accepted) {
      if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.failures)}`);
      expect(result.claims).toMatchObject({ given_name: body['given_name'], family_name: body['family_name'], age_over_18: true });
    }
    expect(accepted.map((r) => r.ok && [r.format, r.type, r.issuer])).toEqual([
      ['vc+sd-jwt', 'ResidentCredential', city.config.did],
      ['dc+sd-jwt', 'ResidentCredential', city.config.did],
    ]);
  });

  test('core verifies both SD-JWT formats with the DID document keys, and refuses them once revoked', async () => {
    for (const configurationId of ['resident.vc+sd-jwt', 'resident.dc+sd-jwt']) {
      const copies = issued.get(configurationId)!;
      expect(await presentAndVerify(copies, 1)).toMatchObject({ ok: true });
      // Another issuer's keys: refused.
      const stranger = createTrustedIssuerLookup([{ id: city.config.did, keys: [{ kid: `${city.config.did}#other`, publicJwk: publicPartOf(crypto.generateKeyPair().privateJwk) }], credentialTypes: ['ResidentCredential'] }]);
      expect((await presentAndVerify(copies, 1, stranger)).ok).toBe(false);
    }
    // Staff revoke the vc+sd-jwt batch: its copies are refused, the dc+sd-jwt ones still accepted.
    const me = (await city.request('GET', '/front-office/me', { token: citizenToken })).body as { credentials: { id: string; configurationId: string; format: string }[] };
    const vcBatch = me.credentials.find((b) => b.configurationId === 'resident.vc+sd-jwt')!;
    expect(vcBatch.format).toBe('vc+sd-jwt');
    const revoked = await city.request('POST', `/back-office/credentials/${vcBatch.id}/status`, { token: admin, json: { action: 'revoke' } });
    expect(revoked.status).toBe(200);
    const refused = await presentAndVerify(issued.get('resident.vc+sd-jwt')!, 0);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.failures.map((f) => f.code)).toContain('STATUS_REVOKED');
    expect(await presentAndVerify(issued.get('resident.dc+sd-jwt')!, 1)).toMatchObject({ ok: true });
  });

  test('jwt_vc_json through Veramo: VCDM 2.0, issuer did:key of the active key, subject did:jwk of the proof key; did-jwt-vc and Veramo verify it', async () => {
    // jwt_vc_json: VCDM 2.0 as a JWT, issuer a did:key, subject the did:jwk of each copy's proof key.
    const keys = (await city.request('GET', '/back-office/keys', { token: admin })).body.keys as { state: string; publicJwk: PublicJwk }[];
    const issuerDid = createDidKey(keys.find((k) => k.state === 'active')!.publicJwk);
    const jwt = await jwtVcCopies();
    for (const [i, credential] of jwt.credentials.entries()) {
      const { header, payload } = decodeCompactJws(credential);
      expect(header['alg']).toBe('ES256');
      expect(payload['iss']).toBe(issuerDid);
      expect(payload['sub']).toBe(createDidJwk(publicPartOf(jwt.holderKeys[i]!)));
      const w3c = payload['vc'] as Record<string, unknown>;
      expect(w3c['@context']).toEqual([VCDM_2_0_CONTEXT]);
      expect(w3c['type']).toEqual(['VerifiableCredential', 'ResidentCredential']);
      expect(w3c['credentialStatus']).toMatchObject({ type: 'BitstringStatusListEntry', statusListCredential: `${city.url}/status/0` });
    }
    expect(new Set(jwt.credentials.map((c) => decodeCompactJws(c).payload['iss'])).size).toBe(1);

    // It says the same about the citizen as the SD-JWT formats.
    const jwtClaims = (decodeCompactJws(jwt.credentials[0]!).payload['vc'] as { credentialSubject: Record<string, unknown> }).credentialSubject;
    expect(jwtClaims).toMatchObject({ given_name: body['given_name'], family_name: body['family_name'], birthdate: body['birthdate'], age_over_18: true });

    // The adapters' verifiers, the issuer trusted as the did:key of its active signing key.
    const verifiers = { 'did-jwt-vc': createDidJwtVcVerifier(), Veramo: createVeramoJwtVcVerifier({ agent: createJwtVcAgent() }) };
    for (const [name, verify] of Object.entries(verifiers)) {
      for (const [i, credential] of jwt.credentials.entries()) {
        const result = await verify({ jwt: credential, trustedIssuers: [issuerDid] });
        if (!result.ok) throw new Error(`${name} refused copy ${i}: ${JSON.stringify(result.failures)}`);
        expect(result).toMatchObject({ vcdmVersion: '2.0', issuer: issuerDid, subjectId: createDidJwk(publicPartOf(jwt.holderKeys[i]!)) });
        expect(result.type).toEqual(['VerifiableCredential', 'ResidentCredential']);
        expect(result.claims).toMatchObject({ given_name: body['given_name'], family_name: body['family_name'], municipality: city.config.municipality });
        expect(result.credentialStatus).toMatchObject({ type: 'BitstringStatusListEntry' });
      }
      // A tampered payload, or an issuer not trusted, is refused.
      const [h, p, s] = jwt.credentials[0]!.split('.');
      const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as { vc: { credentialSubject: Record<string, unknown> } };
      payload.vc.credentialSubject['given_name'] = 'Mallory';
      const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
      expect((await verify({ jwt: tampered, trustedIssuers: [issuerDid] })).ok).toBe(false);
      expect((await verify({ jwt: jwt.credentials[0]!, trustedIssuers: ['did:key:zDnaeSomeoneElse'] })).ok).toBe(false);
    }
  });

  test('after a key rotation, new credentials of every format are signed with the new key', async () => {
    await jwtVcCopies(); // a JWT VC issued before the rotation
    const rotated = await city.request('POST', '/back-office/keys/rotate', { token: admin });
    expect(rotated.status).toBe(200);
    const active = rotated.body.active as { kid: string; publicJwk: PublicJwk };
    const fresh = await issue(ALL_FORMATS, 1);
    expect([...fresh.keys()]).toEqual([...ALL_FORMATS]);
    for (const configurationId of ['resident.vc+sd-jwt', 'resident.dc+sd-jwt']) {
      const credential = fresh.get(configurationId)!.credentials[0]!;
      expect(decodeCompactJws(credential.slice(0, credential.indexOf('~'))).header.kid).toBe(active.kid);
      expect(await presentAndVerify(fresh.get(configurationId)!, 0)).toMatchObject({ ok: true });
    }
    // The JWT VC's issuer is the did:key of the issuer's signing key: after rotation, of the new one.
    const jwt = fresh.get('resident.jwt_vc_json')!.credentials[0]!;
    expect(decodeCompactJws(jwt).payload['iss']).toBe(createDidKey(active.publicJwk));
  }, 10_000);
});
