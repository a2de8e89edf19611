import { describe, expect, it } from '@jest/globals';
import { createNodeCrypto } from '../crypto/node-crypto.js';
import { base64urlEncodeString } from '../encoding/base64url.js';
import type { UrbisError } from '../errors/urbis-error.js';
import { checkJoseHeader, decodeCompactJws, signCompactJws } from './compact-jws.js';

const crypto = createNodeCrypto();

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as UrbisError).code;
  }
  return undefined;
}

describe('compact JWS', () => {
  it('signs and decodes; the signature verifies over the signing input', async () => {
    const { privateJwk, publicJwk } = crypto.generateKeyPair();
    const signingKey = crypto.signingKeyFromJwk({ privateJwk, kid: 'k-1' });
    const jws = await signCompactJws({ header: { typ: 'kb+jwt' }, payload: { a: 1 }, signingKey });
    const decoded = decodeCompactJws(jws);
    expect(decoded.header).toEqual({ alg: 'ES256', typ: 'kb+jwt', kid: 'k-1' });
    expect(decoded.payload).toEqual({ a: 1 });
    expect(crypto.verifySignature({ alg: 'ES256', publicJwk, signingInput: decoded.signingInput, signature: decoded.signature })).toBe(true);
  });

  it('decodes an unsecured JWT (empty signature) for the checks to judge', () => {
    const unsecured = decodeCompactJws(`${base64urlEncodeString('{"alg":"none"}')}.${base64urlEncodeString('{"a":1}')}.`);
    expect(unsecured.signature).toHaveLength(0);
    expect(checkJoseHeader({ header: unsecured.header, allowedAlgs: ['ES256'], expectedTyp: ['x'] }).map((p) => p.code)).toContain('ALG_NONE');
  });

  const h = base64urlEncodeString('{"alg":"ES256"}');
  const p = base64urlEncodeString('{"a":1}');
  it.each([
    ['one part', 'abc', 'JWS_MALFORMED'],
    ['two parts', `${h}.${p}`, 'JWS_MALFORMED'],
    ['four parts', `${h}.${p}.c2ln.c2ln`, 'JWS_MALFORMED'],
    ['an empty payload', `${h}..c2ln`, 'JWS_MALFORMED'],
    ['a header that is an array', `${base64urlEncodeString('[1]')}.${p}.c2ln`, 'JWS_MALFORMED'],
    ['a payload that is not JSON', `${h}.${base64urlEncodeString('{a')}.c2ln`, 'JWS_MALFORMED'],
    ['a signature that is not base64url', `${h}.${p}.c2l+`, 'JWS_MALFORMED'],
  ])('refuses %s', (_label, compact, code) => {
    expect(codeOf(() => decodeCompactJws(compact))).toBe(code);
  });

  describe('checkJoseHeader (RFC 8725)', () => {
    const check = (header: Record<string, unknown>): string[] =>
      checkJoseHeader({ header, allowedAlgs: ['ES256'], expectedTyp: ['dc+sd-jwt'] }).map((p) => p.code);
    it('accepts an allowed alg and typ', () => expect(check({ alg: 'ES256', typ: 'dc+sd-jwt', kid: 'k' })).toEqual([]));
    it('accepts a missing typ only when told to', () => {
      expect(checkJoseHeader({ header: { alg: 'ES256' }, allowedAlgs: ['ES256'], expectedTyp: ['JWT'], typOptional: true })).toEqual([]);
      expect(checkJoseHeader({ header: { alg: 'ES256', typ: 'x' }, allowedAlgs: ['ES256'], expectedTyp: ['JWT'], typOptional: true }).map((p) => p.code)).toEqual(['TYP_INVALID']);
    });
    it.each([
      [{ alg: 'none', typ: 'dc+sd-jwt' }, ['ALG_NONE']],
      [{ alg: 'NONE', typ: 'dc+sd-jwt' }, ['ALG_NONE']],
      [{ typ: 'dc+sd-jwt' }, ['ALG_NONE']],
      [{ alg: 'HS256', typ: 'dc+sd-jwt' }, ['ALG_HMAC']],
      [{ alg: 'hs512', typ: 'dc+sd-jwt' }, ['ALG_HMAC']],
      [{ alg: 'RS256', typ: 'dc+sd-jwt' }, ['ALG_NOT_ALLOWED']],
      [{ alg: 'ES256K', typ: 'dc+sd-jwt' }, ['ALG_NOT_ALLOWED']],
      [{ alg: 'ES256', typ: 'dc+sd-jwt', jwk: {} }, ['HEADER_EMBEDDED_KEY']],
      [{ alg: 'ES256', typ: 'dc+sd-jwt', jku: 'https://x' }, ['HEADER_EMBEDDED_KEY']],
      [{ alg: 'ES256', typ: 'dc+sd-jwt', x5c: [] }, ['HEADER_EMBEDDED_KEY']],
      [{ alg: 'ES256', typ: 'dc+sd-jwt', x5u: 'https://x' }, ['HEADER_EMBEDDED_KEY']],
      [{ alg: 'ES256', typ: 'dc+sd-jwt', x5t: 'abc' }, ['HEADER_EMBEDDED_KEY']],
      [{ alg: 'ES256', typ: 'dc+sd-jwt', 'x5t#S256': 'abc' }, ['HEADER_EMBEDDED_KEY']],
      [{ alg: 'ES256', typ: 'dc+sd-jwt', crit: ['b64'] }, ['HEADER_CRIT_UNSUPPORTED']],
      [{ alg: 'ES256', typ: 'JWT' }, ['TYP_INVALID']],
      [{ alg: 'ES256' }, ['TYP_INVALID']],
      [{ alg: 'none', jwk: {}, typ: 'x' }, ['ALG_NONE', 'HEADER_EMBEDDED_KEY', 'TYP_INVALID']],
    ])('%j → %j', (header, codes) => expect(check(header)).toEqual(codes));
  });
});
