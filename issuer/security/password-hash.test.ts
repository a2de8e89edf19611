import { checkPasswordPolicy, DEFAULT_PASSWORD_COST, hashPassword, hashPin, verifyPassword, verifyPin, type ScryptCost } from './password-hash.js';

const LOW: ScryptCost = { ln: 10, r: 8, p: 1 };
const FORMAT = /^scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/;

describe('hashPassword / verifyPassword', () => {
  test('self-describing format scrypt$ln=…,r=…,p=…$salt$hash; verifies the right password only', async () => {
    const stored = await hashPassword({ password: 'correct horse battery', cost: LOW });
    expect(stored).toMatch(FORMAT);
    expect(await verifyPassword({ password: 'correct horse battery', stored })).toBe(true);
    expect(await verifyPassword({ password: 'correct horse batterY', stored })).toBe(false);
    expect(await verifyPassword({ password: '', stored })).toBe(false);
  });

  test('a fresh salt per hash', async () => {
    const a = await hashPassword({ password: 'same password here', cost: LOW });
    const b = await hashPassword({ password: 'same password here', cost: LOW });
    expect(a).not.toBe(b);
    expect(await verifyPassword({ password: 'same password here', stored: b })).toBe(true);
  });

  test('NFC-normalises: a composed and a decomposed é verify the same', async () => {
    const stored = await hashPassword({ password: 'caf\u00e9 au lait', cost: LOW });
    expect(await verifyPassword({ password: 'cafe\u0301 au lait', stored })).toBe(true);
  });

  test('the production default (ln=15, r=8, p=1: 32 MiB) works within maxmem', async () => {
    const stored = await hashPassword({ password: 'default cost password' });
    expect(stored.startsWith(`scrypt$ln=${DEFAULT_PASSWORD_COST.ln},r=8,p=1$`)).toBe(true);
    expect(await verifyPassword({ password: 'default cost password', stored })).toBe(true);
  });

  test('each hash verifies with the cost it records, whatever the current default', async () => {
    const stored = await hashPassword({ password: 'another password', cost: { ln: 11, r: 4, p: 2 } });
    expect(stored.startsWith('scrypt$ln=11,r=4,p=2$')).toBe(true);
    expect(await verifyPassword({ password: 'another password', stored })).toBe(true);
  });

  test('a tampered or malformed stored value verifies nothing (false, no throw)', async () => {
    const stored = await hashPassword({ password: 'correct horse battery', cost: LOW });
    const [scheme, params, salt, hash] = stored.split('$') as [string, string, string, string];
    const flip = (text: string): string => (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
    for (const bad of [
      `${scheme}$${params}$${flip(salt)}$${hash}`,
      `${scheme}$${params}$${salt}$${flip(hash)}`,
      `${scheme}$ln=11,r=8,p=1$${salt}$${hash}`,
      `${scheme}$ln=30,r=8,p=1$${salt}$${hash}`, // cost beyond the bounds: refused before any work
      `${scheme}$ln=10,r=8,p=1$${salt}$${hash.slice(0, 10)}`,
      `bcrypt$${params}$${salt}$${hash}`,
      '',
      'scrypt$ln=10,r=8,p=1$$',
    ]) {
      expect(await verifyPassword({ password: 'correct horse battery', stored: bad })).toBe(false);
    }
  });

  test.each([
    [{ ln: 9, r: 8, p: 1 }],
    [{ ln: 21, r: 8, p: 1 }],
    [{ ln: 10, r: 0, p: 1 }],
    [{ ln: 10, r: 8, p: 17 }],
    [{ ln: 10.5, r: 8, p: 1 }],
  ])('refuses cost %p with INVALID_ARGUMENT', async (cost) => {
    await expect(hashPassword({ password: 'whatever password', cost })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  test('refuses a password over 1024 characters (INVALID_ARGUMENT); verify says false', async () => {
    const long = 'x'.repeat(1025);
    await expect(hashPassword({ password: long, cost: LOW })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const stored = await hashPassword({ password: 'x'.repeat(1024), cost: LOW });
    expect(await verifyPassword({ password: long, stored })).toBe(false);
  });
});

describe('checkPasswordPolicy', () => {
  test('accepts 12 characters or more', () => {
    expect(() => checkPasswordPolicy({ password: 'twelve chars' })).not.toThrow();
    expect(() => checkPasswordPolicy({ password: 'ñandú ñandú ñ' })).not.toThrow();
  });

  test.each([
    ['eleven char', 'at least 12'],
    ['', 'at least 12'],
    [' '.repeat(12), 'whitespace'],
    ['x'.repeat(1025), 'at most 1024'],
  ])('refuses %p with INVALID_ARGUMENT, without echoing it', (password, rule) => {
    try {
      checkPasswordPolicy({ password });
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect((error as Error).message).toContain(rule);
      if (password.trim() !== '') expect((error as Error).message).not.toContain(password);
    }
  });

  test('counts characters, not UTF-16 units: 11 emoji are too short', () => {
    expect(() => checkPasswordPolicy({ password: '🔑'.repeat(11) })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('hashPin / verifyPin', () => {
  test('the same scrypt format for PINs', async () => {
    const stored = await hashPin({ pin: '4821', cost: LOW });
    expect(stored).toMatch(FORMAT);
    expect(await verifyPin({ pin: '4821', stored })).toBe(true);
    expect(await verifyPin({ pin: '4822', stored })).toBe(false);
  });
});
