import { startIssuerFixture, type IssuerFixture } from '../testing/issuer-fixture.js';
import { isWalletPublicPath } from './cors-for-wallets.js';

/**
 * CORS for a wallet on another origin: preflights on the public OID4VCI
 * surface answered 204, the CORS headers on its answers, and nothing of
 * the kind on the portal, the back office or their APIs.
 */
describe('CORS for browser wallets on the issuer', () => {
  let issuer: IssuerFixture;
  beforeAll(async () => {
    issuer = await startIssuerFixture();
  });
  afterAll(async () => {
    await issuer.close();
  });

  const WALLET_ORIGIN = 'http://127.0.0.1:9999';

  const PUBLIC = [
    '/.well-known/openid-credential-issuer',
    '/.well-known/oauth-authorization-server',
    '/.well-known/did.json',
    '/oid4vci/offers/some-offer-id',
    '/oid4vci/token',
    '/oid4vci/nonce',
    '/oid4vci/credential',
    '/oid4vci/deferred_credential',
    '/status/1',
  ];
  const PRIVATE = ['/front-office/applications', '/back-office/queue', '/back-office/login', '/portal/', '/staff/', '/health', '/openapi.json'];

  it.each(PUBLIC)('answers the preflight of %s with 204 and the CORS headers', async (path) => {
    const response = await fetch(`${issuer.url}${path}`, {
      method: 'OPTIONS',
      headers: { origin: WALLET_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, dpop' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization, content-type, dpop');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(await response.text()).toBe('');
  });

  it('puts the CORS headers on the public answers, errors included', async () => {
    const metadata = await fetch(`${issuer.url}/.well-known/openid-credential-issuer`, { headers: { origin: WALLET_ORIGIN } });
    expect(metadata.status).toBe(200);
    expect(metadata.headers.get('access-control-allow-origin')).toBe('*');
    expect(metadata.headers.get('access-control-expose-headers')).toBe('www-authenticate, retry-after');
    const did = await fetch(`${issuer.url}/.well-known/did.json`, { headers: { origin: WALLET_ORIGIN } });
    expect(did.status).toBe(200);
    expect(did.headers.get('access-control-allow-origin')).toBe('*');
    // A wallet must be able to read the OAuth error of a refused token request.
    const token = await fetch(`${issuer.url}/oid4vci/token`, { method: 'POST', headers: { origin: WALLET_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=nonsense' });
    expect(token.status).toBeGreaterThanOrEqual(400);
    expect(token.headers.get('access-control-allow-origin')).toBe('*');
    const credential = await fetch(`${issuer.url}/oid4vci/credential`, { method: 'POST', headers: { origin: WALLET_ORIGIN, 'content-type': 'application/json' }, body: '{}' });
    expect(credential.status).toBeGreaterThanOrEqual(400);
    expect(credential.headers.get('access-control-allow-origin')).toBe('*');
  });

  it.each(PRIVATE)('sends no CORS headers on %s, preflight or not', async (path) => {
    const preflight = await fetch(`${issuer.url}${path}`, { method: 'OPTIONS', headers: { origin: WALLET_ORIGIN, 'access-control-request-method': 'POST' } });
    expect(preflight.status).not.toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const plain = await fetch(`${issuer.url}${path}`, { headers: { origin: WALLET_ORIGIN } });
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    expect(plain.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('matches only one segment after the public prefixes', () => {
    expect(isWalletPublicPath('/oid4vci/offers/abc')).toBe(true);
    expect(isWalletPublicPath('/status/7')).toBe(true);
    expect(isWalletPublicPath('/oid4vci/offers/')).toBe(false);
    expect(isWalletPublicPath('/oid4vci/offers/a/b')).toBe(false);
    expect(isWalletPublicPath('/status/')).toBe(false);
    expect(isWalletPublicPath('/status/1/2')).toBe(false);
    expect(isWalletPublicPath('/oid4vci/other')).toBe(false);
    expect(isWalletPublicPath('/front-office/applications')).toBe(false);
  });
});
