import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { calculateJwkThumbprint as joseThumbprint } from 'jose';
import type { PublicJwk } from '../crypto/ports.js';
import { createNodeCrypto } from '../crypto/node-crypto.js';
import { base64urlDecode, base64urlEncode } from '../encoding/base64url.js';
import type { DidDocument } from './did-document.js';
import { MAX_VERIFICATION_METHODS, buildDidWebDocument, parseDidWebDocument } from './did-web-document.js';
import { encodeP256Multikey } from './multikey.js';

interface DocumentVector {
  name: string;
  source: string;
  did: string;
  document: Record<string, unknown>;
  p256MethodId: string | null;
  p256Jwk: PublicJwk | null;
}

const { documents } = JSON.parse(readFileSync(new URL('./fixtures/did-web-vectors.json', import.meta.url), 'utf8')) as {
  documents: DocumentVector[];
};

const crypto = createNodeCrypto();
const hash = crypto.hash;
const did = 'did:web:city.example';
const json = (document: DidDocument): Record<string, unknown> => JSON.parse(JSON.stringify(document)) as Record<string, unknown>;

function offCurve(jwk: PublicJwk): PublicJwk {
  const y = base64urlDecode(jwk.y);
  y[31] = y[31]! ^ 1;
  return { ...jwk, y: base64urlEncode(y) };
}

