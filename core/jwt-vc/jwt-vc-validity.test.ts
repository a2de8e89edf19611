import { describe, expect, it } from '@jest/globals';
import { checkJwtVcValidity } from './jwt-vc-validity.js';

const T = Date.parse('2026-06-01T00:00:00Z');
const codes = (decoded: { notBefore: number[]; notAfter: number[]; issuedAt?: number }, now = T, skew?: number): string[] =>
  checkJwtVcValidity({ decoded, now: new Date(now), ...(skew === undefined ? {} : { clockSkewSeconds: skew }) }).map((f) => f.code);

describe('checkJwtVcValidity', () => {
  it('valid inside the window, and without any bound', () => {
    expect(codes({ notBefore: [T - 1000], notAfter: [T + 1000] })).toEqual([]);
    expect(codes({ notBefore: [], notAfter: [] })).toEqual([]);
  });
  it('expired at exp (RFC 7519: valid only before), after the 60 s skew', () => {
    expect(codes({ notBefore: [], notAfter: [T - 60_000] })).toEqual(['CREDENTIAL_EXPIRED']);
    expect(codes({ notBefore: [], notAfter: [T - 59_000] })).toEqual([]);
    expect(codes({ notBefore: [], notAfter: [T] }, T, 0)).toEqual(['CREDENTIAL_EXPIRED']);
  });
  it('not yet valid beyond the skew', () => {
    expect(codes({ notBefore: [T + 61_000], notAfter: [] })).toEqual(['CREDENTIAL_NOT_YET_VALID']);
    expect(codes({ notBefore: [T + 60_000], notAfter: [] })).toEqual([]);
  });
  it('the narrowest window wins when nbf/exp and vc dates differ', () => {
    expect(codes({ notBefore: [T - 1000, T + 3_600_000], notAfter: [T + 1000] })).toEqual(['CREDENTIAL_NOT_YET_VALID']);
    expect(codes({ notBefore: [], notAfter: [T + 3_600_000, T - 3_600_000] })).toEqual(['CREDENTIAL_EXPIRED']);
  });
  it('iat in the future', () => {
    expect(codes({ notBefore: [], notAfter: [], issuedAt: T + 120_000 })).toEqual(['IAT_IN_FUTURE']);
  });
});
