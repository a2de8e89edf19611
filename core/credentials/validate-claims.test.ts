import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { UrbisError } from '../errors/urbis-error.js';
import {
  credentialTypeByName,
  type CredentialTypeName,
  type ResidentClaims,
  type ServiceEntitlementClaims,
} from './credential-types.js';
import fixtures from './fixtures/citizens.json' with { type: 'json' };
import {
  MAX_SCHEMA_ISSUES,
  presentationSchemaOf,
  schemaIssuesOf,
  validateClaims,
  type ClaimsValidationMode,
  type SchemaIssue,
} from './validate-claims.js';

const residents = fixtures.citizens.map((c) => c.resident as ResidentClaims);
const entitlements = fixtures.citizens.flatMap((c) => c.entitlements as ServiceEntitlementClaims[]);
const resident = residents[0]!;
const entitlement = entitlements[0]!;
const MODES: ClaimsValidationMode[] = ['issuance', 'presentation'];

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Runs validateClaims and returns the thrown UrbisError (fails the test when nothing is thrown). */
function failure(type: CredentialTypeName, claims: unknown, mode: ClaimsValidationMode): UrbisError {
  try {
    validateClaims({ type, claims, mode });
  } catch (e) {
    expect(e).toBeInstanceOf(UrbisError);
    return e as UrbisError;
  }
  throw new Error('expected validateClaims to throw');
}

function issues(type: CredentialTypeName, claims: unknown, mode: ClaimsValidationMode): SchemaIssue[] {
  const error = failure(type, claims, mode);
  expect(error.code).toBe('SCHEMA_INVALID');
  return schemaIssuesOf(error)!;
}

describe('validateClaims: valid claims', () => {
  it.each(residents.map((r) => [`${r.given_name} (${r.municipality})`, r] as const))(
    'accepts fixture resident %s in both modes',
    (_label, claims) => {
      for (const mode of MODES) expect(validateClaims({ type: 'ResidentCredential', claims, mode })).toBe(claims);
    },
  );

  it.each(entitlements.map((e) => [`${e.service_id}/${e.tier}`, e] as const))(
    'accepts fixture entitlement %s in both modes',
    (_label, claims) => {
      for (const mode of MODES) {
        expect(validateClaims({ type: 'ServiceEntitlementCredential', claims, mode })).toBe(claims);
      }
    },
  );

  it.each(['33201', 'SW1A 1AA', '00-950', '1010', '4000-322', 'D02 X285', 'K1A 0B1', '1234 AB'])(
    'accepts postal code %s',
    (postal_code) => {
      const claims = clone(resident);
      claims.address.postal_code = postal_code;
      expect(() => validateClaims({ type: 'ResidentCredential', claims, mode: 'issuance' })).not.toThrow();
    },
  );

  it.each(['pools', 'library', 'transport', 'waste-centre', 'youth-pass', 'parking', 'sports-booking', '9', 'a'.repeat(63)])(
    'accepts service id %s',
    (service_id) => {
      expect(() =>
        validateClaims({ type: 'ServiceEntitlementCredential', claims: { ...entitlement, service_id }, mode: 'issuance' }),
      ).not.toThrow();
    },
  );

  it('accepts an address without region at issuance (the one optional claim)', () => {
    const claims = clone(resident);
    delete claims.address.region;
    expect(() => validateClaims({ type: 'ResidentCredential', claims, mode: 'issuance' })).not.toThrow();
  });

  it('counts lengths in code points (100 characters of "ó" fit a 100-character name)', () => {
    const claims = { ...clone(resident), given_name: 'ó'.repeat(100) };
    expect(() => validateClaims({ type: 'ResidentCredential', claims, mode: 'issuance' })).not.toThrow();
  });

  it('presentation mode accepts nothing disclosed, one claim, or an address with no parts', () => {
    for (const claims of [{}, { age_over_18: true }, { address: {} }, { address: { locality: 'Gijón' } }]) {
      expect(validateClaims({ type: 'ResidentCredential', claims, mode: 'presentation' })).toBe(claims);
    }
    expect(validateClaims({ type: 'ServiceEntitlementCredential', claims: { tier: 'youth' }, mode: 'presentation' }))
      .toEqual({ tier: 'youth' });
  });
});

