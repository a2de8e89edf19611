import { describe, expect, it } from '@jest/globals';
import { createNodeCrypto } from '../crypto/node-crypto.js';
import type { DidDocument } from './did-document.js';
import { createDidJwk, resolveDidJwk } from './did-jwk.js';
import { createDidKey, resolveDidKey } from './did-key.js';
import { SUPPORTED_DID_METHODS, findVerificationKey, publicJwkOfVerificationMethod, resolveDid } from './did-resolver.js';
import { buildDidWebDocument, parseDidWebDocument } from './did-web-document.js';
import { encodeP256Multikey } from './multikey.js';

const crypto = createNodeCrypto();
const webDid = 'did:web:city.example';

describe('resolveDid', () => {
  it('dispatches did:jwk, did:key and did:web', async () => {
    expect(SUPPORTED_DID_METHODS).toEqual(['jwk', 'key', 'web']);
    const { publicJwk } = crypto.generateKeyPair();
    const jwkDid = createDidJwk(publicJwk);
    expect(await resolveDid({ did: jwkDid })).toEqual(resolveDidJwk(jwkDid));
    const keyDid = createDidKey(publicJwk);
    expect(await resolveDid({ did: keyDid })).toEqual(resolveDidKey(keyDid));
    const document = await buildDidWebDocument({ did: webDid, keys: [{ publicJwk, id: 'k1' }] });
    const urls: string[] = [];
    const resolved = await resolveDid({
      did: webDid,
      fetchDocument: async ({ url }) => {
        urls.push(url);
        return JSON.stringify(document);
      },
    });
    expect(resolved).toEqual(document);
    expect(urls).toEqual(['https://city.example/.well-known/did.json']);
  });

  it('passes maxDocumentBytes and unsupportedMethods to did:web', async () => {
    const { publicJwk } = crypto.generateKeyPair();
    const document = await buildDidWebDocument({ did: webDid, keys: [{ publicJwk, id: 'k1' }] });
    const text = JSON.stringify(document);
    await expect(resolveDid({ did: webDid, fetchDocument: async () => text, maxDocumentBytes: 10 })).rejects.toMatchObject({
      code: 'INPUT_TOO_LARGE',
    });
    const mixed = JSON.stringify({
      ...document,
      verificationMethod: [...document.verificationMethod, { id: `${webDid}#x`, type: 'X25519KeyAgreementKey2019', controller: webDid }],
    });
    await expect(resolveDid({ did: webDid, fetchDocument: async () => mixed })).rejects.toMatchObject({ code: 'DID_KEY_UNSUPPORTED' });
    expect(await resolveDid({ did: webDid, fetchDocument: async () => mixed, unsupportedMethods: 'ignore' })).toEqual(document);
  });

  it('cannot resolve did:web without a fetcher: DID_NOT_FOUND', async () => {
    await expect(resolveDid({ did: webDid })).rejects.toMatchObject({ code: 'DID_NOT_FOUND' });
  });

  it('rejects other methods with DID_METHOD_UNSUPPORTED and bad syntax with DID_INVALID', async () => {
    for (const did of ['did:ethr:0x7777:0x89a932207c485f85226d86f7cd486a89a24fcc12', 'did:example:123', 'did:peer:2.Ez6LS']) {
      await expect(resolveDid({ did })).rejects.toMatchObject({ code: 'DID_METHOD_UNSUPPORTED' });
    }
    for (const did of ['', 'did:', 'did:web:city.example#key-1', 'not a did']) {
      await expect(resolveDid({ did })).rejects.toMatchObject({ code: 'DID_INVALID' });
    }
  });
});

