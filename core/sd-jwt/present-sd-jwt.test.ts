import { describe, expect, it } from '@jest/globals';
import { SDJwtInstance } from '@sd-jwt/core';
import { digest } from '@sd-jwt/crypto-nodejs';
import fc from 'fast-check';
import { createNodeCrypto } from '../crypto/node-crypto.js';
import { decodeCompactJws } from '../jose/compact-jws.js';
import { issueSdJwt } from './issue-sd-jwt.js';
import type { DisclosureFrame } from './pack-claims.js';
import { presentSdJwt } from './present-sd-jwt.js';
import type { PayloadPath } from './process-payload.js';

const crypto = createNodeCrypto();
const issuer = crypto.generateKeyPair();
const holder = crypto.generateKeyPair();
const signingKey = crypto.signingKeyFromJwk({ privateJwk: issuer.privateJwk });
const holderKey = crypto.signingKeyFromJwk({ privateJwk: holder.privateJwk });

const claims = {
  given_name: 'Aurora',
  family_name: 'Ejemplo',
  address: { street_address: 'Calle Ficticia 12', locality: 'Gijón', country: 'ES' },
  nationalities: ['ES', 'PT'],
};
const frame: DisclosureFrame = {
  _sd: ['given_name', 'family_name', 'address', 'nationalities'],
  address: { _sd: ['street_address', 'locality'] },
  nationalities: { _sd: [0, 1] },
};
/** Leaf requests, where Urbis and sd-jwt-js mean the same thing (see the whole-object test below). */
const LEAVES: PayloadPath[] = [['given_name'], ['family_name'], ['address', 'street_address'], ['address', 'locality'], ['address', 'country'], ['nationalities', 0], ['nationalities', 1]];

/** sd-jwt-js's presentation frame for a set of paths. */
function libraryFrame(paths: readonly PayloadPath[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    let node = out;
    path.forEach((step, i) => {
      if (i === path.length - 1) node[step] = node[step] ?? true;
      else node = (node[step] = typeof node[step] === 'object' ? node[step] : {}) as Record<string, unknown>;
    });
  }
  return out;
}

describe('presentSdJwt', () => {
  const library = new SDJwtInstance({ hasher: digest });

  it('discloses the same set as sd-jwt-js present() for the same leaf requests, on random sets (reference, property)', async () => {
    const sdJwt = await issueSdJwt({ payload: { iss: 'x', cnf: { jwk: holder.publicJwk }, ...claims }, frame, header: { typ: 'example+sd-jwt' }, signingKey, ...crypto });
    await fc.assert(
      fc.asyncProperty(fc.subarray(LEAVES), async (paths) => {
        const ours = await presentSdJwt({ sdJwt, paths, hash: crypto.hash });
        const theirs = await library.present(sdJwt, libraryFrame(paths) as never);
        const set = (p: string) => new Set(p.split('~').slice(1).filter((d) => d !== ''));
        expect(set(ours)).toEqual(set(theirs));
        expect(await library.getClaims(ours)).toEqual(await library.getClaims(theirs));
      }),
      { numRuns: 80 },
    );
  });

  it('a request for a whole object reveals it whole, nested disclosures included (as DCQL paths mean; sd-jwt-js `true` reveals only the parent)', async () => {
    const sdJwt = await issueSdJwt({ payload: { iss: 'x', ...claims }, frame, header: { typ: 'example+sd-jwt' }, signingKey, ...crypto });
    const presented = await presentSdJwt({ sdJwt, paths: [['address']], hash: crypto.hash });
    expect(await library.getClaims(presented)).toEqual({ iss: 'x', address: claims.address });
    const wholeArray = await presentSdJwt({ sdJwt, paths: [['nationalities']], hash: crypto.hash });
    expect(await library.getClaims(wholeArray)).toEqual({ iss: 'x', nationalities: ['ES', 'PT'] });
  });

  it('adds a KB-JWT over exactly what is presented', async () => {
    const sdJwt = await issueSdJwt({ payload: { iss: 'x', cnf: { jwk: holder.publicJwk }, ...claims }, frame, header: { typ: 'example+sd-jwt' }, signingKey, ...crypto });
    const presented = await presentSdJwt({ sdJwt, paths: [['address', 'locality']], keyBinding: { nonce: 'n', aud: 'urn:t', iat: 1_790_000_000, holderKey }, hash: crypto.hash });
    const kb = presented.slice(presented.lastIndexOf('~') + 1);
    const { payload, header } = decodeCompactJws(kb);
    expect(header).toEqual({ alg: 'ES256', typ: 'kb+jwt' });
    expect(payload).toEqual({ iat: 1_790_000_000, aud: 'urn:t', nonce: 'n', sd_hash: crypto.hashBase64url(presented.slice(0, presented.lastIndexOf('~') + 1), 'sha-256') });
    expect(presented.split('~')).toHaveLength(1 + 2 + 1); // JWT, address, locality, KB
  });

  it('refuses a claim the credential does not have → DISCLOSURE_NOT_AVAILABLE, and an SD-JWT+KB as input', async () => {
    const sdJwt = await issueSdJwt({ payload: { iss: 'x', ...claims }, frame, header: { typ: 'example+sd-jwt' }, signingKey, ...crypto });
    await expect(presentSdJwt({ sdJwt, paths: [['birthdate']], hash: crypto.hash })).rejects.toMatchObject({ code: 'DISCLOSURE_NOT_AVAILABLE' });
    const withKb = await presentSdJwt({ sdJwt, paths: [], keyBinding: { nonce: 'n', aud: 'a', iat: 1, holderKey }, hash: crypto.hash });
    await expect(presentSdJwt({ sdJwt: withKb, paths: [], hash: crypto.hash })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
