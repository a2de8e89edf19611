import { describe, expect, it } from '@jest/globals';
import { measureSnapshot } from './snapshot-bench.js';

describe('snapshot bench helper', () => {
  it('measures a 10-million-entry snapshot: file, load and retained memory (< 10 MB: the packed lists plus a small header)', async () => {
    const m = await measureSnapshot({ entries: 10_000_000, runs: 3 });
    expect(m).toMatchObject({ entries: 10_000_000, lists: 10, listSize: 2 ** 20, issuers: 20, rawListBytes: 2_500_000, runs: 3 });
    expect(m.fileBytes).toBeGreaterThan(100_000);
    expect(m.fileBytes).toBeLessThan(1_000_000);
    expect(m.loadMs).toBeGreaterThan(0);
    expect(m.loadMsMin).toBeLessThanOrEqual(m.loadMs);
    if (m.gcForced) {
      expect(m.arrayBufferBytes).toBeGreaterThanOrEqual(2_500_000);
      expect(m.heapBytes).toBeLessThan(10_000_000);
    }
  }, 60_000);

  it('refuses sizes it cannot build', async () => {
    await expect(measureSnapshot({ entries: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(measureSnapshot({ listSize: 50_000_000 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
