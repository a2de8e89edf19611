import { UrbisError } from '../../core/errors/urbis-error.js';

/** Exponential backoff settings of webhook retries. */
export interface WebhookBackoff {
  /** Cap of the first retry's delay, ms. */
  initialMs: number;
  /** Largest delay, ms. */
  maxMs: number;
  /** Growth of the cap per attempt (≥ 1). */
  factor: number;
}

/**
 * 1 s, doubling, capped at 10 min. With the dispatcher's default 8 attempts,
 * the 7 retries wait at most 1 + 2 + … + 64 s ≈ 2 min 7 s in total.
 */
export const DEFAULT_WEBHOOK_BACKOFF: Readonly<WebhookBackoff> = Object.freeze({ initialMs: 1_000, maxMs: 600_000, factor: 2 });

/**
 * Checks backoff settings.
 * @throws UrbisError `INVALID_ARGUMENT` unless `0 < initialMs ≤ maxMs` (finite) and `factor ≥ 1`.
 */
export function assertWebhookBackoff(backoff: WebhookBackoff): void {
  const { initialMs, maxMs, factor } = backoff;
  if (!Number.isFinite(initialMs) || !Number.isFinite(maxMs) || initialMs <= 0 || maxMs < initialMs) {
    throw new UrbisError('INVALID_ARGUMENT', 'backoff needs 0 < initialMs ≤ maxMs');
  }
  if (!Number.isFinite(factor) || factor < 1) throw new UrbisError('INVALID_ARGUMENT', 'backoff.factor is a number ≥ 1');
}

/**
 * The delay before the retry that follows failed attempt number `attempt`
 * (1-based), with "full jitter": uniform between 1 ms and
 * `min(maxMs, initialMs × factor^(attempt − 1))`, so that departments coming
 * back from an outage are not hit by every pending delivery at once.
 *
 * @param random - Uniform in [0, 1). Default `Math.random`; tests pass a constant.
 *
 * @example
 * ```ts
 * webhookBackoffDelay({ attempt: 3, backoff: DEFAULT_WEBHOOK_BACKOFF, random: () => 0.5 }); // 2000
 * ```
 */
export function webhookBackoffDelay({ attempt, backoff, random = Math.random }: { attempt: number; backoff: WebhookBackoff; random?: () => number }): number {
  const cap = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** Math.max(0, attempt - 1));
  const r = Math.min(1, Math.max(0, random()));
  return Math.max(1, Math.round(cap * r));
}
