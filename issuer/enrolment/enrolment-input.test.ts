import { SERVICE_TIERS } from '../../core/credentials/credential-types.js';
import { checkConsents, checkEnrolmentInput, checkIdentityInput, checkServiceChoices, CONSENT_PURPOSES, REQUIRED_CONSENTS } from './enrolment-input.js';
import { enrolmentBody as cityEnrolmentBody } from '../testing/city-data.js';

const TODAY = '2026-06-15';

/** The city-data enrolment body with a fixed e-mail (the tests compare it). */
function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return cityEnrolmentBody({ email: 'covadonga@example.org', ...overrides });
}

function withAddress(overrides: Record<string, unknown>): Record<string, unknown> {
  return body({ address: { ...(body()['address'] as Record<string, unknown>), ...overrides } });
}

/** The error `fn` throws, as `{ code, message }` (or `undefined` when it does not throw). */
function failure(fn: () => unknown): { code: unknown; message: string } | undefined {
  try {
    fn();
  } catch (error) {
    return { code: (error as { code?: unknown }).code, message: (error as Error).message };
  }
  return undefined;
}

/** Asserts BODY_INVALID naming `field`, and that the message does not repeat `value`. */
function expectBodyInvalid(fn: () => unknown, field: string, value?: string): void {
  const error = failure(fn);
  expect(error).toEqual({ code: 'BODY_INVALID', message: `${field} is missing or invalid` });
  if (value !== undefined && value.trim() !== '') expect(error!.message).not.toContain(value);
}

const enrol = (value: unknown) => () => checkEnrolmentInput(value, { today: TODAY });

describe('checkEnrolmentInput: a whole enrolment', () => {
  test('accepts a good body; trims text, lowercases the e-mail, keeps services and consents', () => {
    const out = checkEnrolmentInput(
      body({ given_name: '  Covadonga ', email: ' Covadonga@Example.ORG ', address: { street_address: ' Calle Corrida 12 ', postal_code: ' 33206 ', locality: ' Gijón ', country: ' ES ' } }),
      { today: TODAY },
    );
    expect(out).toEqual({
      given_name: 'Covadonga',
      family_name: 'Fernández Suárez',
      birthdate: '1990-05-14',
      email: 'covadonga@example.org',
      address: { street_address: 'Calle Corrida 12', postal_code: '33206', locality: 'Gijón', country: 'ES' },
      resident_since: '2015-09-01',
      services: [
        { service_id: 'pools', tier: 'standard' },
        { service_id: 'library', tier: 'standard' },
      ],
      consents: { service_provision: true, notifications: false },
    });
    expect(out).not.toHaveProperty('phone');
  });

  test('services are optional (absent or null mean none)', () => {
    const { services: _services, ...noServices } = body();
    expect(checkEnrolmentInput(noServices, { today: TODAY }).services).toEqual([]);
    expect(checkEnrolmentInput(body({ services: null }), { today: TODAY }).services).toEqual([]);
  });

  test('the body must be an object', () => {
    for (const value of [null, undefined, 'text', 42, [], [body()]]) expectBodyInvalid(enrol(value), 'body');
  });

  test('an unknown field is refused, named, and its value not repeated', () => {
    expectBodyInvalid(enrol(body({ nickname: 'Cova-SECRET' })), 'nickname', 'Cova-SECRET');
    expectBodyInvalid(enrol(body({ card_number: '1234567897' })), 'card_number');
    expectBodyInvalid(enrol(body({ restricted: false })), 'restricted');
  });

  test('consents are required, checked and the mandatory one must be granted', () => {
    const { consents: _consents, ...noConsents } = body();
    expectBodyInvalid(enrol(noConsents), 'consents');
    expectBodyInvalid(enrol(body({ consents: { service_provision: true, marketing: true } })), 'consents.marketing');
    expect(failure(enrol(body({ consents: { service_provision: false } })))).toMatchObject({ code: 'CONSENT_MISSING' });
    expect(failure(enrol(body({ consents: {} })))).toMatchObject({ code: 'CONSENT_MISSING' });
  });

  test('service choices are checked', () => {
    expectBodyInvalid(enrol(body({ services: [{ service_id: 'pools', tier: 'gold' }] })), 'services[0].tier');
    expectBodyInvalid(enrol(body({ services: 'pools' })), 'services');
  });

  test('identity is checked before unknown fields (the first fault is the identity one)', () => {
    expectBodyInvalid(enrol(body({ nickname: 'x', birthdate: 'nope' })), 'birthdate');
  });
});

