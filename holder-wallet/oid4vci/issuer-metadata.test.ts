import { isUrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';
import { PRE_AUTHORIZED_CODE_GRANT_TYPE } from '../../core/oid4vci/credential-offer.js';
import type { CredentialOffer } from './credential-offer.js';
import type { FetchLike } from './issuer-http.js';
import { fetchIssuerMetadata, validateAuthorizationServerMetadata, validateCredentialIssuerMetadata } from './issuer-metadata.js';
import { wellKnownUrl } from './issuer-url.js';

const ISSUER = 'https://sede.gijon.es';
const configuration = (format: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  format,
  scope: 'resident',
  cryptographic_binding_methods_supported: ['jwk'],
  credential_signing_alg_values_supported: ['ES256'],
  proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256'] } },
  credential_metadata: { display: [{ name: 'Resident credential', locale: 'en' }, { name: 'Credencial de empadronamiento', locale: 'es' }], claims: [] },
  ...extra,
});
/** Metadata shaped like the city issuer's (issuer/oid4vci/issuer-metadata.ts). */
const METADATA = {
  credential_issuer: ISSUER,
  credential_endpoint: `${ISSUER}/oid4vci/credential`,
  nonce_endpoint: `${ISSUER}/oid4vci/nonce`,
  deferred_credential_endpoint: `${ISSUER}/oid4vci/deferred_credential`,
  batch_credential_issuance: { batch_size: 10 },
  display: [{ name: 'Gijón', locale: 'es' }],
  credential_configurations_supported: {
    'resident.dc+sd-jwt': configuration('dc+sd-jwt', { vct: 'https://urbis.city/vct/resident' }),
    'resident.vc+sd-jwt': configuration('vc+sd-jwt', { credential_definition: { type: ['VerifiableCredential', 'ResidentCredential'] } }),
    'resident.jwt_vc_json': configuration('jwt_vc_json', { credential_definition: { type: ['VerifiableCredential', 'ResidentCredential'] } }),
    'resident.mso_mdoc': configuration('mso_mdoc'),
  },
};
const AS_METADATA = {
  issuer: ISSUER,
  token_endpoint: `${ISSUER}/oid4vci/token`,
  grant_types_supported: [PRE_AUTHORIZED_CODE_GRANT_TYPE],
  token_endpoint_auth_methods_supported: ['none'],
  'pre-authorized_grant_anonymous_access_supported': true,
};

const validate = (metadata: unknown, configurationIds: string[] = ['resident.dc+sd-jwt']) =>
  validateCredentialIssuerMetadata({ metadata, issuerUrl: ISSUER, configurationIds });

function codeOf(run: () => unknown): UrbisErrorCode | unknown {
  try {
    run();
  } catch (e) {
    return isUrbisError(e) ? e.code : e;
  }
  return 'no error';
}

