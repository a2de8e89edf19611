import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createNodeCrypto } from '../crypto/node-crypto.js';
import { base64urlEncodeString } from '../encoding/base64url.js';
import { UrbisError } from '../errors/urbis-error.js';
import { createDisclosure, decodeDisclosure, disclosureDigest } from './disclosure.js';
import vectors from './fixtures/rfc9901-vectors.json' with { type: 'json' };

const { hash } = createNodeCrypto();

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof UrbisError ? e.code : 'not-an-UrbisError';
  }
  return undefined;
}

describe('disclosures', () => {
  it('RFC 9901 §4.2.3: the digest of the Möbius disclosure', async () => {
    const v = vectors.section_4_2_3_disclosure_digest;
    expect(await disclosureDigest({ encoded: v.disclosure, hash, alg: 'sha-256' })).toBe(v.sha256_digest);
    const decoded = decodeDisclosure(v.disclosure);
    expect([decoded.salt, decoded.name, decoded.value]).toEqual(v.contents);
  });

  it.each(vectors.section_5_1_disclosures.map((d) => ({ label: d.claim ?? 'an array element', d })))(
    'RFC 9901 §5.1: disclosure for $label has its published digest',
    async ({ d }) => {
      expect(await disclosureDigest({ encoded: d.disclosure, hash, alg: 'sha-256' })).toBe(d.digest);
      expect(decodeDisclosure(d.disclosure).name).toBe(d.claim ?? undefined);
    },
  );

  it('round-trips any JSON value, for properties and array elements', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.option(fc.string().filter((n) => n !== '_sd' && n !== '...'), { nil: undefined }), fc.jsonValue(), (salt, name, value) => {
        const created = createDisclosure({ salt, ...(name === undefined ? {} : { name }), value });
        const decoded = decodeDisclosure(created.encoded);
        expect(decoded.salt).toBe(salt);
        expect(decoded.name).toBe(name);
        expect(decoded.value).toEqual(JSON.parse(JSON.stringify(value))); // JSON has no -0
      }),
    );
  });

  it.each([
    ['not base64url', '***', 'DISCLOSURE_MALFORMED'],
    ['not JSON', base64urlEncodeString('[salt'), 'DISCLOSURE_MALFORMED'],
    ['not an array', base64urlEncodeString('{"a":1}'), 'DISCLOSURE_MALFORMED'],
    ['a numeric salt', base64urlEncodeString('[1,"a","b"]'), 'DISCLOSURE_MALFORMED'],
    ['a numeric name', base64urlEncodeString('["s",1,"b"]'), 'DISCLOSURE_MALFORMED'],
    ['one element', base64urlEncodeString('["s"]'), 'DISCLOSURE_ARITY'],
    ['four elements', base64urlEncodeString('["s","a","b","c"]'), 'DISCLOSURE_ARITY'],
    ['the name _sd', base64urlEncodeString('["s","_sd","b"]'), 'CLAIM_NAME_FORBIDDEN'],
    ['the name ...', base64urlEncodeString('["s","...","b"]'), 'CLAIM_NAME_FORBIDDEN'],
  ])('refuses %s', (_label, encoded, code) => {
    expect(codeOf(() => decodeDisclosure(encoded))).toBe(code);
  });

  it('refuses to create a disclosure named _sd or ...', () => {
    expect(codeOf(() => createDisclosure({ salt: 's', name: '_sd', value: 1 }))).toBe('CLAIM_NAME_FORBIDDEN');
    expect(codeOf(() => createDisclosure({ salt: 's', name: '...', value: 1 }))).toBe('CLAIM_NAME_FORBIDDEN');
  });
});
