import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, open as fsOpen, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createCredentialKit } from '../../core/test-kit/credential-kit.js';
import { openFileReplayCache, type FileReplayCache, type FileReplayCacheOptions } from './file-replay-cache.js';
import { JOURNAL_HEADER_BYTES, JOURNAL_RECORD_BYTES } from './replay-journal-format.js';

const T0 = 1_790_000_000;
let dir: string;
let path: string;
let clock: number;
const open: FileReplayCache[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'urbis-replay-'));
  path = join(dir, 'terminal', 'replay.journal');
  clock = T0;
});

afterEach(async () => {
  for (const cache of open.splice(0)) await cache.close();
  await rm(dir, { recursive: true, force: true });
});

async function openCache(options: Partial<FileReplayCacheOptions> = {}): Promise<FileReplayCache> {
  const cache = await openFileReplayCache({ path, now: () => clock, ...options });
  open.push(cache);
  return cache;
}

/** A replay key as core makes it: base64url SHA-256 of a KB-JWT signing input. */
function newKey(): string {
  return createHash('sha256').update(randomBytes(64)).digest('base64url');
}

/** The fingerprints (hex of the first 16 digest bytes) and expiries recorded in the journal, in file order. */
async function journalRecords(file = path): Promise<{ fingerprint: string; expiresAt: number }[]> {
  const bytes = await readFile(file);
  const records = [];
  for (let at = JOURNAL_HEADER_BYTES; at + JOURNAL_RECORD_BYTES <= bytes.length; at += JOURNAL_RECORD_BYTES) {
    records.push({ fingerprint: bytes.subarray(at, at + 16).toString('hex'), expiresAt: bytes.readUInt32LE(at + 16) });
  }
  return records;
}

const fingerprintOf = (key: string): string => Buffer.from(key, 'base64url').subarray(0, 16).toString('hex');