describe('validateCredentialIssuerMetadata (OID4VCI 1.0 §12.2)', () => {
  test('reads endpoints, batch size, names and the offered configurations only', () => {
    const metadata = validate(METADATA, ['resident.dc+sd-jwt', 'resident.jwt_vc_json']);
    expect(metadata).toEqual({
      credentialIssuer: ISSUER,
      credentialEndpoint: `${ISSUER}/oid4vci/credential`,
      nonceEndpoint: `${ISSUER}/oid4vci/nonce`,
      deferredCredentialEndpoint: `${ISSUER}/oid4vci/deferred_credential`,
      batchSize: 10,
      display: [{ name: 'Gijón', locale: 'es' }],
      configurations: {
        'resident.dc+sd-jwt': { id: 'resident.dc+sd-jwt', format: 'dc+sd-jwt', vct: 'https://urbis.city/vct/resident', display: [{ name: 'Resident credential', locale: 'en' }, { name: 'Credencial de empadronamiento', locale: 'es' }] },
        'resident.jwt_vc_json': { id: 'resident.jwt_vc_json', format: 'jwt_vc_json', display: [{ name: 'Resident credential', locale: 'en' }, { name: 'Credencial de empadronamiento', locale: 'es' }] },
      },
    });
  });

  test('without batch_credential_issuance the batch size is 1; nonce and deferred endpoints are optional', () => {
    const { batch_credential_issuance: _b, nonce_endpoint: _n, deferred_credential_endpoint: _d, ...rest } = METADATA;
    const metadata = validate(rest);
    expect(metadata.batchSize).toBe(1);
    expect(metadata.nonceEndpoint).toBeUndefined();
    expect(metadata.deferredCredentialEndpoint).toBeUndefined();
  });

  test('a loopback http issuer may use endpoints on its own origin', () => {
    const local = 'http://127.0.0.1:4000';
    const metadata = validateCredentialIssuerMetadata({
      metadata: { ...METADATA, credential_issuer: local, credential_endpoint: `${local}/oid4vci/credential`, nonce_endpoint: `${local}/oid4vci/nonce`, deferred_credential_endpoint: 'https://elsewhere.example/deferred' },
      issuerUrl: local,
      configurationIds: ['resident.dc+sd-jwt'],
    });
    expect(metadata.credentialEndpoint).toBe(`${local}/oid4vci/credential`);
    expect(metadata.deferredCredentialEndpoint).toBe('https://elsewhere.example/deferred');
  });

  const ALL = ['resident.dc+sd-jwt'];
  test.each<[string, unknown, string[]]>([
    ['credential_issuer differs from the offer', { ...METADATA, credential_issuer: 'https://other-city.example' }, ALL],
    ['credential_issuer differs by a trailing slash', { ...METADATA, credential_issuer: `${ISSUER}/` }, ALL],
    ['credential_issuer is missing', { ...METADATA, credential_issuer: undefined }, ALL],
    ['not an object', [METADATA], ALL],
    ['a relative credential endpoint', { ...METADATA, credential_endpoint: '/oid4vci/credential' }, ALL],
    ['a plain http endpoint on another origin', { ...METADATA, credential_endpoint: 'http://127.0.0.1:9999/credential' }, ALL],
    ['an endpoint with a fragment', { ...METADATA, nonce_endpoint: `${ISSUER}/nonce#x` }, ALL],
    ['an offered configuration the issuer does not support', METADATA, ['resident.dc+sd-jwt', 'entitlement.gym.dc+sd-jwt']],
    ['a format the wallet does not hold', METADATA, ['resident.mso_mdoc']],
    ['no jwt proofs', { ...METADATA, credential_configurations_supported: { 'resident.dc+sd-jwt': configuration('dc+sd-jwt', { vct: 'v', proof_types_supported: { attestation: {} } }) } }, ALL],
    ['jwt proofs without ES256', { ...METADATA, credential_configurations_supported: { 'resident.dc+sd-jwt': configuration('dc+sd-jwt', { vct: 'v', proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['EdDSA'] } } }) } }, ALL],
    ['binding to something else than a JWK', { ...METADATA, credential_configurations_supported: { 'resident.dc+sd-jwt': configuration('dc+sd-jwt', { vct: 'v', cryptographic_binding_methods_supported: ['cose_key'] }) } }, ALL],
    ['credentials signed with another algorithm', { ...METADATA, credential_configurations_supported: { 'resident.dc+sd-jwt': configuration('dc+sd-jwt', { vct: 'v', credential_signing_alg_values_supported: ['RS256'] }) } }, ALL],
    ['a dc+sd-jwt configuration without vct', { ...METADATA, credential_configurations_supported: { 'resident.dc+sd-jwt': configuration('dc+sd-jwt') } }, ALL],
    ['a batch size of 1', { ...METADATA, batch_credential_issuance: { batch_size: 1 } }, ALL],
    ['a batch size that is not an integer', { ...METADATA, batch_credential_issuance: { batch_size: '10' } }, ALL],
    ['no configurations', { ...METADATA, credential_configurations_supported: undefined }, ALL],
    ['authorization_servers not https', { ...METADATA, authorization_servers: ['http://as.example'] }, ALL],
  ])('refuses %s with BODY_INVALID', (_name, metadata, ids) => {
    expect(codeOf(() => validate(metadata, ids))).toBe('BODY_INVALID');
  });
});

