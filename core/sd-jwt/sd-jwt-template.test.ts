import { describe, expect, it } from '@jest/globals';
import { SDJwtInstance } from '@sd-jwt/core';
import { digest } from '@sd-jwt/crypto-nodejs';
import fc from 'fast-check';
import { createNodeCrypto } from '../crypto/node-crypto.js';
import { base64urlEncode } from '../encoding/base64url.js';
import { decodeCompactJws } from '../jose/compact-jws.js';
import { decodeDisclosure } from './disclosure.js';
import { issueSdJwt } from './issue-sd-jwt.js';
import type { DisclosureFrame } from './pack-claims.js';
import { processSdJwtPayload } from './process-payload.js';
import { compileSdJwtTemplate } from './sd-jwt-template.js';

const crypto = createNodeCrypto();
const keyPair = crypto.generateKeyPair();
const signingKey = crypto.signingKeyFromJwk({ privateJwk: keyPair.privateJwk, kid: 'k-1' });

/** Decodes an SD-JWT and processes it with every disclosure: the claims it carries. */
function claimsOf(sdJwt: string): { claims: Record<string, unknown>; problems: string[]; header: Record<string, unknown>; digests: number } {
  const [jwt, ...rest] = sdJwt.split('~');
  const disclosures = rest.filter((d) => d !== '');
  const { header, payload } = decodeCompactJws(jwt!);
  const processed = processSdJwtPayload({
    payload,
    disclosures: disclosures.map((d) => ({ disclosure: decodeDisclosure(d), digest: crypto.hashBase64url(d, 'sha-256') })),
  });
  const count = (v: unknown): number =>
    Array.isArray(v) ? v.reduce((n: number, x) => n + count(x), 0) : typeof v === 'object' && v !== null ? Object.entries(v).reduce((n, [k, x]) => n + (k === '_sd' ? (x as unknown[]).length : count(x)), 0) : 0;
  return { claims: processed.claims, problems: processed.problems.map((p) => p.code), header, digests: count(payload) + disclosures.reduce((n, d) => n + count(decodeDisclosure(d).value), 0) };
}

const shared = {
  iss: 'did:web:gijon.urbis.example',
  iat: 1_790_000_000,
  vct: 'urn:urbis:vct:resident:1',
  given_name: 'Aurora',
  family_name: 'Ejemplo Prueba',
  age_over_18: true,
  address: { street_address: 'Calle Ficticia 12', locality: 'Gijón', country: 'ES' },
  nested: { inner: { deep: 1, keep: 'x' } },
};
const frame: DisclosureFrame = {
  _sd: ['given_name', 'family_name', 'age_over_18', 'address'],
  address: { _sd: ['street_address', 'locality'] },
  nested: { inner: { _sd: ['deep'] } },
};
const perCopy = { cnf: { jwk: keyPair.publicJwk }, status: { status_list: { idx: 7, uri: 'https://x/1' } } };

