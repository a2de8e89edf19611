import { describe, expect, it } from '@jest/globals';
import { base64urlEncode, base64urlEncodeString } from '../encoding/base64url.js';
import { decodeJwtVc } from './jwt-vc-decoder.js';
import { MAX_JWT_VC_BYTES, VCDM_1_1_CONTEXT, VCDM_2_0_CONTEXT } from './jwt-vc-port.js';

const ISSUER = 'did:key:zDnaeUKTWUXc1HDpGfKbEK31nKLN19yX5aunFd7VK1CUMeyJu';
const SIG = base64urlEncode(new Uint8Array(64).fill(7));
const enc = (value: unknown): string => base64urlEncodeString(JSON.stringify(value));

const payload2 = {
  iss: ISSUER,
  sub: 'did:jwk:holder',
  nbf: 1767225600,
  exp: 1798761600,
  vc: {
    '@context': [VCDM_2_0_CONTEXT],
    type: ['VerifiableCredential', 'ResidentCredential'],
    credentialSubject: { municipality: 'Lyon' },
    validFrom: '2026-01-01T00:00:00Z',
    validUntil: '2027-01-01T00:00:00Z',
  },
};
const payload1 = {
  iss: ISSUER,
  nbf: 1767225600,
  vc: { '@context': [VCDM_1_1_CONTEXT], type: ['VerifiableCredential'], credentialSubject: { municipality: 'Lyon' } },
};

function jwtOf({ header = { alg: 'ES256', typ: 'JWT' }, payload = payload2 as unknown, sig = SIG } = {}): string {
  return `${enc(header)}.${enc(payload)}.${sig}`;
}

function codesOf(jwt: string): string[] {
  const decoding = decodeJwtVc({ jwt });
  return decoding.ok ? [] : decoding.failures.map((f) => f.code);
}