describe('validateAuthorizationServerMetadata (RFC 8414)', () => {
  test('reads the token endpoint', () => {
    expect(validateAuthorizationServerMetadata({ metadata: AS_METADATA, authorizationServer: ISSUER })).toEqual({ issuer: ISSUER, tokenEndpoint: `${ISSUER}/oid4vci/token` });
  });

  test.each<[string, unknown]>([
    ['another issuer', { ...AS_METADATA, issuer: 'https://as.example' }],
    ['no pre-authorized code grant', { ...AS_METADATA, grant_types_supported: ['authorization_code'] }],
    ['a plain http token endpoint elsewhere', { ...AS_METADATA, token_endpoint: 'http://as.example/token' }],
    ['no token endpoint', { ...AS_METADATA, token_endpoint: undefined }],
  ])('refuses %s with BODY_INVALID', (_name, metadata) => {
    expect(codeOf(() => validateAuthorizationServerMetadata({ metadata, authorizationServer: ISSUER }))).toBe('BODY_INVALID');
  });
});

describe('fetchIssuerMetadata', () => {
  const offer = (issuer: string, extra: Record<string, unknown> = {}): CredentialOffer => ({
    credential_issuer: issuer,
    credential_configuration_ids: ['resident.dc+sd-jwt'],
    grants: { [PRE_AUTHORIZED_CODE_GRANT_TYPE]: { 'pre-authorized_code': 'c', ...extra } },
  });
  /** Serves documents by URL; records the URLs asked for. */
  function serving(documents: Record<string, unknown>): { fetch: FetchLike; urls: string[] } {
    const urls: string[] = [];
    return {
      urls,
      fetch: async (url) => {
        urls.push(url);
        const document = documents[url];
        return document === undefined
          ? new Response('not found', { status: 404 })
          : new Response(JSON.stringify(document), { headers: { 'content-type': 'application/json; charset=utf-8' } });
      },
    };
  }

  test('inserts the well-known path before the issuer path (§12.2.2, RFC 8414 §3.1)', () => {
    expect(wellKnownUrl({ identifier: 'https://city.example/issuer', wellKnownPath: '/.well-known/openid-credential-issuer' })).toBe('https://city.example/.well-known/openid-credential-issuer/issuer');
    expect(wellKnownUrl({ identifier: 'http://127.0.0.1:4000', wellKnownPath: '/.well-known/oauth-authorization-server' })).toBe('http://127.0.0.1:4000/.well-known/oauth-authorization-server');
  });

  test('fetches the issuer metadata, then its own authorization server metadata', async () => {
    const issuer = 'https://city.example/issuer';
    const server = serving({
      'https://city.example/.well-known/openid-credential-issuer/issuer': { ...METADATA, credential_issuer: issuer },
      'https://city.example/.well-known/oauth-authorization-server/issuer': { ...AS_METADATA, issuer },
    });
    const metadata = await fetchIssuerMetadata({ offer: offer(issuer), fetch: server.fetch });
    expect(metadata.authorizationServer).toEqual({ issuer, tokenEndpoint: `${ISSUER}/oid4vci/token` });
    expect(metadata.credentialIssuer.batchSize).toBe(10);
    expect(server.urls).toHaveLength(2);
  });

  test('uses the authorization server the offer names, when the issuer lists it', async () => {
    const as = 'https://as.example';
    const server = serving({
      'https://sede.gijon.es/.well-known/openid-credential-issuer': { ...METADATA, authorization_servers: ['https://other-as.example', as] },
      'https://as.example/.well-known/oauth-authorization-server': { ...AS_METADATA, issuer: as, token_endpoint: `${as}/token` },
    });
    const metadata = await fetchIssuerMetadata({ offer: offer(ISSUER, { authorization_server: as }), fetch: server.fetch });
    expect(metadata.authorizationServer.tokenEndpoint).toBe(`${as}/token`);
    await expect(fetchIssuerMetadata({ offer: offer(ISSUER, { authorization_server: 'https://rogue.example' }), fetch: server.fetch })).rejects.toMatchObject({ code: 'BODY_INVALID' });
  });

  test('metadata whose credential_issuer differs is BODY_INVALID; a missing document is RESOURCE_NOT_FOUND', async () => {
    const lying = serving({ 'https://sede.gijon.es/.well-known/openid-credential-issuer': { ...METADATA, credential_issuer: 'https://other-city.example' } });
    await expect(fetchIssuerMetadata({ offer: offer(ISSUER), fetch: lying.fetch })).rejects.toMatchObject({ code: 'BODY_INVALID' });
    expect(lying.urls).toHaveLength(1);
    await expect(fetchIssuerMetadata({ offer: offer(ISSUER), fetch: serving({}).fetch })).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
  });
});
