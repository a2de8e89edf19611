import { isUrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';
import { PRE_AUTHORIZED_CODE_GRANT_TYPE } from '../../core/oid4vci/credential-offer.js';
import { parseCredentialOffer } from './credential-offer.js';
import type { FetchLike } from './issuer-http.js';
import { fetchOfferByReference, MAX_OFFER_LINK_LENGTH, parseOfferLink, resolveOffer } from './offer-link.js';

const ISSUER = 'https://sede.gijon.es';
const OFFER = {
  credential_issuer: ISSUER,
  credential_configuration_ids: ['resident.dc+sd-jwt', 'entitlement.pools.dc+sd-jwt'],
  grants: { [PRE_AUTHORIZED_CODE_GRANT_TYPE]: { 'pre-authorized_code': 'code-1', tx_code: { length: 6, input_mode: 'numeric', description: 'SMS' } } },
};
const byValue = (offer: unknown, endpoint = 'openid-credential-offer://'): string => `${endpoint}?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`;
const byReference = (uri: string, endpoint = 'openid-credential-offer://'): string => `${endpoint}?credential_offer_uri=${encodeURIComponent(uri)}`;

function codeOf(run: () => unknown): UrbisErrorCode | unknown {
  try {
    run();
  } catch (e) {
    return isUrbisError(e) ? e.code : e;
  }
  return 'no error';
}

async function asyncCodeOf(promise: Promise<unknown>): Promise<UrbisErrorCode | unknown> {
  return promise.then(() => 'no error', (e: unknown) => (isUrbisError(e) ? e.code : e));
}

/** A fake fetch answering every request with one response, recording what was asked. */
function answering(body: BodyInit | null, init: ResponseInit = { headers: { 'content-type': 'application/json' } }): { fetch: FetchLike; calls: { url: string; init?: RequestInit }[] } {
  const calls: { url: string; init?: RequestInit }[] = [];
  return {
    calls,
    fetch: async (url, requestInit) => {
      calls.push({ url, ...(requestInit === undefined ? {} : { init: requestInit }) });
      return new Response(body, init);
    },
  };
}

describe('parseOfferLink (OID4VCI 1.0 §4.1)', () => {
  test('reads an offer by value from the openid-credential-offer scheme and from an https wallet endpoint', () => {
    expect(parseOfferLink(byValue(OFFER))).toEqual({ offer: OFFER });
    expect(parseOfferLink(byValue(OFFER, 'https://wallet.example/offer'))).toEqual({ offer: OFFER });
    expect(parseOfferLink(`  ${byValue(OFFER)}\n`)).toEqual({ offer: OFFER });
  });

  test('reads an offer by reference: https anywhere, plain http only to a loopback address', () => {
    expect(parseOfferLink(byReference('https://sede.gijon.es/oid4vci/offers/ab12'))).toEqual({ offerUri: 'https://sede.gijon.es/oid4vci/offers/ab12' });
    expect(parseOfferLink(byReference('http://127.0.0.1:4000/oid4vci/offers/ab12', 'https://wallet.example/cb'))).toEqual({ offerUri: 'http://127.0.0.1:4000/oid4vci/offers/ab12' });
    expect(parseOfferLink(byReference('http://localhost:4000/o/1')).offerUri).toBe('http://localhost:4000/o/1');
    expect(parseOfferLink(byReference('http://[::1]:4000/o/1')).offerUri).toBe('http://[::1]:4000/o/1');
    expect(codeOf(() => parseOfferLink(byReference('http://sede.gijon.es/oid4vci/offers/ab12')))).toBe('BODY_INVALID');
    expect(codeOf(() => parseOfferLink(byReference('ftp://sede.gijon.es/offer')))).toBe('BODY_INVALID');
    expect(codeOf(() => parseOfferLink(byReference('https://user:pw@sede.gijon.es/offer')))).toBe('BODY_INVALID');
  });

  test.each([
    ['not a URL', 'hello world'],
    ['empty', ''],
    ['neither parameter', 'openid-credential-offer://?foo=bar'],
    ['both parameters', `${byValue(OFFER)}&credential_offer_uri=${encodeURIComponent('https://sede.gijon.es/o/1')}`],
    ['a repeated parameter', `${byValue(OFFER)}&credential_offer=${encodeURIComponent(JSON.stringify(OFFER))}`],
    ['bad JSON', 'openid-credential-offer://?credential_offer=%7Bnot-json'],
    ['a JSON array', byValue([OFFER])],
    ['too long', byReference(`https://sede.gijon.es/${'a'.repeat(MAX_OFFER_LINK_LENGTH)}`)],
    ['no pre-authorized grant', byValue({ ...OFFER, grants: { authorization_code: {} } })],
    ['no grants', byValue({ credential_issuer: ISSUER, credential_configuration_ids: ['x'] })],
    ['an http issuer', byValue({ ...OFFER, credential_issuer: 'http://sede.gijon.es' })],
    ['an issuer with a query', byValue({ ...OFFER, credential_issuer: 'https://sede.gijon.es?x=1' })],
    ['no configurations', byValue({ ...OFFER, credential_configuration_ids: [] })],
    ['duplicate configurations', byValue({ ...OFFER, credential_configuration_ids: ['a', 'a'] })],
    ['a bad tx_code', byValue({ ...OFFER, grants: { [PRE_AUTHORIZED_CODE_GRANT_TYPE]: { 'pre-authorized_code': 'c', tx_code: { input_mode: 'emoji' } } } })],
    ['an empty pre-authorized code', byValue({ ...OFFER, grants: { [PRE_AUTHORIZED_CODE_GRANT_TYPE]: { 'pre-authorized_code': '' } } })],
  ])('refuses %s with BODY_INVALID', (_name, link) => {
    expect(codeOf(() => parseOfferLink(link))).toBe('BODY_INVALID');
  });

  test('keeps only the known members of an offer', () => {
    const offer = parseCredentialOffer({ ...OFFER, extra: 1, grants: { ...OFFER.grants, authorization_code: { issuer_state: 'x' } } });
    expect(offer).toEqual(OFFER);
  });
});

describe('resolveOffer / fetchOfferByReference', () => {
  test('fetches an offer by reference with GET, Accept JSON, no redirects, no cookies', async () => {
    const fake = answering(JSON.stringify(OFFER));
    await expect(resolveOffer({ offer: byReference('https://sede.gijon.es/oid4vci/offers/ab12'), fetch: fake.fetch })).resolves.toEqual(OFFER);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]!.url).toBe('https://sede.gijon.es/oid4vci/offers/ab12');
    expect(fake.calls[0]!.init).toMatchObject({ method: 'GET', redirect: 'error', credentials: 'omit', headers: { Accept: 'application/json' } });
  });

  test('an offer by value or an object needs no request', async () => {
    const fake = answering(null);
    await expect(resolveOffer({ offer: byValue(OFFER), fetch: fake.fetch })).resolves.toEqual(OFFER);
    await expect(resolveOffer({ offer: OFFER, fetch: fake.fetch })).resolves.toEqual(OFFER);
    await expect(asyncCodeOf(resolveOffer({ offer: { nonsense: true }, fetch: fake.fetch }))).resolves.toBe('BODY_INVALID');
    expect(fake.calls).toHaveLength(0);
  });

  test('refuses an offer that is not JSON, too large, or not an offer', async () => {
    const uri = 'https://sede.gijon.es/o/1';
    expect(await asyncCodeOf(fetchOfferByReference({ offerUri: uri, fetch: answering(JSON.stringify(OFFER), { headers: { 'content-type': 'text/html' } }).fetch }))).toBe('BODY_INVALID');
    expect(await asyncCodeOf(fetchOfferByReference({ offerUri: uri, fetch: answering('{"credential_issuer":', { headers: { 'content-type': 'application/json' } }).fetch }))).toBe('BODY_INVALID');
    expect(await asyncCodeOf(fetchOfferByReference({ offerUri: uri, fetch: answering(JSON.stringify({ ...OFFER, pad: 'x'.repeat(20_000) })).fetch }))).toBe('INPUT_TOO_LARGE');
    expect(await asyncCodeOf(fetchOfferByReference({ offerUri: uri, maxBytes: 100, fetch: answering(JSON.stringify(OFFER)).fetch }))).toBe('INPUT_TOO_LARGE');
    expect(await asyncCodeOf(fetchOfferByReference({ offerUri: uri, fetch: answering(JSON.stringify({ hello: 'world' })).fetch }))).toBe('BODY_INVALID');
    expect(await asyncCodeOf(fetchOfferByReference({ offerUri: 'http://evil.example/o/1', fetch: answering(JSON.stringify(OFFER)).fetch }))).toBe('BODY_INVALID');
  });

  test('maps the issuer\'s error answers by code, and a network failure to ISSUER_UNREACHABLE', async () => {
    const uri = 'https://sede.gijon.es/o/1';
    const problem = (code: string, status: number) => answering(JSON.stringify({ type: 'x', title: 'y', status, code, detail: 'OFFER_EXPIRED in a message is never read' }), { status, headers: { 'content-type': 'application/problem+json' } });
    expect(await asyncCodeOf(fetchOfferByReference({ offerUri: uri, fetch: problem('OFFER_NOT_FOUND', 404).fetch }))).toBe('OFFER_NOT_FOUND');
    expect(await asyncCodeOf(fetchOfferByReference({ offerUri: uri, fetch: problem('OFFER_EXPIRED', 410).fetch }))).toBe('OFFER_EXPIRED');
    expect(await asyncCodeOf(fetchOfferByReference({ offerUri: uri, fetch: answering('gone', { status: 404 }).fetch }))).toBe('RESOURCE_NOT_FOUND');
    const unreachable: FetchLike = async () => {
      throw new TypeError('fetch failed');
    };
    expect(await asyncCodeOf(fetchOfferByReference({ offerUri: uri, fetch: unreachable }))).toBe('ISSUER_UNREACHABLE');
  });
});
