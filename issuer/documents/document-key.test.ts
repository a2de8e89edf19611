import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { isUrbisError } from '../../core/errors/urbis-error.js';
import { parseDocumentKey } from './document-key.js';

// A key whose base64 uses both '+' and '/' (and base64url both '-' and '_').
const KEY = new Uint8Array(Buffer.from('fbff' + '00'.repeat(28) + 'fbff', 'hex'));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isUrbisError(e) ? e.code : 'NOT_URBIS';
  }
  return undefined;
}

describe('parseDocumentKey', () => {
  it('reads 64 hex digits, either case', () => {
    const hex = Buffer.from(KEY).toString('hex');
    expect(parseDocumentKey(hex)).toEqual(KEY);
    expect(parseDocumentKey(hex.toUpperCase())).toEqual(KEY);
  });

  it('reads standard base64, padded or not', () => {
    const b64 = Buffer.from(KEY).toString('base64');
    expect(b64).toMatch(/[+/]/);
    expect(b64.endsWith('=')).toBe(true);
    expect(parseDocumentKey(b64)).toEqual(KEY);
    expect(parseDocumentKey(b64.slice(0, -1))).toEqual(KEY);
  });

  it('reads base64url, padded or not', () => {
    const b64url = Buffer.from(KEY).toString('base64url');
    expect(b64url).toMatch(/[-_]/);
    expect(parseDocumentKey(b64url)).toEqual(KEY);
    expect(parseDocumentKey(`${b64url}=`)).toEqual(KEY);
  });

  it('ignores surrounding whitespace such as a trailing newline', () => {
    expect(parseDocumentKey(`  ${Buffer.from(KEY).toString('base64url')}\n`)).toEqual(KEY);
  });

  it('round-trips random keys in all three spellings', () => {
    for (let i = 0; i < 50; i++) {
      const key = new Uint8Array(randomBytes(32));
      for (const encoding of ['hex', 'base64', 'base64url'] as const) {
        expect(parseDocumentKey(Buffer.from(key).toString(encoding))).toEqual(key);
      }
    }
  });

  it.each([
    ['empty', ''],
    ['whitespace', '   '],
    ['a passphrase', 'correct horse battery staple'],
    ['31 bytes as hex', '00'.repeat(30) + 'ff'],
    ['33 bytes as hex', 'ab'.repeat(33)],
    ['63 hex digits', 'a'.repeat(63)],
    ['16 bytes as base64', Buffer.alloc(16, 7).toString('base64')],
    ['48 bytes as base64', Buffer.alloc(48, 7).toString('base64')],
    ['mixed base64 alphabets', `+_${'A'.repeat(40)}E`],
    ['non-canonical base64 (padding bits set)', `${'A'.repeat(42)}B`],
    ['inner whitespace', `${'A'.repeat(20)} ${'A'.repeat(22)}E`],
    ['two padding characters', `${'A'.repeat(42)}E==`],
    ['all zeros (a placeholder)', '0'.repeat(64)],
  ])('refuses %s with CONFIG_INVALID', (_name, text) => {
    expect(codeOf(() => parseDocumentKey(text))).toBe('CONFIG_INVALID');
  });

  it('refuses a non-string with CONFIG_INVALID', () => {
    expect(codeOf(() => parseDocumentKey(undefined as unknown as string))).toBe('CONFIG_INVALID');
  });

  it('never echoes the configured text in its message', () => {
    const text = 'hunter2-hunter2-hunter2';
    try {
      parseDocumentKey(text);
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
      return;
    }
    throw new Error('expected CONFIG_INVALID');
  });
});
