import { isUrbisError, UrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';

/**
 * Errors that no retry can fix: the publisher stops with them and leaves the
 * outbox as it is (nothing is marked confirmed that was not), for an operator.
 *
 * - `CHAIN_ID_MISMATCH`: another chain answers (other id or other genesis
 *   block: a restarted development node is a new, empty chain);
 * - `CONTRACT_NOT_DEPLOYED`, `STATUS_LIST_UNKNOWN`, `CHAIN_REORG_TOO_DEEP`:
 *   the registry, a list, or a confirmed batch is gone from the chain;
 * - `CHAIN_NOT_AUTHORIZED`: the key is not a writer of the list;
 * - `OUTBOX_UNAVAILABLE`: the outbox file cannot be used (or another
 *   publisher holds it);
 * - `INVALID_ARGUMENT`: a configuration mistake (e.g. another registry).
 *
 * Everything else (`CHAIN_UNREACHABLE`, `CHAIN_TX_REVERTED` from a node
 * error, `STATUS_SEQUENCE_CONFLICT` while logs catch up, …) is retried with
 * backoff, reconciling with the chain before anything is sent again.
 */
export const FATAL_PUBLISHER_CODES: ReadonlySet<UrbisErrorCode> = new Set<UrbisErrorCode>([
  'CHAIN_ID_MISMATCH',
  'CONTRACT_NOT_DEPLOYED',
  'STATUS_LIST_UNKNOWN',
  'CHAIN_REORG_TOO_DEEP',
  'CHAIN_NOT_AUTHORIZED',
  'OUTBOX_UNAVAILABLE',
  'INVALID_ARGUMENT',
]);

/** Whether the publisher should stop on this error (see {@link FATAL_PUBLISHER_CODES}). Errors that are not `UrbisError`s are bugs: fatal. */
export function isFatalPublisherError(error: unknown): boolean {
  return !isUrbisError(error) || FATAL_PUBLISHER_CODES.has(error.code);
}

/** Exponential backoff settings. */
export interface BackoffOptions {
  /** First delay, ms. */
  initialMs: number;
  /** Largest delay, ms. */
  maxMs: number;
  /** Growth per consecutive failure. */
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = Object.freeze({ initialMs: 250, maxMs: 10_000, factor: 2 });

/**
 * The delay before retry number `attempt` (1-based): exponential, capped,
 * with "equal jitter" (half fixed, half random) so that several publishers
 * recovering from one outage do not retry in lockstep.
 *
 * @example
 * ```ts
 * backoffDelay({ attempt: 3, options: DEFAULT_BACKOFF, random: () => 1 }); // 1000
 * ```
 */
export function backoffDelay({ attempt, options, random = Math.random }: { attempt: number; options: BackoffOptions; random?: () => number }): number {
  const base = Math.min(options.maxMs, options.initialMs * options.factor ** Math.max(0, attempt - 1));
  return Math.round(base / 2 + (base / 2) * random());
}

/** Anything thrown, as an `UrbisError` (non-Urbis errors are wrapped as `INVALID_ARGUMENT`, which is fatal: they are bugs). */
export function asUrbisError(error: unknown): UrbisError {
  if (isUrbisError(error)) return error;
  return new UrbisError('INVALID_ARGUMENT', 'the publisher failed unexpectedly', { cause: error });
}