type Mutation = (claims: Record<string, unknown> & { address?: Record<string, unknown> }) => void;

const residentCases: Array<[label: string, mutate: Mutation, path: string, keyword: string, modes: ClaimsValidationMode[]]> = [
  ['missing given_name', (c) => delete c.given_name, '/given_name', 'required', ['issuance']],
  ['missing address', (c) => delete c.address, '/address', 'required', ['issuance']],
  ['missing address country', (c) => delete c.address!.country, '/address/country', 'required', ['issuance']],
  ['age_over_18 as a string', (c) => (c.age_over_18 = 'true'), '/age_over_18', 'type', MODES],
  ['given_name as a number', (c) => (c.given_name = 42), '/given_name', 'type', MODES],
  ['address as a string', (c) => ((c as Record<string, unknown>).address = 'Calle Ficticia 12'), '/address', 'type', MODES],
  ['birthdate 30 February', (c) => (c.birthdate = '2000-02-30'), '/birthdate', 'format', MODES],
  ['birthdate 29 February of a common year', (c) => (c.birthdate = '2023-02-29'), '/birthdate', 'format', MODES],
  ['birthdate month 13', (c) => (c.birthdate = '2000-13-01'), '/birthdate', 'format', MODES],
  ['birthdate in DD/MM/YYYY', (c) => (c.birthdate = '14/05/1987'), '/birthdate', 'pattern', MODES],
  ['birthdate with a time', (c) => (c.birthdate = '1987-05-14T00:00:00Z'), '/birthdate', 'pattern', MODES],
  ['resident_since not a date', (c) => (c.resident_since = 'since 2015'), '/resident_since', 'format', MODES],
  ['country lowercase', (c) => (c.address!.country = 'es'), '/address/country', 'pattern', MODES],
  ['country alpha-3', (c) => (c.address!.country = 'ESP'), '/address/country', 'pattern', MODES],
  ['postal code too short', (c) => (c.address!.postal_code = '33'), '/address/postal_code', 'pattern', MODES],
  ['postal code too long', (c) => (c.address!.postal_code = '33201332013'), '/address/postal_code', 'pattern', MODES],
  ['postal code with a symbol', (c) => (c.address!.postal_code = '33#01'), '/address/postal_code', 'pattern', MODES],
  ['given_name of 101 characters', (c) => (c.given_name = 'a'.repeat(101)), '/given_name', 'maxLength', MODES],
  ['empty family_name', (c) => (c.family_name = ''), '/family_name', 'minLength', MODES],
  ['municipality of 101 characters', (c) => (c.municipality = 'x'.repeat(101)), '/municipality', 'maxLength', MODES],
  ['street_address of 201 characters', (c) => (c.address!.street_address = 's'.repeat(201)), '/address/street_address', 'maxLength', MODES],
  ['additional claim', (c) => (c.nationality = 'ES'), '/nationality', 'additionalProperties', MODES],
  ['additional address part', (c) => (c.address!.floor = '3'), '/address/floor', 'additionalProperties', MODES],
  ['protocol field as a claim', (c) => (c.exp = 1767225600), '/exp', 'additionalProperties', MODES],
];

