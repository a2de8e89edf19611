import { UrbisError } from '../../core/errors/urbis-error.js';
import { MAX_DELTA_INDEX } from '../chain/status-deltas.js';

/** A status value as the chain stores it: 0 valid, 1 revoked, 2 suspended. */
export type StatusValue = 0 | 1 | 2;

/**
 * Why a change was made, as an opaque code from a closed list. Free text is
 * refused: the outbox must never hold personal data, and a free-text reason
 * ("revoked because Jane Doe moved to …") invites it.
 */
export const STATUS_CHANGE_REASONS = [
  'holder-request',
  'issuer-decision',
  'eligibility-ended',
  'credential-replaced',
  'key-compromise',
  'suspension-lifted',
  'legal-order',
  'administrative-correction',
] as const;

/** One of {@link STATUS_CHANGE_REASONS}. */
export type StatusChangeReason = (typeof STATUS_CHANGE_REASONS)[number];

/** What a caller asks the outbox to publish: set entry `index` of list `listId` to `value`. */
export interface StatusChangeInput {
  listId: number;
  index: number;
  value: StatusValue;
  reason?: StatusChangeReason;
}

const REASONS: ReadonlySet<string> = new Set(STATUS_CHANGE_REASONS);

/**
 * Checks one change before it is recorded: `listId` a safe integer ≥ 0,
 * `index` an integer in 0 … 2^30 − 1 (what a packed delta can carry),
 * `value` 0, 1 or 2, `reason` absent or one of {@link STATUS_CHANGE_REASONS}.
 * Whether the index is below the list's size is the chain's business: the
 * publisher rejects such a change later with `STATUS_INDEX_OUT_OF_RANGE`.
 *
 * @throws UrbisError `OUTBOX_CHANGE_INVALID`.
 *
 * @example
 * ```ts
 * validateStatusChange({ listId: 0, index: 42, value: 1, reason: 'holder-request' }); // ok
 * validateStatusChange({ listId: 0, index: -1, value: 1 }); // throws OUTBOX_CHANGE_INVALID
 * ```
 */
export function validateStatusChange(change: unknown): StatusChangeInput {
  if (change === null || typeof change !== 'object') throw invalid('a status change is an object');
  const { listId, index, value, reason } = change as Record<string, unknown>;
  if (typeof listId !== 'number' || !Number.isSafeInteger(listId) || listId < 0) throw invalid('listId is an integer ≥ 0');
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > MAX_DELTA_INDEX) {
    throw invalid('index is an integer in 0 … 2^30 − 1');
  }
  if (value !== 0 && value !== 1 && value !== 2) throw invalid('value is 0 (valid), 1 (revoked) or 2 (suspended)');
  if (reason !== undefined && (typeof reason !== 'string' || !REASONS.has(reason))) {
    throw invalid('reason is absent or one of the reason codes (free text is refused)');
  }
  return reason === undefined ? { listId, index, value } : { listId, index, value, reason: reason as StatusChangeReason };
}

function invalid(message: string): UrbisError {
  return new UrbisError('OUTBOX_CHANGE_INVALID', message);
}