describe('openFileReplayCache', () => {
  describe('as a replay cache', () => {
    it('refuses a key after remember, until its expiry (exclusive)', async () => {
      const cache = await openCache();
      const key = newKey();
      expect(cache.has(key, T0)).toBe(false);
      await cache.remember(key, T0 + 361);
      expect(cache.has(key, T0)).toBe(true);
      expect(cache.has(key, T0 + 360)).toBe(true);
      expect(cache.has(newKey(), T0)).toBe(false);
      expect(cache.has(key, T0 + 361)).toBe(false);
      expect(cache.size()).toBe(0); // passed expiries are dropped
    });

    it('sees a key as soon as remember is called, before it is on disk', async () => {
      const cache = await openCache();
      const key = newKey();
      const durable = cache.remember(key, T0 + 100);
      expect(cache.has(key, T0)).toBe(true);
      await durable;
    });

    it('rounds a fractional expiry up (never shortens a window)', async () => {
      const cache = await openCache();
      const key = newKey();
      await cache.remember(key, T0 + 10.2);
      expect(cache.has(key, T0 + 10.5)).toBe(true);
      expect(cache.has(key, T0 + 11)).toBe(false);
    });

    it('drops the oldest entry when full and counts it', async () => {
      const cache = await openCache({ capacity: 3 });
      const keys = [newKey(), newKey(), newKey(), newKey()];
      for (const key of keys) await cache.remember(key, T0 + 300);
      expect(keys.map((key) => cache.has(key, T0))).toEqual([false, true, true, true]);
      expect(cache.size()).toBe(3);
      expect(cache.stats()).toMatchObject({ entries: 3, capacity: 3, evicted: 1 });
    });

    it('refuses keys that are not base64url digests and non-finite expiries (INVALID_ARGUMENT)', async () => {
      const cache = await openCache();
      expect(() => cache.has('not a digest', T0)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      await expect(cache.remember('short', T0 + 1)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(cache.remember(newKey(), Number.NaN)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(cache.size()).toBe(0);
    });

    it('refuses use after close (STATE_CONFLICT); close is idempotent', async () => {
      const cache = await openCache();
      await cache.close();
      await cache.close();
      expect(() => cache.has(newKey(), T0)).toThrow(expect.objectContaining({ code: 'STATE_CONFLICT' }));
      await expect(cache.remember(newKey(), T0 + 1)).rejects.toMatchObject({ code: 'STATE_CONFLICT' });
      await expect(cache.compact()).rejects.toMatchObject({ code: 'STATE_CONFLICT' });
    });

    it('refuses bad options (INVALID_ARGUMENT)', async () => {
      await expect(openFileReplayCache({ path: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(openFileReplayCache({ path, capacity: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(openFileReplayCache({ path, compaction: { factor: 1 } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(openFileReplayCache({ path, onDamaged: 'ignore' as 'refuse' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    });
  });

  describe('durability', () => {
    it('a restarted terminal (close, reopen) still refuses what it remembered', async () => {
      const first = await openCache();
      expect(first.load).toMatchObject({ outcome: 'created', entries: 0 });
      const keys = [newKey(), newKey(), newKey()];
      for (const key of keys) await first.remember(key, T0 + 300);
      await first.close();
      const second = await openCache();
      expect(second.load).toMatchObject({ outcome: 'loaded', entries: 3, recordsRead: 3, expiredRecords: 0, damagedRecords: 0, tornBytes: 0 });
      expect(keys.every((key) => second.has(key, T0 + 10))).toBe(true);
      expect(second.has(newKey(), T0 + 10)).toBe(false);
    });

    it('remember resolves only once the record is in the file', async () => {
      const cache = await openCache();
      const key = newKey();
      await cache.remember(key, T0 + 300);
      // Read by another handle, without closing: what a crash right now would leave.
      expect(await journalRecords()).toEqual([{ fingerprint: fingerprintOf(key), expiresAt: T0 + 300 }]);
    });

    it('survives a process killed (SIGKILL) right after remember resolved', async () => {
      const key = newKey();
      const script = join(dir, 'crash.mts');
      const module = pathToFileURL(resolve('verifier/replay/file-replay-cache.ts')).href;
      await writeFile(
        script,
        `import { openFileReplayCache } from ${JSON.stringify(module)};
         const cache = await openFileReplayCache({ path: ${JSON.stringify(path)}, now: () => ${T0} });
         await cache.remember(${JSON.stringify(key)}, ${T0 + 300});
         process.kill(process.pid, 'SIGKILL');`,
      );
      const child = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd(), encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
      expect({ signal: child.signal, stderr: child.stderr }).toEqual({ signal: 'SIGKILL', stderr: '' });
      const cache = await openCache();
      expect(cache.load.outcome).toBe('loaded');
      expect(cache.has(key, T0)).toBe(true);
    }, 60_000);

    it('skips entries that expired while the terminal was off, and leaves them off the disk', async () => {
      const first = await openCache();
      const [shortLived, longLived] = [newKey(), newKey()];
      await first.remember(shortLived, T0 + 60);
      await first.remember(longLived, T0 + 600);
      await first.close();
      clock = T0 + 120;
      const second = await openCache();
      expect(second.load).toMatchObject({ outcome: 'loaded', entries: 1, recordsRead: 2, expiredRecords: 1 });
      expect(second.has(longLived, clock)).toBe(true);
      expect((await journalRecords()).map((r) => r.fingerprint)).toEqual([fingerprintOf(longLived)]);
    });

    it('writes concurrent remembers in call order, sharing writes', async () => {
      const cache = await openCache();
      const keys = Array.from({ length: 500 }, newKey);
      await Promise.all(keys.map((key, i) => cache.remember(key, T0 + 300 + i)));
      expect(await journalRecords()).toEqual(keys.map((key, i) => ({ fingerprint: fingerprintOf(key), expiresAt: T0 + 300 + i })));
      expect(cache.stats().journalRecords).toBe(500);
      expect(cache.stats().appends).toBeLessThan(500);
    });

    it('stores no key text: only 16-byte fingerprints and expiries (mode 0o600)', async () => {
      const cache = await openCache();
      const keys = Array.from({ length: 50 }, newKey);
      for (const key of keys) await cache.remember(key, T0 + 300);
      await cache.compact();
      await cache.remember(newKey(), T0 + 300);
      const bytes = await readFile(path);
      const text = bytes.toString('latin1');
      for (const key of keys) {
        expect(text.includes(key)).toBe(false);
        expect(text.includes(key.slice(0, 12))).toBe(false);
        expect(bytes.includes(Buffer.from(key, 'base64url'))).toBe(false); // nor the whole digest
      }
      expect(bytes.length).toBe(JOURNAL_HEADER_BYTES + 51 * JOURNAL_RECORD_BYTES);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    });
    it('a failed write rejects remember (fail closed); the next write rewrites the journal from memory', async () => {
      const cache = await openCache();
      const probe = await fsOpen(join(dir, 'probe'), 'w');
      const prototype = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
      await probe.close();
      const datasync = prototype.datasync;
      prototype.datasync = () => Promise.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
      const [lost, next] = [newKey(), newKey()];
      try {
        await expect(cache.remember(lost, T0 + 300)).rejects.toMatchObject({ code: 'EIO' });
      } finally {
        prototype.datasync = datasync;
      }
      expect(cache.stats()).toMatchObject({ writeFailures: 1, failing: true });
      expect(cache.has(lost, T0)).toBe(true); // still refused here: failing closed
      await cache.remember(next, T0 + 300);
      expect(cache.stats()).toMatchObject({ failing: false, journalRecords: 2 });
      expect((await journalRecords()).map((r) => r.fingerprint).sort()).toEqual([fingerprintOf(lost), fingerprintOf(next)].sort());
    });
  });

  describe('damaged journals', () => {
    async function journalWith(count: number): Promise<string[]> {
      const cache = await openCache();
      const keys = Array.from({ length: count }, newKey);
      for (const key of keys) await cache.remember(key, T0 + 300);
      await cache.close();
      return keys;
    }

    it('tolerates a torn last write (a partial record): drops it and keeps the rest', async () => {
      const keys = await journalWith(5);
      await appendFile(path, randomBytes(10));
      const cache = await openCache();
      expect(cache.load).toMatchObject({ outcome: 'torn-tail-dropped', entries: 5, tornBytes: 10, damagedRecords: 0 });
      expect(keys.every((key) => cache.has(key, T0))).toBe(true);
      expect((await stat(path)).size).toBe(JOURNAL_HEADER_BYTES + 5 * JOURNAL_RECORD_BYTES); // repaired: appends line up again
      await cache.remember(newKey(), T0 + 300);
      await cache.close();
      expect((await openCache()).load).toMatchObject({ outcome: 'loaded', entries: 6 });
    });

    it('tolerates a torn last write of whole records (zeros where the data never landed)', async () => {
      const keys = await journalWith(4);
      await appendFile(path, Buffer.alloc(3 * JOURNAL_RECORD_BYTES));
      const cache = await openCache();
      expect(cache.load).toMatchObject({ outcome: 'torn-tail-dropped', entries: 4, tornBytes: 3 * JOURNAL_RECORD_BYTES });
      expect(keys.every((key) => cache.has(key, T0))).toBe(true);
    });

    it('a file that is not a journal is copied aside and replaced; the terminal starts empty and says so', async () => {
      await openCache().then((c) => c.close()); // creates the directory
      const garbage = Buffer.from('{"this": "is not a replay journal"}\n'.repeat(20));
      await writeFile(path, garbage);
      const cache = await openCache();
      expect(cache.load).toMatchObject({
        outcome: 'damaged',
        entries: 0,
        damage: { reason: 'not-a-journal', code: 'REPLAY_JOURNAL_DAMAGED', copiedTo: `${path}.damaged` },
      });
      expect(await readFile(`${path}.damaged`)).toEqual(garbage);
      const key = newKey();
      await cache.remember(key, T0 + 300);
      expect(cache.has(key, T0)).toBe(true);
      expect((await journalRecords()).length).toBe(1);
    });

    it("under onDamaged: 'refuse', a damaged journal is refused with a typed error and left alone", async () => {
      await journalWith(1);
      const garbage = randomBytes(100);
      await writeFile(path, garbage);
      await expect(openFileReplayCache({ path, now: () => clock, onDamaged: 'refuse' })).rejects.toMatchObject({
        name: 'UrbisError',
        code: 'REPLAY_JOURNAL_DAMAGED',
      });
      expect(await readFile(path)).toEqual(garbage);
    });

    it('a journal of another version is not interpreted', async () => {
      await journalWith(3);
      const bytes = await readFile(path);
      bytes.writeUInt32LE(2, 8);
      await writeFile(path, bytes);
      const cache = await openCache();
      expect(cache.load).toMatchObject({ outcome: 'damaged', entries: 0, damage: { reason: 'unsupported-version' } });
    });

    it('a bad record before good ones is damage: the file is copied aside and rewritten with the good records', async () => {
      const keys = await journalWith(5);
      const bytes = await readFile(path);
      const at = JOURNAL_HEADER_BYTES + 1 * JOURNAL_RECORD_BYTES + 3;
      bytes[at] = bytes[at]! ^ 0x40; // flip a bit in record 1
      await writeFile(path, bytes);
      const cache = await openCache();
      expect(cache.load).toMatchObject({ outcome: 'damaged', entries: 4, recordsRead: 4, damagedRecords: 1, damage: { reason: 'checksum-mismatch' } });
      expect(keys.map((key) => cache.has(key, T0))).toEqual([true, false, true, true, true]);
      expect(await readFile(`${path}.damaged`)).toEqual(bytes);
      expect((await journalRecords()).length).toBe(4);
    });

    it('removes a temporary file left by a rewrite cut short, and loads the journal', async () => {
      const keys = await journalWith(2);
      await writeFile(`${path}.tmp`, randomBytes(50));
      const cache = await openCache();
      expect(cache.load.outcome).toBe('loaded');
      expect(keys.every((key) => cache.has(key, T0))).toBe(true);
      await expect(stat(`${path}.tmp`)).rejects.toMatchObject({ code: 'ENOENT' });
    });
  });

  describe('compaction', () => {
    it('compact keeps live entries only; a reopened cache still refuses them', async () => {
      const cache = await openCache();
      const live = Array.from({ length: 10 }, newKey);
      const expiring = Array.from({ length: 30 }, newKey);
      for (const key of expiring) await cache.remember(key, T0 + 30);
      for (const key of live) await cache.remember(key, T0 + 600);
      clock = T0 + 60;
      await cache.compact();
      expect(cache.stats()).toMatchObject({ journalRecords: 10, journalBytes: JOURNAL_HEADER_BYTES + 10 * JOURNAL_RECORD_BYTES, rewrites: 2 });
      expect((await journalRecords()).map((r) => r.fingerprint)).toEqual(live.map(fingerprintOf));
      await cache.close();
      const reopened = await openCache();
      expect(reopened.load).toMatchObject({ outcome: 'loaded', entries: 10 });
      expect(live.every((key) => reopened.has(key, clock))).toBe(true);
    });

    it('rewrites the journal when it grows past factor × live entries', async () => {
      const cache = await openCache({ compaction: { factor: 2, minRecords: 8 } });
      const keys = [newKey(), newKey()];
      for (let i = 0; i < 40; i++) await cache.remember(keys[i % 2]!, T0 + 300 + i); // the same two presentations again and again
      const { journalRecords: records, rewrites } = cache.stats();
      expect(records).toBeLessThanOrEqual(8);
      expect(rewrites).toBeGreaterThan(1);
      expect(keys.every((key) => cache.has(key, T0))).toBe(true);
      await cache.close();
      const reopened = await openCache();
      expect(keys.every((key) => reopened.has(key, T0 + 330))).toBe(true);
    });

    it('expired fingerprints leave the disk once they have been expired for retentionSeconds', async () => {
      const cache = await openCache({ compaction: { retentionSeconds: 100 } });
      const old = newKey();
      await cache.remember(old, T0 + 10);
      clock = T0 + 50;
      await cache.remember(newKey(), T0 + 400);
      expect((await journalRecords()).map((r) => r.fingerprint)).toContain(fingerprintOf(old));
      clock = T0 + 111;
      await cache.remember(newKey(), T0 + 400);
      expect((await journalRecords()).map((r) => r.fingerprint)).not.toContain(fingerprintOf(old));
      expect(cache.stats().journalRecords).toBe(2);
    });

    it('an idle terminal sweeps on a timer', async () => {
      const cache = await openCache({ compaction: { retentionSeconds: 0, sweepIntervalSeconds: 0.05 } });
      await cache.remember(newKey(), T0 + 10);
      clock = T0 + 20;
      await new Promise((done) => setTimeout(done, 300));
      expect(cache.stats().journalRecords).toBe(0);
      expect((await stat(path)).size).toBe(JOURNAL_HEADER_BYTES);
    });
  });

  describe("with core's presentation verifier", () => {
    it('a presentation accepted before a restart is refused after it (KB_REPLAYED)', async () => {
      const kit = createCredentialKit({ now: T0 });
      const holder = kit.newHolder();
      const credential = await kit.issue({ format: 'dc+sd-jwt', holder });
      const presentation = await kit.present({ credential, holder, claims: [['age_over_18']] });
      kit.replayCache = await openCache();
      expect((await kit.verify({ presentation })).ok).toBe(true);
      await open[0]!.close();
      kit.replayCache = await openCache();
      const replay = await kit.verify({ presentation, now: T0 + 5 });
      expect(replay.ok ? [] : replay.failures.map((f) => f.code)).toEqual(['KB_REPLAYED']);
      const journal = await readFile(path, 'latin1');
      expect(journal.includes(presentation.slice(-40))).toBe(false);
    });
  });
});
