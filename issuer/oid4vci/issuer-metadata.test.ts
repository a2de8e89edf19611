import { describe, expect, it } from '@jest/globals';
import { credentialConfigurationIds } from './credential-configurations.js';
import { buildAuthorizationServerMetadata, buildCredentialIssuerMetadata } from './issuer-metadata.js';

const issuerUrl = 'http://127.0.0.1:8080';
const services = [{ id: 'library', names: { en: 'Library', es: 'Biblioteca', fr: 'Bibliothèque' } }];

describe('issuer metadata', () => {
  it('Credential Issuer metadata (OID4VCI 1.0 §12.2.4): endpoints, batch of 10, configurations', () => {
    const metadata = buildCredentialIssuerMetadata({ issuerUrl, services });
    expect(metadata).toMatchObject({
      credential_issuer: issuerUrl,
      credential_endpoint: `${issuerUrl}/oid4vci/credential`,
      nonce_endpoint: `${issuerUrl}/oid4vci/nonce`,
      deferred_credential_endpoint: `${issuerUrl}/oid4vci/deferred_credential`,
      batch_credential_issuance: { batch_size: 10 },
    });
    expect(metadata).not.toHaveProperty('authorization_servers');
    expect(metadata).not.toHaveProperty('display');
    expect(Object.keys(metadata.credential_configurations_supported)).toEqual(credentialConfigurationIds({ services }));
    expect(JSON.parse(JSON.stringify(metadata))).toEqual(metadata);
  });

  it('takes a batch size and issuer display; a batch of 1 omits batch_credential_issuance (it must be ≥ 2)', () => {
    const display = [
      { name: 'Ayuntamiento de Gijón', locale: 'es' },
      { name: 'City of Gijón', locale: 'en', logo: { uri: 'https://gijon.example/logo.svg', alt_text: 'logo' } },
    ];
    const metadata = buildCredentialIssuerMetadata({ issuerUrl, services, batchSize: 4, display });
    expect(metadata.batch_credential_issuance).toEqual({ batch_size: 4 });
    expect(metadata.display).toEqual(display);
    expect(buildCredentialIssuerMetadata({ issuerUrl, services, batchSize: 1 })).not.toHaveProperty('batch_credential_issuance');
  });

  it.each([
    ['a batch size of 0', { batchSize: 0 }],
    ['a fractional batch size', { batchSize: 2.5 }],
    ['an empty display', { display: [] }],
    ['two display objects for one locale', { display: [{ name: 'A', locale: 'es' }, { name: 'B', locale: 'es' }] }],
    ['a display without name', { display: [{ locale: 'es' }] }],
    ['an issuer URL with a trailing slash', { issuerUrl: `${issuerUrl}/` }],
    ['an issuer URL with a query', { issuerUrl: `${issuerUrl}?tenant=1` }],
    ['an issuer URL with a fragment', { issuerUrl: `${issuerUrl}#x` }],
    ['a relative issuer URL', { issuerUrl: '/issuer' }],
    ['a non-http issuer URL', { issuerUrl: 'ftp://city.example' }],
  ])('refuses %s with CONFIG_INVALID', (_label, overrides) => {
    expect(() => buildCredentialIssuerMetadata({ issuerUrl, services, ...(overrides as object) })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });

  it('Authorization Server metadata (RFC 8414, OID4VCI 1.0 §12.3): pre-authorized and refresh token grants, anonymous access', () => {
    expect(buildAuthorizationServerMetadata({ issuerUrl })).toEqual({
      issuer: issuerUrl,
      token_endpoint: `${issuerUrl}/oid4vci/token`,
      grant_types_supported: ['urn:ietf:params:oauth:grant-type:pre-authorized_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['none'],
      'pre-authorized_grant_anonymous_access_supported': true,
    });
  });
});
