import { describe, expect, it } from '@jest/globals';
import { StatusList } from './status-list.js';
import { createStatusReader } from './status-reader.js';
import { createSnapshotStatusSource } from './status-source.js';

describe('createSnapshotStatusSource', () => {
  const list = StatusList.create({ size: 131_072, bits: 2 });
  list.set(5, 1);
  list.set(6, 2);
  const source = createSnapshotStatusSource({ syncedAt: 1_790_000_000, lists: new Map([['https://city/status/1', createStatusReader({ list })]]) });

  it('answers both wire forms from the same list', () => {
    expect(source.statusOf({ format: 'token-status-list', uri: 'https://city/status/1', index: 5 })).toBe(1);
    expect(source.statusOf({ format: 'bitstring-status-list', uri: 'https://city/status/1', index: 6 })).toBe(2);
    expect(source.statusOf({ format: 'bitstring-status-list', uri: 'https://city/status/1', index: 7 })).toBe(0);
    expect(source.syncedAt).toBe(1_790_000_000);
  });

  it('a list it does not hold → STATUS_UNKNOWN; an index beyond the list → STATUS_INDEX_OUT_OF_RANGE', () => {
    expect(() => source.statusOf({ format: 'token-status-list', uri: 'https://elsewhere/1', index: 1 })).toThrow(expect.objectContaining({ code: 'STATUS_UNKNOWN' }));
    expect(() => source.statusOf({ format: 'token-status-list', uri: 'https://city/status/1', index: 131_072 })).toThrow(
      expect.objectContaining({ code: 'STATUS_INDEX_OUT_OF_RANGE' }),
    );
  });
});
