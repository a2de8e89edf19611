import { describe, expect, it } from '@jest/globals';
import { p256 } from '@noble/curves/nist.js';
import fc from 'fast-check';
import type { PublicJwk } from '../crypto/ports.js';
import { base64urlEncode } from '../encoding/base64url.js';
import { createDidJwk, resolveDidJwk } from './did-jwk.js';
import { createDidKey, resolveDidKey } from './did-key.js';
import { findVerificationKey } from './did-resolver.js';

/** Random P-256 public keys from private scalars, with the edge scalars 1, 2, n-2, n-1 weighted in. */
const n = p256.Point.CURVE().n;
const scalar = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(1n, 2n, n - 2n, n - 1n) },
  { weight: 9, arbitrary: fc.bigInt({ min: 1n, max: n - 1n }) },
);
const publicJwk = scalar.map((d): PublicJwk => {
  const bytes = p256.Point.BASE.multiply(d).toBytes(false);
  return { kty: 'EC', crv: 'P-256', x: base64urlEncode(bytes.subarray(1, 33)), y: base64urlEncode(bytes.subarray(33, 65)) };
});

describe('DID round trips (fast-check)', () => {
  it('property: createDidJwk → resolveDidJwk gives back the same x, y (#0 under assertionMethod)', () => {
    fc.assert(
      fc.property(publicJwk, fc.constantFrom(undefined, 'sig'), (jwk, use) => {
        const did = createDidJwk(use === undefined ? jwk : { ...jwk, use });
        const document = resolveDidJwk(did);
        expect(document.id).toBe(did);
        expect(findVerificationKey({ document, kid: `${did}#0` })).toEqual(jwk);
        expect(createDidJwk(findVerificationKey({ document }))).toBe(use === undefined ? did : createDidJwk(jwk));
      }),
      { numRuns: 100 },
    );
  });

  it('property: createDidKey → resolveDidKey gives back the same x, y, and the DID is canonical', () => {
    fc.assert(
      fc.property(publicJwk, (jwk) => {
        const did = createDidKey(jwk);
        expect(did.startsWith('did:key:zDn')).toBe(true);
        const document = resolveDidKey(did);
        const key = findVerificationKey({ document });
        expect(key).toEqual(jwk);
        expect(createDidKey(key)).toBe(did);
      }),
      { numRuns: 100 },
    );
  });
});