describe('checkIdentityInput: names', () => {
  const identity = (value: unknown) => () => checkIdentityInput(value, { today: TODAY });

  test.each([
    ['letters with accents', 'Fernández Suárez'],
    ['an apostrophe', "O'Neill"],
    ['a hyphen and a dot', 'Jean-Pierre J. Martin'],
    ['a combining mark (NFD)', 'Jose\u0301'],
    ['non-Latin letters', 'Ελένη'],
    ['one letter', 'X'],
    ['100 letters', 'a'.repeat(100)],
  ])('accepts %s', (_label, name) => {
    expect(checkIdentityInput(body({ given_name: name, family_name: name }), { today: TODAY }).given_name).toBe(name);
  });

  test.each([
    ['digits', 'R2D2'],
    ['an emoji', 'Ana 🙂'],
    ['markup', '<b>Ana</b>'],
    ['a comma', 'Doe, John'],
    ['101 letters', 'a'.repeat(101)],
    ['only spaces', '   '],
    ['empty', ''],
  ])('refuses %s, naming the field only', (_label, name) => {
    expectBodyInvalid(identity(body({ given_name: name })), 'given_name', name);
    expectBodyInvalid(identity(body({ family_name: name })), 'family_name', name);
  });

  test('refuses missing or non-string names', () => {
    for (const value of [undefined, null, 42, ['Ana'], { name: 'Ana' }]) {
      expectBodyInvalid(identity(body({ given_name: value })), 'given_name');
      expectBodyInvalid(identity(body({ family_name: value })), 'family_name');
    }
  });
});

describe('checkIdentityInput: dates', () => {
  const identity = (value: unknown, today = TODAY) => () => checkIdentityInput(value, { today });

  test.each(['2023-02-29', '1990-02-30', '1990-04-31', '1990-13-01', '1990-00-10', '1990-01-00', '1990-1-1', '19900101', '1990/01/01', '1990-01-01T00:00:00Z', ' ', 'yesterday'])(
    'birthdate %p is not a real calendar day',
    (birthdate) => {
      expectBodyInvalid(identity(body({ birthdate })), 'birthdate', birthdate);
    },
  );

  test('29 February exists in leap years only', () => {
    expect(checkIdentityInput(body({ birthdate: '2004-02-29', resident_since: '2010-01-01' }), { today: TODAY }).birthdate).toBe('2004-02-29');
    expect(checkIdentityInput(body({ birthdate: '2000-02-29', resident_since: '2010-01-01' }), { today: TODAY }).birthdate).toBe('2000-02-29');
    expectBodyInvalid(identity(body({ birthdate: '1900-02-29', resident_since: '2010-01-01' })), 'birthdate');
  });

  test('the birthdate is in the past: today and later are refused', () => {
    expectBodyInvalid(identity(body({ birthdate: TODAY, resident_since: TODAY })), 'birthdate');
    expectBodyInvalid(identity(body({ birthdate: '2026-06-16', resident_since: TODAY })), 'birthdate');
    expect(checkIdentityInput(body({ birthdate: '2026-06-14', resident_since: '2026-06-14' }), { today: TODAY }).birthdate).toBe('2026-06-14');
  });

  test('the birthdate is at most 130 years ago, to the day', () => {
    // Exactly 130 years ago today: accepted.
    expect(checkIdentityInput(body({ birthdate: '1896-06-15' }), { today: TODAY }).birthdate).toBe('1896-06-15');
    // More than 130 years ago: refused, also within the 130th year's calendar year.
    expectBodyInvalid(identity(body({ birthdate: '1895-12-31' })), 'birthdate');
    expectBodyInvalid(identity(body({ birthdate: '1896-06-14' })), 'birthdate');
    expectBodyInvalid(identity(body({ birthdate: '1896-01-01' })), 'birthdate');
  });

  test('resident_since is a real day, not in the future, not before the birthdate', () => {
    expect(checkIdentityInput(body({ resident_since: TODAY }), { today: TODAY }).resident_since).toBe(TODAY);
    expect(checkIdentityInput(body({ resident_since: '1990-05-14' }), { today: TODAY }).resident_since).toBe('1990-05-14');
    expectBodyInvalid(identity(body({ resident_since: '2026-06-16' })), 'resident_since');
    expectBodyInvalid(identity(body({ resident_since: '1990-05-13' })), 'resident_since');
    expectBodyInvalid(identity(body({ resident_since: '2015-02-29' })), 'resident_since');
    expectBodyInvalid(identity(body({ resident_since: undefined })), 'resident_since');
    expectBodyInvalid(identity(body({ resident_since: 20150901 })), 'resident_since');
  });
});

