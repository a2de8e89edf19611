import { createHmac } from 'node:crypto';
import { residentAgePredicates } from '../../core/credentials/age-predicates.js';
import type { ResidentClaims, ServiceEntitlementClaims, ServiceTier } from '../../core/credentials/credential-types.js';
import { derivePseudonym } from '../../core/credentials/pseudonym.js';
import type { Citizen } from '../enrolment/citizen-repository.js';

const hmacSha256 = (key: Uint8Array, data: Uint8Array): Uint8Array => createHmac('sha256', key).update(data).digest();

/** The `ResidentCredential` claims of a citizen on `today` (`YYYY-MM-DD`). */
export function residentClaims({ citizen, municipality, today }: { citizen: Citizen; municipality: string; today: string }): ResidentClaims {
  return {
    given_name: citizen.given_name,
    family_name: citizen.family_name,
    birthdate: citizen.birthdate,
    ...residentAgePredicates({ birthdate: citizen.birthdate, on: today }),
    address: { ...citizen.address },
    resident_since: citizen.resident_since,
    municipality,
  };
}

/**
 * The `ServiceEntitlementCredential` claims for one chosen service. The
 * pseudonym is HMAC-SHA-256 under the city's pseudonym secret (from
 * configuration, never in the database) of (service, citizen id): stable for
 * one citizen and service, so a department recognises a returning user, and
 * unpredictable and unrelated across services without the secret, like the
 * AMC standard's per-sector identifiers.
 */
export async function entitlementClaims({
  citizenId,
  serviceId,
  tier,
  municipality,
  pseudonymSecret,
}: {
  citizenId: string;
  serviceId: string;
  tier: ServiceTier;
  municipality: string;
  pseudonymSecret: Uint8Array;
}): Promise<ServiceEntitlementClaims> {
  return {
    service_id: serviceId,
    tier,
    pseudonym: await servicePseudonym({ citizenId, serviceId, pseudonymSecret }),
    municipality,
  };
}

/** The per-service pseudonym of a citizen (what departments and webhooks know the citizen by). */
export function servicePseudonym({ citizenId, serviceId, pseudonymSecret }: { citizenId: string; serviceId: string; pseudonymSecret: Uint8Array }): Promise<string> {
  return derivePseudonym({ hmacSha256, secret: pseudonymSecret, subjectId: citizenId, serviceId });
}

/**
 * End of validity of a resident credential issued `today`: the default
 * validity, cut short on the day an age predicate (18 or 65) would change,
 * so no copy ever carries a stale `age_over_18` or `age_over_65`.
 * Returns epoch seconds (start of that UTC day).
 */
export function residentValidUntil({ birthdate, today, validityDays }: { birthdate: string; today: string; validityDays: number }): number {
  const start = Date.parse(`${today}T00:00:00Z`) / 1000;
  let end = start + validityDays * 86_400;
  const [y, m, d] = birthdate.split('-').map(Number) as [number, number, number];
  for (const years of [18, 65]) {
    // Birthday at `years`; 29 February births count from 28 February in common years (core's default leap-day rule).
    let day = d;
    const probe = new Date(Date.UTC(y + years, m - 1, d));
    if (probe.getUTCMonth() !== m - 1) day = 28;
    const flip = Date.UTC(y + years, m - 1, day) / 1000;
    if (flip > start && flip < end) end = flip;
  }
  return end;
}
