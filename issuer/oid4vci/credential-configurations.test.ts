import { describe, expect, it } from '@jest/globals';
import type { CatalogueService } from './credential-configurations.js';
import {
  checkCatalogueServices,
  credentialConfigurationIds,
  credentialConfigurationsSupported,
  parseCredentialConfigurationId,
} from './credential-configurations.js';

const services: CatalogueService[] = [
  { id: 'pools', names: { en: 'Swimming pools', es: 'Piscinas', fr: 'Piscines' } },
  { id: 'waste-centre', names: { en: 'Waste centre', es: 'Punto limpio', fr: 'Déchetterie' } },
];

describe('credential configurations', () => {
  it('lists resident configurations, then two per service', () => {
    expect(credentialConfigurationIds({ services })).toEqual([
      'resident.vc+sd-jwt',
      'resident.dc+sd-jwt',
      'resident.jwt_vc_json',
      'entitlement.pools.vc+sd-jwt',
      'entitlement.pools.dc+sd-jwt',
      'entitlement.waste-centre.vc+sd-jwt',
      'entitlement.waste-centre.dc+sd-jwt',
    ]);
    expect(credentialConfigurationIds({ services: [] })).toHaveLength(3);
  });

  it('parses every listed id back', () => {
    expect(parseCredentialConfigurationId('resident.jwt_vc_json', { services })).toEqual({ credentialType: 'ResidentCredential', format: 'jwt_vc_json' });
    expect(parseCredentialConfigurationId('entitlement.waste-centre.dc+sd-jwt', { services })).toEqual({
      credentialType: 'ServiceEntitlementCredential',
      format: 'dc+sd-jwt',
      serviceId: 'waste-centre',
    });
    for (const id of credentialConfigurationIds({ services })) {
      expect(() => parseCredentialConfigurationId(id, { services })).not.toThrow();
    }
  });

  it.each([
    'resident',
    'resident.mso_mdoc',
    'resident.dc+sd-jwt.extra',
    'entitlement.pools.jwt_vc_json',
    'entitlement.library.dc+sd-jwt',
    'entitlement..dc+sd-jwt',
    'Resident.dc+sd-jwt',
    '',
    'x'.repeat(200),
  ])('refuses %s with CREDENTIAL_CONFIGURATION_UNKNOWN', (id) => {
    expect(() => parseCredentialConfigurationId(id, { services })).toThrow(expect.objectContaining({ code: 'CREDENTIAL_CONFIGURATION_UNKNOWN' }));
  });

  it('refuses a non-string id with CREDENTIAL_CONFIGURATION_UNKNOWN', () => {
    expect(() => parseCredentialConfigurationId(42 as unknown as string, { services })).toThrow(
      expect.objectContaining({ code: 'CREDENTIAL_CONFIGURATION_UNKNOWN' }),
    );
  });

  it('describes SD-JWT VC with vct and VCDM formats with credential_definition.type (OID4VCI 1.0 Appendix A)', () => {
    const supported = credentialConfigurationsSupported({ services });
    expect(Object.keys(supported)).toEqual(credentialConfigurationIds({ services }));
    expect(supported['resident.dc+sd-jwt']).toMatchObject({ format: 'dc+sd-jwt', vct: 'urn:urbis:vct:resident:1', scope: 'resident' });
    expect(supported['resident.dc+sd-jwt']!.credential_definition).toBeUndefined();
    expect(supported['entitlement.pools.dc+sd-jwt']).toMatchObject({ vct: 'urn:urbis:vct:service-entitlement:1', scope: 'entitlement.pools' });
    expect(supported['resident.jwt_vc_json']).toMatchObject({
      format: 'jwt_vc_json',
      credential_definition: { type: ['VerifiableCredential', 'ResidentCredential'] },
    });
    expect(supported['entitlement.pools.vc+sd-jwt']).toMatchObject({
      format: 'vc+sd-jwt',
      credential_definition: { type: ['VerifiableCredential', 'ServiceEntitlementCredential'] },
    });
    expect(supported['entitlement.pools.vc+sd-jwt']!.vct).toBeUndefined();
  });

  it('binds to JWKs with ES256 everywhere and names each configuration in en, es and fr', () => {
    for (const configuration of Object.values(credentialConfigurationsSupported({ services }))) {
      expect(configuration.cryptographic_binding_methods_supported).toEqual(['jwk']);
      expect(configuration.credential_signing_alg_values_supported).toEqual(['ES256']);
      expect(configuration.proof_types_supported).toEqual({ jwt: { proof_signing_alg_values_supported: ['ES256'] } });
      expect(configuration.credential_metadata.display.map((d) => d.locale)).toEqual(['en', 'es', 'fr']);
    }
    const pools = credentialConfigurationsSupported({ services })['entitlement.pools.dc+sd-jwt']!;
    expect(pools.credential_metadata.display).toEqual([
      { name: 'Entitlement: Swimming pools', locale: 'en' },
      { name: 'Derecho de acceso: Piscinas', locale: 'es' },
      { name: "Droit d'accès : Piscines", locale: 'fr' },
    ]);
  });

  it('describes claims with format-specific paths (OID4VCI 1.0 Appendix B.2)', () => {
    const supported = credentialConfigurationsSupported({ services });
    const sdJwtVcPaths = supported['resident.dc+sd-jwt']!.credential_metadata.claims.map((c) => c.path);
    expect(sdJwtVcPaths).toContainEqual(['given_name']);
    expect(sdJwtVcPaths).toContainEqual(['address', 'locality']);
    const vcdmPaths = supported['resident.vc+sd-jwt']!.credential_metadata.claims.map((c) => c.path);
    expect(vcdmPaths).toContainEqual(['credentialSubject', 'birthdate']);
    const pseudonym = supported['entitlement.pools.vc+sd-jwt']!.credential_metadata.claims.find((c) => c.path.at(-1) === 'pseudonym');
    expect(pseudonym?.display?.map((d) => d.locale)).toEqual(['en', 'es', 'fr']);
  });

  it.each([
    ['a bad slug', [{ id: 'Pools!', names: services[0]!.names }]],
    ['a dotted id', [{ id: 'a.b', names: services[0]!.names }]],
    ['a duplicate id', [services[0]!, services[0]!]],
    ['a missing name', [{ id: 'pools', names: { en: 'Pools', es: 'Piscinas' } }]],
    ['an empty name', [{ id: 'pools', names: { en: 'Pools', es: ' ', fr: 'Piscines' } }]],
  ])('refuses a catalogue with %s (CONFIG_INVALID)', (_label, bad) => {
    expect(() => checkCatalogueServices(bad as CatalogueService[])).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => credentialConfigurationsSupported({ services: bad as CatalogueService[] })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
