import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEachEngine } from '../db/testing/test-databases.js';
import { createCitizenOtp } from './citizen-otp.js';
import { createOutboxFileNotifier, readOutboxFile, type NotificationMessage, type Notifier } from './notifier.js';
import { insertTestCitizen } from './testing/citizen-rows.js';

const T0 = 1_790_000_000_000;
const EMAIL = 'ana@example.test';

function recordingNotifier(): Notifier & { sent: NotificationMessage[] } {
  const sent: NotificationMessage[] = [];
  return { sent, send: async (message) => void sent.push(message) };
}

function codeIn(message: NotificationMessage | undefined): string {
  const match = /\b(\d{6})\b/.exec(message?.text ?? '');
  if (match === null) throw new Error('no code in the message');
  return match[1]!;
}

function wrong(code: string): string {
  return code === '000000' ? '000001' : '000000';
}

describeEachEngine('citizen e-mail one-time code', (database) => {
  let clock = T0;
  const now = (): number => clock;
  beforeEach(() => {
    clock = T0;
  });

  function setup(options: { maxAttempts?: number } = {}) {
    const { db } = database();
    const notifier = recordingNotifier();
    return { db, notifier, otp: createCitizenOtp({ db, notifier, now, ...options }) };
  }

  test('sends a 6-digit code to the registered address; the right code gives the citizen id, once', async () => {
    const { db, notifier, otp } = setup();
    const citizenId = await insertTestCitizen(db, { email: EMAIL, phone: '+34600000001' });
    const { challengeId, expiresAt } = await otp.start({ email: '  Ana@Example.TEST ' });
    expect(challengeId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(expiresAt).toBe(T0 + 10 * 60_000);
    expect(notifier.sent).toHaveLength(1);
    expect(notifier.sent[0]!.to).toEqual({ email: EMAIL, phone: '+34600000001' });
    const code = codeIn(notifier.sent[0]);
    const row = await db.selectFrom('otp_challenges').selectAll().executeTakeFirstOrThrow();
    expect(row.code_hash).not.toContain(code);
    expect(row.citizen_id).toBe(citizenId);
    expect(await otp.verify({ challengeId, code })).toBe(citizenId);
    await expect(otp.verify({ challengeId, code })).rejects.toMatchObject({ code: 'OTP_EXPIRED' });
  });

  test('a wrong code is OTP_INVALID and counts; the right one still works within the attempts', async () => {
    const { db, notifier, otp } = setup();
    const citizenId = await insertTestCitizen(db, { email: EMAIL });
    const { challengeId } = await otp.start({ email: EMAIL });
    const code = codeIn(notifier.sent[0]);
    for (let i = 0; i < 4; i += 1) {
      await expect(otp.verify({ challengeId, code: wrong(code) })).rejects.toMatchObject({ code: 'OTP_INVALID', message: 'the one-time code is wrong' });
    }
    expect((await db.selectFrom('otp_challenges').select('attempts').executeTakeFirstOrThrow()).attempts).toBe(4);
    expect(await otp.verify({ challengeId, code })).toBe(citizenId);
  });

  test('after maxAttempts wrong codes the challenge is OTP_EXPIRED, even for the right code', async () => {
    const { db, notifier, otp } = setup();
    await insertTestCitizen(db, { email: EMAIL });
    const { challengeId } = await otp.start({ email: EMAIL });
    const code = codeIn(notifier.sent[0]);
    for (let i = 0; i < 5; i += 1) await expect(otp.verify({ challengeId, code: wrong(code) })).rejects.toMatchObject({ code: 'OTP_INVALID' });
    await expect(otp.verify({ challengeId, code })).rejects.toMatchObject({ code: 'OTP_EXPIRED' });
  });

  test('parallel guesses cannot exceed maxAttempts', async () => {
    const { db, notifier, otp } = setup({ maxAttempts: 3 });
    await insertTestCitizen(db, { email: EMAIL });
    const { challengeId } = await otp.start({ email: EMAIL });
    const code = codeIn(notifier.sent[0]);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => otp.verify({ challengeId, code: wrong(code) })));
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok'));
    expect(codes.filter((c) => c === 'OTP_INVALID')).toHaveLength(3);
    expect(codes.filter((c) => c === 'OTP_EXPIRED')).toHaveLength(5);
    expect((await db.selectFrom('otp_challenges').select('attempts').executeTakeFirstOrThrow()).attempts).toBe(3);
  });

  test('past its lifetime the right code is OTP_EXPIRED', async () => {
    const { db, notifier, otp } = setup();
    await insertTestCitizen(db, { email: EMAIL });
    const { challengeId } = await otp.start({ email: EMAIL });
    clock = T0 + 10 * 60_000;
    await expect(otp.verify({ challengeId, code: codeIn(notifier.sent[0]) })).rejects.toMatchObject({ code: 'OTP_EXPIRED' });
    expect(await otp.purgeExpired()).toBe(1);
  });

  test('a new challenge ends the earlier one (OTP_EXPIRED)', async () => {
    const { db, notifier, otp } = setup();
    const citizenId = await insertTestCitizen(db, { email: EMAIL });
    const first = await otp.start({ email: EMAIL });
    const second = await otp.start({ email: EMAIL });
    await expect(otp.verify({ challengeId: first.challengeId, code: codeIn(notifier.sent[0]) })).rejects.toMatchObject({ code: 'OTP_EXPIRED' });
    expect(await otp.verify({ challengeId: second.challengeId, code: codeIn(notifier.sent[1]) })).toBe(citizenId);
  });

  test('an unknown address gets a challenge that behaves like a real one, and nothing is sent', async () => {
    const { db, notifier, otp } = setup();
    await insertTestCitizen(db, { email: EMAIL });
    const first = await otp.start({ email: 'nobody@example.test' });
    const decoy = await otp.start({ email: 'nobody@example.test' });
    expect(decoy.challengeId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(decoy.expiresAt).toBe(T0 + 10 * 60_000);
    expect(notifier.sent).toEqual([]);
    expect(await db.selectFrom('otp_challenges').selectAll().execute()).toEqual([]);
    // superseded, like a real earlier challenge
    await expect(otp.verify({ challengeId: first.challengeId, code: '123456' })).rejects.toMatchObject({ code: 'OTP_EXPIRED' });
    for (let i = 0; i < 5; i += 1) await expect(otp.verify({ challengeId: decoy.challengeId, code: '123456' })).rejects.toMatchObject({ code: 'OTP_INVALID' });
    await expect(otp.verify({ challengeId: decoy.challengeId, code: '123456' })).rejects.toMatchObject({ code: 'OTP_EXPIRED' });
    const late = await otp.start({ email: 'other@example.test' });
    clock += 10 * 60_000;
    await expect(otp.verify({ challengeId: late.challengeId, code: '123456' })).rejects.toMatchObject({ code: 'OTP_EXPIRED' });
  });

  test('an address shared by two citizens sends nothing (it cannot tell who signs in)', async () => {
    const { db, notifier, otp } = setup();
    await insertTestCitizen(db, { email: EMAIL });
    await insertTestCitizen(db, { email: EMAIL.toUpperCase() });
    await otp.start({ email: EMAIL });
    expect(notifier.sent).toEqual([]);
  });

  test('unknown or malformed challenge ids are OTP_INVALID; non-strings and non-addresses INVALID_ARGUMENT', async () => {
    const { otp } = setup();
    await expect(otp.verify({ challengeId: 'AAAAAAAAAAAAAAAAAAAAAA', code: '123456' })).rejects.toMatchObject({ code: 'OTP_INVALID' });
    await expect(otp.verify({ challengeId: 'short', code: '123456' })).rejects.toMatchObject({ code: 'OTP_INVALID' });
    await expect(otp.verify({ challengeId: 'AAAAAAAAAAAAAAAAAAAAAA', code: 123456 as unknown as string })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    for (const email of ['not an address', '', 'a@b@c', `${'x'.repeat(250)}@example.test`]) {
      await expect(otp.start({ email })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });

  test('with the outbox file notifier, the file gets one JSON line holding the code that works', async () => {
    const { db } = database();
    const dir = mkdtempSync(join(tmpdir(), 'urbis-otp-outbox-'));
    try {
      const path = join(dir, 'outbox.jsonl');
      const otp = createCitizenOtp({ db, notifier: createOutboxFileNotifier({ path, now }), now });
      const citizenId = await insertTestCitizen(db, { email: EMAIL });
      const { challengeId } = await otp.start({ email: EMAIL });
      const lines = await readOutboxFile({ path });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ sentAt: T0, to: { email: EMAIL }, subject: 'Your Urbis sign-in code' });
      expect(await otp.verify({ challengeId, code: codeIn(lines[0]) })).toBe(citizenId);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('createCitizenOtp options', () => {
  test.each([{ ttlMs: 0 }, { maxAttempts: 0 }, { codeDigits: 4 }, { codeDigits: 11 }])('refuses %p with CONFIG_INVALID', (options) => {
    expect(() => createCitizenOtp({ db: {} as never, notifier: { send: async () => undefined }, ...options })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
