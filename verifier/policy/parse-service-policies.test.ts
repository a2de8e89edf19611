import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { MAX_POLICY_FILE_CHARS, parseServicePolicies } from './parse-service-policies.js';

const fixtureText = readFileSync(new URL('./fixtures/gijon-policies.json', import.meta.url), 'utf8');
const GIJON = 'did:web:gijon.urbis.example';

/** A minimal valid file with one policy, merged with `policy` and its first alternative with `accept`. */
function file(policy: Record<string, unknown> = {}, accept: Record<string, unknown> = {}): Record<string, unknown> {
  return { version: 1, policies: [{ serviceId: 'pools', accept: [{ type: 'ServiceEntitlementCredential', ...accept }], ...policy }] };
}

describe('parseServicePolicies', () => {
  it("parses Gijón's policy file, by serviceId in file order, with defaults filled in and frozen", () => {
    const policies = parseServicePolicies(fixtureText);
    expect([...policies.keys()]).toEqual(['transport', 'library', 'pools', 'sports-booking', 'waste-centre', 'youth-pass', 'parking']);
    const pools = policies.get('pools')!;
    expect(pools).toEqual({
      serviceId: 'pools',
      names: { fr: 'Piscines municipales', es: 'Piscinas municipales', en: 'Municipal pools' },
      accepts: [
        { id: 'entitlement', type: 'ServiceEntitlementCredential', formats: ['vc+sd-jwt', 'dc+sd-jwt'], issuers: [GIJON], tiers: ['standard', 'youth', 'senior', 'family'], predicates: [], claims: [] },
        { id: 'senior', type: 'ResidentCredential', formats: ['vc+sd-jwt', 'dc+sd-jwt'], issuers: 'federation', predicates: ['age_over_65'], claims: [] },
      ],
      maxSnapshotAgeSeconds: 86_400,
      staleSnapshot: 'fail',
      paperAccepted: false,
    });
    expect(policies.get('parking')).toMatchObject({ maxSnapshotAgeSeconds: 259_200, staleSnapshot: 'warn', clockSkewSeconds: 120, paperAccepted: true });
    expect(policies.get('waste-centre')!.accepts.map((a) => a.id)).toEqual(['entitlement', 'resident']);
    expect(Object.isFrozen(pools)).toBe(true);
    expect(Object.isFrozen(pools.accepts[0]!.formats)).toBe(true);
    expect(() => (pools.accepts as unknown[]).push({})).toThrow(TypeError);
  });

  it('takes the parsed JSON value as well as the text, and does not keep references to it', () => {
    const value = JSON.parse(fixtureText) as { policies: { serviceId: string }[] };
    const policies = parseServicePolicies(value);
    expect(policies.get('library')).toEqual(parseServicePolicies(fixtureText).get('library'));
    value.policies[1]!.serviceId = 'changed';
    expect(policies.get('library')!.serviceId).toBe('library');
  });

  it('policy-level formats and issuers are defaults that alternatives override', () => {
    const policies = parseServicePolicies({
      version: 1,
      policies: [
        {
          serviceId: 'pools',
          formats: ['dc+sd-jwt'],
          issuers: [GIJON],
          accept: [{ type: 'ServiceEntitlementCredential' }, { type: 'ResidentCredential', formats: ['vc+sd-jwt'], issuers: 'federation', predicates: ['age_over_18'] }],
        },
      ],
    });
    expect(policies.get('pools')!.accepts.map(({ formats, issuers }) => ({ formats, issuers }))).toEqual([
      { formats: ['dc+sd-jwt'], issuers: [GIJON] },
      { formats: ['vc+sd-jwt'], issuers: 'federation' },
    ]);
  });

  it('stores string claim values in Unicode NFC', () => {
    const policies = parseServicePolicies(file({}, { type: 'ResidentCredential', claims: [{ path: ['address', 'locality'], values: ['Gijo\u0301n'] }] }));
    expect(policies.get('pools')!.accepts[0]!.claims[0]!.values).toEqual(['Gij\u00f3n']);
  });

  const bigValues = Array.from({ length: 32 }, (_, i) => `${'x'.repeat(250)}${i}`);
  it.each<[string, unknown, RegExp]>([
    ['not JSON', '{"version": 1,', /the policy file is not JSON/],
    ['larger than the bound', ' '.repeat(MAX_POLICY_FILE_CHARS + 1), /larger than/],
    ['not an object', [], /the policy file is invalid \(type\)/],
    ['no version', { policies: file().policies }, /version is missing/],
    ['another version', { ...file(), version: 2 }, /version is invalid \(const\)/],
    ['no policies', { version: 1, policies: [] }, /policies is invalid \(minItems\)/],
    ['an unknown top-level member', { ...file(), extra: true }, /extra is not a known member/],
    ['an unknown policy member', file({ maxAge: 3 }), /policies\[0\]\.maxAge is not a known member/],
    ['an unknown member whose name is not an identifier', file({ 'José Pérez': 1 }), /policies\[0\] has an unknown member/],
    ['no serviceId', { version: 1, policies: [{ accept: [{ type: 'ResidentCredential' }] }] }, /policies\[0\]\.serviceId is missing/],
    ['a serviceId that is not a slug', file({ serviceId: 'Piscinas Gijón' }), /policies\[0\]\.serviceId is invalid \(pattern\)/],
    ['a duplicate serviceId', { version: 1, policies: [file().policies, file().policies].flat() }, /policies\[1\]\.serviceId is a duplicate/],
    ['no alternative', file({ accept: [] }), /policies\[0\]\.accept is invalid \(minItems\)/],
    ['an unknown credential type', file({}, { type: 'PassportCredential' }), /policies\[0\]\.accept\[0\]\.type is invalid \(enum\)/],
    ['an unknown format', file({ formats: ['jwt_vc_json'] }), /policies\[0\]\.formats\[0\] is invalid \(enum\)/],
    ['an empty format list', file({}, { formats: [] }), /policies\[0\]\.accept\[0\]\.formats is invalid \(minItems\)/],
    ['issuers that are not DIDs or https URLs', file({ issuers: ['gijon'] }), /policies\[0\]\.issuers is invalid \(anyOf\)/],
    ['issuers as another word', file({}, { issuers: 'everyone' }), /policies\[0\]\.accept\[0\]\.issuers is invalid \(anyOf\)/],
    ['an unknown tier', file({}, { tiers: ['gold'] }), /policies\[0\]\.accept\[0\]\.tiers\[0\] is invalid \(enum\)/],
    ['an unknown predicate', file({}, { type: 'ResidentCredential', predicates: ['age_over_21'] }), /predicates\[0\] is invalid \(enum\)/],
    ['tiers on a resident credential', file({}, { type: 'ResidentCredential', tiers: ['youth'] }), /accept\[0\]\.tiers is only for ServiceEntitlementCredential/],
    ['predicates on an entitlement', file({}, { predicates: ['age_over_18'] }), /accept\[0\]\.predicates is only for ResidentCredential/],
    ['a claim the type does not have', file({}, { claims: [{ path: ['address', 'locality'] }] }), /claims\[0\]\.path is not a claim of ServiceEntitlementCredential/],
    ['a misspelt claim', file({}, { type: 'ResidentCredential', claims: [{ path: ['adress', 'locality'] }] }), /claims\[0\]\.path is not a claim of ResidentCredential/],
    ['the birthdate', file({}, { type: 'ResidentCredential', claims: [{ path: ['birthdate'] }] }), /claims\[0\]\.path asks for the birthdate/],
    ['an age predicate as a claim', file({}, { type: 'ResidentCredential', claims: [{ path: ['age_over_18'], values: [true] }] }), /claims\[0\]\.path is an age predicate/],
    ['service_id as a claim', file({}, { claims: [{ path: ['service_id'], values: ['library'] }] }), /claims\[0\]\.path is implied by serviceId/],
    ['tier as a claim beside tiers', file({}, { tiers: ['youth'], claims: [{ path: ['tier'] }] }), /claims\[0\]\.path is implied by tiers/],
    ['a claim asked twice', file({}, { claims: [{ path: ['tier'] }, { path: ['tier'], values: ['youth'] }] }), /claims\[1\]\.path is asked for twice/],
    ['values on an object claim', file({}, { type: 'ResidentCredential', claims: [{ path: ['address'], values: ['Gijón'] }] }), /claims\[0\]\.values: an object claim cannot be compared/],
    ['values on an identifying claim', file({}, { type: 'ResidentCredential', claims: [{ path: ['family_name'], values: ['García'] }] }), /claims\[0\]\.values: a policy never compares an identifying claim/],
    ['values on a pseudonym', file({}, { claims: [{ path: ['pseudonym'], values: ['1RwyfQi3aysqtxLK3R9f-t-Cqy8XtDyLp5lhEQKFbKk'] }] }), /a policy never compares an identifying claim/],
    ['a value that is not a string, number or boolean', file({}, { claims: [{ path: ['tier'], values: [null] }] }), /claims\[0\]\.values\[0\] is invalid \(type\)/],
    ['a number that is not finite', file({}, { claims: [{ path: ['tier'], values: [Number.NaN] }] }), /claims\[0\]\.values\[0\] is invalid \(type\)/],
    ['an empty claim path', file({}, { claims: [{ path: [] }] }), /claims\[0\]\.path is invalid \(minItems\)/],
    ['a duplicate alternative id', file({ accept: [{ type: 'ResidentCredential' }, { type: 'ResidentCredential', predicates: ['age_over_65'] }] }), /accept\[1\]\.id is a duplicate/],
    ['an alternative id that is not a slug', file({}, { id: 'Senior_Entry' }), /accept\[0\]\.id is invalid \(pattern\)/],
    ['a zero snapshot age', file({ maxSnapshotAgeSeconds: 0 }), /maxSnapshotAgeSeconds is invalid \(minimum\)/],
    ['a snapshot age in milliseconds', file({ maxSnapshotAgeSeconds: 86_400_000 }), /maxSnapshotAgeSeconds is invalid \(maximum\)/],
    ['a fractional snapshot age', file({ maxSnapshotAgeSeconds: 1.5 }), /maxSnapshotAgeSeconds is invalid \(type\)/],
    ['an unknown stale mode', file({ staleSnapshot: 'ignore' }), /staleSnapshot is invalid \(enum\)/],
    ['a clock skew above ten minutes', file({ clockSkewSeconds: 3600 }), /clockSkewSeconds is invalid \(maximum\)/],
    ['a key-binding window of zero', file({ kbMaxAgeSeconds: 0 }), /kbMaxAgeSeconds is invalid \(minimum\)/],
    ['paperAccepted as text', file({ paperAccepted: 'yes' }), /paperAccepted is invalid \(type\)/],
    ['a name in an unknown locale', file({ names: { de: 'Schwimmbad' } }), /names\.de is not a known member/],
    ['an empty name', file({ names: { es: '' } }), /names\.es is invalid \(minLength\)/],
    ['more than a request QR carries', file({}, { claims: [{ path: ['tier'], values: bigValues }] }), /policies\[0\] asks for more than a request QR carries/],
  ])('refuses %s with CONFIG_INVALID naming the member', (_name, input, message) => {
    let error: unknown;
    try {
      parseServicePolicies(input);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'UrbisError', code: 'CONFIG_INVALID', message: expect.stringMatching(message) });
  });

  it('never repeats a value in its messages', () => {
    const secrets = ['Piscinas Gijón', 'García', 'José Pérez', 'PassportCredential', 'gold', 'jwt_vc_json', 'everyone'];
    const inputs = [
      file({ serviceId: secrets[0] }),
      file({}, { type: 'ResidentCredential', claims: [{ path: ['family_name'], values: [secrets[1]] }] }),
      file({ [secrets[2]!]: 1 }),
      file({}, { type: secrets[3] }),
      file({}, { tiers: [secrets[4]] }),
      file({ formats: [secrets[5]] }),
      file({}, { issuers: secrets[6] }),
    ];
    for (const input of inputs) {
      try {
        parseServicePolicies(input);
        throw new Error('accepted');
      } catch (e) {
        for (const secret of secrets) expect((e as Error).message).not.toContain(secret);
      }
    }
  });
});
