import { describeEachEngine } from '../db/testing/test-databases.js';
import { hashSecret } from '../security/secret-token.js';
import { createSessions, DEFAULT_SESSION_TTL_MS } from './sessions.js';

const T0 = 1_790_000_000_000;

describeEachEngine('sessions', (database) => {
  let clock = T0;
  beforeEach(() => {
    clock = T0;
  });
  const setup = () => {
    const { db } = database();
    return { db, sessions: createSessions({ db, now: () => clock }) };
  };

  test('issues an opaque token stored only as its hash; authenticates its subject', async () => {
    const { db, sessions } = setup();
    const { token, expiresAt } = await sessions.issue({ kind: 'citizen', subjectId: 'c-1' });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toBe(T0 + 30 * 60_000);
    const rows = await db.selectFrom('sessions').selectAll().execute();
    expect(rows).toEqual([{ token_hash: hashSecret(token), subject_kind: 'citizen', subject_id: 'c-1', expires_at: expiresAt, created_at: T0 }]);
    expect(await sessions.authenticate({ token, kind: 'citizen' })).toBe('c-1');
  });

  test('expires after 30 minutes for citizens and 8 hours for staff (SESSION_INVALID), and is then deleted', async () => {
    const { db, sessions } = setup();
    const citizen = await sessions.issue({ kind: 'citizen', subjectId: 'c-1' });
    const staff = await sessions.issue({ kind: 'staff', subjectId: 's-1' });
    expect(staff.expiresAt).toBe(T0 + DEFAULT_SESSION_TTL_MS.staff);
    clock = T0 + 30 * 60_000 - 1;
    expect(await sessions.authenticate({ token: citizen.token, kind: 'citizen' })).toBe('c-1');
    clock = T0 + 30 * 60_000;
    await expect(sessions.authenticate({ token: citizen.token, kind: 'citizen' })).rejects.toMatchObject({ code: 'SESSION_INVALID' });
    expect(await sessions.authenticate({ token: staff.token, kind: 'staff' })).toBe('s-1');
    clock = T0 + 8 * 3_600_000;
    await expect(sessions.authenticate({ token: staff.token, kind: 'staff' })).rejects.toMatchObject({ code: 'SESSION_INVALID' });
    expect(await db.selectFrom('sessions').selectAll().execute()).toEqual([]);
  });

  test('a session of the other kind is SESSION_INVALID', async () => {
    const { sessions } = setup();
    const { token } = await sessions.issue({ kind: 'citizen', subjectId: 'c-1' });
    await expect(sessions.authenticate({ token, kind: 'staff' })).rejects.toMatchObject({ code: 'SESSION_INVALID' });
    expect(await sessions.authenticate({ token, kind: 'citizen' })).toBe('c-1');
  });

  test('unknown or malformed tokens are SESSION_INVALID; a missing one AUTH_REQUIRED', async () => {
    const { sessions } = setup();
    await expect(sessions.authenticate({ token: 'A'.repeat(43), kind: 'citizen' })).rejects.toMatchObject({ code: 'SESSION_INVALID' });
    await expect(sessions.authenticate({ token: 'not a token', kind: 'citizen' })).rejects.toMatchObject({ code: 'SESSION_INVALID' });
    await expect(sessions.authenticate({ token: '', kind: 'citizen' })).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    await expect(sessions.authenticate({ token: undefined as unknown as string, kind: 'citizen' })).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    await expect(sessions.authenticate({ token: 'A'.repeat(43), kind: 'robot' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  test('revoke ends one session; revokeAll ends every session of one subject only', async () => {
    const { sessions } = setup();
    const a = await sessions.issue({ kind: 'citizen', subjectId: 'c-1' });
    const b = await sessions.issue({ kind: 'citizen', subjectId: 'c-1' });
    const c = await sessions.issue({ kind: 'citizen', subjectId: 'c-1' });
    const other = await sessions.issue({ kind: 'citizen', subjectId: 'c-2' });
    const sameIdStaff = await sessions.issue({ kind: 'staff', subjectId: 'c-1' });
    await sessions.revoke({ token: a.token });
    await sessions.revoke({ token: 'not a token' });
    await expect(sessions.authenticate({ token: a.token, kind: 'citizen' })).rejects.toMatchObject({ code: 'SESSION_INVALID' });
    expect(await sessions.authenticate({ token: b.token, kind: 'citizen' })).toBe('c-1');
    expect(await sessions.revokeAll({ kind: 'citizen', subjectId: 'c-1' })).toBe(2);
    for (const token of [b.token, c.token]) await expect(sessions.authenticate({ token, kind: 'citizen' })).rejects.toMatchObject({ code: 'SESSION_INVALID' });
    expect(await sessions.authenticate({ token: other.token, kind: 'citizen' })).toBe('c-2');
    expect(await sessions.authenticate({ token: sameIdStaff.token, kind: 'staff' })).toBe('c-1');
  });

  test('purgeExpired deletes only expired sessions', async () => {
    const { sessions } = setup();
    await sessions.issue({ kind: 'citizen', subjectId: 'c-1' });
    const staff = await sessions.issue({ kind: 'staff', subjectId: 's-1' });
    clock = T0 + 60 * 60_000;
    expect(await sessions.purgeExpired()).toBe(1);
    expect(await sessions.authenticate({ token: staff.token, kind: 'staff' })).toBe('s-1');
  });

  test('custom lifetimes', async () => {
    const { db } = database();
    const sessions = createSessions({ db, now: () => clock, ttlMs: { citizen: 1_000 } });
    expect((await sessions.issue({ kind: 'citizen', subjectId: 'c' })).expiresAt).toBe(T0 + 1_000);
    expect((await sessions.issue({ kind: 'staff', subjectId: 's' })).expiresAt).toBe(T0 + DEFAULT_SESSION_TTL_MS.staff);
  });
});

test('createSessions refuses a non-positive lifetime with CONFIG_INVALID', () => {
  expect(() => createSessions({ db: {} as never, ttlMs: { staff: 0 } })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
});