describe('validateClaims: invalid ResidentCredential claims', () => {
  for (const [label, mutate, path, keyword, modes] of residentCases) {
    for (const mode of modes) {
      it(`${mode}: refuses ${label} (${path} ${keyword})`, () => {
        const claims = clone(resident) as unknown as Parameters<Mutation>[0];
        mutate(claims);
        expect(issues('ResidentCredential', claims, mode)).toContainEqual({ path, keyword });
      });
    }
  }

  it.each(MODES)('%s: refuses claims that are not an object', (mode) => {
    for (const claims of [null, [], 'claims', 7]) {
      expect(issues('ResidentCredential', claims, mode)).toEqual([{ path: '', keyword: 'type' }]);
    }
  });

  it('issuance: lists every failure, not only the first', () => {
    const claims = clone(resident) as unknown as Parameters<Mutation>[0];
    delete claims.family_name;
    claims.address!.country = 'es';
    claims.age_over_65 = 'no';
    const found = issues('ResidentCredential', claims, 'issuance');
    expect(found).toEqual(
      expect.arrayContaining([
        { path: '/family_name', keyword: 'required' },
        { path: '/address/country', keyword: 'pattern' },
        { path: '/age_over_65', keyword: 'type' },
      ]),
    );
  });
});

const entitlementCases: Array<[label: string, mutate: Mutation, path: string, keyword: string, modes: ClaimsValidationMode[]]> = [
  ['missing pseudonym', (c) => delete c.pseudonym, '/pseudonym', 'required', ['issuance']],
  ['missing tier', (c) => delete c.tier, '/tier', 'required', ['issuance']],
  ['tier not in the enum', (c) => (c.tier = 'vip'), '/tier', 'enum', MODES],
  ['tier in uppercase', (c) => (c.tier = 'YOUTH'), '/tier', 'enum', MODES],
  ['service_id with uppercase', (c) => (c.service_id = 'Pools'), '/service_id', 'pattern', MODES],
  ['service_id starting with a dash', (c) => (c.service_id = '-pools'), '/service_id', 'pattern', MODES],
  ['service_id of 64 characters', (c) => (c.service_id = 'a'.repeat(64)), '/service_id', 'pattern', MODES],
  ['pseudonym of 42 characters', (c) => (c.pseudonym = 'A'.repeat(42)), '/pseudonym', 'pattern', MODES],
  ['pseudonym with padding', (c) => (c.pseudonym = `${'A'.repeat(43)}=`), '/pseudonym', 'pattern', MODES],
  ['pseudonym in standard base64', (c) => (c.pseudonym = `${'A'.repeat(41)}+A`), '/pseudonym', 'pattern', MODES],
  ['pseudonym with non-canonical last character', (c) => (c.pseudonym = `${'A'.repeat(42)}B`), '/pseudonym', 'pattern', MODES],
  ['municipality as a number', (c) => (c.municipality = 33), '/municipality', 'type', MODES],
  ['validity as a claim', (c) => (c.validUntil = '2026-12-31T00:00:00Z'), '/validUntil', 'additionalProperties', MODES],
];

describe('validateClaims: invalid ServiceEntitlementCredential claims', () => {
  for (const [label, mutate, path, keyword, modes] of entitlementCases) {
    for (const mode of modes) {
      it(`${mode}: refuses ${label} (${path} ${keyword})`, () => {
        const claims = clone(entitlement) as unknown as Parameters<Mutation>[0];
        mutate(claims);
        expect(issues('ServiceEntitlementCredential', claims, mode)).toContainEqual({ path, keyword });
      });
    }
  }
});

