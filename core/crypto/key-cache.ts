/**
 * A bounded cache for imported keys. Importing a P-256 JWK costs about as
 * much as one signature verification (DESIGN §7), so issuer keys, which
 * terminals see again and again, are imported once.
 *
 * Eviction is first-in first-out: a hit costs one Map lookup and nothing
 * else. Holder keys of one-time copies pass through once and push older
 * entries out; an issuer key evicted that way is re-imported once per
 * `capacity` new keys, which is noise next to a signature check.
 */
export class KeyCache<V> {
  readonly #capacity: number;
  readonly #entries = new Map<string, V>();

  constructor({ capacity }: { capacity: number }) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Returns the cached value, importing (and caching) it on a miss. */
  getOrCreate(key: string, create: () => V): V {
    const hit = this.#entries.get(key);
    if (hit !== undefined) return hit;
    const value = create();
    this.#entries.set(key, value);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    return value;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}
