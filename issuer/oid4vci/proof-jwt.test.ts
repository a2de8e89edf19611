import { describe, expect, it } from '@jest/globals';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import type { PrivateJwk } from '../../core/crypto/ports.js';
import { base64urlEncodeString } from '../../core/encoding/base64url.js';
import { buildProofJwt } from '../testing/oid4vci-test-client.js';
import { verifyProofJwts } from './proof-jwt.js';

const crypto = createNodeCrypto();
const audience = 'http://127.0.0.1:8080';
const now = 1_750_000_000;
const nonce = 'c-nonce-1';
const keys: PrivateJwk[] = Array.from({ length: 11 }, () => crypto.generateKeyPair().privateJwk);
const key = keys[0]!;

const proof = (overrides: Partial<Parameters<typeof buildProofJwt>[0]> = {}): string =>
  buildProofJwt({ privateJwk: key, audience, nonce, iat: now, ...overrides });

const verify = (proofs: string[], extra: { maxAgeSeconds?: number; skewSeconds?: number } = {}) =>
  verifyProofJwts({ proofs, audience, expectedNonce: nonce, now, crypto, ...extra });

describe('verifyProofJwts (OID4VCI 1.0 Appendix F.1, F.4)', () => {
  it('accepts a batch of 10 proofs and returns their public keys, in order, without d or kid', async () => {
    const proofs = keys.slice(0, 10).map((privateJwk) => proof({ privateJwk, header: { jwk: { ...privateJwk, d: undefined, kid: 'wallet-key' } } }));
    const holderKeys = await verify(proofs);
    expect(holderKeys).toHaveLength(10);
    holderKeys.forEach((holderKey, i) => {
      expect(holderKey).toEqual({ kty: 'EC', crv: 'P-256', x: keys[i]!.x, y: keys[i]!.y });
    });
  });

  it('consumes the common nonce once per request, after every other check', async () => {
    const seen: string[] = [];
    const consumeNonce = async (value: string): Promise<boolean> => {
      seen.push(value);
      return value === nonce;
    };
    const proofs = keys.slice(0, 3).map((privateJwk) => proof({ privateJwk }));
    await expect(verifyProofJwts({ proofs, audience, consumeNonce, now, crypto })).resolves.toHaveLength(3);
    expect(seen).toEqual([nonce]);

    const forged = [proof(), `${proof({ privateJwk: keys[1]! }).slice(0, -4)}AAAA`];
    await expect(verifyProofJwts({ proofs: forged, audience, consumeNonce, now, crypto })).rejects.toMatchObject({ code: 'PROOF_INVALID' });
    expect(seen).toEqual([nonce]);

    await expect(verifyProofJwts({ proofs: [proof()], audience, consumeNonce: () => false, now, crypto })).rejects.toMatchObject({
      code: 'PROOF_NONCE_INVALID',
    });
  });

  it.each([
    ['alg none', () => proof({ alg: 'none' }), 'ALG_NONE'],
    ['alg HS256 (HMAC confusion)', () => proof({ alg: 'HS256' }), 'ALG_HMAC'],
    ['alg ES384', () => proof({ alg: 'ES384' }), 'ALG_NOT_ALLOWED'],
    ['wrong typ (JWT)', () => proof({ typ: 'JWT' }), 'TYP_INVALID'],
    ['missing typ', () => proof({ header: { typ: undefined } }), 'TYP_INVALID'],
    ['missing jwk', () => proof({ header: { jwk: undefined } }), 'no jwk'],
    ['jwk with a private part d', () => proof({ header: { jwk: key } }), 'private key'],
    ['jwk on another curve', () => proof({ header: { jwk: { ...key, d: undefined, crv: 'P-384' } } }), 'not a public P-256 key'],
    ['jwk that is not an object', () => proof({ header: { jwk: 'key' } }), 'not a public P-256 key'],
    ['jwk off the curve', () => proof({ header: { jwk: { kty: 'EC', crv: 'P-256', x: keys[1]!.x, y: keys[2]!.y } } }), 'usable'],
    ['kid next to jwk', () => proof({ header: { kid: 'did:example:123#1' } }), 'kid'],
    ['x5c instead of a jwk', () => proof({ header: { jwk: undefined, x5c: ['MIIB'] } }), 'HEADER_EMBEDDED_KEY'],
    ['crit header', () => proof({ header: { crit: ['exp'] } }), 'HEADER_CRIT_UNSUPPORTED'],
    ['signature by another key', () => proof({ header: { jwk: { kty: 'EC', crv: 'P-256', x: keys[1]!.x, y: keys[1]!.y } } }), 'signature'],
    [
      'altered payload',
      () => {
        const [h, , s] = proof().split('.');
        return `${h}.${base64urlEncodeString(JSON.stringify({ aud: audience, iat: now + 1, nonce }))}.${s}`;
      },
      'signature',
    ],
    ['truncated signature', () => proof().slice(0, -10), 'signature'],
    ['malformed JWS (two parts)', () => proof().split('.').slice(0, 2).join('.'), 'malformed'],
    ['malformed JWS (garbage)', () => 'not.a.jws', 'malformed'],
    ['iat too old', () => proof({ iat: now - 301 }), 'too old'],
    ['iat in the future', () => proof({ iat: now + 61 }), 'future'],
    ['iat missing', () => proof({ payload: { iat: undefined } }), 'iat is required'],
    ['iat not a number', () => proof({ payload: { iat: String(now) } }), 'iat is required'],
    ['expired exp', () => proof({ payload: { exp: now - 120 } }), 'expired'],
    ['nonce missing', () => proof({ nonce: undefined }), 'nonce is required'],
    ['over-long proof', () => proof({ payload: { pad: 'x'.repeat(5000) } }), 'too long'],
  ])('refuses %s with PROOF_INVALID', async (_label, make, reason) => {
    const error = await verify([make()]).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toMatchObject({ code: 'PROOF_INVALID' });
    expect(error?.message).toContain(reason);
  });

  it.each([
    ['another audience', 'https://other.example'],
    ['an audience array holding the issuer', [audience]],
    ['no audience', undefined],
  ])('refuses %s with PROOF_AUD_INVALID', async (_label, aud) => {
    await expect(verify([proof({ payload: { aud } })])).rejects.toMatchObject({ code: 'PROOF_AUD_INVALID' });
  });

  it('refuses a wrong nonce, a non-string nonce and proofs carrying different nonces with PROOF_NONCE_INVALID', async () => {
    await expect(verify([proof({ nonce: 'stale' })])).rejects.toMatchObject({ code: 'PROOF_NONCE_INVALID' });
    await expect(verify([proof({ payload: { nonce: 42 } })])).rejects.toMatchObject({ code: 'PROOF_NONCE_INVALID' });
    await expect(verify([proof(), proof({ privateJwk: keys[1]!, nonce: 'other' })])).rejects.toMatchObject({ code: 'PROOF_NONCE_INVALID' });
  });

  it('accepts iat at both edges of the window, and honours custom windows', async () => {
    await expect(verify([proof({ iat: now - 300 })])).resolves.toHaveLength(1);
    await expect(verify([proof({ iat: now + 60 })])).resolves.toHaveLength(1);
    await expect(verify([proof({ iat: now - 100 })], { maxAgeSeconds: 60 })).rejects.toMatchObject({ code: 'PROOF_INVALID' });
    await expect(verify([proof({ iat: now + 10 })], { skewSeconds: 0 })).rejects.toMatchObject({ code: 'PROOF_INVALID' });
  });

  it('refuses the same key in two proofs of a batch (one key per one-time copy)', async () => {
    await expect(verify([proof(), proof({ privateJwk: keys[1]! }), proof({ iat: now - 1 })])).rejects.toMatchObject({ code: 'PROOF_INVALID' });
  });

  it('refuses an empty proof list and a non-string proof', async () => {
    await expect(verify([])).rejects.toMatchObject({ code: 'PROOF_INVALID' });
    await expect(verify([42 as unknown as string])).rejects.toMatchObject({ code: 'PROOF_INVALID' });
  });

  it('wants exactly one of expectedNonce and consumeNonce', async () => {
    const args = { proofs: [proof()], audience, now, crypto };
    await expect(verifyProofJwts(args as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(verifyProofJwts({ ...args, expectedNonce: nonce, consumeNonce: () => true } as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('works with an asynchronous signature verifier (Web Crypto style)', async () => {
    const verifySignature = async (a: Parameters<typeof crypto.verifySignature>[0]) => crypto.verifySignature(a);
    await expect(verifyProofJwts({ proofs: [proof()], audience, expectedNonce: nonce, now, crypto: { verifySignature } })).resolves.toHaveLength(1);
  });

  it('never puts key material or nonces in error messages', async () => {
    for (const bad of [proof({ header: { jwk: key } }), proof({ nonce: 'secret-nonce' })]) {
      const error = await verify([bad]).then(() => new Error('no error'), (e: unknown) => e as Error);
      expect(error.message).not.toContain(key.d);
      expect(error.message).not.toContain(key.x);
      expect(error.message).not.toContain('secret-nonce');
    }
  });
});
