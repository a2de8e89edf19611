import { createHmac, randomBytes } from 'node:crypto';
import { ageOver, residentAgePredicates } from '../../core/credentials/age-predicates.js';
import { derivePseudonym } from '../../core/credentials/pseudonym.js';
import type { Citizen } from '../enrolment/citizen-repository.js';
import { entitlementClaims, residentClaims, residentValidUntil, servicePseudonym } from './credential-claims.js';

const DAY_S = 86_400;
const secondsOf = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;
const dayOfSeconds = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

function citizen(overrides: Partial<Citizen> = {}): Citizen {
  return {
    id: '9b7c1d52-6c0e-4a57-9d0e-3f1b2f5b8a11',
    given_name: 'Covadonga',
    family_name: 'Fernández Suárez',
    birthdate: '1990-05-14',
    email: 'covadonga@example.org',
    address: { street_address: 'Calle Corrida 12', postal_code: '33206', locality: 'Gijón', country: 'ES' },
    resident_since: '2015-09-01',
    restricted: false,
    objectedPurposes: [],
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
}

describe('residentClaims', () => {
  test('carries identity, address, residence, municipality and the age predicates of the day; nothing else', () => {
    const c = citizen({ cardNumber: '1234567897', phone: '+34 600 000 000' });
    const claims = residentClaims({ citizen: c, municipality: 'Gijón', today: '2026-06-15' });
    expect(claims).toEqual({
      given_name: 'Covadonga',
      family_name: 'Fernández Suárez',
      birthdate: '1990-05-14',
      age_over_18: true,
      age_over_65: false,
      address: { street_address: 'Calle Corrida 12', postal_code: '33206', locality: 'Gijón', country: 'ES' },
      resident_since: '2015-09-01',
      municipality: 'Gijón',
    });
    expect(claims.address).not.toBe(c.address);
  });

  test('age predicates turn on the birthday itself', () => {
    const minor = citizen({ birthdate: '2008-06-16' });
    expect(residentClaims({ citizen: minor, municipality: 'Gijón', today: '2026-06-15' })).toMatchObject({ age_over_18: false, age_over_65: false });
    expect(residentClaims({ citizen: minor, municipality: 'Gijón', today: '2026-06-16' })).toMatchObject({ age_over_18: true, age_over_65: false });
    const senior = citizen({ birthdate: '1961-06-15' });
    expect(residentClaims({ citizen: senior, municipality: 'Gijón', today: '2026-06-14' })).toMatchObject({ age_over_18: true, age_over_65: false });
    expect(residentClaims({ citizen: senior, municipality: 'Gijón', today: '2026-06-15' })).toMatchObject({ age_over_18: true, age_over_65: true });
  });
});

describe('residentValidUntil', () => {
  test('the full validity when no predicate changes: start of today (UTC) + validity days', () => {
    expect(residentValidUntil({ birthdate: '1990-05-14', today: '2026-06-15', validityDays: 365 })).toBe(secondsOf('2026-06-15') + 365 * DAY_S);
    expect(residentValidUntil({ birthdate: '1990-05-14', today: '2026-06-15', validityDays: 1 })).toBe(secondsOf('2026-06-16'));
  });

  test('cut at the 18th birthday', () => {
    expect(residentValidUntil({ birthdate: '2008-09-01', today: '2026-06-15', validityDays: 365 })).toBe(secondsOf('2026-09-01'));
  });

  test('cut at the 65th birthday', () => {
    expect(residentValidUntil({ birthdate: '1961-10-10', today: '2026-06-15', validityDays: 365 })).toBe(secondsOf('2026-10-10'));
  });

  test('a birthday after the validity, today, or in the past changes nothing', () => {
    const full = secondsOf('2026-06-15') + 365 * DAY_S;
    expect(residentValidUntil({ birthdate: '2009-06-16', today: '2026-06-15', validityDays: 365 })).toBe(full); // 18 on 2027-06-16
    expect(residentValidUntil({ birthdate: '2008-06-15', today: '2026-06-15', validityDays: 365 })).toBe(full); // 18 today
    expect(residentValidUntil({ birthdate: '2009-06-15', today: '2026-06-15', validityDays: 365 })).toBe(full); // 18 on the last day: the end itself
    expect(residentValidUntil({ birthdate: '1950-01-01', today: '2026-06-15', validityDays: 365 })).toBe(full);
  });

  test('a minor with both birthdays ahead: the first one cuts', () => {
    expect(residentValidUntil({ birthdate: '2010-03-01', today: '2026-06-15', validityDays: 1_825 })).toBe(secondsOf('2028-03-01'));
  });

  test('29 February births come of age on 28 February in common years (as age_over_18 does)', () => {
    const end = residentValidUntil({ birthdate: '2008-02-29', today: '2025-06-01', validityDays: 365 });
    expect(end).toBe(secondsOf('2026-02-28'));
    expect(ageOver({ birthdate: '2008-02-29', years: 18, on: '2026-02-27' })).toBe(false);
    expect(ageOver({ birthdate: '2008-02-29', years: 18, on: '2026-02-28' })).toBe(true);
    expect(residentValidUntil({ birthdate: '1960-02-29', today: '2024-06-01', validityDays: 365 })).toBe(secondsOf('2025-02-28'));
  });

  test('no copy ever carries a stale predicate: the predicates on the last valid day equal those at issuance', () => {
    const todays = ['2026-01-01', '2026-02-28', '2026-06-15', '2027-12-31', '2028-02-29'];
    for (const today of todays) {
      for (let offset = -400; offset <= 400; offset += 7) {
        for (const years of [18, 65]) {
          const birthday = new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000);
          const birthdate = `${birthday.getUTCFullYear() - years}-${String(birthday.getUTCMonth() + 1).padStart(2, '0')}-${String(birthday.getUTCDate()).padStart(2, '0')}`;
          if (Number.isNaN(Date.parse(birthdate)) || dayOfSeconds(secondsOf(birthdate)) !== birthdate) continue; // 29 February of a common year
          checkNoStalePredicate(birthdate, today);
        }
      }
    }
    // Leap-day births, issued on every day of the year before their 18th and 65th (common-year) birthdays.
    for (const birthdate of ['2008-02-29', '1960-02-29', '1964-02-29']) {
      const year = Number(birthdate.slice(0, 4));
      for (const years of [18, 65]) {
        const birthday = secondsOf(`${year + years}-02-28`);
        for (let offset = -366; offset <= 1; offset++) checkNoStalePredicate(birthdate, dayOfSeconds(birthday + offset * DAY_S));
      }
    }

    function checkNoStalePredicate(birthdate: string, today: string): void {
      const end = residentValidUntil({ birthdate, today, validityDays: 365 });
      expect(end).toBeGreaterThan(secondsOf(today));
      expect(end).toBeLessThanOrEqual(secondsOf(today) + 365 * DAY_S);
      const lastDay = dayOfSeconds(end - DAY_S);
      expect(residentAgePredicates({ birthdate, on: lastDay })).toEqual(residentAgePredicates({ birthdate, on: today }));
    }
  });
});

