import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { PublicJwk } from '../../core/crypto/ports.js';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { calculateJwkThumbprint } from '../../core/keys/jwk-thumbprint.js';
import { presentCredential } from '../../core/presentation/present-credential.js';
import { KIT_NONCE, createCredentialKit } from '../../core/test-kit/credential-kit.js';
import { createTrustedIssuerLookup } from '../../core/trust/trusted-issuer.js';
import { createMemoryReplayCache } from '../../core/trust/replay-cache.js';
import { verifyPresentation } from '../../core/verification/verify-presentation.js';
import { createWebCryptoSuite } from './web-crypto-suite.js';

const INPUT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0';

describe('createWebCryptoSuite (core CryptoSuite port on Web Crypto)', () => {
  const web = createWebCryptoSuite();
  const node = createNodeCrypto();

  it('hash: SHA-256 of bytes and of UTF-8 text, as node:crypto computes it', async () => {
    for (const data of ['', 'abc', 'Möbius ✓', new Uint8Array(0), Uint8Array.of(1, 2, 3)]) {
      expect(await web.hash(data, 'sha-256')).toEqual(new Uint8Array(createHash('sha256').update(data).digest()));
    }
    await expect(web.hash('x', 'sha-512' as 'sha-256')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('randomBytes: synchronous, the asked length (also above the 64 KiB getRandomValues limit), never repeating', () => {
    expect(web.randomBytes(0)).toEqual(new Uint8Array(0));
    const big = web.randomBytes(200_000);
    expect(big.length).toBe(200_000);
    expect(big.subarray(100_000).some((b) => b !== 0)).toBe(true);
    expect(Buffer.from(web.randomBytes(16)).equals(Buffer.from(web.randomBytes(16)))).toBe(false);
    expect(() => web.randomBytes(-1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('verifySignature: accepts node:crypto ES256 signatures, refuses altered ones, other algs and lengths', async () => {
    const { privateJwk, publicJwk } = node.generateKeyPair();
    const signature = node.signingKeyFromJwk({ privateJwk }).sign(INPUT);
    expect(await web.verifySignature({ alg: 'ES256', publicJwk, signingInput: INPUT, signature })).toBe(true);
    expect(await web.verifySignature({ alg: 'ES256', publicJwk, signingInput: `${INPUT}.`, signature })).toBe(false);
    const flipped = Uint8Array.from(signature);
    flipped[10]! ^= 1;
    expect(await web.verifySignature({ alg: 'ES256', publicJwk, signingInput: INPUT, signature: flipped })).toBe(false);
    expect(await web.verifySignature({ alg: 'ES256', publicJwk, signingInput: INPUT, signature: signature.subarray(0, 63) })).toBe(false);
    expect(await web.verifySignature({ alg: 'ES384' as 'ES256', publicJwk, signingInput: INPUT, signature })).toBe(false);
    // Same key again: served from the import cache.
    expect(await web.verifySignature({ alg: 'ES256', publicJwk, signingInput: INPUT, signature })).toBe(true);
  });

  it('verifySignature: KEY_INVALID for a key that is not a P-256 point or not a public JWK', async () => {
    const { privateJwk, publicJwk } = node.generateKeyPair();
    const signature = node.signingKeyFromJwk({ privateJwk }).sign(INPUT);
    const offCurve: PublicJwk = { ...publicJwk, y: publicJwk.x };
    await expect(web.verifySignature({ alg: 'ES256', publicJwk: offCurve, signingInput: INPUT, signature })).rejects.toMatchObject({ code: 'KEY_INVALID' });
    await expect(web.verifySignature({ alg: 'ES256', publicJwk: privateJwk, signingInput: INPUT, signature })).rejects.toMatchObject({ code: 'KEY_PRIVATE_IN_PUBLIC' });
  });

  it('generateKeyPair and signingKeyFromJwk interoperate with node:crypto both ways', async () => {
    const { privateJwk, publicJwk } = await web.generateKeyPair();
    expect(publicJwk).not.toHaveProperty('d');
    const webKey = await web.signingKeyFromJwk({ privateJwk, kid: 'k-1' });
    expect(webKey.kid).toBe('k-1');
    const signature = await webKey.sign(INPUT);
    expect(node.verifySignature({ alg: 'ES256', publicJwk, signingInput: INPUT, signature })).toBe(true);
    const key = createPublicKey({ key: { ...publicJwk }, format: 'jwk' });
    expect(nodeVerify('sha256', Buffer.from(INPUT), { key, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
    expect(await web.verifySignature({ alg: 'ES256', publicJwk, signingInput: INPUT, signature: node.signingKeyFromJwk({ privateJwk }).sign(INPUT) })).toBe(true);
  });

  it("works as core's asynchronous Hasher (JWK thumbprint agrees with node:crypto)", async () => {
    const { publicJwk } = node.generateKeyPair();
    expect(await calculateJwkThumbprint({ publicJwk, hash: web.hash })).toBe(await calculateJwkThumbprint({ publicJwk, hash: node.hash }));
  });

  it('verifies a whole presentation with core verifyPresentation (the browser wallet can check what it holds)', async () => {
    const kit = createCredentialKit();
    const holder = kit.newHolder();
    const credential = await kit.issue({ format: 'dc+sd-jwt', holder });
    const presentation = await presentCredential({ credential, claims: [['age_over_18']], nonce: KIT_NONCE, audience: kit.audience, holderKey: holder.signingKey, hash: web.hash, now: kit.now });
    const verify = (p: string) =>
      verifyPresentation({
        presentation: p,
        crypto: web,
        trust: createTrustedIssuerLookup(kit.trustedIssuers),
        status: kit.status,
        keyBinding: { nonce: KIT_NONCE, audience: kit.audience },
        replayCache: createMemoryReplayCache(),
        now: kit.now,
      });
    expect(await verify(presentation)).toMatchObject({ ok: true });
    // One character in the middle of the issuer's signature changed.
    const jwtEnd = presentation.indexOf('~');
    const at = presentation.lastIndexOf('.', jwtEnd) + 20;
    const tampered = `${presentation.slice(0, at)}${presentation[at] === 'A' ? 'B' : 'A'}${presentation.slice(at + 1)}`;
    expect(await verify(tampered)).toMatchObject({ ok: false, failures: expect.arrayContaining([expect.objectContaining({ code: 'SIGNATURE_INVALID' })]) });
  });
});
