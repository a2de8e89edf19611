import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { PrivateJwk, PublicJwk } from '../../core/crypto/ports.js';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { presentCredential } from '../../core/presentation/present-credential.js';
import { createCredentialKit } from '../../core/test-kit/credential-kit.js';
import { exportHolderKey, generateHolderKey, holderKeyFromCryptoKey, importHolderKey } from './web-crypto-holder-keys.js';

const SIGNING_INPUT = 'eyJhbGciOiJFUzI1NiIsInR5cCI6ImtiK2p3dCJ9.eyJub25jZSI6Im4ifQ';

/** The reference verifier: node:crypto (OpenSSL), raw r||s signatures. */
function nodeVerifies(publicJwk: PublicJwk, signingInput: string, signature: Uint8Array): boolean {
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: publicJwk.x, y: publicJwk.y }, format: 'jwk' });
  return nodeVerify('sha256', Buffer.from(signingInput, 'latin1'), { key, dsaEncoding: 'ieee-p1363' }, signature);
}

describe('Web Crypto holder keys', () => {
  it.each([false, true])('extractable=%s: signs ES256 (64-byte r||s) that node:crypto verifies', async (extractable) => {
    const key = await generateHolderKey({ extractable });
    expect(key.extractable).toBe(extractable);
    expect(key.cryptoKey.extractable).toBe(extractable);
    expect(key.signingKey.alg).toBe('ES256');
    expect(Object.keys(key.publicJwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(key.signingKey.publicJwk).toEqual(key.publicJwk);
    const signature = await key.signingKey.sign(SIGNING_INPUT);
    expect(signature).toBeInstanceOf(Uint8Array);
    expect(signature.length).toBe(64);
    expect(nodeVerifies(key.publicJwk, SIGNING_INPUT, signature)).toBe(true);
    expect(nodeVerifies(key.publicJwk, `${SIGNING_INPUT}x`, signature)).toBe(false);
  });

  it('defaults to a non-extractable key, which cannot be exported', async () => {
    const key = await generateHolderKey();
    expect(key.cryptoKey.extractable).toBe(false);
    await expect(exportHolderKey(key)).rejects.toMatchObject({ code: 'KEY_INVALID' });
    // Not even Web Crypto itself hands it out.
    await expect(globalThis.crypto.subtle.exportKey('jwk', key.cryptoKey)).rejects.toThrow();
  });

  it('one key per copy: fresh keys never repeat', async () => {
    const keys = await Promise.all(Array.from({ length: 10 }, () => generateHolderKey()));
    expect(new Set(keys.map((k) => k.publicJwk.x)).size).toBe(10);
  });

  it('an extractable key exports as a private JWK that imports back to the same key; node:crypto signs with it', async () => {
    const key = await generateHolderKey({ extractable: true });
    const privateJwk = await exportHolderKey(key);
    expect(Object.keys(privateJwk).sort()).toEqual(['crv', 'd', 'kty', 'x', 'y']);
    expect({ x: privateJwk.x, y: privateJwk.y }).toEqual({ x: key.publicJwk.x, y: key.publicJwk.y });

    const imported = await importHolderKey({ privateJwk });
    expect(imported.publicJwk).toEqual(key.publicJwk);
    expect(imported.extractable).toBe(false);
    await expect(exportHolderKey(imported)).rejects.toMatchObject({ code: 'KEY_INVALID' });
    expect(nodeVerifies(key.publicJwk, SIGNING_INPUT, await imported.signingKey.sign(SIGNING_INPUT))).toBe(true);

    const again = await importHolderKey({ privateJwk, extractable: true });
    expect(await exportHolderKey(again)).toEqual(privateJwk);

    const nodeKey = createNodeCrypto().signingKeyFromJwk({ privateJwk });
    expect(nodeVerifies(key.publicJwk, SIGNING_INPUT, nodeKey.sign(SIGNING_INPUT))).toBe(true);
  });

  it('imports a key made by node:crypto', async () => {
    const { privateJwk, publicJwk } = createNodeCrypto().generateKeyPair();
    const key = await importHolderKey({ privateJwk });
    expect(key.publicJwk).toEqual(publicJwk);
    expect(nodeVerifies(publicJwk, SIGNING_INPUT, await key.signingKey.sign(SIGNING_INPUT))).toBe(true);
  });

  it('refuses to import a JWK whose d does not match x, y, or that is not a private P-256 key', async () => {
    const a = createNodeCrypto().generateKeyPair();
    const b = createNodeCrypto().generateKeyPair();
    const bad: unknown[] = [
      { ...a.privateJwk, x: b.publicJwk.x, y: b.publicJwk.y },
      a.publicJwk,
      { ...a.privateJwk, crv: 'P-384' },
      { ...a.privateJwk, d: 'short' },
      null,
    ];
    for (const privateJwk of bad) {
      await expect(importHolderKey({ privateJwk: privateJwk as PrivateJwk })).rejects.toMatchObject({ code: 'KEY_INVALID' });
    }
  });

  it('holderKeyFromCryptoKey takes only a private ECDSA P-256 signing handle', async () => {
    const pair = await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    const publicJwk = (await generateHolderKey()).publicJwk;
    expect(() => holderKeyFromCryptoKey({ cryptoKey: pair.publicKey, publicJwk })).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    const p384 = await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, ['sign', 'verify']);
    expect(() => holderKeyFromCryptoKey({ cryptoKey: p384.privateKey, publicJwk })).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    await expect(exportHolderKey({ cryptoKey: pair.publicKey })).rejects.toMatchObject({ code: 'KEY_INVALID' });
  });

  it('binds a core presentation: a copy issued to a non-extractable key verifies end to end', async () => {
    const kit = createCredentialKit();
    const holder = await generateHolderKey({ extractable: false });
    const credential = await kit.issue({ format: 'vc+sd-jwt', holder: { keyPair: { publicJwk: holder.publicJwk, privateJwk: undefined as unknown as PrivateJwk } } });
    const presentation = await presentCredential({
      credential,
      claims: [['age_over_18']],
      nonce: 'nonce-3f9a1c',
      audience: kit.audience,
      holderKey: holder.signingKey,
      hash: kit.crypto.hash,
      now: kit.now,
    });
    expect(await kit.verify({ presentation })).toMatchObject({ ok: true });

    // The same copy presented with another key is refused.
    const other = await generateHolderKey();
    const forged = await presentCredential({ credential, claims: [['age_over_18']], nonce: 'nonce-3f9a1c', audience: kit.audience, holderKey: other.signingKey, hash: kit.crypto.hash, now: kit.now });
    expect(await kit.verify({ presentation: forged })).toMatchObject({ ok: false, failures: expect.arrayContaining([expect.objectContaining({ code: 'KB_SIGNATURE_INVALID' })]) });
  });
});
