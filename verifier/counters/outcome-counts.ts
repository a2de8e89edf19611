import type { UrbisErrorCode } from '../../core/errors/urbis-error.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { isServiceId } from './service-id.js';
import { isUrbisErrorCode } from '../../core/errors/urbis-error-codes.js';

/** Format tag of the counters file. */
export const OUTCOME_COUNTS_FORMAT = 'urbis-terminal-outcome-counts';
/** The only version this code reads and writes. */
export const OUTCOME_COUNTS_VERSION = 1;
/** Most services counted by one terminal (bounds the file and the health report). */
export const MAX_COUNTED_SERVICES = 256;

/** The counts of one service. */
export interface ServiceOutcomeCounts {
  /** Presentations accepted. */
  accepted: number;
  /** Presentations rejected (each once, whatever the number of failed checks). */
  rejected: number;
  /** Rejections per failure code: a rejection with two codes counts under both. */
  rejectedByCode: Partial<Record<UrbisErrorCode, number>>;
}

/**
 * Everything a terminal keeps about the verifications it made: counts per
 * service and outcome, since a point in time. Plain JSON; also the content
 * of the counters file.
 */
export interface OutcomeCountsSnapshot {
  format: typeof OUTCOME_COUNTS_FORMAT;
  version: typeof OUTCOME_COUNTS_VERSION;
  /** When counting started, epoch seconds. */
  since: number;
  /** Counts per service id. */
  services: Record<string, ServiceOutcomeCounts>;
}

/**
 * Checks that `value` is an {@link OutcomeCountsSnapshot} exactly: known
 * format and version, service ids that are slugs, known error codes,
 * non-negative integer counts, and no other field anywhere (so nothing but
 * counts can be smuggled in through the file).
 *
 * @throws UrbisError `SCHEMA_INVALID` naming the first structural problem (never a value).
 * @example
 * ```ts
 * const snapshot = parseOutcomeCounts(JSON.parse(text));
 * ```
 */
export function parseOutcomeCounts(value: unknown): OutcomeCountsSnapshot {
  const invalid = (what: string): never => {
    throw new UrbisError('SCHEMA_INVALID', `outcome counts: ${what}`);
  };
  if (!isPlainObject(value)) return invalid('not an object');
  expectKeys(value, ['format', 'version', 'since', 'services'], invalid);
  if (value.format !== OUTCOME_COUNTS_FORMAT) invalid('unknown format');
  if (value.version !== OUTCOME_COUNTS_VERSION) invalid('unsupported version');
  if (!isCount(value.since)) invalid('since is not epoch seconds');
  if (!isPlainObject(value.services)) return invalid('services is not an object');
  const ids = Object.keys(value.services);
  if (ids.length > MAX_COUNTED_SERVICES) invalid('too many services');
  const services: Record<string, ServiceOutcomeCounts> = {};
  for (const id of ids) {
    if (!isServiceId(id)) invalid('a service id is not a slug');
    const counts = value.services[id];
    if (!isPlainObject(counts)) return invalid('service counts are not an object');
    expectKeys(counts, ['accepted', 'rejected', 'rejectedByCode'], invalid);
    if (!isCount(counts.accepted) || !isCount(counts.rejected)) invalid('a count is not a non-negative integer');
    if (!isPlainObject(counts.rejectedByCode)) return invalid('rejectedByCode is not an object');
    const byCode: Partial<Record<UrbisErrorCode, number>> = {};
    for (const [code, count] of Object.entries(counts.rejectedByCode)) {
      if (!isUrbisErrorCode(code)) invalid('unknown error code');
      if (!isCount(count) || count === 0) invalid('a code count is not a positive integer');
      byCode[code as UrbisErrorCode] = count as number;
    }
    services[id] = { accepted: counts.accepted as number, rejected: counts.rejected as number, rejectedByCode: byCode };
  }
  return { format: OUTCOME_COUNTS_FORMAT, version: OUTCOME_COUNTS_VERSION, since: value.since as number, services };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function expectKeys(object: Record<string, unknown>, keys: readonly string[], invalid: (what: string) => never): void {
  const present = Object.keys(object);
  if (present.length !== keys.length || !keys.every((key) => Object.hasOwn(object, key))) invalid('unexpected or missing fields');
}
