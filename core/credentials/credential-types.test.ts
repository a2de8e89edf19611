import { describe, expect, it } from '@jest/globals';
import { UrbisError } from '../errors/urbis-error.js';
import {
  CREDENTIAL_TYPES,
  SERVICE_TIERS,
  credentialTypeByName,
  credentialTypeByVct,
  credentialTypeFromVcType,
  type ClaimPath,
  type JsonSchema,
} from './credential-types.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof UrbisError ? e.code : `not an UrbisError: ${String(e)}`;
  }
  return undefined;
}

/** Every property path of a schema (objects and their properties), parents first. */
function propertyPathsOf(schema: JsonSchema, prefix: string[] = []): ClaimPath[] {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const defs = (schema.$defs ?? {}) as Record<string, JsonSchema>;
  const paths: ClaimPath[] = [];
  for (const [name, sub] of Object.entries(props)) {
    const path = [...prefix, name];
    paths.push(path);
    const resolved = typeof sub.$ref === 'string' ? defs[sub.$ref.replace('#/$defs/', '')]! : sub;
    if (resolved.type === 'object') paths.push(...propertyPathsOf(resolved, path));
  }
  return paths;
}

describe('credential type registry', () => {
  it('describes ResidentCredential', () => {
    const t = credentialTypeByName('ResidentCredential');
    expect(t.name).toBe('ResidentCredential');
    expect(t.vct).toBe('urn:urbis:vct:resident:1');
    expect(t.vcType).toEqual(['VerifiableCredential', 'ResidentCredential']);
    expect(t.schema.$id).toBe('https://urbis.city/schemas/resident-credential/v1/claims');
    expect(t.schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('describes ServiceEntitlementCredential', () => {
    const t = credentialTypeByName('ServiceEntitlementCredential');
    expect(t.vct).toBe('urn:urbis:vct:service-entitlement:1');
    expect(t.vcType).toEqual(['VerifiableCredential', 'ServiceEntitlementCredential']);
    expect(t.schema.$id).toBe('https://urbis.city/schemas/service-entitlement-credential/v1/claims');
  });

  it('describes PaperServicePass: a bearer credential with the entitlement claims, nothing disclosable', () => {
    const t = credentialTypeByName('PaperServicePass');
    expect(t.vct).toBe('urn:urbis:vct:paper-service-pass:1');
    expect(t.holderBinding).toBe('bearer');
    expect(t.disclosableClaimPaths).toEqual([]);
    expect(propertyPathsOf(t.schema)).toEqual(propertyPathsOf(credentialTypeByName('ServiceEntitlementCredential').schema));
    expect(CREDENTIAL_TYPES.filter((c) => c.holderBinding === 'bearer').map((c) => c.name)).toEqual(['PaperServicePass']);
  });

  it.each(CREDENTIAL_TYPES.filter((t) => t.holderBinding === 'holder-key').map((t) => [t.name, t] as const))(
    '%s: every schema property, and every address part, is disclosable on its own',
    (_name, t) => {
      expect(t.disclosableClaimPaths).toEqual(propertyPathsOf(t.schema));
    },
  );

  it('disclosable paths cover each address part individually', () => {
    const paths = credentialTypeByName('ResidentCredential').disclosableClaimPaths.map((p) => p.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'address',
        'address.street_address',
        'address.locality',
        'address.postal_code',
        'address.region',
        'address.country',
      ]),
    );
  });

  it('keeps protocol fields out of the claims and out of the disclosable paths', () => {
    for (const t of CREDENTIAL_TYPES) {
      const names = t.disclosableClaimPaths.map((p) => p[0]);
      for (const protocol of ['iss', 'issuer', 'iat', 'nbf', 'exp', 'validFrom', 'validUntil', 'status', 'credentialStatus', 'cnf', 'vct', 'type', 'id']) {
        expect(names).not.toContain(protocol);
        expect(Object.keys(t.schema.properties as object)).not.toContain(protocol);
      }
    }
  });

  it('SERVICE_TIERS is the schema enum', () => {
    const schema = credentialTypeByName('ServiceEntitlementCredential').schema as {
      properties: { tier: { enum: string[] } };
    };
    expect(schema.properties.tier.enum).toEqual([...SERVICE_TIERS]);
  });

  it('is frozen, schemas included', () => {
    const t = credentialTypeByName('ResidentCredential');
    expect(Object.isFrozen(CREDENTIAL_TYPES)).toBe(true);
    expect(Object.isFrozen(t)).toBe(true);
    expect(Object.isFrozen(t.disclosableClaimPaths[0])).toBe(true);
    expect(Object.isFrozen((t.schema.properties as Record<string, object>).address)).toBe(true);
  });

  it('looks types up by vct', () => {
    expect(credentialTypeByVct('urn:urbis:vct:resident:1').name).toBe('ResidentCredential');
    expect(credentialTypeByVct('urn:urbis:vct:service-entitlement:1').name).toBe('ServiceEntitlementCredential');
  });

  it('looks types up by VCDM type array', () => {
    expect(credentialTypeFromVcType(['VerifiableCredential', 'ResidentCredential']).name).toBe('ResidentCredential');
    expect(credentialTypeFromVcType(['ServiceEntitlementCredential', 'VerifiableCredential']).name).toBe(
      'ServiceEntitlementCredential',
    );
    // Extra, non-Urbis types are ignored (VCDM types are a set).
    expect(credentialTypeFromVcType(['VerifiableCredential', 'ResidentCredential', 'PartnerCityType']).name).toBe(
      'ResidentCredential',
    );
  });

  it.each([
    ['unknown name', () => credentialTypeByName('PassportCredential')],
    ['name with other case', () => credentialTypeByName('residentcredential')],
    ['non-string name', () => credentialTypeByName(42 as unknown as string)],
    ['inherited property as name', () => credentialTypeByName('toString')],
    ['unknown vct', () => credentialTypeByVct('urn:urbis:vct:resident:2')],
    ['vct of another ecosystem', () => credentialTypeByVct('urn:eudi:pid:1')],
    ['type without VerifiableCredential', () => credentialTypeFromVcType(['ResidentCredential'])],
    ['type with no Urbis type', () => credentialTypeFromVcType(['VerifiableCredential'])],
    ['type with two Urbis types', () =>
      credentialTypeFromVcType(['VerifiableCredential', 'ResidentCredential', 'ServiceEntitlementCredential'])],
    ['type as a bare string', () => credentialTypeFromVcType('ResidentCredential' as unknown as string[])],
    ['type with a non-string entry', () =>
      credentialTypeFromVcType(['VerifiableCredential', 'ResidentCredential', 7] as unknown as string[])],
    ['type null', () => credentialTypeFromVcType(null as unknown as string[])],
  ])('refuses %s with CREDENTIAL_TYPE_UNKNOWN', (_label, fn) => {
    expect(codeOf(fn)).toBe('CREDENTIAL_TYPE_UNKNOWN');
  });
});
