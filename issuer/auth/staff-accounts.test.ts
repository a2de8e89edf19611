import { describeEachEngine } from '../db/testing/test-databases.js';
import { createSessions } from './sessions.js';
import { createStaffAccounts } from './staff-accounts.js';
import { TEST_SCRYPT_COST } from './testing/citizen-rows.js';

const PASSWORD = 'a long passphrase';
const AUTH_FAILED = { code: 'AUTH_FAILED', message: 'the username or password is wrong, or the account is disabled' };

describeEachEngine('staff accounts', (database) => {
  const setup = () => {
    const { db } = database();
    return { db, staff: createStaffAccounts({ db, now: () => 1_790_000_000_000, passwordCost: TEST_SCRYPT_COST }), sessions: createSessions({ db, now: () => 1_790_000_000_000 }) };
  };

  test('creates an account (username lower-cased, password hashed) and signs in with it', async () => {
    const { db, staff } = setup();
    const created = await staff.create({ username: ' Ana.Clerk ', password: PASSWORD, role: 'clerk' });
    expect(created).toEqual({ id: expect.any(String), username: 'ana.clerk', role: 'clerk', serviceId: null, disabled: false, createdAt: 1_790_000_000_000 });
    const row = await db.selectFrom('staff').selectAll().executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$ln=10,r=8,p=1\$/);
    expect(await staff.verifyLogin({ username: 'ANA.clerk', password: PASSWORD })).toEqual(created);
    expect(await staff.get(created.id)).toEqual(created);
    expect(Object.keys(created)).not.toContain('passwordHash');
  });

  test('a duplicate username is STATE_CONFLICT (whatever its case)', async () => {
    const { staff } = setup();
    await staff.create({ username: 'ana', password: PASSWORD, role: 'clerk' });
    await expect(staff.create({ username: 'ANA', password: 'another long password', role: 'admin' })).rejects.toMatchObject({ code: 'STATE_CONFLICT' });
  });

  test('a service manager needs a service; clerks and admins must not have one', async () => {
    const { staff } = setup();
    const manager = await staff.create({ username: 'pool.manager', password: PASSWORD, role: 'service_manager', serviceId: 'pool' });
    expect(manager.serviceId).toBe('pool');
    await expect(staff.create({ username: 'm2', password: PASSWORD, role: 'service_manager' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(staff.create({ username: 'm3', password: PASSWORD, role: 'service_manager', serviceId: ' ' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(staff.create({ username: 'c1', password: PASSWORD, role: 'clerk', serviceId: 'pool' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(staff.create({ username: 'a1', password: PASSWORD, role: 'admin', serviceId: 'pool' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(staff.create({ username: 'r1', password: PASSWORD, role: 'root' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  test('usernames and passwords are checked (INVALID_ARGUMENT)', async () => {
    const { staff } = setup();
    for (const username of ['ab', '-ana', 'ana maria', 'ana@city', 'x'.repeat(65), '']) {
      await expect(staff.create({ username, password: PASSWORD, role: 'clerk' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
    await expect(staff.create({ username: 'ana', password: 'short pass', role: 'clerk' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await staff.list()).toEqual([]);
  });

  test('unknown username, wrong password and disabled account: the same AUTH_FAILED', async () => {
    const { staff } = setup();
    const clerk = await staff.create({ username: 'ana', password: PASSWORD, role: 'clerk' });
    await staff.create({ username: 'admin', password: PASSWORD, role: 'admin' });
    await expect(staff.verifyLogin({ username: 'nobody', password: PASSWORD })).rejects.toMatchObject(AUTH_FAILED);
    await expect(staff.verifyLogin({ username: '!!', password: PASSWORD })).rejects.toMatchObject(AUTH_FAILED);
    await expect(staff.verifyLogin({ username: 'ana', password: 'a long passphrasE' })).rejects.toMatchObject(AUTH_FAILED);
    await staff.disable(clerk.id);
    await expect(staff.verifyLogin({ username: 'ana', password: PASSWORD })).rejects.toMatchObject(AUTH_FAILED);
    expect((await staff.get(clerk.id)).disabled).toBe(true);
  });

  test('disabling ends the account’s sessions; the last enabled admin cannot be disabled (STATE_CONFLICT)', async () => {
    const { staff, sessions } = setup();
    const first = await staff.create({ username: 'admin1', password: PASSWORD, role: 'admin' });
    const second = await staff.create({ username: 'admin2', password: PASSWORD, role: 'admin' });
    const { token } = await sessions.issue({ kind: 'staff', subjectId: first.id });
    const other = await sessions.issue({ kind: 'staff', subjectId: second.id });
    await staff.disable(first.id);
    await expect(sessions.authenticate({ token, kind: 'staff' })).rejects.toMatchObject({ code: 'SESSION_INVALID' });
    expect(await sessions.authenticate({ token: other.token, kind: 'staff' })).toBe(second.id);
    await expect(staff.disable(second.id)).rejects.toMatchObject({ code: 'STATE_CONFLICT' });
    expect((await staff.get(second.id)).disabled).toBe(false);
    await staff.disable(first.id); // already disabled: nothing happens
    await expect(staff.disable('missing')).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
  });

  test('get of an unknown id is RESOURCE_NOT_FOUND; list is ordered by username, without hashes', async () => {
    const { staff } = setup();
    await staff.create({ username: 'zoe', password: PASSWORD, role: 'clerk' });
    await staff.create({ username: 'ana', password: PASSWORD, role: 'admin' });
    await expect(staff.get('missing')).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    const list = await staff.list();
    expect(list.map((m) => m.username)).toEqual(['ana', 'zoe']);
    expect(JSON.stringify(list)).not.toContain('scrypt');
  });

  test('changePassword: the current password must match when given; the new one follows the policy; sessions end', async () => {
    const { staff, sessions } = setup();
    const member = await staff.create({ username: 'ana', password: PASSWORD, role: 'clerk' });
    const { token } = await sessions.issue({ kind: 'staff', subjectId: member.id });
    await expect(staff.changePassword({ id: member.id, currentPassword: 'wrong password!', newPassword: 'a brand new passphrase' })).rejects.toMatchObject(AUTH_FAILED);
    await expect(staff.changePassword({ id: member.id, currentPassword: PASSWORD, newPassword: 'too short' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(staff.changePassword({ id: 'missing', newPassword: 'a brand new passphrase' })).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    expect(await sessions.authenticate({ token, kind: 'staff' })).toBe(member.id);
    await staff.changePassword({ id: member.id, currentPassword: PASSWORD, newPassword: 'a brand new passphrase' });
    await expect(sessions.authenticate({ token, kind: 'staff' })).rejects.toMatchObject({ code: 'SESSION_INVALID' });
    await expect(staff.verifyLogin({ username: 'ana', password: PASSWORD })).rejects.toMatchObject(AUTH_FAILED);
    expect((await staff.verifyLogin({ username: 'ana', password: 'a brand new passphrase' })).id).toBe(member.id);
    await staff.changePassword({ id: member.id, newPassword: 'an admin reset passphrase' }); // admin reset: no current password
    expect((await staff.verifyLogin({ username: 'ana', password: 'an admin reset passphrase' })).id).toBe(member.id);
  });
});
