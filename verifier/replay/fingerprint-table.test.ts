import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { FingerprintTable } from './fingerprint-table.js';

const fingerprint = (): Uint32Array => new Uint32Array(randomBytes(16).buffer.slice(0, 16));
const live = (table: FingerprintTable, now: number): number[] => {
  const expiries: number[] = [];
  table.forEachLive(now, (_words, _offset, expiresAt) => expiries.push(expiresAt));
  return expiries;
};

describe('FingerprintTable', () => {
  it('holds a fingerprint until its expiry (exclusive) and drops it from the old end as time passes', () => {
    const table = new FingerprintTable({ capacity: 10 });
    const a = fingerprint();
    table.add(a, 100);
    expect(table.has(a, 99)).toBe(true);
    expect(table.has(fingerprint(), 99)).toBe(false);
    expect(table.has(a, 100)).toBe(false);
    expect(table.size).toBe(0);
  });

  it('keeps the later expiry when a fingerprint is added twice', () => {
    const table = new FingerprintTable({ capacity: 10 });
    const a = fingerprint();
    table.add(a, 200);
    table.add(a, 150);
    expect(table.size).toBe(1);
    expect(table.has(a, 180)).toBe(true);
  });

  it('an expired entry behind a younger one never answers has', () => {
    const table = new FingerprintTable({ capacity: 10 });
    const [a, b] = [fingerprint(), fingerprint()];
    table.add(a, 300);
    table.add(b, 100);
    expect(table.has(b, 150)).toBe(false);
    expect(table.has(a, 150)).toBe(true);
  });

  it('drops the oldest entry when full, counting it as evicted', () => {
    const table = new FingerprintTable({ capacity: 3 });
    const fps = [fingerprint(), fingerprint(), fingerprint(), fingerprint()];
    fps.forEach((fp, i) => table.add(fp, 1000 + i));
    expect(table.size).toBe(3);
    expect(table.evicted).toBe(1);
    expect(fps.map((fp) => table.has(fp, 0))).toEqual([false, true, true, true]);
  });

  it('grows from its initial size to capacity, then stays bounded (random churn against a Map model)', () => {
    const capacity = 5000;
    const table = new FingerprintTable({ capacity });
    const model = new Map<string, { fp: Uint32Array; expiresAt: number }>();
    const order: string[] = [];
    let now = 0;
    for (let i = 0; i < 40_000; i++) {
      now += Math.random() < 0.3 ? 1 : 0;
      const fp = fingerprint();
      const expiresAt = now + 5000 + Math.floor(Math.random() * 20);
      table.add(fp, expiresAt);
      const id = Buffer.from(fp.buffer).toString('hex');
      model.set(id, { fp, expiresAt });
      order.push(id);
      if (order.length > capacity) model.delete(order.shift()!);
      if (i % 997 === 0) {
        let wrong = 0;
        for (const { fp: held, expiresAt: e } of model.values()) if (table.has(held, now) !== e > now) wrong++;
        expect(wrong).toBe(0);
      }
    }
    expect(table.evicted).toBeGreaterThan(0);
    expect(table.size).toBeLessThanOrEqual(capacity);
    expect(table.memoryBytes).toBe(capacity * 20 + 16384 * 4);
    expect(live(table, now).every((e) => e > now)).toBe(true);
  });

  it('finds every entry after heavy deletion from the old end (backward-shift deletion keeps probe chains whole)', () => {
    const table = new FingerprintTable({ capacity: 64 });
    const held: Uint32Array[] = [];
    for (let i = 0; i < 10_000; i++) {
      const fp = fingerprint();
      fp[0] = (fp[0]! & ~0x7f) | (125 + (i % 3)); // crowd three home positions at the end of the index: chains wrap around
      table.add(fp, 1_000_000);
      held.push(fp);
      if (held.length > 64) held.shift();
      if (!held.slice(-8).every((h) => table.has(h, 0))) throw new Error(`lost an entry at ${i}`);
    }
    for (const h of held) expect(table.has(h, 0)).toBe(true);
  });

  it.each([0, -1, 1.5, 2 ** 28 + 1])('refuses capacity %p (INVALID_ARGUMENT)', (capacity) => {
    expect(() => new FingerprintTable({ capacity })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
