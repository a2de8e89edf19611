import { describe, expect, it } from '@jest/globals';
import { base58btc } from 'multiformats/bases/base58';
import { createNodeCrypto } from '../crypto/node-crypto.js';
import { MULTICODEC_P256_PUB, decodeP256Multikey, encodeP256Multikey } from './multikey.js';
import { compressP256PublicJwk } from './p256-public-key.js';

const crypto = createNodeCrypto();

const multibase = (...parts: (Uint8Array | number[])[]): string =>
  base58btc.encode(Uint8Array.from(parts.flatMap((part) => [...part])));

describe('encodeP256Multikey / decodeP256Multikey', () => {
  it('multicodec p256-pub is 0x1200, varint bytes 0x80 0x24, and keys start with zDn', () => {
    expect(MULTICODEC_P256_PUB).toBe(0x1200);
    const { publicJwk } = crypto.generateKeyPair();
    const encoded = encodeP256Multikey(publicJwk);
    expect(encoded.startsWith('zDn')).toBe(true);
    const bytes = base58btc.decode(encoded);
    expect([...bytes.subarray(0, 2)]).toEqual([0x80, 0x24]);
    expect(bytes.subarray(2)).toEqual(compressP256PublicJwk(publicJwk));
    expect(decodeP256Multikey(encoded)).toEqual(publicJwk);
  });

  it('rejects other key multicodecs with DID_KEY_UNSUPPORTED', () => {
    const cases: [string, number[]][] = [
      ['ed25519-pub 0xed', [0xed, 0x01]],
      ['secp256k1-pub 0xe7', [0xe7, 0x01]],
      ['x25519-pub 0xec', [0xec, 0x01]],
      ['p384-pub 0x1201', [0x81, 0x24]],
      ['rsa-pub 0x1205', [0x85, 0x24]],
      ['jwk_jcs-pub 0xeb51', [0xd1, 0xd6, 0x03]],
    ];
    for (const [, varint] of cases) {
      expect(() => decodeP256Multikey(multibase(varint, new Uint8Array(33).fill(2)))).toThrow(
        expect.objectContaining({ code: 'DID_KEY_UNSUPPORTED' }),
      );
    }
  });

  it('rejects garbage with DID_INVALID', () => {
    const { publicJwk } = crypto.generateKeyPair();
    const compressed = compressP256PublicJwk(publicJwk);
    const uncompressed = Uint8Array.of(0x04, ...new Uint8Array(64));
    for (const bad of [
      '',
      'z',
      'zDnae0OIl',
      `u${encodeP256Multikey(publicJwk).slice(1)}`,
      multibase([0x80]), // truncated varint
      multibase([0x80, 0x80, 0x80, 0x80, 0x01], compressed), // varint longer than 4 bytes
      multibase([0x80, 0xa4, 0x00], compressed), // non-minimal varint for 0x1200
      multibase([0x55], compressed), // raw (0x55): not a key codec
      multibase([0x00], compressed), // identity
      multibase([0x80, 0x24], compressed.subarray(0, 32)),
      multibase([0x80, 0x24], compressed, [0]),
      multibase([0x80, 0x24], uncompressed), // legacy uncompressed form
    ]) {
      expect(() => decodeP256Multikey(bad)).toThrow(expect.objectContaining({ code: 'DID_INVALID' }));
    }
  });

  it('rejects 33 bytes that are no point with KEY_INVALID', () => {
    const noPoint = new Uint8Array(33);
    noPoint[0] = 0x02;
    noPoint[32] = 0x01;
    expect(() => decodeP256Multikey(multibase([0x80, 0x24], noPoint))).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    expect(() => decodeP256Multikey(multibase([0x80, 0x24], Uint8Array.of(0x05, ...noPoint.subarray(1))))).toThrow(
      expect.objectContaining({ code: 'KEY_INVALID' }),
    );
  });

  it('refuses over-long input with INPUT_TOO_LARGE', () => {
    expect(() => decodeP256Multikey(`z${'2'.repeat(5000)}`)).toThrow(expect.objectContaining({ code: 'INPUT_TOO_LARGE' }));
  });
});
