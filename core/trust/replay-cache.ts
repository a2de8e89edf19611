/**
 * Remembers presentations already accepted, until they could no longer be
 * accepted anyway (their key-binding `iat` window has passed). The port a
 * terminal implements durably; `createMemoryReplayCache` is the in-memory one.
 */
export interface ReplayCache {
  /** Whether `key` was accepted before and has not expired at `now` (epoch s). */
  has(key: string, now: number): boolean | Promise<boolean>;
  /** Records `key` until `expiresAt` (epoch s). */
  remember(key: string, expiresAt: number): void | Promise<void>;
}

/**
 * A bounded in-memory replay cache. Expired entries are dropped as lookups
 * pass them; when full, the oldest entry is dropped — with a fixed acceptance
 * window that is also the first to expire, so a replay can only slip through
 * if more than `capacity` presentations arrive within one window.
 *
 * @example
 * ```ts
 * const replayCache = createMemoryReplayCache({ capacity: 50_000 });
 * ```
 */
export function createMemoryReplayCache({ capacity = 100_000 }: { capacity?: number } = {}): ReplayCache & {
  size: () => number;
} {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
  const entries = new Map<string, number>();
  const dropExpired = (now: number): void => {
    for (const [key, expiresAt] of entries) {
      if (expiresAt > now) break; // insertion order is expiry order for a fixed window
      entries.delete(key);
    }
  };
  return {
    has: (key, now) => {
      dropExpired(now);
      const expiresAt = entries.get(key);
      return expiresAt !== undefined && expiresAt > now;
    },
    remember: (key, expiresAt) => {
      entries.delete(key);
      entries.set(key, expiresAt);
      if (entries.size > capacity) entries.delete(entries.keys().next().value as string);
    },
    size: () => entries.size,
  };
}