describe('checkIdentityInput: address', () => {
  const identity = (value: unknown) => () => checkIdentityInput(value, { today: TODAY });

  test('must be an object with known keys only', () => {
    for (const address of [undefined, null, 'Calle Corrida 12', [], 42]) expectBodyInvalid(identity(body({ address })), 'address');
    expectBodyInvalid(identity(withAddress({ floor: '3' })), 'address.floor', '3');
    expectBodyInvalid(identity(withAddress({ region: 'Asturias' })), 'address.region', 'Asturias');
  });

  test('street and locality: non-empty, bounded', () => {
    expect(checkIdentityInput(withAddress({ street_address: 's'.repeat(200) }), { today: TODAY }).address.street_address).toHaveLength(200);
    expectBodyInvalid(identity(withAddress({ street_address: 's'.repeat(201) })), 'street_address');
    expectBodyInvalid(identity(withAddress({ street_address: '  ' })), 'street_address');
    expectBodyInvalid(identity(withAddress({ street_address: undefined })), 'street_address');
    expect(checkIdentityInput(withAddress({ locality: 'l'.repeat(100) }), { today: TODAY }).address.locality).toHaveLength(100);
    expectBodyInvalid(identity(withAddress({ locality: 'l'.repeat(101) })), 'locality');
    expectBodyInvalid(identity(withAddress({ locality: 7 })), 'locality');
  });

  test.each(['33206', 'SW1A 1AA', 'K1A-0B1', '1010', 'D02 X285', '123', '1234567890'])('postal code %p is accepted', (postal_code) => {
    expect(checkIdentityInput(withAddress({ postal_code }), { today: TODAY }).address.postal_code).toBe(postal_code);
  });

  test.each(['12', '1', '-3320', '3320-', '12345678901', '33 20_6', '3320é', ''])('postal code %p is refused', (postal_code) => {
    expectBodyInvalid(identity(withAddress({ postal_code })), 'postal_code', postal_code);
  });

  test('country is an upper-case two-letter code', () => {
    expect(checkIdentityInput(withAddress({ country: 'FR' }), { today: TODAY }).address.country).toBe('FR');
    for (const country of ['es', 'ESP', 'E', 'E1', 'España', '']) expectBodyInvalid(identity(withAddress({ country })), 'country');
  });
});

describe('checkIdentityInput: e-mail and phone', () => {
  const identity = (value: unknown) => () => checkIdentityInput(value, { today: TODAY });

  test('one of them is required', () => {
    expectBodyInvalid(identity(body({ email: undefined })), 'email or phone');
    expectBodyInvalid(identity(body({ email: null, phone: null })), 'email or phone');
  });

  test('a phone alone is enough; both are kept', () => {
    const phoneOnly = checkIdentityInput(body({ email: undefined, phone: '+34 600 123 456' }), { today: TODAY });
    expect(phoneOnly.phone).toBe('+34 600 123 456');
    expect(phoneOnly).not.toHaveProperty('email');
    const both = checkIdentityInput(body({ phone: '600123456' }), { today: TODAY });
    expect(both).toMatchObject({ email: 'covadonga@example.org', phone: '600123456' });
  });

  test.each(['no-at-sign', 'a@b', 'a b@example.org', '@example.org', 'a@example.o', `${'a'.repeat(65)}@example.org`, ''])('e-mail %p is refused', (email) => {
    expectBodyInvalid(identity(body({ email })), 'email', email);
  });

  test.each(['600-123-456', '12345', '+34 (600) 123', 'call me', `+${'1'.repeat(20)}`, ''])('phone %p is refused', (phone) => {
    expectBodyInvalid(identity(body({ phone })), 'phone', phone);
  });

  test('a non-string e-mail or phone is refused', () => {
    expectBodyInvalid(identity(body({ email: 42 })), 'email');
    expectBodyInvalid(identity(body({ phone: 600123456 })), 'phone');
  });
});

