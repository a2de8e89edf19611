import { openTestDatabase } from '../db/testing/test-databases.js';
import type { IssuerDb } from '../db/open-database.js';
import { createCitizenOtp } from './citizen-otp.js';
import { createExpiredRowsPurge, DEFAULT_PURGE_INTERVAL_MS } from './expired-rows-purge.js';
import { createSessions } from './sessions.js';
import { insertTestCitizen } from './testing/citizen-rows.js';

const T0 = 1_790_000_000_000;

/** Resolves after the event loop has run pending I/O and timers once. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('expired rows purge (real SQLite file)', () => {
  let database: IssuerDb;
  let clock = T0;
  const now = () => clock;
  beforeEach(async () => {
    clock = T0;
    database = await openTestDatabase('sqlite');
  });
  afterEach(async () => {
    await database.close();
  });

  const stores = () => ({
    sessions: createSessions({ db: database.db, now }),
    otp: createCitizenOtp({ db: database.db, notifier: { send: async () => undefined }, now }),
  });
  const rows = async () => ({
    sessions: (await database.db.selectFrom('sessions').select('subject_id').orderBy('subject_id').execute()).map((r) => r.subject_id),
    otp: (await database.db.selectFrom('otp_challenges').select('citizen_id').execute()).map((r) => r.citizen_id),
  });

  test('expired sessions and one-time codes go; live ones stay', async () => {
    const { sessions, otp } = stores();
    const early = await insertTestCitizen(database.db, { email: 'early@example.test' });
    await sessions.issue({ kind: 'citizen', subjectId: 'citizen-expired' }); // 30 minutes
    await otp.start({ email: 'early@example.test' }); // expires in minutes
    clock = T0 + 2 * 60 * 60_000;
    const late = await insertTestCitizen(database.db, { email: 'late@example.test' });
    await sessions.issue({ kind: 'staff', subjectId: 'staff-live' }); // 8 hours
    await sessions.issue({ kind: 'citizen', subjectId: 'citizen-live' });
    await otp.start({ email: 'late@example.test' });
    expect(await rows()).toEqual({ sessions: ['citizen-expired', 'citizen-live', 'staff-live'], otp: [early, late] });

    const logged: unknown[] = [];
    const purge = createExpiredRowsPurge({ tables: { sessions, otp_challenges: otp }, log: (entry) => logged.push(entry) });
    expect(await purge.runOnce()).toEqual({ sessions: 1, otp_challenges: 1 });
    expect(await rows()).toEqual({ sessions: ['citizen-live', 'staff-live'], otp: [late] });
    expect(logged).toEqual([{ event: 'purge.done', detail: { sessions: 1, otp_challenges: 1 } }]);
    expect(await purge.runOnce()).toEqual({ sessions: 0, otp_challenges: 0 });
    expect(logged).toHaveLength(1); // a run that deleted nothing is not logged
  });

  test('start() purges at once; stop() clears the timer so nothing runs again', async () => {
    const { sessions, otp } = stores();
    let calls = 0;
    const counted = { purgeExpired: async () => (calls++, sessions.purgeExpired()) };
    await sessions.issue({ kind: 'citizen', subjectId: 'c' });
    clock = T0 + 60 * 60_000;
    const live = new Set<NodeJS.Timeout>();
    const timers = {
      setInterval: (fn: () => void, ms: number) => {
        const timer = setInterval(fn, ms);
        live.add(timer);
        return timer;
      },
      clearInterval: (timer: NodeJS.Timeout) => {
        clearInterval(timer);
        live.delete(timer);
      },
    };
    const purge = createExpiredRowsPurge({ tables: { sessions: counted, otp_challenges: otp }, intervalMs: 1_000, timers });
    purge.start();
    purge.start(); // a second start does nothing
    expect(live.size).toBe(1);
    expect([...live][0]!.hasRef()).toBe(false); // never keeps the process alive
    await purge.stop();
    expect(live.size).toBe(0);
    expect(calls).toBe(1);
    expect(await rows()).toMatchObject({ sessions: [] });
    purge.start(); // stopped for good
    await turn();
    expect(live.size).toBe(0);
    expect(calls).toBe(1);
  });

  test('a table that fails is logged by code and skipped; the others are purged', async () => {
    const { sessions } = stores();
    await sessions.issue({ kind: 'citizen', subjectId: 'c' });
    clock = T0 + 60 * 60_000;
    const logged: { event: string; code?: string }[] = [];
    const failing = { purgeExpired: async () => Promise.reject(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' })) };
    const purge = createExpiredRowsPurge({ tables: { otp_challenges: failing, sessions }, log: (entry) => logged.push(entry) });
    expect(await purge.runOnce()).toEqual({ sessions: 1 });
    expect(logged.map((e) => [e.event, e.code])).toEqual([
      ['purge.failed', 'SQLITE_IOERR'],
      ['purge.done', undefined],
    ]);
  });

  test('the interval defaults to one hour and is at least one second', () => {
    expect(DEFAULT_PURGE_INTERVAL_MS).toBe(3_600_000);
    expect(() => createExpiredRowsPurge({ tables: {}, intervalMs: 10 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
