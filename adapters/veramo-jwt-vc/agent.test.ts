import { describe, expect, it } from '@jest/globals';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { createJwtVcAgent } from './agent.js';
import { compressP256PublicJwk } from '../../core/did/p256-public-key.js';
import { importP256IssuerKey } from './import-issuer-key.js';

describe('createJwtVcAgent + importP256IssuerKey', () => {
  it('imports a node:crypto P-256 key as a did:key issuer with a Secp256r1 key (idempotent)', async () => {
    const agent = createJwtVcAgent();
    const { privateJwk, publicJwk } = createNodeCrypto().generateKeyPair();
    const did = await importP256IssuerKey({ agent, privateJwk });
    expect(did).toMatch(/^did:key:zDn/);
    expect(await importP256IssuerKey({ agent, privateJwk })).toBe(did);
    const identifier = await agent.didManagerGet({ did });
    expect(identifier.keys).toHaveLength(1);
    expect(identifier.keys[0]).toMatchObject({
      type: 'Secp256r1',
      publicKeyHex: Buffer.from(compressP256PublicJwk(publicJwk)).toString('hex'),
    });
    expect(await agent.didManagerFind()).toHaveLength(1);
  });

  it('resolves a P-256 did:key locally', async () => {
    const agent = createJwtVcAgent();
    const did = await importP256IssuerKey({ agent, privateJwk: createNodeCrypto().generateKeyPair().privateJwk });
    const { didDocument } = await agent.resolveDid({ didUrl: did });
    expect(didDocument?.verificationMethod?.[0]?.publicKeyJwk?.crv).toBe('P-256');
  });

  it('pins the DESIGN §6 pitfall: the did:key provider asked for Secp256r1 makes an Ed25519 key', async () => {
    const agent = createJwtVcAgent();
    const created = await agent.didManagerCreate({ provider: 'did:key', options: { keyType: 'Secp256r1' } });
    // If this ever starts giving P-256, importP256IssuerKey can be replaced by didManagerCreate.
    expect(created.keys[0]?.type).toBe('Ed25519');
    expect(created.did).toMatch(/^did:key:z6Mk/);
  });
});
