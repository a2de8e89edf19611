import { base64urlDecode } from '../core/encoding/base64url.js';
import { decodeCompactJws } from '../core/jose/compact-jws.js';
import { splitSdJwt } from '../core/sd-jwt/compact-sd-jwt.js';
import { generateHolderKey, type HolderKey } from '../holder-wallet/keys/index.js';
import { createTrustList, acceptOffer, type HolderKeyFactory, type IssuedConfiguration } from '../holder-wallet/oid4vci/index.js';
import { parsePresentationRequest, prepareConsent, presentWithConsent } from '../holder-wallet/presentation/index.js';
import { createHolderKeyRecord, createMemoryStorage, createWalletStore, emptyWalletDocument, type WalletStore } from '../holder-wallet/store/index.js';
import { TEST_KDF } from '../holder-wallet/testing/wallet-fixtures.js';
import { enrolmentBody } from '../issuer/testing/city-data.js';
import { startIssuerFixture, type IssuerFixture } from '../issuer/testing/issuer-fixture.js';

/**
 * Issue 5, "Privacy test (must exist)": a citizen's copies come from the
 * REAL city issuer (OID4VCI over loopback HTTP); the wallet presents
 * age_over_18 of the resident credential to two terminals, and twice more
 * to the same terminal, plus the pools pseudonym to a third terminal once.
 * No two presentations share any value: every decoded field (issuer JWT
 * header and payload, every disclosure, KB-JWT header and payload) and
 * every base64url segment is compared, except the values listed in
 * ALLOWED below, each with its reason.
 */
