import { createRateLimiter } from './rate-limiter.js';

describe('createRateLimiter', () => {
  let clock = 0;
  const now = (): number => clock;
  beforeEach(() => {
    clock = 1_000_000;
  });

  test('allows `limit` hits per window per key, then refuses with retryAfterSeconds; the window resets', () => {
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, now });
    expect([1, 2, 3].map(() => limiter.hit('ip:1'))).toEqual([
      { allowed: true, remaining: 2, retryAfterSeconds: 0 },
      { allowed: true, remaining: 1, retryAfterSeconds: 0 },
      { allowed: true, remaining: 0, retryAfterSeconds: 0 },
    ]);
    expect(limiter.hit('ip:1')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 60 });
    expect(limiter.hit('ip:2').allowed).toBe(true);
    clock += 59_001;
    expect(limiter.hit('ip:1')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    clock += 999;
    expect(limiter.hit('ip:1')).toEqual({ allowed: true, remaining: 2, retryAfterSeconds: 0 });
  });

  test('refused hits are not counted; reset forgets a key', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 1_000, now });
    expect(limiter.hit('k').allowed).toBe(true);
    for (let i = 0; i < 10; i += 1) expect(limiter.hit('k').allowed).toBe(false);
    clock += 1_000;
    expect(limiter.hit('k').allowed).toBe(true);
    limiter.reset('k');
    expect(limiter.hit('k').allowed).toBe(true);
  });

  test('memory is bounded: expired windows are swept, and at maxKeys the oldest window goes', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 1_000, now, maxKeys: 100 });
    for (let i = 0; i < 100; i += 1) limiter.hit(`a${i}`);
    expect(limiter.size()).toBe(100);
    clock += 1_000;
    limiter.hit('b');
    expect(limiter.size()).toBe(1);
    for (let i = 0; i < 150; i += 1) {
      clock += 1;
      limiter.hit(`c${i}`);
    }
    expect(limiter.size()).toBe(100);
    expect(limiter.hit('c149').allowed).toBe(false); // newest kept
    expect(limiter.hit('c0').allowed).toBe(true); // oldest dropped: starts afresh
  });

  test.each([{ limit: 0 }, { windowMs: -1 }, { maxKeys: 1.5 }])('refuses %p with CONFIG_INVALID', (options) => {
    expect(() => createRateLimiter({ limit: 1, windowMs: 1_000, ...options })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
