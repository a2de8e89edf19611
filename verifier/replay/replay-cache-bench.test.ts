import { describe, expect, it } from '@jest/globals';
import { measureReplayCache } from './replay-cache-bench.js';

describe('measureReplayCache', () => {
  it('fills, measures, reloads and cleans up (small run)', async () => {
    const figures = await measureReplayCache({ entries: 20_000 });
    expect(figures).toMatchObject({ entries: 20_000, journalBytes: 16 + 20_000 * 24 });
    expect(figures.tableBytesPerEntry).toBeGreaterThanOrEqual(28);
    expect(figures.tableBytesPerEntry).toBeLessThan(40);
    expect(figures.rememberPerSecond).toBeGreaterThan(0);
    expect(figures.hasPerSecond).toBeGreaterThan(0);
    expect(figures.loadMs).toBeGreaterThan(0);
    expect(figures.durableRememberMs.p50).toBeGreaterThan(0);
  });

  it('refuses a bad entry count (INVALID_ARGUMENT)', async () => {
    await expect(measureReplayCache({ entries: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
