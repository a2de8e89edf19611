import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { p256 } from '@noble/curves/nist.js';
import { Resolver } from 'did-resolver';
import { getResolver as getKeyDidResolver } from 'key-did-resolver';
import { base58btc } from 'multiformats/bases/base58';
import type { PublicJwk } from '../crypto/ports.js';
import { createNodeCrypto } from '../crypto/node-crypto.js';
import { base64urlDecode, base64urlEncode } from '../encoding/base64url.js';
import { DID_KEY_PREFIX, createDidKey, resolveDidKey } from './did-key.js';
import { compressP256PublicJwk } from './p256-public-key.js';

interface DidKeyVectors {
  source: string;
  p256: { did: string; didDocument: Record<string, unknown> & { verificationMethod: Record<string, unknown>[] } }[];
  unsupported: { name: string; file: string; did: string }[];
}

const vectors = JSON.parse(readFileSync(new URL('./fixtures/did-key-vectors.json', import.meta.url), 'utf8')) as DidKeyVectors;
const crypto = createNodeCrypto();
const reference = new Resolver(getKeyDidResolver());

/** A coordinate as a number, so that a shorter (leading-zero-stripped) encoding still compares equal. */
const coordinate = (value: string): bigint => BigInt(`0x${Buffer.from(base64urlDecode(value)).toString('hex') || '0'}`);

async function referenceKey(did: string): Promise<{ x: bigint; y: bigint }> {
  const { didDocument, didResolutionMetadata } = await reference.resolve(did);
  expect(didResolutionMetadata.error).toBeUndefined();
  const jwk = didDocument!.verificationMethod![0]!.publicKeyJwk as { x: string; y: string };
  return { x: coordinate(jwk.x), y: coordinate(jwk.y) };
}

