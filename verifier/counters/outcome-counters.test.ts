import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { UrbisErrorCode } from '../../core/errors/urbis-error.js';
import { createOutcomeCounters, type OutcomeCounters } from './outcome-counters.js';
import { parseOutcomeCounts } from './outcome-counts.js';

const T0 = 1_790_000_000;
let dir: string;
let path: string;
const opened: OutcomeCounters[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'urbis-counters-'));
  path = join(dir, 'terminal', 'counts.json');
});

afterEach(async () => {
  for (const counters of opened.splice(0)) await counters.close();
  await rm(dir, { recursive: true, force: true });
});

async function open(options: Parameters<typeof createOutcomeCounters>[0] = {}): Promise<OutcomeCounters> {
  const counters = await createOutcomeCounters({ path, now: () => T0, ...options });
  opened.push(counters);
  return counters;
}

describe('createOutcomeCounters', () => {
  describe('counting', () => {
    it('counts accepted, and rejected once per rejection and once per distinct code', async () => {
      const counters = await open({ path: undefined });
      expect(counters.load).toEqual({ outcome: 'memory' });
      counters.record({ serviceId: 'pools', outcome: 'accepted' });
      counters.record({ serviceId: 'pools', outcome: 'accepted' });
      counters.record({ serviceId: 'pools', outcome: 'rejected', codes: ['KB_REPLAYED'] });
      counters.record({ serviceId: 'pools', outcome: 'rejected', codes: ['STATUS_REVOKED', 'SNAPSHOT_STALE', 'STATUS_REVOKED'] });
      counters.record({ serviceId: 'libraries', outcome: 'rejected', codes: ['KB_REPLAYED'] });
      expect(counters.snapshot()).toEqual({
        format: 'urbis-terminal-outcome-counts',
        version: 1,
        since: T0,
        services: {
          libraries: { accepted: 0, rejected: 1, rejectedByCode: { KB_REPLAYED: 1 } },
          pools: { accepted: 2, rejected: 2, rejectedByCode: { KB_REPLAYED: 1, SNAPSHOT_STALE: 1, STATUS_REVOKED: 1 } },
        },
      });
    });

    it('snapshot is a copy that survives JSON and its own validation', async () => {
      const counters = await open({ path: undefined });
      counters.record({ serviceId: 'pools', outcome: 'accepted' });
      const snapshot = counters.snapshot();
      snapshot.services.pools!.accepted = 99;
      expect(counters.snapshot().services.pools!.accepted).toBe(1);
      expect(parseOutcomeCounts(JSON.parse(JSON.stringify(counters.snapshot())))).toEqual(counters.snapshot());
    });

    it.each([
      ['a name', 'Ana García'],
      ['an e-mail address', 'ana@example.org'],
      ['a base64url pseudonym', 'q3Jx_Vb1fQ0s9XkYhQ2m7cZ8rT4uW1eA6pL0nD5gH2s'],
      ['a dotted identifier', 'pool.city'],
      ['an empty string', ''],
      ['a slug of 64 characters', 'a'.repeat(64)],
      ['__proto__', '__proto__'],
      ['not a string', 7],
    ])('refuses %s as a service id (INVALID_ARGUMENT)', async (_name, serviceId) => {
      const counters = await open({ path: undefined });
      expect(() => counters.record({ serviceId: serviceId as string, outcome: 'accepted' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      expect(counters.snapshot().services).toEqual({});
    });

    it('given services, counts only those', async () => {
      const counters = await open({ path: undefined, services: ['pools'] });
      counters.record({ serviceId: 'pools', outcome: 'accepted' });
      expect(() => counters.record({ serviceId: 'libraries', outcome: 'accepted' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      await expect(createOutcomeCounters({ services: ['Pools'] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    });

    it.each([
      ['an unknown code', { outcome: 'rejected', codes: ['NOT_A_CODE'] }],
      ['a claim value as a code', { outcome: 'rejected', codes: ['1987-05-14'] }],
      ['no codes', { outcome: 'rejected', codes: [] }],
      ['codes that are not a list', { outcome: 'rejected', codes: 'KB_REPLAYED' }],
      ['too many codes', { outcome: 'rejected', codes: Array.from({ length: 65 }, () => 'KB_REPLAYED') }],
      ['an unknown outcome', { outcome: 'maybe' }],
    ])('refuses %s (INVALID_ARGUMENT)', async (_name, fields) => {
      const counters = await open({ path: undefined });
      expect(() => counters.record({ serviceId: 'pools', ...(fields as { outcome: 'rejected'; codes: UrbisErrorCode[] }) })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
      expect(counters.snapshot().services).toEqual({});
    });

    it('counts at most 256 services', async () => {
      const counters = await open({ path: undefined });
      for (let i = 0; i < 256; i++) counters.record({ serviceId: `s${i}`, outcome: 'accepted' });
      expect(() => counters.record({ serviceId: 'one-more', outcome: 'accepted' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      counters.record({ serviceId: 's1', outcome: 'accepted' });
    });

    it('refuses record after close (STATE_CONFLICT)', async () => {
      const counters = await open();
      await counters.close();
      expect(() => counters.record({ serviceId: 'pools', outcome: 'accepted' })).toThrow(expect.objectContaining({ code: 'STATE_CONFLICT' }));
    });
  });

  describe('the file', () => {
    it('is written atomically on flush and resumed on start', async () => {
      const counters = await open({ flushDelayMs: 60_000 });
      expect(counters.load).toEqual({ outcome: 'created' });
      counters.record({ serviceId: 'pools', outcome: 'rejected', codes: ['KB_REPLAYED'] });
      await counters.flush();
      expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(counters.snapshot());
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect(await readdir(join(dir, 'terminal'))).toEqual(['counts.json']); // no temporary file left
      counters.record({ serviceId: 'pools', outcome: 'accepted' });
      await counters.close();
      const resumed = await createOutcomeCounters({ path, now: () => T0 + 1000 });
      opened.push(resumed);
      expect(resumed.load).toEqual({ outcome: 'loaded' });
      expect(resumed.snapshot()).toEqual({ ...counters.snapshot(), since: T0 });
    });

    it('is written by itself within flushDelayMs of a change', async () => {
      const counters = await open({ flushDelayMs: 20 });
      counters.record({ serviceId: 'pools', outcome: 'accepted' });
      await new Promise((done) => setTimeout(done, 200));
      expect(JSON.parse(await readFile(path, 'utf8')).services.pools.accepted).toBe(1);
    });

    it('flush without changes writes nothing', async () => {
      const counters = await open();
      await counters.flush();
      await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it.each([
      ['not JSON', '{"format": "urbis-terminal-outcome-counts", ', 'JSON_INVALID'],
      ['not UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), 'JSON_INVALID'],
      ['JSON of another shape', '{"format": "urbis-terminal-outcome-counts", "version": 1, "since": 1, "services": {}, "note": "x"}', 'SCHEMA_INVALID'],
      ['a personal field inside counts', '{"format": "urbis-terminal-outcome-counts", "version": 1, "since": 1, "services": {"pools": {"accepted": 1, "rejected": 0, "rejectedByCode": {}, "last": "Ana"}}}', 'SCHEMA_INVALID'],
      ['an unknown code', '{"format": "urbis-terminal-outcome-counts", "version": 1, "since": 1, "services": {"pools": {"accepted": 1, "rejected": 1, "rejectedByCode": {"ANA": 1}}}}', 'SCHEMA_INVALID'],
      ['a negative count', '{"format": "urbis-terminal-outcome-counts", "version": 1, "since": 1, "services": {"pools": {"accepted": -1, "rejected": 0, "rejectedByCode": {}}}}', 'SCHEMA_INVALID'],
      ['another version', '{"format": "urbis-terminal-outcome-counts", "version": 2, "since": 1, "services": {}}', 'SCHEMA_INVALID'],
      ['null', 'null', 'SCHEMA_INVALID'],
      ['too large', `${' '.repeat(1024 * 1024)}{}`, 'INPUT_TOO_LARGE'],
    ])('a damaged file (%s) is moved aside, counting restarts at zero, and load says why', async (_name, content, code) => {
      await mkdir(join(dir, 'terminal'));
      await writeFile(path, content);
      const counters = await open();
      expect(counters.load).toEqual({ outcome: 'damaged', code, movedTo: `${path}.damaged` });
      expect(counters.snapshot()).toEqual({ format: 'urbis-terminal-outcome-counts', version: 1, since: T0, services: {} });
      expect((await readFile(`${path}.damaged`)).equals(Buffer.from(content))).toBe(true);
      counters.record({ serviceId: 'pools', outcome: 'accepted' });
      await counters.close();
      expect((await open()).load).toEqual({ outcome: 'loaded' });
    });

    it('holds nothing but service ids, outcomes, codes and counts', async () => {
      const counters = await open();
      counters.record({ serviceId: 'pools', outcome: 'accepted' });
      counters.record({ serviceId: 'libraries', outcome: 'rejected', codes: ['STATUS_SUSPENDED', 'KB_IAT_OUT_OF_WINDOW'] });
      await counters.close();
      const text = await readFile(path, 'utf8');
      const strings = [...text.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
      const allowed = new Set(['format', 'urbis-terminal-outcome-counts', 'version', 'since', 'services', 'pools', 'libraries', 'accepted', 'rejected', 'rejectedByCode', 'STATUS_SUSPENDED', 'KB_IAT_OUT_OF_WINDOW']);
      expect(strings.filter((s) => !allowed.has(s!))).toEqual([]);
    });
  });

  it('refuses bad options (INVALID_ARGUMENT)', async () => {
    await expect(createOutcomeCounters({ path: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(createOutcomeCounters({ flushDelayMs: -1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
