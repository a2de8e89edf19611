import { describe, expect, it } from '@jest/globals';
import { getDidKeyResolver } from '@veramo/did-provider-key';
import { Resolver } from 'did-resolver';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import type { PublicJwk } from '../../core/crypto/ports.js';
import { base64urlDecode } from '../../core/encoding/base64url.js';
import { isUrbisError } from '../../core/errors/urbis-error.js';
import { compressP256PublicKey, didKeyFromP256Jwk } from './did-key-p256.js';
import { createLocalDidKeyResolver } from './local-resolver.js';

// did:key P-256 vector as published with key-did-resolver (w3c-ccg did-method-key test vectors).
const VECTOR = {
  did: 'did:key:zDnaeUKTWUXc1HDpGfKbEK31nKLN19yX5aunFd7VK1CUMeyJu',
  publicJwk: {
    kty: 'EC',
    crv: 'P-256',
    x: 'OcPddBMXKURtwbPaZ9SfwEb8vwcvzFufpRwFuXQwf5Y',
    y: 'nEA7FjXwRJ8CvUInUeMxIaRDTxUvKysqP2dSGcXZJfY',
  } as PublicJwk,
};

const asBigInt = (b64url: string): bigint => BigInt(`0x${Buffer.from(base64urlDecode(b64url)).toString('hex') || '0'}`);

describe('didKeyFromP256Jwk', () => {
  it('matches the published P-256 did:key vector', () => {
    expect(didKeyFromP256Jwk({ publicJwk: VECTOR.publicJwk })).toBe(VECTOR.did);
  });

  it('compresses to 0x02/0x03 by the parity of y', () => {
    const compressed = compressP256PublicKey({ publicJwk: VECTOR.publicJwk });
    expect(compressed.length).toBe(33);
    expect(compressed[0]).toBe((base64urlDecode(VECTOR.publicJwk.y)[31]! & 1) === 1 ? 3 : 2);
  });

  it('round-trips through key-did-resolver and Veramo’s did:key resolver (30 random keys)', async () => {
    const crypto = createNodeCrypto();
    const resolvers = [createLocalDidKeyResolver(), new Resolver({ ...getDidKeyResolver() })];
    for (let i = 0; i < 30; i++) {
      const { publicJwk } = crypto.generateKeyPair();
      const did = didKeyFromP256Jwk({ publicJwk });
      expect(did.startsWith('did:key:zDn')).toBe(true);
      for (const resolver of resolvers) {
        const { didDocument } = await resolver.resolve(did);
        const jwk = didDocument?.verificationMethod?.[0]?.publicKeyJwk;
        // Compared as integers: key-did-resolver 4.0.0 drops leading zero bytes of coordinates.
        expect(jwk?.crv).toBe('P-256');
        expect(asBigInt(jwk?.x ?? '')).toBe(asBigInt(publicJwk.x));
        expect(asBigInt(jwk?.y ?? '')).toBe(asBigInt(publicJwk.y));
        expect(didDocument?.assertionMethod).toHaveLength(1);
      }
    }
  });

  it('refuses a private JWK', () => {
    const { privateJwk } = createNodeCrypto().generateKeyPair();
    expect(() => didKeyFromP256Jwk({ publicJwk: privateJwk })).toThrow();
    try {
      didKeyFromP256Jwk({ publicJwk: privateJwk });
    } catch (e) {
      expect(isUrbisError(e, 'KEY_PRIVATE_IN_PUBLIC')).toBe(true);
    }
  });
});
