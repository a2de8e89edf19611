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

describe('base64url strict decoding agrees with the alphabet rule (property)', () => {
  const STRICT = /^[A-Za-z0-9_-]*$/;
  it('accepts exactly the canonical strings; decodes them like Buffer does', async () => {
    const fc = (await import('fast-check')).default;
    const chars = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/= .!~\n\u00e9'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 24 }).map((a) => a.join('')), (text) => {
        let ok = true;
        let decoded: Uint8Array | undefined;
        try {
          decoded = base64urlDecode(text);
        } catch {
          ok = false;
        }
        const canonical = STRICT.test(text) && text.length % 4 !== 1 && base64urlEncode(Buffer.from(text, 'base64url')) === text;
        expect(ok).toBe(canonical);
        if (ok) expect(Buffer.from(decoded!).toString('base64url')).toBe(text);
      }),
      { numRuns: 5000 },
    );
  });
});
