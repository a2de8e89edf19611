import { randomBytes } from 'node:crypto';
import { open, parseKey32, seal } from './sealed-box.js';

const key = new Uint8Array(randomBytes(32));
const otherKey = new Uint8Array(randomBytes(32));
const CANNOT_OPEN = { code: 'INVALID_ARGUMENT', message: 'sealed value cannot be opened' };

function flipChar(text: string, index: number): string {
  const c = text[index] === 'A' ? 'B' : 'A';
  return text.slice(0, index) + c + text.slice(index + 1);
}

describe('seal / open', () => {
  test('round-trips text (empty and non-ASCII included) as v1.<iv>.<ciphertext>.<tag>', () => {
    for (const plaintext of ['{"kty":"EC","d":"secret"}', '', 'ñ€😀']) {
      const sealed = seal({ key, plaintext });
      expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{22}$/);
      expect(open({ key, sealed })).toBe(plaintext);
    }
  });

  test('a fresh IV each time', () => {
    expect(seal({ key, plaintext: 'same' })).not.toBe(seal({ key, plaintext: 'same' }));
  });

  test('the wrong key cannot open it', () => {
    const sealed = seal({ key, plaintext: 'secret' });
    expect(() => open({ key: otherKey, sealed })).toThrow(expect.objectContaining(CANNOT_OPEN));
  });

  test('aad binds the value to its context: another or missing aad cannot open it', () => {
    const sealed = seal({ key, plaintext: 'secret', aad: 'kid-1' });
    expect(open({ key, sealed, aad: 'kid-1' })).toBe('secret');
    expect(() => open({ key, sealed, aad: 'kid-2' })).toThrow(expect.objectContaining(CANNOT_OPEN));
    expect(() => open({ key, sealed })).toThrow(expect.objectContaining(CANNOT_OPEN));
    expect(() => open({ key, sealed: seal({ key, plaintext: 'secret' }), aad: 'kid-1' })).toThrow(expect.objectContaining(CANNOT_OPEN));
  });

  test('any tampered part, a truncation, another version or garbage: the same error', () => {
    const sealed = seal({ key, plaintext: 'a longer secret value' });
    const [version, iv, ciphertext, tag] = sealed.split('.') as [string, string, string, string];
    const variants = [
      [version, flipChar(iv, 0), ciphertext, tag],
      [version, iv, flipChar(ciphertext, 3), tag],
      [version, iv, flipChar(ciphertext, ciphertext.length - 1), tag],
      [version, iv, ciphertext, flipChar(tag, 5)],
      [version, iv, ciphertext.slice(0, -2), tag],
      [version, iv, ciphertext, tag.slice(0, -1)],
      ['v2', iv, ciphertext, tag],
      [version, iv, ciphertext],
      [version, iv, `${ciphertext}+`, tag],
    ].map((parts) => parts.join('.'));
    for (const bad of [...variants, '', 'not sealed', `${sealed}.`]) {
      expect(() => open({ key, sealed: bad })).toThrow(expect.objectContaining(CANNOT_OPEN));
    }
  });

  test('a key that is not 32 bytes is CONFIG_INVALID', () => {
    expect(() => seal({ key: new Uint8Array(16), plaintext: 'x' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => open({ key: new Uint8Array(31), sealed: 'v1.a.b.c' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

describe('parseKey32', () => {
  const bytes = Buffer.from(randomBytes(32));

  test('accepts hex, base64 and base64url (padding optional, whitespace trimmed)', () => {
    for (const text of [bytes.toString('hex'), bytes.toString('hex').toUpperCase(), bytes.toString('base64'), bytes.toString('base64url'), `${bytes.toString('base64url')}=`, ` ${bytes.toString('base64')}\n`]) {
      expect(Buffer.from(parseKey32(text, 'URBIS_MASTER_KEY')).equals(bytes)).toBe(true);
    }
  });

  test.each([
    ['empty', ''],
    ['too short', Buffer.alloc(16, 1).toString('base64')],
    ['too long', Buffer.alloc(33, 1).toString('hex')],
    ['non-canonical base64', `${Buffer.alloc(32, 1).toString('base64url').slice(0, 42)}B`],
    ['all zeros', Buffer.alloc(32).toString('hex')],
    ['not an encoding', 'correct horse battery staple correct horse'],
  ])('refuses %s with CONFIG_INVALID naming the setting, never the value', (_label, text) => {
    try {
      parseKey32(text, 'URBIS_MASTER_KEY');
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
      expect((error as Error).message).toContain('URBIS_MASTER_KEY');
      if (text !== '') expect((error as Error).message).not.toContain(text);
    }
  });
});
