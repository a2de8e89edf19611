import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { OutcomeCountsSnapshot, ServiceOutcomeCounts } from '../counters/outcome-counts.js';
import { openDailyCountsLedger } from './daily-counts-ledger.js';

const DAY = 86_400;
const SEP_21 = Date.UTC(2026, 8, 21, 10) / 1000;
const SINCE = SEP_21 - 5 * DAY;

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'urbis-daily-'));
  path = join(dir, 'terminal', 'daily-counts.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const c = (accepted: number, rejected = 0, rejectedByCode: ServiceOutcomeCounts['rejectedByCode'] = {}): ServiceOutcomeCounts => ({ accepted, rejected, rejectedByCode });
const counts = (services: Record<string, ServiceOutcomeCounts>, since = SINCE): OutcomeCountsSnapshot => ({ format: 'urbis-terminal-outcome-counts', version: 1, since, services });
const view = (days: { day: string; services: unknown }[]) => days.map(({ day, services }) => ({ day, services }));

describe('openDailyCountsLedger', () => {
  it('splits cumulative counts into the UTC days they were observed in', async () => {
    const ledger = await openDailyCountsLedger({ path });
    expect(ledger.load).toEqual({ outcome: 'created' });
    ledger.observe({ counts: counts({ pools: c(2) }), now: SEP_21 });
    ledger.observe({ counts: counts({ pools: c(3, 1, { KB_REPLAYED: 1 }) }), now: SEP_21 + 3600 });
    ledger.observe({ counts: counts({ pools: c(5, 2, { KB_REPLAYED: 1, STATUS_REVOKED: 1 }), library: c(1) }), now: SEP_21 + DAY });
    ledger.observe({ counts: counts({ pools: c(5, 2, { KB_REPLAYED: 1, STATUS_REVOKED: 1 }), library: c(1) }), now: SEP_21 + DAY + 60 }); // nothing new
    expect(view(ledger.days())).toEqual([
      { day: '2026-09-21', services: { pools: c(3, 1, { KB_REPLAYED: 1 }) } },
      { day: '2026-09-22', services: { pools: c(2, 1, { STATUS_REVOKED: 1 }), library: c(1) } },
    ]);
    expect(view(ledger.unsent())).toEqual(view(ledger.days()));
  });

  it('marks days sent only if unchanged since they were read; a changed day is unsent again', async () => {
    const ledger = await openDailyCountsLedger({ path });
    ledger.observe({ counts: counts({ pools: c(1) }), now: SEP_21 });
    const read = ledger.unsent();
    ledger.observe({ counts: counts({ pools: c(2) }), now: SEP_21 + 10 }); // changed while "in flight"
    ledger.markSent(read);
    expect(view(ledger.unsent())).toEqual([{ day: '2026-09-21', services: { pools: c(2) } }]);
    ledger.markSent(ledger.unsent());
    expect(ledger.unsent()).toEqual([]);
    ledger.observe({ counts: counts({ pools: c(3) }), now: SEP_21 + 20 });
    expect(view(ledger.unsent())).toEqual([{ day: '2026-09-21', services: { pools: c(3) } }]);
  });

  it('counters that restarted (another since, or a count that went down) count from zero', async () => {
    const ledger = await openDailyCountsLedger({ path });
    ledger.observe({ counts: counts({ pools: c(10) }), now: SEP_21 });
    ledger.observe({ counts: counts({ pools: c(2) }, SEP_21 + 5), now: SEP_21 + DAY }); // damaged counts file: counting restarted
    ledger.observe({ counts: counts({ pools: c(3) }, SEP_21 + 5), now: SEP_21 + DAY + 10 });
    ledger.observe({ counts: counts({ pools: c(1) }, SEP_21 + 5), now: SEP_21 + DAY + 20 }); // went down: a restart
    expect(view(ledger.days())).toEqual([
      { day: '2026-09-21', services: { pools: c(10) } },
      { day: '2026-09-22', services: { pools: c(4) } },
    ]);
  });

  it('survives a restart: days, sent marks and the last totals are in the file (counts, days and codes only)', async () => {
    const first = await openDailyCountsLedger({ path });
    first.observe({ counts: counts({ pools: c(4, 1, { KB_REPLAYED: 1 }) }), now: SEP_21 });
    first.markSent(first.unsent());
    await first.flush();
    const again = await openDailyCountsLedger({ path });
    expect(again.load).toEqual({ outcome: 'loaded' });
    expect(again.unsent()).toEqual([]);
    again.observe({ counts: counts({ pools: c(5, 1, { KB_REPLAYED: 1 }) }), now: SEP_21 + 60 });
    expect(view(again.unsent())).toEqual([{ day: '2026-09-21', services: { pools: c(5, 1, { KB_REPLAYED: 1 }) } }]);
    const text = await readFile(path, 'utf8');
    const strings = [...text.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    const allowed = new Set(['format', 'urbis-terminal-daily-counts', 'version', 'since', 'observed', 'days', 'day', '2026-09-21', 'sent', 'services', 'pools', 'accepted', 'rejected', 'rejectedByCode', 'KB_REPLAYED']);
    expect(strings.filter((s) => !allowed.has(s!))).toEqual([]);
    expect(await readdir(join(dir, 'terminal'))).toEqual(['daily-counts.json']);
  });

  it('keeps retentionDays days', async () => {
    const ledger = await openDailyCountsLedger({ path: undefined, retentionDays: 3 });
    expect(ledger.load).toEqual({ outcome: 'memory' });
    for (let i = 0; i < 5; i++) ledger.observe({ counts: counts({ pools: c(i + 1) }), now: SEP_21 + i * DAY });
    expect(ledger.days().map((d) => d.day)).toEqual(['2026-09-23', '2026-09-24', '2026-09-25']);
  });

  it.each([
    ['not JSON', '{"format": ', 'JSON_INVALID'],
    ['another format', '{"format":"x","version":1,"since":null,"observed":{},"days":[]}', 'SCHEMA_INVALID'],
    ['a personal field', '{"format":"urbis-terminal-daily-counts","version":1,"since":null,"observed":{},"days":[{"day":"2026-09-21","sent":false,"services":{},"name":"Ana"}]}', 'SCHEMA_INVALID'],
    ['a negative count', '{"format":"urbis-terminal-daily-counts","version":1,"since":null,"observed":{"pools":{"accepted":-1,"rejected":0,"rejectedByCode":{}}},"days":[]}', 'SCHEMA_INVALID'],
  ])('a damaged file (%s) is moved aside and the ledger restarts empty', async (_name, content, code) => {
    await mkdir(join(dir, 'terminal'));
    await writeFile(path, content);
    const ledger = await openDailyCountsLedger({ path });
    expect(ledger.load).toEqual({ outcome: 'damaged', code, movedTo: `${path}.damaged` });
    expect(ledger.days()).toEqual([]);
    expect(await readFile(`${path}.damaged`, 'utf8')).toBe(content);
  });

  it('refuses bad options and bad counts (INVALID_ARGUMENT, SCHEMA_INVALID)', async () => {
    await expect(openDailyCountsLedger({ path: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(openDailyCountsLedger({ retentionDays: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const ledger = await openDailyCountsLedger();
    expect(() => ledger.observe({ counts: counts({ 'Ana García': c(1) }), now: SEP_21 })).toThrow(expect.objectContaining({ code: 'SCHEMA_INVALID' }));
    expect(ledger.days()).toEqual([]);
  });
});
