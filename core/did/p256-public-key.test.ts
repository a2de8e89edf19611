import { describe, expect, it } from '@jest/globals';
import { p256 } from '@noble/curves/nist.js';
import { createNodeCrypto } from '../crypto/node-crypto.js';
import { base64urlDecode, base64urlEncode } from '../encoding/base64url.js';
import { compressP256PublicJwk, decompressP256PublicKey, parseDidPublicJwk } from './p256-public-key.js';

const crypto = createNodeCrypto();

/** Flips one bit of a coordinate: the point then (almost surely) leaves the curve. */
function offCurve(y: string): string {
  const bytes = base64urlDecode(y);
  bytes[31] = bytes[31]! ^ 1;
  return base64urlEncode(bytes);
}

function bytes32(n: bigint): Uint8Array {
  return Uint8Array.from(n.toString(16).padStart(64, '0').match(/../g)!, (hex) => parseInt(hex, 16));
}

describe('parseDidPublicJwk', () => {
  it('returns the public members and keeps kid, alg, use', () => {
    const { publicJwk } = crypto.generateKeyPair();
    expect(parseDidPublicJwk({ ...publicJwk, kid: 'k', alg: 'ES256', use: 'sig', ext: true, key_ops: ['verify'] })).toEqual({
      ...publicJwk,
      kid: 'k',
      alg: 'ES256',
      use: 'sig',
    });
  });

  it('rejects private keys of any type with KEY_PRIVATE_IN_PUBLIC', () => {
    const { privateJwk } = crypto.generateKeyPair();
    expect(() => parseDidPublicJwk(privateJwk)).toThrow(expect.objectContaining({ code: 'KEY_PRIVATE_IN_PUBLIC' }));
    expect(() => parseDidPublicJwk({ kty: 'OKP', crv: 'Ed25519', x: 'x', d: 'd' })).toThrow(
      expect.objectContaining({ code: 'KEY_PRIVATE_IN_PUBLIC' }),
    );
  });

  it('rejects other key types and curves with DID_KEY_UNSUPPORTED', () => {
    const { publicJwk } = crypto.generateKeyPair();
    for (const other of [
      { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
      { kty: 'OKP', crv: 'X25519', x: '3p7bfXt9wbTTW2HC7OQ1Nz-DQ8hbeGdNrfx-FG-IK08' },
      { ...publicJwk, crv: 'secp256k1' },
      { ...publicJwk, crv: 'P-384' },
      { kty: 'RSA', n: 'AQAB', e: 'AQAB' },
      { kty: 'EC', x: publicJwk.x, y: publicJwk.y },
    ]) {
      expect(() => parseDidPublicJwk(other)).toThrow(expect.objectContaining({ code: 'DID_KEY_UNSUPPORTED' }));
    }
  });

  it('rejects malformed P-256 keys and points off the curve with KEY_INVALID', () => {
    const { publicJwk } = crypto.generateKeyPair();
    for (const bad of [
      null,
      [],
      'jwk',
      { crv: 'P-256', x: publicJwk.x, y: publicJwk.y },
      { ...publicJwk, x: publicJwk.x.slice(2) },
      { ...publicJwk, y: offCurve(publicJwk.y) },
      { ...publicJwk, x: `${publicJwk.x.slice(0, 42)}B` },
      { ...publicJwk, use: 1 },
      { ...publicJwk, kid: {} },
      // x = p (not a field element)
      { ...publicJwk, x: base64urlEncode(bytes32(p256.Point.CURVE().p)) },
    ]) {
      expect(() => parseDidPublicJwk(bad)).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    }
  });
});

describe('compressP256PublicJwk / decompressP256PublicKey (SEC 1 §2.3.3, §2.3.4)', () => {
  it('round-trips random keys, prefix 0x02 for even y and 0x03 for odd y', () => {
    for (let i = 0; i < 20; i++) {
      const { publicJwk } = crypto.generateKeyPair();
      const compressed = compressP256PublicJwk(publicJwk);
      expect(compressed).toHaveLength(33);
      const yIsOdd = (base64urlDecode(publicJwk.y)[31]! & 1) === 1;
      expect(compressed[0]).toBe(yIsOdd ? 0x03 : 0x02);
      expect(decompressP256PublicKey(compressed)).toEqual(publicJwk);
    }
  });

  it('keeps leading zero bytes of coordinates (always 32-byte x and y)', () => {
    // Find a key whose x starts with a zero byte (1 in 256).
    let found = false;
    for (let d = 1n; d < 2000n && !found; d++) {
      const bytes = p256.Point.BASE.multiply(d).toBytes(false);
      if (bytes[1] !== 0) continue;
      found = true;
      const jwk = decompressP256PublicKey(p256.Point.BASE.multiply(d).toBytes(true));
      expect(base64urlDecode(jwk.x)).toEqual(bytes.subarray(1, 33));
      expect(jwk.x).toHaveLength(43);
    }
    expect(found).toBe(true);
  });

  it('rejects bad lengths, prefixes and x without a point with KEY_INVALID', () => {
    const { publicJwk } = crypto.generateKeyPair();
    const good = compressP256PublicJwk(publicJwk);
    const noPoint = new Uint8Array(33);
    noPoint[0] = 0x02;
    noPoint[32] = 0x01; // x = 1: x^3 - 3x + b is not a square mod p
    const uncompressed = new Uint8Array(65);
    uncompressed[0] = 0x04;
    for (const bad of [good.subarray(0, 32), Uint8Array.of(0x04, ...good.subarray(1)), Uint8Array.of(0x00, ...good.subarray(1)), noPoint, uncompressed]) {
      expect(() => decompressP256PublicKey(bad)).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    }
    expect(() => compressP256PublicJwk({ ...publicJwk, y: offCurve(publicJwk.y) })).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
  });
});
