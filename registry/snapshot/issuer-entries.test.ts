import { describe, expect, it } from '@jest/globals';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { calculateJwkThumbprint } from '../../core/keys/jwk-thumbprint.js';
import type { RegisteredIssuer } from '../chain/trusted-issuer-registry-client.js';
import { issuerKid, snapshotIssuerOf, thumbprintFromChain, thumbprintToChain, toTrustedIssuer } from './issuer-entries.js';

const crypto = createNodeCrypto();
const DID = 'did:web:city.example';

describe('snapshot issuer entries', () => {
  it('thumbprints: chain bytes32 ↔ RFC 7638 base64url', async () => {
    const publicJwk = crypto.generateKeyPair().publicJwk;
    const thumbprint = await calculateJwkThumbprint({ publicJwk, hash: crypto.hash });
    expect(thumbprintToChain(thumbprint)).toMatch(/^0x[0-9a-f]{64}$/);
    expect(thumbprintFromChain(thumbprintToChain(thumbprint))).toBe(thumbprint);
    expect(() => thumbprintFromChain('0x12')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => thumbprintToChain('AAAA')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('kid: a DID URL as given, a fragment joined to the DID, else did#thumbprint', () => {
    expect(issuerKid({ did: DID, thumbprint: 'T', kid: `${DID}#key-1` })).toBe(`${DID}#key-1`);
    expect(issuerKid({ did: DID, thumbprint: 'T', kid: '#key-1' })).toBe(`${DID}#key-1`);
    expect(issuerKid({ did: DID, thumbprint: 'T', kid: 'key-1' })).toBe(`${DID}#key-1`);
    expect(issuerKid({ did: DID, thumbprint: 'T' })).toBe(`${DID}#T`);
  });

  it('keeps only keys whose thumbprint the registry lists, once each; falls back to the previous entry for unknown keys', async () => {
    const [k1, k2, k3] = [crypto.generateKeyPair().publicJwk, crypto.generateKeyPair().publicJwk, crypto.generateKeyPair().publicJwk];
    const [t1, t2] = await Promise.all([k1, k2].map((publicJwk) => calculateJwkThumbprint({ publicJwk, hash: crypto.hash })));
    const registered: RegisteredIssuer = {
      issuerId: '0x00',
      did: DID,
      controller: '0x0000000000000000000000000000000000000001',
      keyThumbprints: [thumbprintToChain(t1!), thumbprintToChain(t2!)],
      credentialTypes: ['ResidentCredential'],
      validFrom: 1,
      validUntil: 2,
      suspended: false,
    };
    const entry = await snapshotIssuerOf({ registered, issuerKeys: { [DID]: [k1, { publicJwk: k1, kid: '#dup' }, k3, { ...k2, kid: 'key-2' }] }, hash: crypto.hash });
    expect(entry.keys).toEqual([
      { kid: `${DID}#${t1}`, thumbprint: t1, publicJwk: k1 },
      { kid: `${DID}#key-2`, thumbprint: t2, publicJwk: k2 },
    ]);
    const fromPrevious = await snapshotIssuerOf({ registered, previous: entry, hash: crypto.hash });
    expect(fromPrevious.keys).toEqual(entry.keys);
    expect(toTrustedIssuer(entry)).toEqual({
      id: DID,
      keys: [
        { kid: `${DID}#${t1}`, publicJwk: k1 },
        { kid: `${DID}#key-2`, publicJwk: k2 },
      ],
      credentialTypes: ['ResidentCredential'],
      validFrom: 1,
      validUntil: 2,
      suspended: false,
    });
    await expect(snapshotIssuerOf({ registered, issuerKeys: new Map([[DID, [{ ...k1, d: 'x'.repeat(43) } as never]]]), hash: crypto.hash })).rejects.toMatchObject({
      code: 'KEY_PRIVATE_IN_PUBLIC',
    });
  });
});