describe('entitlement claims and pseudonyms', () => {
  const secret = new Uint8Array(randomBytes(32));

  test('carry service, tier, municipality and the per-service pseudonym', async () => {
    const claims = await entitlementClaims({ citizenId: 'c-1', serviceId: 'pools', tier: 'youth', municipality: 'Gijón', pseudonymSecret: secret });
    expect(claims).toEqual({ service_id: 'pools', tier: 'youth', pseudonym: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), municipality: 'Gijón' });
    expect(claims.pseudonym).toBe(await servicePseudonym({ citizenId: 'c-1', serviceId: 'pools', pseudonymSecret: secret }));
  });

  test('the pseudonym is HMAC-SHA-256 under the secret, as core derives it', async () => {
    const expected = await derivePseudonym({ hmacSha256: (key, data) => createHmac('sha256', key).update(data).digest(), secret, subjectId: 'c-1', serviceId: 'pools' });
    expect(await servicePseudonym({ citizenId: 'c-1', serviceId: 'pools', pseudonymSecret: secret })).toBe(expected);
  });

  test('stable for one (citizen, service), whatever the tier', async () => {
    const a = await entitlementClaims({ citizenId: 'c-1', serviceId: 'pools', tier: 'standard', municipality: 'Gijón', pseudonymSecret: secret });
    const b = await entitlementClaims({ citizenId: 'c-1', serviceId: 'pools', tier: 'senior', municipality: 'Gijón', pseudonymSecret: new Uint8Array(secret) });
    expect(a.pseudonym).toBe(b.pseudonym);
  });

  test('different across services, citizens and secrets', async () => {
    const of = (citizenId: string, serviceId: string, pseudonymSecret = secret) => servicePseudonym({ citizenId, serviceId, pseudonymSecret });
    const values = [
      await of('c-1', 'pools'),
      await of('c-1', 'library'),
      await of('c-2', 'pools'),
      await of('c-2', 'library'),
      await of('c-1', 'pools', new Uint8Array(randomBytes(32))),
      // Length-prefixed input: shifting characters between the fields gives another pseudonym.
      await of('c-1x', 'pool'),
    ];
    expect(new Set(values).size).toBe(values.length);
  });

  test('bad inputs are INVALID_ARGUMENT (from core)', async () => {
    await expect(servicePseudonym({ citizenId: '', serviceId: 'pools', pseudonymSecret: secret })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(servicePseudonym({ citizenId: 'c-1', serviceId: 'Pools', pseudonymSecret: secret })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
