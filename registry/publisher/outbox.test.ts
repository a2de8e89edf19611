import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { planBatch } from './batch-planner.js';
import { Outbox } from './outbox.js';
import { OUTBOX_SCHEMA_VERSION } from './outbox-schema.js';
import type { StatusChangeInput } from './status-change.js';

describe('Outbox (SQLite file)', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'urbis-outbox-'));
    path = join(dir, 'outbox.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the file in WAL mode with synchronous=FULL, at the current schema version, with a migration record', () => {
    const outbox = Outbox.open({ path });
    expect(outbox.schemaVersion()).toBe(OUTBOX_SCHEMA_VERSION);
    outbox.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT version, name FROM outbox_migrations').all()).toEqual([{ version: 1, name: 'initial' }]);
    db.close();
    const again = Outbox.open({ path });
    expect(again.schemaVersion()).toBe(OUTBOX_SCHEMA_VERSION);
    again.close();
  });

  it('enqueue records a change durably (visible after reopening) and returns growing ids', () => {
    const outbox = Outbox.open({ path });
    const a = outbox.enqueue({ listId: 0, index: 42, value: 1, reason: 'holder-request' });
    const b = outbox.enqueue({ listId: 0, index: 43, value: 2 });
    expect(b).toBeGreaterThan(a);
    outbox.close();
    const reopened = Outbox.open({ path });
    expect(reopened.change(a)).toMatchObject({ id: a, listId: 0, index: 42, value: 1, reason: 'holder-request', state: 'pending', superseded: false });
    expect(reopened.change(b)?.reason).toBeUndefined();
    expect(reopened.counts()).toEqual({ pending: 2, inFlight: 0, confirmed: 0, rejected: 0 });
    reopened.close();
  });

  it.each<[string, unknown]>([
    ['value 3', { listId: 0, index: 1, value: 3 }],
    ['a negative index', { listId: 0, index: -1, value: 1 }],
    ['a fractional index', { listId: 0, index: 1.5, value: 1 }],
    ['an index above 2^30 - 1', { listId: 0, index: 2 ** 30, value: 1 }],
    ['a string index', { listId: 0, index: '7', value: 1 }],
    ['a negative list id', { listId: -1, index: 1, value: 1 }],
    ['a free-text reason', { listId: 0, index: 1, value: 1, reason: 'moved out, see file of J. Doe' }],
    ['not an object', null],
  ])('%s → OUTBOX_CHANGE_INVALID, nothing recorded', (_name, change) => {
    const outbox = Outbox.open({ path });
    expect(() => outbox.enqueue(change as StatusChangeInput)).toThrow(expect.objectContaining({ code: 'OUTBOX_CHANGE_INVALID' }));
    expect(() => outbox.enqueueMany([{ listId: 0, index: 1, value: 1 }, change as StatusChangeInput])).toThrow(expect.objectContaining({ code: 'OUTBOX_CHANGE_INVALID' }));
    expect(outbox.counts().pending).toBe(0);
    outbox.close();
  });

  it('a file that is not a database → OUTBOX_UNAVAILABLE', () => {
    writeFileSync(path, Buffer.alloc(8192, 0x5a));
    expect(() => Outbox.open({ path })).toThrow(expect.objectContaining({ code: 'OUTBOX_UNAVAILABLE' }));
  });

  it('a corrupted database (damaged pages) → OUTBOX_UNAVAILABLE', () => {
    const outbox = Outbox.open({ path });
    outbox.enqueueMany(Array.from({ length: 3_000 }, (_, i) => ({ listId: 0, index: i, value: 1 as const })));
    outbox.close();
    const bytes = readFileSync(path);
    // Keep the header (page 1) so that it still looks like SQLite; trash the b-tree pages after it.
    bytes.fill(0xa5, 4096 * 2, bytes.length - 4096);
    writeFileSync(path, bytes);
    expect(() => Outbox.open({ path })).toThrow(expect.objectContaining({ code: 'OUTBOX_UNAVAILABLE' }));
  });

  it('a directory where the file should be, or a missing parent → OUTBOX_UNAVAILABLE', () => {
    expect(() => Outbox.open({ path: dir })).toThrow(expect.objectContaining({ code: 'OUTBOX_UNAVAILABLE' }));
    expect(() => Outbox.open({ path: join(dir, 'missing', 'outbox.sqlite') })).toThrow(expect.objectContaining({ code: 'OUTBOX_UNAVAILABLE' }));
  });

  it('a file written by a newer schema → OUTBOX_UNAVAILABLE (no downgrade)', () => {
    Outbox.open({ path }).close();
    const db = new Database(path);
    db.prepare('INSERT INTO outbox_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(OUTBOX_SCHEMA_VERSION + 1, 'future', Date.now());
    db.close();
    expect(() => Outbox.open({ path })).toThrow(expect.objectContaining({ code: 'OUTBOX_UNAVAILABLE' }));
  });

  it('a closed outbox → OUTBOX_UNAVAILABLE', () => {
    const outbox = Outbox.open({ path });
    outbox.close();
    expect(() => outbox.enqueue({ listId: 0, index: 1, value: 1 })).toThrow(expect.objectContaining({ code: 'OUTBOX_UNAVAILABLE' }));
  });

  it('a batch takes its changes out of pending and records refusals in the same transaction; abandoning puts them back in order', () => {
    const outbox = Outbox.open({ path });
    const ids = outbox.enqueueMany([
      { listId: 1, index: 9, value: 2 },
      { listId: 1, index: 9, value: 0 },
      { listId: 1, index: 999_999, value: 1 },
      { listId: 1, index: 3, value: 1 },
      { listId: 2, index: 3, value: 1 },
    ]);
    expect(outbox.nextPendingList()).toBe(1);
    const plan = planBatch({ changes: outbox.pendingChanges({ listId: 1, limit: 1_000 }), listSize: 131_072 });
    const batch = outbox.createBatch({ listId: 1, expectedSequence: 4, fromBlock: 10, nonce: 7, plan })!;
    expect(batch).toMatchObject({ listId: 1, expectedSequence: 4, fromBlock: 10, nonce: 7, state: 'open', deltaCount: 2 });
    expect(batch.packedDeltas).toBe('0x0000000d00000024'); // (3 << 2) | 1, (9 << 2) | 0
    expect(outbox.counts()).toEqual({ pending: 1, inFlight: 3, confirmed: 0, rejected: 1 });
    expect(outbox.change(ids[0]!)).toMatchObject({ state: 'in_batch', superseded: true, batchId: batch.id });
    expect(outbox.change(ids[2]!)).toMatchObject({ state: 'rejected', rejectionCode: 'STATUS_INDEX_OUT_OF_RANGE' });
    expect(() => outbox.createBatch({ listId: 1, expectedSequence: 5, fromBlock: 10, plan: { deltas: [{ index: 1, value: 1 }], applied: [], superseded: [], rejected: [] } })).toThrow(
      expect.objectContaining({ code: 'OUTBOX_UNAVAILABLE' }),
    ); // one open batch per list
    outbox.abandonBatch({ batchId: batch.id, reason: 'sequence-taken' });
    expect(outbox.pendingChanges({ listId: 1, limit: 10 }).map((c) => c.id)).toEqual([ids[0], ids[1], ids[3]]);
    expect(outbox.change(ids[0]!)).toMatchObject({ state: 'pending', superseded: false });
    expect(outbox.change(ids[0]!)?.batchId).toBeUndefined();
    outbox.close();
  });

  it('confirming a mined batch copies block and tx hash to each change; settled changes are reported once', () => {
    const outbox = Outbox.open({ path });
    const [a, b] = outbox.enqueueMany([
      { listId: 0, index: 1, value: 1 },
      { listId: 0, index: 2, value: 2 },
    ]);
    const batch = outbox.createBatch({ listId: 0, expectedSequence: 0, fromBlock: 1, nonce: 0, plan: planBatch({ changes: outbox.pendingChanges({ listId: 0, limit: 10 }), listSize: 131_072 }) })!;
    outbox.recordAttempt({ batchId: batch.id, nonce: 0, txHash: '0xaa' });
    expect(outbox.attempts(batch.id)).toEqual([expect.objectContaining({ nonce: 0, txHash: '0xaa' })]);
    expect(() => outbox.confirmBatch(batch.id)).toThrow(expect.objectContaining({ code: 'OUTBOX_UNAVAILABLE' })); // not mined yet
    outbox.markMined({ batchId: batch.id, txHash: '0xbb', blockNumber: 12, blockHash: '0xcc' });
    expect(outbox.confirmBatch(batch.id)).toBe(2);
    expect(outbox.change(a!)).toMatchObject({ state: 'confirmed', txHash: '0xbb', blockNumber: 12 });
    expect(outbox.settledToNotify(10).map((c) => c.id)).toEqual([a, b]);
    outbox.markNotified([a!, b!]);
    expect(outbox.settledToNotify(10)).toEqual([]);
    expect(outbox.lastConfirmedBatches()).toEqual([expect.objectContaining({ id: batch.id, blockHash: '0xcc' })]);
    outbox.close();
  });

  it('one publisher at a time: a live holder keeps the lease, a dead process or an expired lease frees it', () => {
    let now = 1_000;
    const outbox = Outbox.open({ path, now: () => now });
    outbox.acquireLease({ holder: 'a', ttlMs: 500 });
    expect(() => outbox.acquireLease({ holder: 'b', ttlMs: 500 })).toThrow(expect.objectContaining({ code: 'OUTBOX_UNAVAILABLE' }));
    now += 501;
    outbox.acquireLease({ holder: 'b', ttlMs: 500 });
    expect(() => outbox.renewLease({ holder: 'a', ttlMs: 500 })).toThrow(expect.objectContaining({ code: 'OUTBOX_UNAVAILABLE' }));
    outbox.releaseLease('b');
    outbox.close();
    // a lease left by a process that no longer runs (a SIGKILLed publisher)
    const db = new Database(path);
    db.prepare('INSERT INTO publisher_lease (id, holder, host, pid, expires_at) VALUES (1, ?, ?, ?, ?)').run('dead', hostname(), 2 ** 22 + 12345, Date.now() + 60_000);
    db.close();
    const again = Outbox.open({ path });
    again.acquireLease({ holder: 'c', ttlMs: 500 });
    again.close();
  });
});
