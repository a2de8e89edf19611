import { SERVICE_TIERS, type ServiceTier } from '../../core/credentials/credential-types.js';
import { UrbisError } from '../../core/errors/urbis-error.js';

/** Purposes a citizen consents to, one record each (GDPR art. 7: consent per purpose, demonstrable, withdrawable). */
export const CONSENT_PURPOSES = ['service_provision', 'notifications', 'statistics'] as const;

/** One of {@link CONSENT_PURPOSES}. */
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** Without this consent the city cannot run the card: enrolment requires it. */
export const REQUIRED_CONSENTS: readonly ConsentPurpose[] = ['service_provision'];

/** The citizen's postal address, as the resident credential carries it. */
export interface AddressInput {
  street_address: string;
  postal_code: string;
  locality: string;
  country: string;
}

/** The identity data a citizen gives (or rectifies). */
export interface IdentityInput {
  given_name: string;
  family_name: string;
  birthdate: string;
  email?: string;
  phone?: string;
  address: AddressInput;
  resident_since: string;
}

/** One chosen service. */
export interface ServiceChoiceInput {
  service_id: string;
  tier: ServiceTier;
}

/** A whole enrolment. */
export interface EnrolmentInput extends IdentityInput {
  services: ServiceChoiceInput[];
  consents: Partial<Record<ConsentPurpose, boolean>>;
}

const NAME = /^[\p{L}\p{M}' .-]{1,100}$/u;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,63}$/;
const PHONE = /^\+?[0-9 ]{6,20}$/;
const POSTAL = /^[A-Za-z0-9][A-Za-z0-9 -]{1,8}[A-Za-z0-9]$/;

function fail(field: string): never {
  throw new UrbisError('BODY_INVALID', `${field} is missing or invalid`);
}

function isRealDate(text: string): boolean {
  const m = DATE.exec(text);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function text(v: Record<string, unknown>, field: string, { pattern, max = 200 }: { pattern?: RegExp; max?: number } = {}): string {
  const value = v[field];
  if (typeof value !== 'string') fail(field);
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > max || (pattern !== undefined && !pattern.test(trimmed))) fail(field);
  return trimmed;
}

/**
 * Checks identity data (enrolment or rectification). Names are letters,
 * marks, spaces, apostrophes, dots and hyphens; dates are real calendar
 * days, birthdate in the past and at most 130 years ago; `resident_since`
 * not in the future; the country an ISO 3166-1 alpha-2 code.
 * @throws UrbisError `BODY_INVALID` naming the field (never its value).
 */
export function checkIdentityInput(value: unknown, { today }: { today: string }): IdentityInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('body');
  const v = value as Record<string, unknown>;
  const birthdate = text(v, 'birthdate');
  if (!isRealDate(birthdate) || birthdate >= today || birthdate < `${String(Number(today.slice(0, 4)) - 130).padStart(4, '0')}${today.slice(4)}`) fail('birthdate');
  const residentSince = text(v, 'resident_since');
  if (!isRealDate(residentSince) || residentSince > today || residentSince < birthdate) fail('resident_since');
  const address = v['address'];
  if (typeof address !== 'object' || address === null || Array.isArray(address)) fail('address');
  const a = address as Record<string, unknown>;
  for (const key of Object.keys(a)) if (!['street_address', 'postal_code', 'locality', 'country'].includes(key)) fail(`address.${key}`);
  const out: IdentityInput = {
    given_name: text(v, 'given_name', { pattern: NAME, max: 100 }),
    family_name: text(v, 'family_name', { pattern: NAME, max: 100 }),
    birthdate,
    address: {
      street_address: text(a, 'street_address', { max: 200 }),
      postal_code: text(a, 'postal_code', { pattern: POSTAL, max: 10 }),
      locality: text(a, 'locality', { max: 100 }),
      country: text(a, 'country', { pattern: /^[A-Z]{2}$/, max: 2 }),
    },
    resident_since: residentSince,
  };
  if (v['email'] !== undefined && v['email'] !== null) out.email = text(v, 'email', { pattern: EMAIL, max: 254 }).toLowerCase();
  if (v['phone'] !== undefined && v['phone'] !== null) out.phone = text(v, 'phone', { pattern: PHONE, max: 20 });
  if (out.email === undefined && out.phone === undefined) fail('email or phone');
  return out;
}

/**
 * Checks a service choice list: known shape, no duplicates, tiers from the
 * closed list. Whether the services exist and offer the tier is the
 * catalogue's business (`SERVICE_UNKNOWN`).
 * @throws UrbisError `BODY_INVALID`.
 */
export function checkServiceChoices(value: unknown): ServiceChoiceInput[] {
  if (!Array.isArray(value) || value.length > 32) fail('services');
  const seen = new Set<string>();
  return value.map((item, i) => {
    if (typeof item !== 'object' || item === null) fail(`services[${i}]`);
    const { service_id, tier } = item as Record<string, unknown>;
    if (typeof service_id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(service_id) || seen.has(service_id)) fail(`services[${i}].service_id`);
    if (typeof tier !== 'string' || !(SERVICE_TIERS as readonly string[]).includes(tier)) fail(`services[${i}].tier`);
    seen.add(service_id);
    return { service_id, tier: tier as ServiceTier };
  });
}

/**
 * Checks consents: a map purpose → boolean; unknown purposes refused; the
 * required ones must be granted (`CONSENT_MISSING`).
 */
export function checkConsents(value: unknown, { requireMandatory = true }: { requireMandatory?: boolean } = {}): Partial<Record<ConsentPurpose, boolean>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('consents');
  const out: Partial<Record<ConsentPurpose, boolean>> = {};
  for (const [purpose, granted] of Object.entries(value)) {
    if (!(CONSENT_PURPOSES as readonly string[]).includes(purpose) || typeof granted !== 'boolean') fail(`consents.${purpose}`);
    out[purpose as ConsentPurpose] = granted;
  }
  if (requireMandatory) {
    for (const purpose of REQUIRED_CONSENTS) {
      if (out[purpose] !== true) throw new UrbisError('CONSENT_MISSING', `consent for ${purpose} is required to run the city card`);
    }
  }
  return out;
}

/** Checks a whole enrolment body. */
export function checkEnrolmentInput(value: unknown, { today }: { today: string }): EnrolmentInput {
  const identity = checkIdentityInput(value, { today });
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (!['given_name', 'family_name', 'birthdate', 'email', 'phone', 'address', 'resident_since', 'services', 'consents'].includes(key)) fail(key);
  }
  return { ...identity, services: checkServiceChoices(v['services'] ?? []), consents: checkConsents(v['consents']) };
}
