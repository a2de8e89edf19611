import { UrbisError } from '../../core/errors/urbis-error.js';

/** The answer to one {@link RateLimiter.hit}. */
export interface RateLimitDecision {
  /** Whether this request may go ahead (it was counted). */
  readonly allowed: boolean;
  /** Requests left in the current window after this one. */
  readonly remaining: number;
  /** Seconds until the window resets (at least 1 when refused, 0 when allowed); for a `Retry-After` header. */
  readonly retryAfterSeconds: number;
}

/** A fixed-window request counter per key, in memory. */
export interface RateLimiter {
  /** Counts a request for `key` (e.g. `login:<ip>` or a hash of a card number) and says whether it may go ahead. */
  hit(key: string): RateLimitDecision;
  /** Forgets a key (e.g. after a successful sign-in). */
  reset(key: string): void;
  /** Keys currently tracked (expired ones may linger until the next sweep). */
  size(): number;
}

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Requests allowed per key per window. */
  limit: number;
  /** Window length in milliseconds. */
  windowMs: number;
  /** Clock, epoch milliseconds. */
  now?: () => number;
  /** Most keys tracked at once; default 10,000. */
  maxKeys?: number;
}

/**
 * Creates a fixed-window rate limiter: at most `limit` requests per key in
 * each `windowMs` window, which starts at a key's first request. Refused
 * requests are not counted. The HTTP layer maps a refusal to
 * `RATE_LIMITED` (429) with `Retry-After: retryAfterSeconds`.
 *
 * Memory is bounded: windows are kept in start order, expired ones are
 * swept from the front on every new key, and when `maxKeys` live keys are
 * tracked the oldest window is dropped (that key starts afresh). One limiter
 * per process: several processes each count on their own.
 *
 * @example
 * ```ts
 * const limiter = createRateLimiter({ limit: 5, windowMs: 60_000 });
 * const { allowed, retryAfterSeconds } = limiter.hit(`otp:${req.ip}`);
 * if (!allowed) { res.set('Retry-After', String(retryAfterSeconds)); throw new UrbisError('RATE_LIMITED', 'too many requests'); }
 * ```
 * @throws UrbisError `CONFIG_INVALID` when `limit`, `windowMs` or `maxKeys` is not a positive integer.
 */
export function createRateLimiter({ limit, windowMs, now = Date.now, maxKeys = 10_000 }: RateLimiterOptions): RateLimiter {
  for (const [name, value] of [['limit', limit], ['windowMs', windowMs], ['maxKeys', maxKeys]] as const) {
    if (!Number.isInteger(value) || value <= 0) throw new UrbisError('CONFIG_INVALID', `the rate limiter's ${name} must be a positive integer`);
  }
  // Map iteration order is insertion order; a key is re-inserted when its window
  // restarts, so the map stays ordered by window start, hence by expiry.
  const windows = new Map<string, { start: number; count: number }>();

  function sweep(t: number): void {
    for (const [key, window] of windows) {
      if (t < window.start + windowMs && windows.size < maxKeys) return;
      windows.delete(key);
    }
  }

  return {
    hit(key) {
      if (typeof key !== 'string') throw new UrbisError('INVALID_ARGUMENT', 'a rate-limit key must be a string');
      const t = now();
      let window = windows.get(key);
      if (window === undefined || t >= window.start + windowMs) {
        windows.delete(key);
        sweep(t);
        window = { start: t, count: 0 };
        windows.set(key, window);
      }
      if (window.count >= limit) {
        return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil((window.start + windowMs - t) / 1000)) };
      }
      window.count += 1;
      return { allowed: true, remaining: limit - window.count, retryAfterSeconds: 0 };
    },
    reset(key) {
      windows.delete(key);
    },
    size() {
      return windows.size;
    },
  };
}
