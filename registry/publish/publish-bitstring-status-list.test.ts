import { describe, expect, it } from '@jest/globals';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { base64urlEncodeString } from '../../core/encoding/base64url.js';
import { signCompactJws } from '../../core/jose/compact-jws.js';
import { StatusList } from '../../core/status/status-list.js';
import { publishBitstringStatusListCredential, verifyBitstringStatusListCredentialJwt } from './publish-bitstring-status-list.js';
import { publishTokenStatusList } from './publish-token-status-list.js';

const crypto = createNodeCrypto();
const keys = crypto.generateKeyPair();
const signingKey = crypto.signingKeyFromJwk({ privateJwk: keys.privateJwk, kid: 'did:web:city.example#status' });
const ID = 'https://city.example/status/1';
const NOW = 1_790_000_000;
const list = StatusList.create({ size: 131_072 });
list.set(3, 1);

async function published(overrides: { validUntil?: Date } = {}): Promise<string> {
  const { jwt } = await publishBitstringStatusListCredential({
    list,
    id: ID,
    issuer: 'did:web:city.example',
    signingKey,
    validFrom: new Date(NOW * 1000),
    validUntil: overrides.validUntil ?? new Date((NOW + 3600) * 1000),
  });
  return jwt;
}

const verify = (jwt: string, extra: { now?: number; expectedId?: string } = {}) =>
  verifyBitstringStatusListCredentialJwt({ jwt, expectedId: extra.expectedId ?? ID, publicJwk: keys.publicJwk, verifySignature: crypto.verifySignature, now: extra.now ?? NOW });

describe('vc+jwt Bitstring Status List credential: refusals', () => {
  it('accepts its own credential', async () => {
    await expect(verify(await published())).resolves.toMatchObject({ id: ID });
  });

  it('a tampered signature → SIGNATURE_INVALID; another key → SIGNATURE_INVALID', async () => {
    const jwt = await published();
    const flipped = `${jwt.slice(0, -2)}${jwt.endsWith('AA') ? 'BA' : 'AA'}`;
    await expect(verify(flipped)).rejects.toMatchObject({ code: expect.stringMatching(/SIGNATURE_INVALID|JWS_MALFORMED/) });
    const other = crypto.generateKeyPair();
    await expect(
      verifyBitstringStatusListCredentialJwt({ jwt, expectedId: ID, publicJwk: other.publicJwk, verifySignature: crypto.verifySignature, now: NOW }),
    ).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
  });

  it('another id → CLAIM_INVALID; expired → CREDENTIAL_EXPIRED; not yet valid → CREDENTIAL_NOT_YET_VALID', async () => {
    const jwt = await published();
    await expect(verify(jwt, { expectedId: 'https://city.example/status/2' })).rejects.toMatchObject({ code: 'CLAIM_INVALID' });
    await expect(verify(jwt, { now: NOW + 7200 })).rejects.toMatchObject({ code: 'CREDENTIAL_EXPIRED' });
    await expect(verify(jwt, { now: NOW - 7200 })).rejects.toMatchObject({ code: 'CREDENTIAL_NOT_YET_VALID' });
  });

  it('a statuslist+jwt is not a vc+jwt → TYP_INVALID; alg none → ALG_NONE', async () => {
    const token = await publishTokenStatusList({ list, uri: ID, signingKey, iat: NOW });
    await expect(verify(token)).rejects.toMatchObject({ code: 'TYP_INVALID' });
    const jwt = await published();
    const [, payload] = jwt.split('.');
    const none = `${base64urlEncodeString(JSON.stringify({ alg: 'none', typ: 'vc+jwt' }))}.${payload}.`;
    await expect(verify(none)).rejects.toMatchObject({ code: 'ALG_NONE' });
  });

  it('a payload wrapped in a vc claim → CLAIM_INVALID', async () => {
    const jwt = await signCompactJws({ header: { typ: 'vc+jwt' }, payload: { vc: { id: ID } }, signingKey });
    await expect(verify(jwt)).rejects.toMatchObject({ code: 'CLAIM_INVALID' });
  });

  it('refuses to sign with a non-ES256 key', async () => {
    await expect(
      publishBitstringStatusListCredential({ list, id: ID, issuer: 'did:web:city.example', signingKey: { ...signingKey, alg: 'EdDSA' as never }, validFrom: new Date() }),
    ).rejects.toMatchObject({ code: 'ALG_NOT_ALLOWED' });
  });
});