describe('buildDidWebDocument', () => {
  it('lists each key as JsonWebKey2020 named by its RFC 7638 thumbprint, under assertionMethod and authentication', async () => {
    const keys = [crypto.generateKeyPair().publicJwk, crypto.generateKeyPair().publicJwk];
    const document = await buildDidWebDocument({ did, keys: keys.map((publicJwk) => ({ publicJwk: { ...publicJwk, kid: 'dropped' } })), hash });
    const ids = await Promise.all(keys.map(async (key) => `${did}#${await joseThumbprint(key, 'sha256')}`));
    expect(document).toEqual({
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
      id: did,
      verificationMethod: keys.map((publicKeyJwk, i) => ({ id: ids[i], type: 'JsonWebKey2020', controller: did, publicKeyJwk })),
      authentication: ids,
      assertionMethod: ids,
    });
  });

  it('uses given ids, and needs no hash then', async () => {
    const { publicJwk } = crypto.generateKeyPair();
    const document = await buildDidWebDocument({ did: 'did:web:city.example%3A8443:issuers', keys: [{ publicJwk, id: 'key-2026' }] });
    expect(document.verificationMethod[0]!.id).toBe('did:web:city.example%3A8443:issuers#key-2026');
    expect(document.assertionMethod).toEqual(['did:web:city.example%3A8443:issuers#key-2026']);
  });

  it('builds documents that parseDidWebDocument accepts unchanged', async () => {
    const keys = [{ publicJwk: crypto.generateKeyPair().publicJwk }, { publicJwk: crypto.generateKeyPair().publicJwk, id: 'next' }];
    const document = await buildDidWebDocument({ did, keys, hash });
    expect(parseDidWebDocument({ did, document: json(document) })).toEqual(document);
  });

  it('rejects bad arguments with INVALID_ARGUMENT', async () => {
    const { publicJwk } = crypto.generateKeyPair();
    const other = crypto.generateKeyPair().publicJwk;
    const tooMany = Array.from({ length: MAX_VERIFICATION_METHODS + 1 }, (_, i) => ({ publicJwk, id: `k${i}` }));
    for (const args of [
      { did, keys: [], hash },
      { did, keys: tooMany, hash },
      { did, keys: [{ publicJwk }] },
      { did, keys: [{ publicJwk, id: '' }] },
      { did, keys: [{ publicJwk, id: 'a#b' }] },
      { did, keys: [{ publicJwk, id: 'a b' }] },
      { did, keys: [{ publicJwk, id: 'k' }, { publicJwk: other, id: 'k' }] },
      { did, keys: [{ publicJwk, id: 'k1' }, { publicJwk, id: 'k2' }] },
    ]) {
      await expect(buildDidWebDocument(args)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });

  it('rejects a bad did:web and bad keys', async () => {
    const { privateJwk, publicJwk } = crypto.generateKeyPair();
    await expect(buildDidWebDocument({ did: 'did:web:127.0.0.1', keys: [{ publicJwk }], hash })).rejects.toMatchObject({ code: 'DID_INVALID' });
    await expect(buildDidWebDocument({ did: 'did:key:z6Mk', keys: [{ publicJwk }], hash })).rejects.toMatchObject({ code: 'DID_INVALID' });
    await expect(buildDidWebDocument({ did, keys: [{ publicJwk: privateJwk }], hash })).rejects.toMatchObject({ code: 'KEY_PRIVATE_IN_PUBLIC' });
    await expect(buildDidWebDocument({ did, keys: [{ publicJwk: { ...publicJwk, crv: 'P-384' } as never }], hash })).rejects.toMatchObject({
      code: 'DID_KEY_UNSUPPORTED',
    });
    await expect(buildDidWebDocument({ did, keys: [{ publicJwk: offCurve(publicJwk) }], hash })).rejects.toMatchObject({ code: 'KEY_INVALID' });
  });
});

describe('parseDidWebDocument', () => {
  const jwk = crypto.generateKeyPair().publicJwk;
  const method = (fragment: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    id: `${did}#${fragment}`,
    type: 'JsonWebKey2020',
    controller: did,
    publicKeyJwk: jwk,
    ...extra,
  });
  const base = (): Record<string, unknown> => ({
    '@context': ['https://www.w3.org/ns/did/v1'],
    id: did,
    verificationMethod: [method('k1')],
    assertionMethod: [`${did}#k1`],
  });

  for (const vector of documents) {
    it(`${vector.source}: ${vector.name} is refused by default with DID_KEY_UNSUPPORTED`, () => {
      expect(() => parseDidWebDocument({ did: vector.did, document: vector.document })).toThrow(
        expect.objectContaining({ code: 'DID_KEY_UNSUPPORTED' }),
      );
    });

    it(`${vector.source}: ${vector.name} keeps only its P-256 key with unsupportedMethods: 'ignore'`, () => {
      const document = parseDidWebDocument({ did: vector.did, document: vector.document, unsupportedMethods: 'ignore' });
      const expected = vector.p256MethodId === null ? [] : [vector.p256MethodId];
      expect(document.verificationMethod.map((m) => m.id)).toEqual(expected);
      if (vector.p256Jwk !== null) expect(document.verificationMethod[0]).toMatchObject({ publicKeyJwk: vector.p256Jwk });
      for (const relationship of ['authentication', 'assertionMethod', 'keyAgreement'] as const) {
        if (vector.document[relationship] !== undefined) expect(document[relationship]).toEqual(expected);
      }
    });
  }

  it('accepts JsonWebKey and Multikey methods, embedded methods, a string @context, and drops other members', () => {
    const second = crypto.generateKeyPair().publicJwk;
    const third = crypto.generateKeyPair().publicJwk;
    const document = parseDidWebDocument({
      did,
      document: {
        '@context': 'https://www.w3.org/ns/did/v1',
        id: did,
        alsoKnownAs: ['https://city.example'],
        service: [{ id: `${did}#oid4vci`, type: 'OID4VCI', serviceEndpoint: 'https://city.example/oid4vci' }],
        verificationMethod: [
          method('k1', { type: 'JsonWebKey' }),
          { id: `${did}#mk`, type: 'Multikey', controller: did, publicKeyMultibase: encodeP256Multikey(second) },
        ],
        assertionMethod: [`${did}#k1`, `${did}#mk`],
        authentication: [{ id: `${did}#embedded`, type: 'JsonWebKey2020', controller: 'did:web:other.example', publicKeyJwk: third }],
      },
    });
    expect(document).toEqual({
      '@context': ['https://www.w3.org/ns/did/v1'],
      id: did,
      verificationMethod: [
        { id: `${did}#k1`, type: 'JsonWebKey', controller: did, publicKeyJwk: jwk },
        { id: `${did}#mk`, type: 'Multikey', controller: did, publicKeyMultibase: encodeP256Multikey(second) },
        { id: `${did}#embedded`, type: 'JsonWebKey2020', controller: 'did:web:other.example', publicKeyJwk: third },
      ],
      authentication: [`${did}#embedded`],
      assertionMethod: [`${did}#k1`, `${did}#mk`],
    });
  });

  it('accepts a document without @context (plain JSON DID processing, did:web spec §Key Material and Document Handling)', () => {
    const { '@context': _context, ...noContext } = base();
    expect(parseDidWebDocument({ did, document: noContext })['@context']).toBeUndefined();
  });

  it('rejects private key material anywhere with KEY_PRIVATE_IN_PUBLIC (also when ignoring unsupported methods)', () => {
    const { privateJwk } = crypto.generateKeyPair();
    const cases = [
      { ...base(), verificationMethod: [method('k1', { publicKeyJwk: privateJwk })] },
      { ...base(), verificationMethod: [method('k1', { privateKeyJwk: privateJwk })] },
      { ...base(), verificationMethod: [method('k1', { privateKeyMultibase: 'z3u2...' })] },
      { ...base(), verificationMethod: [method('k1', { type: 'Ed25519VerificationKey2018', privateKeyBase58: 'abc' })] },
      { ...base(), verificationMethod: [method('k1', { publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', x: 'x', d: 'd' } })] },
      { ...base(), assertionMethod: [method('k2', { publicKeyJwk: privateJwk })] },
    ];
    for (const document of cases) {
      for (const unsupportedMethods of ['reject', 'ignore'] as const) {
        expect(() => parseDidWebDocument({ did, document, unsupportedMethods })).toThrow(expect.objectContaining({ code: 'KEY_PRIVATE_IN_PUBLIC' }));
      }
    }
  });

  it('rejects unusable keys and method types with DID_KEY_UNSUPPORTED', () => {
    for (const document of [
      { ...base(), verificationMethod: [method('k1', { publicKeyJwk: { ...jwk, crv: 'P-384' } })] },
      { ...base(), verificationMethod: [method('k1', { type: 'EcdsaSecp256k1VerificationKey2019' })] },
      { ...base(), verificationMethod: [method('k1', { type: 'Multikey', publicKeyMultibase: 'z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' })] },
    ]) {
      expect(() => parseDidWebDocument({ did, document })).toThrow(expect.objectContaining({ code: 'DID_KEY_UNSUPPORTED' }));
    }
  });

  it('rejects malformed P-256 keys with KEY_INVALID, even when ignoring unsupported methods', () => {
    for (const unsupportedMethods of ['reject', 'ignore'] as const) {
      expect(() =>
        parseDidWebDocument({ did, document: { ...base(), verificationMethod: [method('k1', { publicKeyJwk: offCurve(jwk) })] }, unsupportedMethods }),
      ).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
      expect(() =>
        parseDidWebDocument({ did, document: { ...base(), verificationMethod: [method('k1', { publicKeyJwk: 'jwk' })] }, unsupportedMethods }),
      ).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    }
  });

  it('rejects structural problems and DID mismatches with DID_INVALID', () => {
    const cases: unknown[] = [
      null,
      [],
      'document',
      { ...base(), id: 'did:web:other.example' },
      { ...base(), id: undefined },
      { ...base(), '@context': ['https://www.w3.org/2018/credentials/v1'] },
      { ...base(), '@context': [] },
      { ...base(), '@context': 42 },
      { ...base(), '@context': ['https://www.w3.org/ns/did/v1', 7] },
      { ...base(), verificationMethod: method('k1') },
      { ...base(), verificationMethod: ['did:web:city.example#k1'] },
      { ...base(), verificationMethod: [method('k1', { id: '#k1' })] }, // relative (spec: absolute DID URLs only)
      { ...base(), verificationMethod: [method('k1', { id: 'did:web:other.example#k1' })] },
      { ...base(), verificationMethod: [method('k1', { id: did })] },
      { ...base(), verificationMethod: [method('k1', { controller: 'not a did' })] },
      { ...base(), verificationMethod: [method('k1', { controller: undefined })] },
      { ...base(), verificationMethod: [method('k1', { type: undefined })] },
      { ...base(), verificationMethod: [method('k1', { type: 'Multikey' })] },
      { ...base(), verificationMethod: [method('k1', { type: 'Multikey', publicKeyMultibase: 'zGarbage0' })] },
      { ...base(), verificationMethod: [method('k1'), method('k1')] },
      { ...base(), assertionMethod: `${did}#k1` },
      { ...base(), assertionMethod: ['#k1'] },
      { ...base(), assertionMethod: [`${did}#missing`] },
      { ...base(), assertionMethod: ['did:web:other.example#k1'] },
      { ...base(), assertionMethod: [method('k1')] }, // embedded duplicate of a listed method
      { ...base(), assertionMethod: [42] },
      // an embedded method serves only its own relationship (DID Core §5.3)
      { ...base(), authentication: [method('emb')], assertionMethod: [`${did}#emb`] },
    ];
    for (const document of cases) {
      expect(() => parseDidWebDocument({ did, document })).toThrow(expect.objectContaining({ code: 'DID_INVALID' }));
    }
    expect(() => parseDidWebDocument({ did: 'did:web:127.0.0.1', document: base() })).toThrow(expect.objectContaining({ code: 'DID_INVALID' }));
  });

  it('refuses too many methods or relationship entries with INPUT_TOO_LARGE', () => {
    const many = Array.from({ length: MAX_VERIFICATION_METHODS + 1 }, (_, i) => method(`k${i}`));
    expect(() => parseDidWebDocument({ did, document: { ...base(), verificationMethod: many } })).toThrow(
      expect.objectContaining({ code: 'INPUT_TOO_LARGE' }),
    );
    const refs = Array.from({ length: MAX_VERIFICATION_METHODS + 1 }, () => `${did}#k1`);
    expect(() => parseDidWebDocument({ did, document: { ...base(), assertionMethod: refs } })).toThrow(
      expect.objectContaining({ code: 'INPUT_TOO_LARGE' }),
    );
    const listed = Array.from({ length: MAX_VERIFICATION_METHODS }, (_, i) => method(`k${i}`));
    expect(() => parseDidWebDocument({ did, document: { ...base(), verificationMethod: listed, authentication: [method('extra')] } })).toThrow(
      expect.objectContaining({ code: 'INPUT_TOO_LARGE' }),
    );
  });

  it('rejects an unknown unsupportedMethods policy with INVALID_ARGUMENT', () => {
    expect(() => parseDidWebDocument({ did, document: base(), unsupportedMethods: 'skip' as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
