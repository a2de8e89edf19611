import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { createNodeCrypto } from '../crypto/node-crypto.js';
import { base64urlDecodeString, base64urlEncodeString } from '../encoding/base64url.js';
import type { DidDocument } from './did-document.js';
import { DID_JWK_PREFIX, createDidJwk, resolveDidJwk } from './did-jwk.js';

interface DidJwkVectors {
  source: string;
  p256: { did: string; didUrl: string; didDocument: DidDocument };
  x25519: { did: string };
}

const vectors = JSON.parse(readFileSync(new URL('./fixtures/did-jwk-vectors.json', import.meta.url), 'utf8')) as DidJwkVectors;
const crypto = createNodeCrypto();
const didJwkOf = (jwk: unknown): string => DID_JWK_PREFIX + base64urlEncodeString(JSON.stringify(jwk));

describe('did:jwk', () => {
  it('did:jwk spec §Examples P-256: resolves to the spec document', () => {
    expect(resolveDidJwk(vectors.p256.did)).toEqual(vectors.p256.didDocument);
  });

  it('did:jwk spec §Examples P-256: createDidJwk gives back the spec DID (lexicographic members)', () => {
    const { publicKeyJwk } = vectors.p256.didDocument.verificationMethod[0] as { publicKeyJwk: { x: string; y: string } };
    expect(createDidJwk({ kty: 'EC', crv: 'P-256', x: publicKeyJwk.x, y: publicKeyJwk.y })).toBe(vectors.p256.did);
    expect(createDidJwk({ y: publicKeyJwk.y, x: publicKeyJwk.x, kid: 'ignored', alg: 'ES256', crv: 'P-256', kty: 'EC' })).toBe(vectors.p256.did);
  });

  it('did:jwk spec §Examples X25519: refused with DID_KEY_UNSUPPORTED', () => {
    expect(() => resolveDidJwk(vectors.x25519.did)).toThrow(expect.objectContaining({ code: 'DID_KEY_UNSUPPORTED' }));
  });

  it('spec §Create: serialises crv, kty, use, x, y in that order, no whitespace', () => {
    const { publicJwk } = crypto.generateKeyPair();
    const did = createDidJwk({ ...publicJwk, use: 'sig' });
    expect(base64urlDecodeString(did.slice(DID_JWK_PREFIX.length))).toBe(
      `{"crv":"P-256","kty":"EC","use":"sig","x":"${publicJwk.x}","y":"${publicJwk.y}"}`,
    );
  });

  it('spec §Read: accepts any member order and whitespace, keeps kid/alg/use, drops other members', () => {
    const { publicJwk } = crypto.generateKeyPair();
    const text = `{ "y": "${publicJwk.y}", "x": "${publicJwk.x}", "kty": "EC", "crv": "P-256", "kid": "k1", "alg": "ES256", "ext": true }`;
    const did = DID_JWK_PREFIX + base64urlEncodeString(text);
    const document = resolveDidJwk(did);
    expect(document.verificationMethod).toEqual([
      { id: `${did}#0`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: { ...publicJwk, kid: 'k1', alg: 'ES256' } },
    ]);
  });

  it('spec §Create the DID Document: use "sig" drops keyAgreement, use "enc" gives keyAgreement only', () => {
    const { publicJwk } = crypto.generateKeyPair();
    const noUse = resolveDidJwk(createDidJwk(publicJwk));
    expect(Object.keys(noUse)).toEqual([
      '@context',
      'id',
      'verificationMethod',
      'assertionMethod',
      'authentication',
      'capabilityInvocation',
      'capabilityDelegation',
      'keyAgreement',
    ]);
    const sigDid = createDidJwk({ ...publicJwk, use: 'sig' });
    const sig = resolveDidJwk(sigDid);
    expect(sig.keyAgreement).toBeUndefined();
    expect(sig.assertionMethod).toEqual([`${sigDid}#0`]);
    expect(sig.authentication).toEqual([`${sigDid}#0`]);
    const encDid = createDidJwk({ ...publicJwk, use: 'enc' });
    const enc = resolveDidJwk(encDid);
    expect(enc.keyAgreement).toEqual([`${encDid}#0`]);
    for (const relationship of ['assertionMethod', 'authentication', 'capabilityInvocation', 'capabilityDelegation'] as const) {
      expect(enc[relationship]).toBeUndefined();
    }
  });

  it('rejects private keys with KEY_PRIVATE_IN_PUBLIC (spec §Security)', () => {
    const { privateJwk } = crypto.generateKeyPair();
    expect(() => createDidJwk(privateJwk)).toThrow(expect.objectContaining({ code: 'KEY_PRIVATE_IN_PUBLIC' }));
    expect(() => resolveDidJwk(didJwkOf(privateJwk))).toThrow(expect.objectContaining({ code: 'KEY_PRIVATE_IN_PUBLIC' }));
  });

  it('rejects non-P-256 keys with DID_KEY_UNSUPPORTED', () => {
    const { publicJwk } = crypto.generateKeyPair();
    for (const jwk of [
      { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
      { ...publicJwk, crv: 'secp256k1' },
      { kty: 'RSA', n: 'sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw', e: 'AQAB' },
    ]) {
      expect(() => resolveDidJwk(didJwkOf(jwk))).toThrow(expect.objectContaining({ code: 'DID_KEY_UNSUPPORTED' }));
      expect(() => createDidJwk(jwk as never)).toThrow(expect.objectContaining({ code: 'DID_KEY_UNSUPPORTED' }));
    }
  });

  it('rejects malformed P-256 keys and off-curve points with KEY_INVALID', () => {
    const { publicJwk } = crypto.generateKeyPair();
    const flipped = { ...publicJwk, y: publicJwk.y.startsWith('A') ? `B${publicJwk.y.slice(1)}` : `A${publicJwk.y.slice(1)}` };
    expect(() => resolveDidJwk(didJwkOf(flipped))).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    expect(() => createDidJwk(flipped)).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    expect(() => resolveDidJwk(didJwkOf({ ...publicJwk, x: 'short' }))).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    expect(() => resolveDidJwk(didJwkOf({ ...publicJwk, use: ['sig'] }))).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
  });

  it('rejects malformed DIDs with DID_INVALID', () => {
    const { publicJwk } = crypto.generateKeyPair();
    const good = createDidJwk(publicJwk);
    for (const bad of [
      'did:jwk:',
      'did:jwk:!!!',
      `${good}=`,
      `${good}:extra`,
      `${good}#0`,
      good.replace('did:jwk:', 'did:key:'),
      DID_JWK_PREFIX + base64urlEncodeString('not json'),
      DID_JWK_PREFIX + base64urlEncodeString('[1,2]'),
      DID_JWK_PREFIX + base64urlEncodeString('"jwk"'),
      DID_JWK_PREFIX + base64urlEncodeString('null'),
      'did:jwk:_w', // decodes to a byte that is not UTF-8
      'did:jwk:eyJ', // truncated
    ]) {
      expect(() => resolveDidJwk(bad)).toThrow(expect.objectContaining({ code: 'DID_INVALID' }));
    }
  });

  it('refuses an over-long DID with INPUT_TOO_LARGE', () => {
    expect(() => resolveDidJwk(`did:jwk:${'A'.repeat(4000)}`)).toThrow(expect.objectContaining({ code: 'INPUT_TOO_LARGE' }));
  });

  it('never echoes the DID or key in error messages', () => {
    const { privateJwk } = crypto.generateKeyPair();
    const did = didJwkOf(privateJwk);
    try {
      resolveDidJwk(did);
      throw new Error('expected a failure');
    } catch (error) {
      const { message } = error as Error;
      expect(message).not.toContain(privateJwk.d);
      expect(message).not.toContain(did.slice(8, 40));
    }
  });
});
