import { describe, expect, it } from '@jest/globals';
import { createNodeCrypto } from '../crypto/node-crypto.js';
import { base64urlEncode } from '../encoding/base64url.js';
import { createDisclosure, type Disclosure } from './disclosure.js';
import { processSdJwtPayload, type DigestedDisclosure } from './process-payload.js';

const crypto = createNodeCrypto();
const digested = (disclosure: Disclosure): DigestedDisclosure => ({ disclosure, digest: base64urlEncode(crypto.hash(disclosure.encoded, 'sha-256')) });
const prop = (name: string, value: unknown): DigestedDisclosure => digested(createDisclosure({ salt: `salt-${name}-${JSON.stringify(value)}`, name, value }));
const element = (value: unknown): DigestedDisclosure => digested(createDisclosure({ salt: `salt-el-${JSON.stringify(value)}`, value }));
const codes = (r: ReturnType<typeof processSdJwtPayload>): string[] => r.problems.map((p) => p.code);

describe('processSdJwtPayload (RFC 9901 §7.1)', () => {
  it('§7.1 step 3: replaces _sd digests and array placeholders; drops undisclosed and decoys; removes _sd and _sd_alg', () => {
    const name = prop('given_name', 'Aurora');
    const es = element('ES');
    const r = processSdJwtPayload({
      payload: { _sd_alg: 'sha-256', _sd: [name.digest, 'decoy-digest'], iss: 'x', nationalities: [{ '...': es.digest }, { '...': 'undisclosed' }, 'PT'] },
      disclosures: [name, es],
    });
    expect(r.problems).toEqual([]);
    expect(r.claims).toEqual({ iss: 'x', given_name: 'Aurora', nationalities: ['ES', 'PT'] });
    expect([...r.pathByDigest.values()]).toEqual([['nationalities', 0], ['given_name']]);
  });

  it('§6.3: recursive disclosures (a disclosed object whose parts are disclosable)', () => {
    const locality = prop('locality', 'Gijón');
    const address = prop('address', { _sd: [locality.digest], country: 'ES' });
    const r = processSdJwtPayload({ payload: { _sd: [address.digest] }, disclosures: [locality, address] });
    expect(r.problems).toEqual([]);
    expect(r.claims).toEqual({ address: { locality: 'Gijón', country: 'ES' } });
    expect(r.pathByDigest.get(locality.digest)).toEqual(['address', 'locality']);
  });

  it('§7.1 step 4: a digest referenced twice → DIGEST_DUPLICATE (also across levels and arrays)', () => {
    const d = prop('a', 1);
    expect(codes(processSdJwtPayload({ payload: { _sd: [d.digest, d.digest] }, disclosures: [d] }))).toEqual(['DIGEST_DUPLICATE']);
    expect(codes(processSdJwtPayload({ payload: { _sd: [d.digest], o: { _sd: [d.digest] } }, disclosures: [d] }))).toContain('DIGEST_DUPLICATE');
    const e = element(1);
    expect(codes(processSdJwtPayload({ payload: { l: [{ '...': e.digest }, { '...': e.digest }] }, disclosures: [e] }))).toEqual(['DIGEST_DUPLICATE']);
  });

  it('§7.1 step 5: an unreferenced disclosure → DISCLOSURE_UNREFERENCED, listed', () => {
    const d = prop('a', 1);
    const ghost = prop('b', 2);
    const r = processSdJwtPayload({ payload: { _sd: [d.digest] }, disclosures: [d, ghost] });
    expect(codes(r)).toEqual(['DISCLOSURE_UNREFERENCED']);
    expect(r.unreferenced).toEqual([ghost]);
  });

  it('the same disclosure twice → DISCLOSURE_DUPLICATE', () => {
    const d = prop('a', 1);
    expect(codes(processSdJwtPayload({ payload: { _sd: [d.digest] }, disclosures: [d, d] }))).toEqual(['DISCLOSURE_DUPLICATE']);
  });

  it('§7.1 step 3c: an array-element disclosure in _sd, or a property disclosure in an array → DISCLOSURE_ARITY', () => {
    const e = element(1);
    const p = prop('a', 1);
    expect(codes(processSdJwtPayload({ payload: { _sd: [e.digest] }, disclosures: [e] }))).toEqual(['DISCLOSURE_ARITY']);
    expect(codes(processSdJwtPayload({ payload: { l: [{ '...': p.digest }] }, disclosures: [p] }))).toEqual(['DISCLOSURE_ARITY']);
  });

  it('§7.1 step 3c: a disclosed name already at its level → CLAIM_NAME_COLLISION', () => {
    const p = prop('a', 1);
    const q = digested(createDisclosure({ salt: 'other', name: 'a', value: 2 }));
    expect(codes(processSdJwtPayload({ payload: { a: 0, _sd: [p.digest] }, disclosures: [p] }))).toEqual(['CLAIM_NAME_COLLISION']);
    expect(codes(processSdJwtPayload({ payload: { _sd: [p.digest, q.digest] }, disclosures: [p, q] }))).toEqual(['CLAIM_NAME_COLLISION']);
  });

  it('non-string _sd entries, a non-array _sd and a non-string "..." → SD_DIGEST_NOT_STRING', () => {
    expect(codes(processSdJwtPayload({ payload: { _sd: [1] }, disclosures: [] }))).toEqual(['SD_DIGEST_NOT_STRING']);
    expect(codes(processSdJwtPayload({ payload: { _sd: 'abc' }, disclosures: [] }))).toEqual(['SD_DIGEST_NOT_STRING']);
    expect(codes(processSdJwtPayload({ payload: { l: [{ '...': 5 }] }, disclosures: [] }))).toEqual(['SD_DIGEST_NOT_STRING']);
  });

  it('_sd_alg below the top level, in the payload or inside a disclosure → SD_ALG_NESTED', () => {
    expect(codes(processSdJwtPayload({ payload: { o: { _sd_alg: 'sha-256' } }, disclosures: [] }))).toEqual(['SD_ALG_NESTED']);
    const p = prop('o', { _sd_alg: 'sha-256' });
    expect(codes(processSdJwtPayload({ payload: { _sd: [p.digest] }, disclosures: [p] }))).toEqual(['SD_ALG_NESTED']);
  });

  it('an object with "..." among other keys is an ordinary object, not a placeholder', () => {
    const r = processSdJwtPayload({ payload: { l: [{ '...': 'x', other: 1 }] }, disclosures: [] });
    expect(r.claims).toEqual({ l: [{ '...': 'x', other: 1 }] });
  });

  it('a disclosed "__proto__" claim stays an own property and pollutes no prototype', () => {
    const p = prop('__proto__', { polluted: true });
    const r = processSdJwtPayload({ payload: { _sd: [p.digest] }, disclosures: [p] });
    expect(Object.prototype.hasOwnProperty.call(r.claims, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(r.claims)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
