import { SERVICE_TIERS } from '../../core/credentials/credential-types.js';
import { DEFAULT_CATALOGUE } from './default-catalogue.js';
import { checkServiceDefinition, LOCALES, REQUIRED_DOCUMENT_KINDS } from './service-definition.js';

const NAMES = { en: 'Municipal pools', es: 'Piscinas municipales', fr: 'Piscines municipales' };

function definition(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 'pools', names: { ...NAMES }, tiers: ['standard', 'youth'], requiredDocuments: ['proof_of_address'], minAge: 3, maxAge: 99, active: true, ...overrides };
}

function failure(value: unknown): { code: unknown; message: string } | undefined {
  try {
    checkServiceDefinition(value);
  } catch (error) {
    return { code: (error as { code?: unknown }).code, message: (error as Error).message };
  }
  return undefined;
}

const invalid = (field: string) => ({ code: 'BODY_INVALID', message: `service definition: ${field} is invalid` });

describe('checkServiceDefinition', () => {
  test('returns a clean copy of a full definition', () => {
    const input = definition({ extra: 'dropped' });
    const out = checkServiceDefinition(input);
    expect(out).toEqual({ id: 'pools', names: NAMES, tiers: ['standard', 'youth'], requiredDocuments: ['proof_of_address'], minAge: 3, maxAge: 99, active: true });
    expect(out.names).not.toBe(input['names']);
  });

  test('defaults: no documents, no age limits, active', () => {
    expect(checkServiceDefinition({ id: 'library', names: NAMES, tiers: ['standard'] })).toEqual({ id: 'library', names: NAMES, tiers: ['standard'], requiredDocuments: [], active: true });
  });

  test('null age limits mean none', () => {
    const out = checkServiceDefinition(definition({ minAge: null, maxAge: null }));
    expect(out).not.toHaveProperty('minAge');
    expect(out).not.toHaveProperty('maxAge');
  });

  test('active: false is kept; only true (or absent) is active', () => {
    expect(checkServiceDefinition(definition({ active: false })).active).toBe(false);
    expect(checkServiceDefinition(definition({ active: true })).active).toBe(true);
  });

  test('every default-catalogue service is valid, and unchanged by the check', () => {
    for (const service of DEFAULT_CATALOGUE) expect(checkServiceDefinition(service)).toEqual(service);
    expect(DEFAULT_CATALOGUE.find((s) => s.id === 'youth-pass')).toMatchObject({ minAge: 14, maxAge: 30, tiers: ['youth'] });
  });

  test('the definition must be an object', () => {
    for (const value of [null, undefined, 'pools', 42]) expect(failure(value)).toEqual(invalid('the definition'));
  });

  test.each(['Pools', '-pools', 'pó', '', 'a'.repeat(64), 42, undefined])('id %p is refused', (id) => {
    expect(failure(definition({ id }))).toEqual(invalid('id'));
  });

  test('names: an object with every locale, 1 to 100 characters', () => {
    expect(LOCALES).toEqual(['en', 'es', 'fr']);
    for (const names of [undefined, null, 'Pools']) expect(failure(definition({ names }))).toEqual(invalid('names'));
    for (const locale of LOCALES) {
      const { [locale]: _dropped, ...missing } = NAMES;
      expect(failure(definition({ names: missing }))).toEqual(invalid(`names.${locale}`));
      expect(failure(definition({ names: { ...NAMES, [locale]: '' } }))).toEqual(invalid(`names.${locale}`));
      expect(failure(definition({ names: { ...NAMES, [locale]: 'n'.repeat(101) } }))).toEqual(invalid(`names.${locale}`));
      expect(failure(definition({ names: { ...NAMES, [locale]: 7 } }))).toEqual(invalid(`names.${locale}`));
    }
    expect(checkServiceDefinition(definition({ names: { ...NAMES, en: 'n'.repeat(100) } })).names.en).toHaveLength(100);
  });

  test('tiers: a non-empty list of distinct known tiers', () => {
    expect(checkServiceDefinition(definition({ tiers: [...SERVICE_TIERS] })).tiers).toEqual([...SERVICE_TIERS]);
    for (const tiers of [undefined, [], 'standard', ['gold'], ['standard', 'standard'], ['standard', 1]]) expect(failure(definition({ tiers }))).toEqual(invalid('tiers'));
  });

  test('requiredDocuments: known document kinds', () => {
    expect(checkServiceDefinition(definition({ requiredDocuments: [...REQUIRED_DOCUMENT_KINDS] })).requiredDocuments).toEqual([...REQUIRED_DOCUMENT_KINDS]);
    for (const requiredDocuments of ['proof_of_address', ['passport'], [null], {}]) expect(failure(definition({ requiredDocuments }))).toEqual(invalid('requiredDocuments'));
  });

  test('age limits: integers from 0 to 150, min not above max', () => {
    expect(checkServiceDefinition(definition({ minAge: 0, maxAge: 150 }))).toMatchObject({ minAge: 0, maxAge: 150 });
    expect(checkServiceDefinition(definition({ minAge: 30, maxAge: 30 }))).toMatchObject({ minAge: 30, maxAge: 30 });
    for (const key of ['minAge', 'maxAge'] as const) {
      for (const age of [-1, 151, 14.5, '14', Number.NaN, Infinity]) {
        expect(failure(definition({ minAge: undefined, maxAge: undefined, [key]: age }))).toEqual(invalid(key));
      }
    }
    expect(failure(definition({ minAge: 31, maxAge: 30 }))).toEqual(invalid('maxAge'));
  });

  test('a lone limit is kept alone', () => {
    const minOnly = checkServiceDefinition(definition({ minAge: 65, maxAge: undefined }));
    expect(minOnly.minAge).toBe(65);
    expect(minOnly).not.toHaveProperty('maxAge');
  });
});
