import { describe, expect, it } from '@jest/globals';
import { base64urlDecode } from '../encoding/base64url.js';
import { createNodeCrypto, createPooledRandomBytes } from './node-crypto.js';

describe('createNodeCrypto', () => {
  const crypto = createNodeCrypto({ keyCacheSize: 2 });

  it('signs and verifies ES256 (raw r||s, 64 bytes)', () => {
    const { privateJwk, publicJwk } = crypto.generateKeyPair();
    const key = crypto.signingKeyFromJwk({ privateJwk, kid: 'k1' });
    expect(key.kid).toBe('k1');
    expect(key.publicJwk).toEqual(publicJwk);
    const signature = key.sign('eyJhbGciOiJFUzI1NiJ9.e30');
    expect(signature).toHaveLength(64);
    expect(crypto.verifySignature({ alg: 'ES256', publicJwk, signingInput: 'eyJhbGciOiJFUzI1NiJ9.e30', signature })).toBe(true);
    expect(crypto.verifySignature({ alg: 'ES256', publicJwk, signingInput: 'eyJhbGciOiJFUzI1NiJ9.e31', signature })).toBe(false);
  });

  it('returns false for a signature of the wrong length', () => {
    const { publicJwk } = crypto.generateKeyPair();
    expect(crypto.verifySignature({ alg: 'ES256', publicJwk, signingInput: 'a.b', signature: new Uint8Array(70) })).toBe(false);
  });

  it('caches imported public keys, bounded by capacity', () => {
    const suite = createNodeCrypto({ keyCacheSize: 2 });
    const keys = [suite.generateKeyPair(), suite.generateKeyPair(), suite.generateKeyPair()];
    const sig = new Uint8Array(64);
    for (const { publicJwk } of keys) suite.verifySignature({ alg: 'ES256', publicJwk, signingInput: 'a.b', signature: sig });
    expect(suite.importedKeyCount()).toBe(2);
  });

  it('rejects a point that is not on the curve with KEY_INVALID', () => {
    const { publicJwk } = crypto.generateKeyPair();
    const y = base64urlDecode(publicJwk.y);
    y[31] = y[31]! ^ 1;
    const bad = { ...publicJwk, y: Buffer.from(y).toString('base64url') };
    expect(() => crypto.verifySignature({ alg: 'ES256', publicJwk: bad, signingInput: 'a.b', signature: new Uint8Array(64) })).toThrow(
      expect.objectContaining({ code: 'KEY_INVALID' }),
    );
  });

  it('rejects a public JWK carrying d', () => {
    const { privateJwk } = crypto.generateKeyPair();
    expect(() => crypto.verifySignature({ alg: 'ES256', publicJwk: privateJwk, signingInput: 'a.b', signature: new Uint8Array(64) })).toThrow(
      expect.objectContaining({ code: 'KEY_PRIVATE_IN_PUBLIC' }),
    );
  });

  it('hashes sha-256 of strings and bytes alike', () => {
    expect(Buffer.from(crypto.hash('abc', 'sha-256')).toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(crypto.hash(new TextEncoder().encode('abc'), 'sha-256')).toEqual(crypto.hash('abc', 'sha-256'));
  });

  it('hands out pooled random bytes once each, across pool refills', () => {
    const random = createPooledRandomBytes({ poolBytes: 64 });
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const bytes = random(16);
      expect(bytes).toHaveLength(16);
      const hex = Buffer.from(bytes).toString('hex');
      expect(seen.has(hex)).toBe(false);
      seen.add(hex);
    }
    const first = random(16);
    const copy = Uint8Array.from(first);
    for (let i = 0; i < 20; i++) random(16); // forces refills
    expect(first).toEqual(copy);
    expect(random(100)).toHaveLength(100); // larger than the pool
    expect(() => random(-1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
