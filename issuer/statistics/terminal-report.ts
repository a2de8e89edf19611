import { isUrbisErrorCode } from '../../core/errors/urbis-error-codes.js';
import { UrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';
import { TERMINAL_ID_PATTERN } from '../config/issuer-config.js';

/**
 * The count report a terminal pushes to its city's issuer (`POST /terminal-reports`, `application/jwt`): a compact
 * ES256 JWS signed with the terminal's own key. verifier/reporting/ builds it (the issuer and the terminal never
 * import each other, DESIGN §1: the wire format is stated on both sides and e2e/terminal-statistics.test.ts checks
 * they agree).
 *
 * ```
 * header  { "alg": "ES256", "typ": "urbis-counts+jwt", "kid": "…" }
 * payload { "iss": "urbis:terminal:gijon-pool-1", "aud": "<issuer URL>", "iat": 1790000000,
 *           "days": [ { "day": "2026-09-21", "services": { "pools": { "accepted": 3, "rejected": 1, "rejectedByCode": { "KB_REPLAYED": 1 } } } } ] }
 * ```
 *
 * Counts only: each day's entry is the cumulative count of that UTC day on that terminal at `iat` (so a re-sent day
 * replaces, never adds). No presentation, nonce, pseudonym, claim or time finer than a day; any other member is refused.
 */

/** The report's JOSE `typ`. */
export const TERMINAL_REPORT_TYP = 'urbis-counts+jwt';

/** Largest report accepted, before parsing (31 days × a few services is a few KiB). */
export const MAX_TERMINAL_REPORT_CHARS = 64 * 1024;

/** Most days one report carries. */
export const MAX_REPORT_DAYS = 62;

/** Most services per day (the terminal's own counters keep at most 256). */
export const MAX_REPORT_SERVICES = 256;

/** Largest single count (far above any terminal's day; keeps sums exact). */
const MAX_COUNT = 10_000_000;

/** A service id as terminals count them (verifier/counters/service-id.ts). */
export const REPORT_SERVICE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** `YYYY-MM-DD`, a real calendar day. */
export function isIsoDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === value;
}

/** One service's counts of one day. */
export interface ReportServiceCounts {
  accepted: number;
  /** Rejected verifications (each once). */
  rejected: number;
  /** Rejections per code (a rejection with two codes counts under both). */
  rejectedByCode: Partial<Record<UrbisErrorCode, number>>;
}

/** One UTC day of a terminal's counts. */
export interface ReportDay {
  day: string;
  services: Record<string, ReportServiceCounts>;
}

/** A report's payload, checked. */
export interface TerminalReportPayload {
  /** The terminal id. */
  iss: string;
  /** The issuer URL it is meant for. */
  aud: string;
  /** Epoch seconds. */
  iat: number;
  days: ReportDay[];
}

const schemaInvalid = (what: string): never => {
  throw new UrbisError('SCHEMA_INVALID', `terminal report: ${what}`);
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function onlyMembers(value: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) schemaInvalid(`${where} has a member that is not allowed`);
}

function count(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_COUNT) schemaInvalid(`${where} must be a count`);
  return value as number;
}

function serviceCounts(value: unknown): ReportServiceCounts {
  if (!isObject(value)) return schemaInvalid('service counts must be an object');
  onlyMembers(value, ['accepted', 'rejected', 'rejectedByCode'], 'service counts');
  const byCode = value['rejectedByCode'];
  if (!isObject(byCode)) return schemaInvalid('rejectedByCode must be an object');
  const rejectedByCode: Partial<Record<UrbisErrorCode, number>> = {};
  for (const [code, n] of Object.entries(byCode)) {
    if (!isUrbisErrorCode(code)) schemaInvalid('rejectedByCode holds a key that is not an Urbis error code');
    rejectedByCode[code as UrbisErrorCode] = count(n, 'a per-code count');
  }
  return { accepted: count(value['accepted'], 'accepted'), rejected: count(value['rejected'], 'rejected'), rejectedByCode };
}

/**
 * Checks a report's payload: exactly `iss`, `aud`, `iat`, `days` (and nothing else), days distinct, real and
 * at most {@link MAX_REPORT_DAYS}, service ids slugs, counts non-negative integers, codes Urbis error codes.
 * The signature, audience and freshness are checked by `verifyTerminalReport`, before this.
 *
 * @throws UrbisError `SCHEMA_INVALID` (the message names the rule, never a value).
 */
export function parseTerminalReportPayload(payload: unknown): TerminalReportPayload {
  if (!isObject(payload)) return schemaInvalid('the payload must be an object');
  onlyMembers(payload, ['iss', 'aud', 'iat', 'days'], 'the payload');
  const { iss, aud, iat, days } = payload;
  if (typeof iss !== 'string' || !TERMINAL_ID_PATTERN.test(iss)) schemaInvalid('iss must be a terminal id');
  if (typeof aud !== 'string' || aud.length === 0 || aud.length > 2048) schemaInvalid('aud must be the issuer URL');
  if (typeof iat !== 'number' || !Number.isSafeInteger(iat) || iat < 0) schemaInvalid('iat must be epoch seconds');
  if (!Array.isArray(days) || days.length > MAX_REPORT_DAYS) return schemaInvalid(`days must be an array of at most ${MAX_REPORT_DAYS} days`);
  const seen = new Set<string>();
  const parsed = days.map((entry: unknown): ReportDay => {
    if (!isObject(entry)) return schemaInvalid('a day must be an object');
    onlyMembers(entry, ['day', 'services'], 'a day');
    if (!isIsoDay(entry['day'])) return schemaInvalid('day must be a calendar day YYYY-MM-DD');
    if (seen.has(entry['day'])) schemaInvalid('a day appears twice');
    seen.add(entry['day']);
    const services = entry['services'];
    if (!isObject(services)) return schemaInvalid('services must be an object');
    const ids = Object.keys(services);
    if (ids.length > MAX_REPORT_SERVICES) schemaInvalid('too many services');
    const out: Record<string, ReportServiceCounts> = {};
    for (const id of ids) {
      if (!REPORT_SERVICE_ID_PATTERN.test(id)) schemaInvalid('a service id is not a slug');
      out[id] = serviceCounts(services[id]);
    }
    return { day: entry['day'], services: out };
  });
  return { iss: iss as string, aud: aud as string, iat: iat as number, days: parsed };
}