describe('decodeJwtVc', () => {
  it('decodes a VCDM 2.0 JWT VC', () => {
    const decoding = decodeJwtVc({ jwt: jwtOf() });
    expect(decoding.ok).toBe(true);
    if (!decoding.ok) return;
    expect(decoding.decoded).toMatchObject({
      vcdmVersion: '2.0',
      issuer: ISSUER,
      type: ['VerifiableCredential', 'ResidentCredential'],
      claims: { municipality: 'Lyon' },
      subjectId: 'did:jwk:holder',
      notBefore: [1767225600000, 1767225600000],
      notAfter: [1798761600000, 1798761600000],
    });
  });

  it('decodes a VCDM 1.1 JWT VC (string @context and type accepted)', () => {
    const decoding = decodeJwtVc({
      jwt: jwtOf({ payload: { ...payload1, vc: { ...payload1.vc, '@context': VCDM_1_1_CONTEXT, type: 'VerifiableCredential' } } }),
    });
    expect(decoding.ok && decoding.decoded.vcdmVersion).toBe('1.1');
  });

  describe('input bound (DESIGN §4: 64 KiB, before parsing)', () => {
    it('refuses a string above 64 KiB even when it is not a JWT', () => {
      expect(codesOf('x'.repeat(MAX_JWT_VC_BYTES + 1))).toEqual(['INPUT_TOO_LARGE']);
    });
    it('counts UTF-8 bytes, not UTF-16 units', () => {
      expect(codesOf('é'.repeat(MAX_JWT_VC_BYTES / 2 + 1))).toEqual(['INPUT_TOO_LARGE']);
    });
    it('parses (and rejects otherwise) a string of exactly 64 KiB', () => {
      expect(codesOf('x'.repeat(MAX_JWT_VC_BYTES))).toEqual(['JWT_VC_INVALID']);
    });
  });

  it.each([
    ['two parts', `${enc({ alg: 'ES256' })}.${enc(payload2)}`],
    ['four parts', `${jwtOf()}.x`],
    ['header not base64url', `*.${enc(payload2)}.${SIG}`],
    ['header not JSON', `${base64urlEncodeString('{')}.${enc(payload2)}.${SIG}`],
    ['header an array', jwtOf({ header: [] as unknown as { alg: string; typ: string } })],
    ['no alg', jwtOf({ header: { typ: 'JWT' } as unknown as { alg: string; typ: string } })],
    ['payload not JSON', `${enc({ alg: 'ES256' })}.${base64urlEncodeString('[1')}.${SIG}`],
    ['signature not 64 bytes', jwtOf({ sig: base64urlEncode(new Uint8Array(63)) })],
    ['signature not base64url', jwtOf({ sig: 'a+b' })],
    ['truncated', jwtOf().slice(0, -10)],
  ])('malformed JWT: %s → JWT_VC_INVALID', (_name, jwt) => {
    expect(codesOf(jwt)).toEqual(['JWT_VC_INVALID']);
  });

  it.each([
    [{ alg: 'none' }, 'ALG_NONE'],
    [{ alg: 'NONE' }, 'ALG_NONE'],
    [{ alg: 'HS256' }, 'ALG_HMAC'],
    [{ alg: 'ES256K' }, 'ALG_NOT_ALLOWED'],
    [{ alg: 'EdDSA' }, 'ALG_NOT_ALLOWED'],
    [{ alg: 'RS256' }, 'ALG_NOT_ALLOWED'],
    [{ alg: 'ES256', jwk: { kty: 'EC' } }, 'HEADER_EMBEDDED_KEY'],
    [{ alg: 'ES256', x5c: [] }, 'HEADER_EMBEDDED_KEY'],
    [{ alg: 'ES256', jku: 'https://x' }, 'HEADER_EMBEDDED_KEY'],
    [{ alg: 'ES256', crit: ['b64'] }, 'HEADER_CRIT_UNSUPPORTED'],
    [{ alg: 'ES256', typ: 'vc+sd-jwt' }, 'TYP_INVALID'],
  ])('header %j → %s', (header, code) => {
    expect(codesOf(jwtOf({ header: header as { alg: string; typ: string } }))).toEqual([code]);
  });

  it('alg none with an empty signature → ALG_NONE (not a format error)', () => {
    expect(codesOf(`${enc({ alg: 'none', typ: 'JWT' })}.${enc(payload2)}.`)).toEqual(['ALG_NONE']);
  });

  it('accepts a header without typ and with a kid', () => {
    expect(codesOf(jwtOf({ header: { alg: 'ES256', kid: `${ISSUER}#k` } as unknown as { alg: string; typ: string } }))).toEqual([]);
  });

  const vc = payload2.vc;
  it.each([
    ['no vc', { ...payload2, vc: undefined }],
    ['no iss', { ...payload2, iss: undefined }],
    ['unknown base context', { ...payload2, vc: { ...vc, '@context': ['https://example.org/ctx'] } }],
    ['2.0 context not first', { ...payload2, vc: { ...vc, '@context': ['https://example.org/ctx', VCDM_2_0_CONTEXT] } }],
    ['type without VerifiableCredential', { ...payload2, vc: { ...vc, type: ['ResidentCredential'] } }],
    ['credentialSubject array', { ...payload2, vc: { ...vc, credentialSubject: [{ a: 1 }] } }],
    ['empty credentialSubject and no sub', { ...payload2, sub: undefined, vc: { ...vc, credentialSubject: {} } }],
    ['credentialSubject.id differs from sub', { ...payload2, vc: { ...vc, credentialSubject: { id: 'did:x:other', a: 1 } } }],
    ['vc.issuer differs from iss', { ...payload2, vc: { ...vc, issuer: 'did:key:zDnOther' } }],
    ['vc.id differs from jti', { ...payload2, jti: 'urn:a', vc: { ...vc, id: 'urn:b' } }],
    ['nbf a string', { ...payload2, nbf: '1767225600' }],
    ['exp not finite', { ...payload2, exp: null }],
    ['iat a string', { ...payload2, iat: 'now' }],
    ['validFrom not a dateTime', { ...payload2, vc: { ...vc, validFrom: '2026-01-01' } }],
    ['VCDM 1.1 without issuanceDate or nbf', { ...payload1, nbf: undefined }],
    ['status entry without type', { ...payload2, vc: { ...vc, credentialStatus: { id: 'x' } } }],
  ])('schema: %s → JWT_VC_INVALID', (_name, payload) => {
    const decoding = decodeJwtVc({ jwt: jwtOf({ payload }) });
    expect(decoding.ok).toBe(false);
    if (decoding.ok) return;
    expect(decoding.failures).toEqual([{ check: 'schema', code: 'JWT_VC_INVALID', detail: expect.any(String) }]);
  });

  it('never echoes claim values in failure details', () => {
    const secret = 'Dupont-1968-05-12';
    const decoding = decodeJwtVc({ jwt: jwtOf({ payload: { ...payload2, vc: { ...vc, credentialSubject: [secret] } } }) });
    expect(JSON.stringify(decoding)).not.toContain(secret);
  });
});
