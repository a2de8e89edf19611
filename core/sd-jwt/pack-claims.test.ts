import { describe, expect, it } from '@jest/globals';
import { Jwt, SDJwt, pack as libraryPack } from '@sd-jwt/core';
import { Disclosure } from '@sd-jwt/utils';
import { digest as libraryDigest } from '@sd-jwt/crypto-nodejs';
import fc from 'fast-check';
import { createNodeCrypto } from '../crypto/node-crypto.js';
import { base64urlEncode } from '../encoding/base64url.js';
import { UrbisError } from '../errors/urbis-error.js';
import { decodeDisclosure } from './disclosure.js';
import { packClaims, type DisclosureFrame } from './pack-claims.js';
import { processSdJwtPayload } from './process-payload.js';

const crypto = createNodeCrypto();

/** A deterministic byte source, so that salts can be replayed into the library. */
function counterBytes(): { randomBytes: (n: number) => Uint8Array; salts: string[] } {
  let counter = 0;
  const salts: string[] = [];
  return {
    salts,
    randomBytes: (n) => {
      const bytes = Uint8Array.from({ length: n }, () => (counter++ * 73 + 11) & 0xff);
      if (n === 16) salts.push(base64urlEncode(bytes));
      return bytes;
    },
  };
}

const claims = {
  sub: 'user_42',
  given_name: 'Aurora',
  family_name: 'Ejemplo',
  address: { street_address: 'Calle Ficticia 12', locality: 'Gijón', country: 'ES' },
  nationalities: ['ES', 'PT'],
};
const frame: DisclosureFrame = {
  _sd: ['given_name', 'family_name', 'address'],
  address: { _sd: ['street_address', 'locality'] },
  nationalities: { _sd: [0, 1] },
};

describe('packClaims', () => {
  it('writes disclosures byte for byte as sd-jwt-js pack() does, for the same salts (reference implementation)', async () => {
    const flat: DisclosureFrame = { _sd: ['given_name', 'family_name', 'address'] };
    const ours = counterBytes();
    const packed = await packClaims({ claims, frame: flat, hash: crypto.hash, alg: 'sha-256', randomBytes: ours.randomBytes });
    let i = 0;
    const reference = await libraryPack(claims, flat as never, { hasher: libraryDigest, alg: 'sha-256' }, () => ours.salts[i++]!);
    expect(reference.disclosures.map((d) => d.encode())).toEqual(packed.disclosures.map((d) => d.encoded));
    expect({ ...(reference.packedClaims as object), _sd: [...((reference.packedClaims as { _sd: string[] })._sd)].sort() }).toEqual(packed.packed);
  });

  it('nested frames: sd-jwt-js unpacks what Urbis packs, and Urbis unpacks what sd-jwt-js packs, to the same claims', async () => {
    const ours = await packClaims({ claims, frame, hash: crypto.hash, alg: 'sha-256', randomBytes: crypto.randomBytes });
    const oursSdJwt = new SDJwt({ jwt: new Jwt({ header: { alg: 'ES256' }, payload: ours.packed }), disclosures: ours.disclosures.map((d) => Disclosure.fromEncodeSync(d.encoded, { alg: 'sha-256', hasher: libraryDigest })) });
    expect(await oursSdJwt.getClaims(libraryDigest)).toEqual(claims);
    const reference = await libraryPack(claims, frame as never, { hasher: libraryDigest, alg: 'sha-256' }, (n) => base64urlEncode(crypto.randomBytes(n)));
    const processed = processSdJwtPayload({
      payload: reference.packedClaims as Record<string, unknown>,
      disclosures: reference.disclosures.map((d) => ({ disclosure: decodeDisclosure(d.encode()), digest: base64urlEncode(crypto.hash(d.encode(), 'sha-256')) })),
    });
    expect(processed.problems).toEqual([]);
    expect(processed.claims).toEqual(claims);
  });

  it('RFC 9901 §4.2.4.1: digests at a level are sorted, hiding the claims order', async () => {
    const { packed } = await packClaims({ claims, frame: { ...frame, _sd_decoy: 5 }, hash: crypto.hash, alg: 'sha-256', randomBytes: crypto.randomBytes });
    const sd = packed._sd as string[];
    expect(sd).toHaveLength(3 + 5);
    expect([...sd].sort()).toEqual(sd);
  });

  it('RFC 9901 §4.2.5: decoys are digests nothing discloses; salts are 128-bit', async () => {
    const { packed, disclosures } = await packClaims({ claims, frame: { ...frame, _sd_decoy: 3 }, hash: crypto.hash, alg: 'sha-256', randomBytes: crypto.randomBytes });
    const digests = disclosures.map((d) => base64urlEncode(crypto.hash(d.encoded, 'sha-256')));
    const decoys = (packed._sd as string[]).filter((d) => !digests.includes(d));
    expect(decoys).toHaveLength(3);
    for (const d of disclosures) expect(Buffer.from(decodeDisclosure(d.encoded).salt, 'base64url')).toHaveLength(16);
  });

  it('processing the packed claims with all disclosures gives the claims back (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k !== '_sd' && k !== '...' && k !== '_sd_alg' && k !== '__proto__'), fc.jsonValue(), { minKeys: 1, maxKeys: 8 }),
        fc.integer({ min: 0, max: 4 }),
        async (input, decoys) => {
          const names = Object.keys(input);
          const { packed, disclosures } = await packClaims({ claims: input, frame: { _sd: names, _sd_decoy: decoys }, hash: crypto.hash, alg: 'sha-256', randomBytes: crypto.randomBytes });
          const processed = processSdJwtPayload({
            payload: packed,
            disclosures: disclosures.map((d) => ({ disclosure: decodeDisclosure(d.encoded), digest: base64urlEncode(crypto.hash(d.encoded, 'sha-256')) })),
          });
          expect(processed.problems).toEqual([]);
          expect(processed.claims).toEqual(JSON.parse(JSON.stringify(input)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it.each([
    ['a frame naming a missing claim', { _sd: ['nope'] }, 'INVALID_ARGUMENT'],
    ['a nested frame on a missing claim', { nope: { _sd: ['x'] } }, 'INVALID_ARGUMENT'],
    ['an array index out of range', { nationalities: { _sd: [5] } }, 'INVALID_ARGUMENT'],
    ['a negative decoy count', { _sd_decoy: -1 }, 'INVALID_ARGUMENT'],
    ['too many decoys', { _sd_decoy: 1000 }, 'INVALID_ARGUMENT'],
    ['a frame on a scalar', { sub: { _sd: ['x'] } }, 'INVALID_ARGUMENT'],
  ])('refuses %s', async (_label, badFrame, code) => {
    await expect(packClaims({ claims, frame: badFrame as DisclosureFrame, hash: crypto.hash, alg: 'sha-256', randomBytes: crypto.randomBytes })).rejects.toMatchObject({ code });
  });

  it('refuses a claim named _sd in the input', async () => {
    await expect(packClaims({ claims: { _sd: [] }, frame: {}, hash: crypto.hash, alg: 'sha-256', randomBytes: crypto.randomBytes })).rejects.toBeInstanceOf(UrbisError);
  });
});