describe('did:key (P-256)', () => {
  for (const vector of vectors.p256) {
    const method = vector.didDocument.verificationMethod[0]!;
    it(`did:key test-vectors/nist-curves.json ${vector.did.slice(0, 20)}…: same key and relationships (${String(method.type)})`, () => {
      const document = resolveDidKey(vector.did);
      const vmId = `${vector.did}#${vector.did.slice(DID_KEY_PREFIX.length)}`;
      expect(document.id).toBe(vector.didDocument.id);
      expect(document.verificationMethod).toHaveLength(1);
      const ours = document.verificationMethod[0]!;
      expect(ours).toMatchObject({ id: vmId, type: 'JsonWebKey2020', controller: vector.did });
      expect(method.id).toBe(vmId);
      if (method.publicKeyJwk !== undefined) {
        // JsonWebKey2020 vectors: the same JWK, and the same document apart from keyAgreement.
        expect(ours).toEqual(method);
        const { keyAgreement: _ignored, ...specWithoutKeyAgreement } = vector.didDocument;
        expect(document).toEqual(specWithoutKeyAgreement);
      } else {
        // P256Key2021 vector: publicKeyBase58 is the raw 33-byte compressed point.
        const publicKeyJwk = (ours as { publicKeyJwk: PublicJwk }).publicKeyJwk;
        expect(compressP256PublicJwk(publicKeyJwk)).toEqual(base58btc.baseDecode(method.publicKeyBase58 as string));
      }
      for (const relationship of ['authentication', 'assertionMethod', 'capabilityInvocation', 'capabilityDelegation'] as const) {
        expect(document[relationship]).toEqual(vector.didDocument[relationship]);
      }
    });

    it(`did:key test-vectors/nist-curves.json ${vector.did.slice(0, 20)}…: createDidKey gives back the DID`, () => {
      const { publicKeyJwk } = resolveDidKey(vector.did).verificationMethod[0] as { publicKeyJwk: PublicJwk };
      expect(createDidKey(publicKeyJwk)).toBe(vector.did);
    });

    it(`did:key test-vectors/nist-curves.json ${vector.did.slice(0, 20)}…: key-did-resolver 4.0.0 decodes the same x, y`, async () => {
      const { publicKeyJwk } = resolveDidKey(vector.did).verificationMethod[0] as { publicKeyJwk: PublicJwk };
      expect(await referenceKey(vector.did)).toEqual({ x: coordinate(publicKeyJwk.x), y: coordinate(publicKeyJwk.y) });
    });
  }

  it('spec §Document Creation Algorithm: no keyAgreement without encryption-key derivation', () => {
    const document = resolveDidKey(vectors.p256[0]!.did);
    expect(document.keyAgreement).toBeUndefined();
    expect(document['@context']).toEqual(['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1']);
  });

  for (const vector of vectors.unsupported) {
    it(`did:key test-vectors/${vector.file}: ${vector.name} ${vector.did.slice(0, 20)}… is refused with DID_KEY_UNSUPPORTED`, () => {
      expect(() => resolveDidKey(vector.did)).toThrow(expect.objectContaining({ code: 'DID_KEY_UNSUPPORTED' }));
    });
  }

  it('agrees with key-did-resolver on random keys, including a coordinate with a leading zero byte', async () => {
    const keys: PublicJwk[] = [];
    for (let i = 0; i < 10; i++) keys.push(crypto.generateKeyPair().publicJwk);
    for (let d = 1n; ; d++) {
      const bytes = p256.Point.BASE.multiply(d).toBytes(false);
      if (bytes[1] !== 0 && bytes[33] !== 0) continue;
      keys.push({ kty: 'EC', crv: 'P-256', x: base64urlEncode(bytes.subarray(1, 33)), y: base64urlEncode(bytes.subarray(33)) });
      break;
    }
    for (const publicJwk of keys) {
      const did = createDidKey(publicJwk);
      expect(resolveDidKey(did).verificationMethod[0]).toMatchObject({ publicKeyJwk: publicJwk });
      expect(await referenceKey(did)).toEqual({ x: coordinate(publicJwk.x), y: coordinate(publicJwk.y) });
    }
  });

  it('createDidKey rejects private, non-P-256 and off-curve keys', () => {
    const { privateJwk, publicJwk } = crypto.generateKeyPair();
    expect(() => createDidKey(privateJwk)).toThrow(expect.objectContaining({ code: 'KEY_PRIVATE_IN_PUBLIC' }));
    expect(() => createDidKey({ ...publicJwk, crv: 'P-384' } as never)).toThrow(expect.objectContaining({ code: 'DID_KEY_UNSUPPORTED' }));
    const y = base64urlDecode(publicJwk.y);
    y[31] = y[31]! ^ 1;
    expect(() => createDidKey({ ...publicJwk, y: base64urlEncode(y) })).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
  });

  it('rejects garbage with DID_INVALID', () => {
    const good = createDidKey(crypto.generateKeyPair().publicJwk);
    const id = good.slice(DID_KEY_PREFIX.length);
    for (const bad of [
      'did:key:',
      'did:key:z',
      'did:key:zzzz',
      `did:key:${id.slice(0, -2)}`, // truncated key
      `did:key:${id}1`, // trailing byte
      `did:key:1:${id}`, // version component
      `did:key:u${id.slice(1)}`, // not base58btc
      'did:key:zDnae0OIl', // characters outside the base58 alphabet
      `${good}#${id}`,
      good.replace('did:key:', 'did:jwk:'),
    ]) {
      expect(() => resolveDidKey(bad)).toThrow(expect.objectContaining({ code: 'DID_INVALID' }));
    }
  });

  it('rejects a p256-pub key that is not on the curve with KEY_INVALID', () => {
    const notOnCurve = new Uint8Array(35);
    notOnCurve.set([0x80, 0x24, 0x02]);
    notOnCurve[34] = 0x01;
    expect(() => resolveDidKey(DID_KEY_PREFIX + base58btc.encode(notOnCurve))).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
  });
});