describe('validateClaims: errors carry no personal data', () => {
  const SENTINEL = 'QZXJ';
  const poisoned: Array<[CredentialTypeName, Mutation]> = [
    ['ResidentCredential', (c) => (c.given_name = `${SENTINEL} ${'ñ'.repeat(120)}`)],
    ['ResidentCredential', (c) => (c.birthdate = `${SENTINEL}-05-14`)],
    ['ResidentCredential', (c) => (c.address!.country = SENTINEL)],
    ['ResidentCredential', (c) => (c.address!.postal_code = `${SENTINEL}!!`)],
    ['ResidentCredential', (c) => (c.dni = `12345678Z ${SENTINEL}`)],
    ['ResidentCredential', (c) => (c[`${SENTINEL} Pérez, DNI 12345678Z`] = true)],
    ['ResidentCredential', (c) => (c.address![`${SENTINEL}/~ x`] = 'y')],
    ['ServiceEntitlementCredential', (c) => (c.tier = SENTINEL)],
    ['ServiceEntitlementCredential', (c) => (c.pseudonym = `${SENTINEL}${'a'.repeat(50)}`)],
  ];

  it.each(poisoned.map(([type, m], i) => [i, type, m] as const))('case %i (%s): no value in message or cause', (_i, type, mutate) => {
    const base = type === 'ResidentCredential' ? resident : entitlement;
    for (const mode of MODES) {
      const claims = clone(base) as unknown as Parameters<Mutation>[0];
      mutate(claims);
      const error = failure(type, claims, mode);
      expect(error.code).toBe('SCHEMA_INVALID');
      expect(error.message).not.toContain(SENTINEL);
      expect(JSON.stringify(error.cause)).not.toContain(SENTINEL);
      expect(schemaIssuesOf(error)!.length).toBeGreaterThan(0);
    }
  });

  it('never echoes a failing value (fast-check over claims and values)', () => {
    const residentTargets: Array<(c: Parameters<Mutation>[0], v: unknown) => void> = [
      (c, v) => (c.given_name = v),
      (c, v) => (c.birthdate = v),
      (c, v) => (c.age_over_18 = v),
      (c, v) => (c.address!.country = v),
      (c, v) => (c.address!.postal_code = v),
      (c, v) => (c.address!.street_address = v),
      (c, v) => (c.resident_since = v),
    ];
    // Values that fail every target above: strings over 200 characters
    // (too long, or of the wrong shape) and arrays (wrong type).
    const badValue = fc.oneof(
      fc.string({ minLength: 4, maxLength: 20 }).map((s) => `§${s}§`.repeat(40)),
      fc.constantFrom(`§§${'Ejemplo'.repeat(30)}§§`, '§12345678Z§'.repeat(20)),
      fc.array(fc.constant('§leak§'), { minLength: 1, maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.nat(residentTargets.length - 1), badValue, fc.constantFrom(...MODES), (target, value, mode) => {
        const claims = clone(resident) as unknown as Parameters<Mutation>[0];
        residentTargets[target]!(claims, value);
        const error = failure('ResidentCredential', claims, mode);
        const text = `${error.message}\n${JSON.stringify(error.cause)}`;
        expect(text).not.toContain('§');
      }),
      { numRuns: 300 },
    );
  });

  it('bounds the issue list for claims with many unknown members', () => {
    const claims: Record<string, unknown> = clone(resident) as unknown as Record<string, unknown>;
    for (let i = 0; i < 500; i++) claims[`extra_${i}`] = i;
    const error = failure('ResidentCredential', claims, 'presentation');
    expect(schemaIssuesOf(error)).toHaveLength(MAX_SCHEMA_ISSUES);
    expect(error.message).toMatch(/and 90 more$/);
  });
});

describe('validateClaims: presentation mode', () => {
  const disclosableTop = Object.keys(resident) as Array<keyof ResidentClaims>;
  const addressParts = Object.keys(resident.address) as Array<keyof ResidentClaims['address']>;

  it('accepts every subset of a valid issuance claim set (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...residents),
        fc.subarray(disclosableTop),
        fc.subarray(addressParts),
        (issued, keys, parts) => {
          const disclosed: Record<string, unknown> = {};
          for (const key of keys) {
            if (key === 'address') {
              disclosed.address = Object.fromEntries(
                parts.filter((p) => p in issued.address).map((p) => [p, issued.address[p]]),
              );
            } else {
              disclosed[key] = issued[key];
            }
          }
          expect(validateClaims({ type: 'ResidentCredential', claims: disclosed, mode: 'presentation' })).toBe(disclosed);
          // And every strict subset is refused at issuance, unless only region was left out.
          const complete = keys.length === disclosableTop.length && parts.filter((p) => p !== 'region').length === 4;
          if (!complete) expect(failure('ResidentCredential', disclosed, 'issuance').code).toBe('SCHEMA_INVALID');
        },
      ),
      { numRuns: 400 },
    );
  });

  it('accepts every subset of a valid service entitlement (fast-check)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...entitlements), fc.subarray(['service_id', 'tier', 'pseudonym', 'municipality'] as const), (issued, keys) => {
        const disclosed = Object.fromEntries(keys.map((k) => [k, issued[k]]));
        expect(validateClaims({ type: 'ServiceEntitlementCredential', claims: disclosed, mode: 'presentation' })).toBe(
          disclosed,
        );
      }),
    );
  });
});

