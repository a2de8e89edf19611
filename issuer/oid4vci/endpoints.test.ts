import { describe, expect, it } from '@jest/globals';
import { checkIssuerUrl, oid4vciEndpoints, OID4VCI_PATHS, wellKnownUrl } from './endpoints.js';

describe('OID4VCI endpoints', () => {
  it('places every endpoint under the issuer URL', () => {
    const urls = oid4vciEndpoints({ issuerUrl: 'http://127.0.0.1:8080' });
    expect(urls).toMatchObject({
      credentialIssuerMetadata: 'http://127.0.0.1:8080/.well-known/openid-credential-issuer',
      authorizationServerMetadata: 'http://127.0.0.1:8080/.well-known/oauth-authorization-server',
      token: 'http://127.0.0.1:8080/oid4vci/token',
      nonce: 'http://127.0.0.1:8080/oid4vci/nonce',
      credential: 'http://127.0.0.1:8080/oid4vci/credential',
      deferredCredential: 'http://127.0.0.1:8080/oid4vci/deferred_credential',
    });
    expect(urls.offer('a b/c')).toBe('http://127.0.0.1:8080/oid4vci/offers/a%20b%2Fc');
  });

  it('OID4VCI 1.0 §12.2.2, RFC 8414 §3.1: inserts the well-known segment before the issuer path', () => {
    expect(wellKnownUrl({ issuerUrl: 'https://city.example/tenant', wellKnownPath: OID4VCI_PATHS.credentialIssuerMetadata })).toBe(
      'https://city.example/.well-known/openid-credential-issuer/tenant',
    );
    expect(oid4vciEndpoints({ issuerUrl: 'https://city.example/tenant' }).token).toBe('https://city.example/tenant/oid4vci/token');
  });

  it('accepts one spelling of an issuer identifier only', () => {
    expect(checkIssuerUrl('https://city.example')).toBe('https://city.example');
    for (const bad of ['https://city.example/', 'https://city.example?a=1', 'https://u:p@city.example', 'city.example', 'ws://city.example']) {
      expect(() => checkIssuerUrl(bad)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
  });
});
