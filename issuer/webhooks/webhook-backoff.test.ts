import type { UrbisError } from '../../core/errors/urbis-error.js';
import { assertWebhookBackoff, DEFAULT_WEBHOOK_BACKOFF, webhookBackoffDelay } from './webhook-backoff.js';

describe('webhookBackoffDelay', () => {
  test('the cap doubles from initialMs and stops at maxMs (random at its top)', () => {
    const delays = [1, 2, 3, 4, 5, 10, 11, 30].map((attempt) => webhookBackoffDelay({ attempt, backoff: DEFAULT_WEBHOOK_BACKOFF, random: () => 1 }));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 512_000, 600_000, 600_000]);
  });

  test('full jitter: uniform below the cap, never below 1 ms', () => {
    expect(webhookBackoffDelay({ attempt: 3, backoff: DEFAULT_WEBHOOK_BACKOFF, random: () => 0.5 })).toBe(2_000);
    expect(webhookBackoffDelay({ attempt: 3, backoff: DEFAULT_WEBHOOK_BACKOFF, random: () => 0 })).toBe(1);
    for (let i = 0; i < 200; i += 1) {
      const delay = webhookBackoffDelay({ attempt: 4, backoff: DEFAULT_WEBHOOK_BACKOFF });
      expect(delay).toBeGreaterThanOrEqual(1);
      expect(delay).toBeLessThanOrEqual(8_000);
    }
  });

  test('assertWebhookBackoff refuses nonsense settings', () => {
    expect(() => assertWebhookBackoff(DEFAULT_WEBHOOK_BACKOFF)).not.toThrow();
    for (const bad of [
      { initialMs: 0, maxMs: 10, factor: 2 },
      { initialMs: 100, maxMs: 10, factor: 2 },
      { initialMs: 10, maxMs: Number.POSITIVE_INFINITY, factor: 2 },
      { initialMs: 10, maxMs: 100, factor: 0.5 },
    ]) {
      expect(() => assertWebhookBackoff(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as UrbisError);
    }
  });
});