describe('checkServiceChoices', () => {
  test('accepts every tier of the closed list, in order', () => {
    const choices = SERVICE_TIERS.map((tier, i) => ({ service_id: `service-${i}`, tier }));
    expect(checkServiceChoices(choices)).toEqual(choices);
    expect(checkServiceChoices([])).toEqual([]);
  });

  test('drops unknown keys of an item', () => {
    expect(checkServiceChoices([{ service_id: 'pools', tier: 'youth', price: 3 }])).toEqual([{ service_id: 'pools', tier: 'youth' }]);
  });

  test('must be an array of at most 32 items', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ service_id: `s${i}`, tier: 'standard' }));
    expect(checkServiceChoices(many(32))).toHaveLength(32);
    expectBodyInvalid(() => checkServiceChoices(many(33)), 'services');
    for (const value of [undefined, null, 'pools', { service_id: 'pools', tier: 'standard' }]) expectBodyInvalid(() => checkServiceChoices(value), 'services');
  });

  test('items must be objects', () => {
    expectBodyInvalid(() => checkServiceChoices([null]), 'services[0]');
    expectBodyInvalid(() => checkServiceChoices([{ service_id: 'pools', tier: 'standard' }, 'library']), 'services[1]');
  });

  test('a service appears once', () => {
    expectBodyInvalid(
      () =>
        checkServiceChoices([
          { service_id: 'pools', tier: 'standard' },
          { service_id: 'library', tier: 'standard' },
          { service_id: 'pools', tier: 'youth' },
        ]),
      'services[2].service_id',
    );
  });

  test.each(['Pools', '-pools', 'pools_', 'pó', '', 'a'.repeat(64), 42, undefined])('service id %p is refused', (service_id) => {
    expectBodyInvalid(() => checkServiceChoices([{ service_id, tier: 'standard' }]), 'services[0].service_id');
  });

  test('a 63-character slug is fine', () => {
    expect(checkServiceChoices([{ service_id: `a${'-'.repeat(62)}`, tier: 'standard' }])).toHaveLength(1);
  });

  test.each(['gold', 'Standard', '', undefined, 1])('tier %p is refused', (tier) => {
    expectBodyInvalid(() => checkServiceChoices([{ service_id: 'pools', tier }]), 'services[0].tier');
  });
});

describe('checkConsents', () => {
  test('every purpose may be given; the mandatory one must be granted', () => {
    expect(CONSENT_PURPOSES).toEqual(['service_provision', 'notifications', 'statistics']);
    expect(REQUIRED_CONSENTS).toEqual(['service_provision']);
    expect(checkConsents({ service_provision: true, notifications: true, statistics: false })).toEqual({ service_provision: true, notifications: true, statistics: false });
    expect(checkConsents({ service_provision: true })).toEqual({ service_provision: true });
  });

  test('CONSENT_MISSING when service_provision is absent or refused', () => {
    for (const value of [{}, { service_provision: false }, { notifications: true }]) {
      expect(failure(() => checkConsents(value))).toEqual({ code: 'CONSENT_MISSING', message: 'consent for service_provision is required to run the city card' });
    }
  });

  test('requireMandatory: false (consent changes) accepts a withdrawal', () => {
    expect(checkConsents({ service_provision: false }, { requireMandatory: false })).toEqual({ service_provision: false });
    expect(checkConsents({}, { requireMandatory: false })).toEqual({});
  });

  test('unknown purposes and non-boolean values are BODY_INVALID naming the purpose', () => {
    expectBodyInvalid(() => checkConsents({ service_provision: true, marketing: true }), 'consents.marketing');
    expectBodyInvalid(() => checkConsents({ service_provision: 'yes' }), 'consents.service_provision', 'yes');
    expectBodyInvalid(() => checkConsents({ service_provision: 1 }), 'consents.service_provision');
    expectBodyInvalid(() => checkConsents({ service_provision: true, notifications: null }, { requireMandatory: false }), 'consents.notifications');
  });

  test('must be an object', () => {
    for (const value of [undefined, null, true, 'all', ['service_provision']]) expectBodyInvalid(() => checkConsents(value), 'consents');
  });
});
