import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { calculateJwkThumbprint as joseThumbprint, calculateJwkThumbprintUri as joseThumbprintUri } from 'jose';
import type { Hasher, PublicJwk } from '../crypto/ports.js';
import { createNodeCrypto } from '../crypto/node-crypto.js';
import {
  JWK_THUMBPRINT_URI_PREFIX,
  calculateJwkThumbprint,
  calculateJwkThumbprintUri,
  jwkThumbprintInput,
} from './jwk-thumbprint.js';

interface ThumbprintVector {
  name: string;
  source: string;
  publicJwk: PublicJwk;
  thumbprintInput: string;
  thumbprint: string;
  thumbprintUri: string;
}

const { vectors } = JSON.parse(
  readFileSync(new URL('./fixtures/jwk-thumbprint-vectors.json', import.meta.url), 'utf8'),
) as { vectors: ThumbprintVector[] };

const crypto = createNodeCrypto();
const hash = crypto.hash;

describe('calculateJwkThumbprint (RFC 7638)', () => {
  for (const vector of vectors) {
    it(`${vector.name} (${vector.source})`, async () => {
      expect(jwkThumbprintInput(vector.publicJwk)).toBe(vector.thumbprintInput);
      expect(await calculateJwkThumbprint({ publicJwk: vector.publicJwk, hash })).toBe(vector.thumbprint);
      expect(await calculateJwkThumbprintUri({ publicJwk: vector.publicJwk, hash })).toBe(vector.thumbprintUri);
    });
  }

  it('RFC 7638 §3.3: agrees with jose on random P-256 keys, thumbprint and RFC 9278 URI', async () => {
    for (let i = 0; i < 25; i++) {
      const { publicJwk } = crypto.generateKeyPair();
      expect(await calculateJwkThumbprint({ publicJwk, hash })).toBe(await joseThumbprint(publicJwk, 'sha256'));
      expect(await calculateJwkThumbprintUri({ publicJwk, hash })).toBe(await joseThumbprintUri(publicJwk, 'sha256'));
    }
  });

  it('RFC 7638 §3.2: ignores member order and optional members (kid, alg, use)', async () => {
    const { publicJwk } = crypto.generateKeyPair();
    const reordered = { y: publicJwk.y, x: publicJwk.x, kty: 'EC', crv: 'P-256', kid: 'k', alg: 'ES256', use: 'sig' } as PublicJwk;
    expect(await calculateJwkThumbprint({ publicJwk: reordered, hash })).toBe(await calculateJwkThumbprint({ publicJwk, hash }));
  });

  it('works with an asynchronous Hasher port (Web Crypto style)', async () => {
    const asyncHash: Hasher = async (data, alg) => hash(data, alg);
    const [vector] = vectors;
    expect(await calculateJwkThumbprint({ publicJwk: vector!.publicJwk, hash: asyncHash })).toBe(vector!.thumbprint);
  });

  it('RFC 9278 §3: the URI is the prefix followed by the thumbprint', async () => {
    const { publicJwk } = crypto.generateKeyPair();
    const uri = await calculateJwkThumbprintUri({ publicJwk, hash });
    expect(uri.startsWith(JWK_THUMBPRINT_URI_PREFIX)).toBe(true);
    expect(uri.slice(JWK_THUMBPRINT_URI_PREFIX.length)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('rejects a private JWK with KEY_PRIVATE_IN_PUBLIC', async () => {
    const { privateJwk } = crypto.generateKeyPair();
    await expect(calculateJwkThumbprint({ publicJwk: privateJwk, hash })).rejects.toMatchObject({ code: 'KEY_PRIVATE_IN_PUBLIC' });
    await expect(calculateJwkThumbprintUri({ publicJwk: privateJwk, hash })).rejects.toMatchObject({ code: 'KEY_PRIVATE_IN_PUBLIC' });
  });

  it('rejects non-P-256 and malformed keys with KEY_INVALID', async () => {
    const { publicJwk } = crypto.generateKeyPair();
    const bad: unknown[] = [
      null,
      'jwk',
      [],
      { kty: 'OKP', crv: 'Ed25519', x: publicJwk.x },
      { ...publicJwk, crv: 'P-384' },
      { ...publicJwk, kty: 'RSA' },
      { ...publicJwk, x: publicJwk.x.slice(1) },
      { ...publicJwk, y: 42 },
      // 43 characters but non-zero trailing bits: not canonical base64url.
      { ...publicJwk, x: `${publicJwk.x.slice(0, 42)}${publicJwk.x.endsWith('B') ? 'C' : 'B'}` },
    ];
    for (const value of bad) {
      await expect(calculateJwkThumbprint({ publicJwk: value as PublicJwk, hash })).rejects.toMatchObject({ code: 'KEY_INVALID' });
    }
  });

  it('never puts key material in error messages', async () => {
    const { privateJwk } = crypto.generateKeyPair();
    const error = (await calculateJwkThumbprint({ publicJwk: { ...privateJwk, crv: 'P-384' } as unknown as PublicJwk, hash }).then(
      () => new Error('no error'),
      (e: unknown) => e,
    )) as Error;
    expect(error.message).not.toContain(privateJwk.d);
    expect(error.message).not.toContain(privateJwk.x);
  });
});
