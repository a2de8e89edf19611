import { describe, expect, it } from '@jest/globals';
import { UrbisError } from '../errors/urbis-error.js';
import { base64urlDecode, base64urlDecodeString, base64urlEncode, base64urlEncodeString } from './base64url.js';

describe('base64url', () => {
  it('round-trips bytes of every length 0..64', () => {
    for (let n = 0; n <= 64; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      expect(base64urlDecode(base64urlEncode(bytes))).toEqual(bytes);
    }
  });

  it('encodes UTF-8 text (RFC 9901 §4.2.1 disclosure example)', () => {
    expect(base64urlEncodeString('["_26bc4LT-ac6q2KI6cBW5es", "family_name", "Möbius"]')).toBe(
      'WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0',
    );
  });

  it.each([
    ['padding', 'YQ=='],
    ['standard alphabet +', 'a+b'],
    ['standard alphabet /', 'a/bc'],
    ['whitespace', 'YW Jj'],
    ['impossible length', 'YWJjZ'],
    ['non-canonical trailing bits', 'YR'],
  ])('rejects %s with BASE64URL_INVALID', (_label, text) => {
    expect(() => base64urlDecode(text)).toThrow(UrbisError);
    try {
      base64urlDecode(text);
    } catch (e) {
      expect((e as UrbisError).code).toBe('BASE64URL_INVALID');
    }
  });

  it('rejects invalid UTF-8 when a string is expected', () => {
    expect(() => base64urlDecodeString(base64urlEncode(Uint8Array.of(0xc3, 0x28)))).toThrow(
      expect.objectContaining({ code: 'BASE64URL_INVALID' }),
    );
  });
});