describe('wallet privacy: presentations share no value', () => {
  let city: IssuerFixture;
  beforeAll(async () => {
    city = await startIssuerFixture();
  }, 60_000);
  afterAll(async () => {
    await city?.close();
  });

  /** Every value in a JSON value: each leaf (as JSON) and each object or array (as JSON). */
  function valuesOf(value: unknown, out: Set<string>): void {
    out.add(JSON.stringify(value));
    if (typeof value === 'object' && value !== null) for (const child of Object.values(value)) valuesOf(child, out);
  }

  /** Everything a presentation carries: its base64url segments (tagged `b64:`) and every decoded value. */
  function everything(presentation: string): Set<string> {
    const out = new Set<string>();
    const parts = splitSdJwt(presentation, { maxBytes: 65_536 });
    for (const jwt of [parts.issuerJwt, parts.kbJwt!]) {
      for (const segment of jwt.split('.')) out.add(`b64:${segment}`);
      const { header, payload } = decodeCompactJws(jwt);
      valuesOf(header, out);
      valuesOf(payload, out);
    }
    for (const disclosure of parts.disclosures) {
      out.add(`b64:${disclosure}`);
      valuesOf(JSON.parse(new TextDecoder().decode(base64urlDecode(disclosure))), out);
    }
    return out;
  }

  test('two terminals, and twice the same terminal: no signature, salt, digest, holder key, status index or pseudonym in common', async () => {
    // The citizen enrols, a clerk validates, the wallet redeems the offer with Web Crypto holder keys.
    const body = enrolmentBody();
    const enrolled = await city.request('POST', '/front-office/enrolments', { json: body });
    expect(enrolled.status).toBe(201);
    const clerk = await city.staffToken({ role: 'clerk' });
    const decided = await city.request('POST', `/back-office/applications/${enrolled.body.application.reference}/decision`, { token: clerk, json: { decision: 'validate' } });
    expect(decided.status).toBe(200);
    const offer = await city.request('POST', '/front-office/me/offers', { token: enrolled.body.session.token });
    expect(offer.status).toBe(201);
    const txCode = await city.lastCodeSentTo(body['email'] as string);
    const holderKeys = new Map<string, HolderKey>();
    const newHolderKey: HolderKeyFactory = async () => {
      const key = await generateHolderKey({ extractable: true });
      holderKeys.set(key.publicJwk.x, key);
      return { publicJwk: key.publicJwk, signingKey: key.signingKey };
    };
    const trustList = createTrustList({ issuers: [{ issuerUrl: city.url, name: 'Ayuntamiento de Gijón' }] });
    const accepted = await acceptOffer({ offer: offer.body.deepLinkByValue, txCode, trustList, newHolderKey, batchSize: 5 });

    const now = Math.floor(Date.now() / 1000);
    const document = emptyWalletDocument();
    let n = 0;
    for (const result of accepted.results) {
      const { copies, format, issuerId, configurationId } = result as IssuedConfiguration;
      for (const copy of copies) {
        const key = await createHolderKeyRecord({ holderKey: holderKeys.get(copy.publicJwk.x)!, createdAt: now });
        const service = configurationId.startsWith('entitlement.') ? configurationId.split('.')[1]! : undefined;
        document.keys.push(key);
        document.credentials.push({
          id: `copy-${++n}`,
          credential: copy.credential,
          format: format as 'dc+sd-jwt',
          credentialType: service === undefined ? 'ResidentCredential' : 'ServiceEntitlementCredential',
          ...(service === undefined ? {} : { serviceId: service }),
          issuerId,
          holderKeyId: key.id,
          configurationId,
          receivedAt: now,
        });
      }
    }
    const store: WalletStore = await createWalletStore({ storage: createMemoryStorage(), passphrase: 'correct horse battery staple', kdf: TEST_KDF, document });
    const vctOf = (configurationId: string): string => {
      const copy = document.credentials.find((c) => c.configurationId === configurationId)!;
      return decodeCompactJws(copy.credential.slice(0, copy.credential.indexOf('~'))).payload.vct as string;
    };
    const residentQuery = { id: 'resident', format: 'dc+sd-jwt', meta: { vct_values: [vctOf('resident.dc+sd-jwt')] }, claims: [{ path: ['age_over_18'] }] };
    const poolsQuery = {
      id: 'pools',
      format: 'dc+sd-jwt',
      meta: { vct_values: [vctOf('entitlement.pools.dc+sd-jwt')] },
      claims: [{ path: ['service_id'], values: ['pools'] }, { path: ['pseudonym'] }],
    };

    const present = async (terminal: string, query: object, at: number): Promise<string> => {
      const nonce = `nonce-${Array.from(globalThis.crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
      const link = `openid4vp://?${new URLSearchParams({ client_id: terminal, nonce, response_type: 'vp_token', dcql_query: JSON.stringify({ credentials: [query] }) })}`;
      const consent = await prepareConsent({ request: parsePresentationRequest(link), document: await store.load() });
      return (await presentWithConsent({ consent, store, now: at })).text;
    };
    const poolTerminal = 'urn:urbis:terminal:gijon-pool-1';
    const libraryTerminal = 'urn:urbis:terminal:gijon-library-2';
    const sportsTerminal = 'urn:urbis:terminal:gijon-sports-3';
    const presentations = [
      await present(poolTerminal, residentQuery, now),
      await present(libraryTerminal, residentQuery, now + 1),
      await present(poolTerminal, residentQuery, now + 2),
      await present(poolTerminal, residentQuery, now + 3),
      await present(sportsTerminal, poolsQuery, now + 4),
    ];
    expect((await store.load()).credentials.filter((c) => c.spentAt !== undefined)).toHaveLength(5);

    // What may be common, and why. Everything else must differ.
    const first = decodeCompactJws(splitSdJwt(presentations[0]!, { maxBytes: 65_536 }).issuerJwt);
    const payload = first.payload as Record<string, unknown>;
    const statusUri = (payload.status as { status_list: { uri: string } }).status_list.uri;
    const ALLOWED = new Map<string, string>([
      // Protocol constants: the same for every Urbis presentation.
      [JSON.stringify('ES256'), 'alg (issuer and holder): the only allowed algorithm'],
      [JSON.stringify('dc+sd-jwt'), 'typ of the issuer JWT'],
      [JSON.stringify('kb+jwt'), 'typ of the KB-JWT'],
      [JSON.stringify('sha-256'), '_sd_alg'],
      [JSON.stringify('EC'), 'kty of the holder key: every P-256 key has it'],
      [JSON.stringify('P-256'), 'crv of the holder key: every P-256 key has it'],
      // The issuer: public, and the same for every citizen.
      [JSON.stringify(payload.iss), 'iss: the city'],
      [JSON.stringify(first.header.kid), "kid: the city's signing key"],
      [JSON.stringify(statusUri), 'the status list URI: shared by every citizen on that list (the index differs)'],
      [JSON.stringify(payload.vct), 'vct of the resident credential'],
      [JSON.stringify(vctOf('entitlement.pools.dc+sd-jwt')), 'vct of the entitlement'],
      // Coarse, day-rounded times: shared by everyone issued that day.
      ...(['iat', 'nbf', 'exp'] as const).filter((c) => payload[c] !== undefined).map((c): [string, string] => [JSON.stringify(payload[c]), `${c}: day-rounded`]),
      // What the citizen chose to show: the claim name and value asked for.
      [JSON.stringify('age_over_18'), 'the disclosed claim name'],
      [JSON.stringify(true), 'the disclosed claim value (age_over_18: true)'],
      // The KB-JWT audience: the same terminal, by definition.
      [JSON.stringify(poolTerminal), 'aud: the same terminal for presentations 0, 2, 3'],
    ]);
    // An object, or a base64url segment, may be common only when it holds nothing but allowed values:
    // the issuer JWT header ({alg, typ, kid}) and the KB-JWT header ({alg, typ}), identical for everyone.
    const allowedSegment = (value: string): boolean => {
      let decoded: unknown;
      try {
        decoded = value.startsWith('b64:') ? JSON.parse(new TextDecoder().decode(base64urlDecode(value.slice(4)))) : JSON.parse(value);
      } catch {
        return false;
      }
      if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) return false;
      return Object.values(decoded).every((v) => ALLOWED.has(JSON.stringify(v)));
    };
    // The time rounding is real: iat/nbf/exp are whole days.
    for (const claim of ['iat', 'nbf', 'exp']) if (typeof payload[claim] === 'number') expect((payload[claim] as number) % 86_400).toBe(0);

    const sets = presentations.map(everything);
    const shared: string[] = [];
    for (let i = 0; i < sets.length; i++) {
      for (let j = i + 1; j < sets.length; j++) {
        for (const value of sets[i]!) {
          if (sets[j]!.has(value) && !ALLOWED.has(value) && !allowedSegment(value)) shared.push(`${i}/${j}: ${value}`);
        }
      }
    }
    expect(shared).toEqual([]);
    // Sanity: the comparison sees the things that must differ.
    const keysSeen = sets.map((s) => [...s].filter((v) => v.startsWith('{"kty":"EC"')));
    expect(keysSeen.every((k) => k.length === 1)).toBe(true);
    expect(sets[4]!.has(JSON.stringify('pools'))).toBe(true);
  }, 30_000);
});