describe('presentationSchemaOf', () => {
  it('drops presence constraints at every level and keeps everything else', () => {
    const issuance = credentialTypeByName('ResidentCredential').schema;
    const presentation = presentationSchemaOf(issuance) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(presentation.$id).toBe('https://urbis.city/schemas/resident-credential/v1/claims/presentation');
    expect(presentation.required).toBeUndefined();
    expect(presentation.properties.address.required).toBeUndefined();
    expect(presentation.additionalProperties).toBe(false);
    expect(presentation.properties.address.additionalProperties).toBe(false);
    expect(presentation.properties.address.properties.country).toEqual(
      (issuance.properties as Record<string, any>).address.properties.country, // eslint-disable-line @typescript-eslint/no-explicit-any
    );
    expect(presentation.$defs).toEqual(issuance.$defs);
    // The issuance schema is untouched.
    expect(issuance.required).toHaveLength(8);
  });

  it('follows schema keywords, so a property named "required" survives', () => {
    const schema = {
      $id: 'https://urbis.city/schemas/test',
      type: 'object',
      properties: { required: { type: 'boolean' }, inner: { type: 'object', required: ['x'], minProperties: 1 } },
      allOf: [{ required: ['required'] }],
      items: { dependentRequired: { a: ['b'] } },
      required: ['required', 'inner'],
    };
    expect(presentationSchemaOf(schema)).toEqual({
      $id: 'https://urbis.city/schemas/test/presentation',
      type: 'object',
      properties: { required: { type: 'boolean' }, inner: { type: 'object' } },
      allOf: [{}],
      items: {},
    });
  });
});

describe('validateClaims: arguments', () => {
  it('refuses an unknown credential type', () => {
    expect(() => validateClaims({ type: 'PassportCredential' as CredentialTypeName, claims: {}, mode: 'presentation' }))
      .toThrow(expect.objectContaining({ code: 'CREDENTIAL_TYPE_UNKNOWN' }));
  });

  it('refuses an unknown mode', () => {
    expect(() =>
      validateClaims({ type: 'ResidentCredential', claims: resident, mode: 'lenient' as ClaimsValidationMode }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('schemaIssuesOf returns undefined for other errors', () => {
    expect(schemaIssuesOf(new UrbisError('CLAIM_INVALID', 'x'))).toBeUndefined();
    expect(schemaIssuesOf(new UrbisError('SCHEMA_INVALID', 'x'))).toBeUndefined();
    expect(schemaIssuesOf(new Error('x'))).toBeUndefined();
    expect(schemaIssuesOf(undefined)).toBeUndefined();
  });

  it('the message names pointers and keywords', () => {
    const claims = { ...clone(resident), birthdate: '2000-02-30' };
    expect(failure('ResidentCredential', claims, 'issuance').message).toBe(
      'ResidentCredential claims do not match the issuance schema: /birthdate format',
    );
    expect(failure('ResidentCredential', null, 'presentation').message).toBe(
      'ResidentCredential claims do not match the presentation schema: / type',
    );
  });
});
