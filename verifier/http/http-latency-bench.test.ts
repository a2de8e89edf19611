import { describe, expect, it } from '@jest/globals';
import { measureTerminalHttp } from './http-latency-bench.js';

/** The HTTP latency benchmark helper runs (a short schedule; the figures are the benchmark's business, not asserted here). */
describe('measureTerminalHttp', () => {
  it('sends rate × seconds fresh presentations on schedule, all accepted, and reports percentiles', async () => {
    const figures = await measureTerminalHttp({ rate: 50, seconds: 1 });
    expect(figures).toMatchObject({ sent: 50, errors: 0, rate: 50, seconds: 1 });
    expect(figures.p50Ms).toBeGreaterThan(0);
    expect(figures.p50Ms).toBeLessThanOrEqual(figures.p99Ms);
    expect(figures.p99Ms).toBeLessThanOrEqual(figures.maxMs);
  });

  it('refuses a schedule out of bounds', async () => {
    await expect(measureTerminalHttp({ rate: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(measureTerminalHttp({ seconds: 0.5 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