describe('compileSdJwtTemplate', () => {
  it('issues what issueSdJwt issues for the same payload and frame (same claims once processed, same header)', async () => {
    const template = compileSdJwtTemplate({ shared, frame, header: { typ: 'dc+sd-jwt' }, decoys: { min: 2, max: 2 } });
    const fromTemplate = claimsOf(await template.issue({ perCopy, signingKey, ...crypto }));
    const reference = claimsOf(await issueSdJwt({ payload: { ...shared, ...perCopy }, frame, header: { typ: 'dc+sd-jwt' }, signingKey, ...crypto }));
    expect(fromTemplate.problems).toEqual([]);
    expect(fromTemplate.claims).toEqual(reference.claims);
    expect(fromTemplate.claims).toEqual(JSON.parse(JSON.stringify({ ...shared, ...perCopy })));
    expect(fromTemplate.header).toEqual(reference.header);
  });

  it('sd-jwt-js verifies template output and recovers every claim (reference implementation)', async () => {
    const template = compileSdJwtTemplate({ shared, frame, header: { typ: 'dc+sd-jwt' }, decoys: { min: 1, max: 3 } });
    const sdJwt = await template.issue({ perCopy, signingKey, ...crypto });
    const library = new SDJwtInstance({
      hasher: digest,
      verifier: (data, sig) => crypto.verifySignature({ alg: 'ES256', publicJwk: keyPair.publicJwk, signingInput: data, signature: Buffer.from(sig, 'base64url') }),
    });
    const { payload } = await library.verify(sdJwt);
    expect(payload).toEqual(JSON.parse(JSON.stringify({ ...shared, ...perCopy })));
  });

  it('gives every copy fresh 144-bit salts, and decoy counts within bounds', async () => {
    const template = compileSdJwtTemplate({ shared, frame, header: { typ: 'dc+sd-jwt' }, decoys: { min: 1, max: 3 } });
    const salts = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const sdJwt = await template.issue({ perCopy, signingKey, ...crypto });
      const disclosures = sdJwt.split('~').slice(1).filter((d) => d !== '');
      for (const d of disclosures) {
        const { salt } = decodeDisclosure(d);
        expect(Buffer.from(salt, 'base64url')).toHaveLength(18);
        expect(salts.has(salt)).toBe(false);
        salts.add(salt);
      }
      // 7 real digests; 1–3 decoys at each of the 3 levels with disclosable claims
      const { digests } = claimsOf(sdJwt);
      expect(digests).toBeGreaterThanOrEqual(7 + 3);
      expect(digests).toBeLessThanOrEqual(7 + 9);
    }
  });

  it('matches issueSdJwt on random object claims and frames (property)', async () => {
    const name = fc.string({ minLength: 1, maxLength: 6 }).filter((k) => !['_sd', '...', '_sd_alg', '__proto__', 'cnf'].includes(k));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(name, fc.oneof(fc.jsonValue(), fc.dictionary(name, fc.jsonValue(), { maxKeys: 4 })), { minKeys: 1, maxKeys: 6 }), fc.context(), async (claims, ctx) => {
        const keys = Object.keys(claims);
        const f: DisclosureFrame = { _sd: keys.filter((_, i) => i % 2 === 0) };
        for (const key of keys) {
          const v = claims[key];
          if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0) f[key] = { _sd: Object.keys(v).slice(0, 1) };
        }
        ctx.log(JSON.stringify(f));
        const template = compileSdJwtTemplate({ shared: claims, frame: f, header: { typ: 'x' }, decoys: { min: 0, max: 2 } });
        const out = claimsOf(await template.issue({ perCopy: { cnf: 1 }, signingKey, ...crypto }));
        const ref = claimsOf(await issueSdJwt({ payload: { ...claims, cnf: 1 }, frame: f, header: { typ: 'x' }, signingKey, ...crypto }));
        expect(out.problems).toEqual([]);
        expect(out.claims).toEqual(ref.claims);
      }),
      { numRuns: 60 },
    );
  });

  it.each([
    ['a frame naming a missing claim', { _sd: ['nope'] }],
    ['a frame over an array', { list: { _sd: [0] } }],
    ['a fixed decoy count out of range', { _sd_decoy: 99 }],
  ])('refuses %s → INVALID_ARGUMENT', (_label, badFrame) => {
    expect(() => compileSdJwtTemplate({ shared: { list: [1, 2] }, frame: badFrame as DisclosureFrame, header: {} })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('refuses a per-copy field that collides with a shared claim', async () => {
    const template = compileSdJwtTemplate({ shared, frame, header: {} });
    await expect(template.issue({ perCopy: { iss: 'other' }, signingKey, ...crypto })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('refuses claims named _sd or ... → CLAIM_NAME_FORBIDDEN', () => {
    expect(() => compileSdJwtTemplate({ shared: { _sd: [] }, frame: {}, header: {} })).toThrow(expect.objectContaining({ code: 'CLAIM_NAME_FORBIDDEN' }));
  });

  it('writeSdAlg: false leaves _sd_alg out; Urbis and sd-jwt-js read the same claims (RFC 9901 §4.1.1 default sha-256)', async () => {
    const withAlg = await compileSdJwtTemplate({ shared, frame, header: { typ: 'dc+sd-jwt' } }).issue({ perCopy, signingKey, ...crypto });
    const withoutAlg = await compileSdJwtTemplate({ shared, frame, header: { typ: 'dc+sd-jwt' }, writeSdAlg: false }).issue({ perCopy, signingKey, ...crypto });
    expect(decodeCompactJws(withAlg.split('~')[0]!).payload._sd_alg).toBe('sha-256');
    expect(decodeCompactJws(withoutAlg.split('~')[0]!).payload).not.toHaveProperty('_sd_alg');
    expect(claimsOf(withoutAlg)).toMatchObject({ claims: claimsOf(withAlg).claims, problems: [] });
    const library = new SDJwtInstance({
      hasher: digest,
      verifier: (data, sig) => crypto.verifySignature({ alg: 'ES256', publicJwk: keyPair.publicJwk, signingInput: data, signature: Buffer.from(sig, 'base64url') }),
    });
    expect((await library.verify(withoutAlg)).payload).toEqual(JSON.parse(JSON.stringify({ ...shared, ...perCopy })));
    // Without per-copy fields either, the payload is still one JSON object.
    const bare = await compileSdJwtTemplate({ shared, frame, header: {}, writeSdAlg: false }).issue({ perCopy: {}, signingKey, ...crypto });
    expect(claimsOf(bare).claims).toEqual(shared);
  });

  it('a level’s own _sd_decoy applies even where the level has no disclosable claim, as in packClaims', async () => {
    const template = compileSdJwtTemplate({ shared, frame: { ...frame, nested: { _sd_decoy: 3, inner: { _sd: ['deep'] } } }, header: {} });
    const { claims, digests, problems } = claimsOf(await template.issue({ perCopy, signingKey, ...crypto }));
    expect(problems).toEqual([]);
    expect(claims).toEqual(JSON.parse(JSON.stringify({ ...shared, ...perCopy })));
    expect(digests).toBe(7 + 3);
  });

  it('writes a verifiable ES256 signature over its own signing input', async () => {
    const sdJwt = await compileSdJwtTemplate({ shared, frame, header: { typ: 'dc+sd-jwt' } }).issue({ perCopy, signingKey, ...crypto });
    const jws = decodeCompactJws(sdJwt.split('~')[0]!);
    expect(jws.header).toEqual({ alg: 'ES256', typ: 'dc+sd-jwt', kid: 'k-1' });
    expect(crypto.verifySignature({ alg: 'ES256', publicJwk: keyPair.publicJwk, signingInput: jws.signingInput, signature: jws.signature })).toBe(true);
    expect(base64urlEncode(jws.signature)).toHaveLength(86);
  });
});