describe('findVerificationKey', () => {
  async function issuerDocument(): Promise<{ document: DidDocument; keys: ReturnType<typeof crypto.generateKeyPair>['publicJwk'][] }> {
    const keys = [crypto.generateKeyPair().publicJwk, crypto.generateKeyPair().publicJwk];
    const built = await buildDidWebDocument({ did: webDid, keys: [{ publicJwk: keys[0]!, id: 'k1' }, { publicJwk: keys[1]!, id: 'k2' }] });
    return { document: built, keys };
  }

  it('returns the assertionMethod key named by an absolute or relative kid', async () => {
    const { document, keys } = await issuerDocument();
    expect(findVerificationKey({ document, kid: `${webDid}#k1` })).toEqual(keys[0]);
    expect(findVerificationKey({ document, kid: '#k2' })).toEqual(keys[1]);
  });

  it('needs no kid when exactly one method is listed (did:jwk, did:key)', () => {
    const { publicJwk } = crypto.generateKeyPair();
    const jwkDid = createDidJwk({ ...publicJwk, use: 'sig' });
    expect(findVerificationKey({ document: resolveDidJwk(jwkDid) })).toEqual(publicJwk);
    expect(findVerificationKey({ document: resolveDidJwk(jwkDid), kid: `${jwkDid}#0` })).toEqual(publicJwk);
    const keyDid = createDidKey(publicJwk);
    expect(findVerificationKey({ document: resolveDidKey(keyDid), kid: `#${keyDid.slice('did:key:'.length)}` })).toEqual(publicJwk);
  });

  it('reads Multikey methods', () => {
    const { publicJwk } = crypto.generateKeyPair();
    const document = parseDidWebDocument({
      did: webDid,
      document: {
        id: webDid,
        verificationMethod: [{ id: `${webDid}#mk`, type: 'Multikey', controller: webDid, publicKeyMultibase: encodeP256Multikey(publicJwk) }],
        assertionMethod: [`${webDid}#mk`],
      },
    });
    expect(findVerificationKey({ document, kid: `${webDid}#mk` })).toEqual(publicJwk);
    expect(publicJwkOfVerificationMethod(document.verificationMethod[0]!)).toEqual(publicJwk);
  });

  it('honours another relationship when asked', async () => {
    const { publicJwk } = crypto.generateKeyPair();
    const encDid = createDidJwk({ ...publicJwk, use: 'enc' });
    const document = resolveDidJwk(encDid);
    expect(() => findVerificationKey({ document })).toThrow(expect.objectContaining({ code: 'ISSUER_KEY_UNKNOWN' }));
    expect(findVerificationKey({ document, relationship: 'keyAgreement' })).toEqual(publicJwk);
  });

  it('rejects unknown, unlisted, foreign or malformed kids and ambiguity with ISSUER_KEY_UNKNOWN', async () => {
    const { document } = await issuerDocument();
    const onlyK1 = { ...document, assertionMethod: [`${webDid}#k1`] };
    const dangling = { ...document, assertionMethod: [`${webDid}#gone`] };
    for (const [doc, kid] of [
      [document, undefined], // two candidates
      [document, `${webDid}#k3`],
      [onlyK1, `${webDid}#k2`], // in verificationMethod, not in assertionMethod
      [document, 'did:web:evil.example#k1'],
      [document, 'did:web:city.example'],
      [document, '#'],
      [document, 'k1'],
      [document, ''],
      [document, `${webDid}/path#k1`],
      [dangling, `${webDid}#gone`],
      [{ ...document, assertionMethod: undefined }, undefined],
    ] as [DidDocument, string | undefined][]) {
      expect(() => findVerificationKey({ document: doc, ...(kid === undefined ? {} : { kid }) })).toThrow(
        expect.objectContaining({ code: 'ISSUER_KEY_UNKNOWN' }),
      );
    }
    expect(() => findVerificationKey({ document, kid: 42 as never })).toThrow(expect.objectContaining({ code: 'ISSUER_KEY_UNKNOWN' }));
  });

  it('never hands out a key of another DID, even if a hand-built document lists one', async () => {
    const { document, keys } = await issuerDocument();
    const foreign = 'did:web:evil.example#k1';
    const confused: DidDocument = {
      ...document,
      verificationMethod: [{ id: foreign, type: 'JsonWebKey2020', controller: 'did:web:evil.example', publicKeyJwk: keys[0]! }],
      assertionMethod: [foreign],
    };
    expect(() => findVerificationKey({ document: confused, kid: foreign })).toThrow(expect.objectContaining({ code: 'ISSUER_KEY_UNKNOWN' }));
  });

  it('re-checks keys of hand-built documents', async () => {
    const { document } = await issuerDocument();
    const { privateJwk } = crypto.generateKeyPair();
    const leaked: DidDocument = {
      ...document,
      verificationMethod: [{ id: `${webDid}#k1`, type: 'JsonWebKey2020', controller: webDid, publicKeyJwk: privateJwk }],
    };
    expect(() => findVerificationKey({ document: leaked, kid: '#k1' })).toThrow(expect.objectContaining({ code: 'KEY_PRIVATE_IN_PUBLIC' }));
  });
});
