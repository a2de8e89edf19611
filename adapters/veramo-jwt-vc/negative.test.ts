import { beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { createJWT, ES256Signer } from 'did-jwt';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { base64urlDecode, base64urlEncode, base64urlEncodeString } from '../../core/encoding/base64url.js';
import {
  buildW3cCredential,
  encodeJwtVcPayload,
  MAX_JWT_VC_BYTES,
  type JwtVcIssueArgs,
  type VcdmVersion,
} from '../../core/jwt-vc/index.js';
import { createDidJwtVcIssuer } from './did-jwt-vc-issuer.js';
import { codes, createFixture, DAY, decodeParts, residentArgs, withPayload, type Fixture } from './test-support.js';

const VERIFIERS = ['did-jwt-vc', 'Veramo'] as const;
const VERSIONS: VcdmVersion[] = ['1.1', '2.0'];

let fx: Fixture;
beforeAll(async () => {
  fx = await createFixture();
});

/** Signs the Urbis encoding of `args` with `d`, whatever `args.issuerDid` says. */
async function signAs({ args, d }: { args: JwtVcIssueArgs; d: string }): Promise<string> {
  const payload = encodeJwtVcPayload(buildW3cCredential(args));
  return createJWT({ ...payload, iat: undefined }, { issuer: payload.iss, signer: ES256Signer(base64urlDecode(d)) }, { alg: 'ES256' });
}

describe.each(VERIFIERS)('JWT VC negative cases, verified by %s', (verifierName) => {
  describe.each(VERSIONS)('VCDM %s', (vcdmVersion) => {
    const verify = (jwt: string, trustedIssuers?: string[], now?: Date) =>
      fx.verifiers[verifierName]({ jwt, ...(trustedIssuers ? { trustedIssuers } : {}), ...(now ? { now } : {}) });
    const args = (): JwtVcIssueArgs => residentArgs({ issuerDid: fx.issuerDid, vcdmVersion });

    it('tampered payload → JWT_VC_INVALID (signature)', async () => {
      const jwt = await fx.issuers['did-jwt-vc'](args());
      const { payload } = decodeParts(jwt);
      const vc = payload.vc as { credentialSubject: Record<string, unknown> };
      vc.credentialSubject.age_over_18 = false;
      const result = await verify(withPayload(jwt, payload));
      expect(codes(result)).toEqual(['JWT_VC_INVALID']);
      expect(!result.ok && result.failures[0]?.check).toBe('signature');
    });

    it('wrong issuer key (iss names another did:key) → JWT_VC_INVALID', async () => {
      const other = createDidJwtVcIssuer({ privateJwk: createNodeCrypto().generateKeyPair().privateJwk });
      const jwt = await signAs({ args: { ...args(), issuerDid: other.issuerDid }, d: fx.privateJwk.d });
      expect(codes(await verify(jwt))).toEqual(['JWT_VC_INVALID']);
    });

    it('expired → CREDENTIAL_EXPIRED (and valid at an earlier `now`)', async () => {
      const now = Date.now();
      const jwt = await fx.issuers.Veramo({ ...args(), validFrom: new Date(now - 30 * DAY), validUntil: new Date(now - DAY) });
      expect(codes(await verify(jwt))).toEqual(['CREDENTIAL_EXPIRED']);
      expect(codes(await verify(jwt, undefined, new Date(now - 2 * DAY)))).toEqual(['ok']);
    });

    it('not yet valid → CREDENTIAL_NOT_YET_VALID', async () => {
      const now = Date.now();
      const jwt = await fx.issuers['did-jwt-vc']({ ...args(), validFrom: new Date(now + DAY), validUntil: new Date(now + 30 * DAY) });
      expect(codes(await verify(jwt))).toEqual(['CREDENTIAL_NOT_YET_VALID']);
    });

    it('untrusted issuer → ISSUER_UNTRUSTED', async () => {
      const jwt = await fx.issuers.Veramo(args());
      const stranger = createDidJwtVcIssuer({ privateJwk: createNodeCrypto().generateKeyPair().privateJwk });
      expect(codes(await verify(jwt, [stranger.issuerDid]))).toEqual(['ISSUER_UNTRUSTED']);
      expect(codes(await verify(jwt, [fx.issuerDid]))).toEqual(['ok']);
    });

    it('alg none → ALG_NONE', async () => {
      const jwt = await fx.issuers['did-jwt-vc'](args());
      const [, payload] = jwt.split('.');
      const none = `${base64urlEncodeString(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payload}.`;
      expect(codes(await verify(none))).toEqual(['ALG_NONE']);
    });

    it('HMAC keyed with the public key (alg confusion) → ALG_HMAC', async () => {
      const jwt = await fx.issuers['did-jwt-vc'](args());
      const [, payload] = jwt.split('.');
      const input = `${base64urlEncodeString(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${payload}`;
      const mac = createHmac('sha256', JSON.stringify({ x: fx.privateJwk.x, y: fx.privateJwk.y })).update(input).digest();
      expect(codes(await verify(`${input}.${base64urlEncode(mac)}`))).toEqual(['ALG_HMAC']);
    });

    it(`oversized (a signed JWT above ${MAX_JWT_VC_BYTES} bytes) → INPUT_TOO_LARGE`, async () => {
      const jwt = await fx.issuers['did-jwt-vc']({ ...args(), claims: { ...args().claims, photo: 'A'.repeat(MAX_JWT_VC_BYTES) } });
      expect(jwt.length).toBeGreaterThan(MAX_JWT_VC_BYTES);
      expect(codes(await verify(jwt))).toEqual(['INPUT_TOO_LARGE']);
    });

    it('truncated signature → JWT_VC_INVALID', async () => {
      const jwt = await fx.issuers.Veramo(args());
      expect(codes(await verify(jwt.slice(0, -4)))).toEqual(['JWT_VC_INVALID']);
    });

    it('issuer DID needing the network (did:web) → DID_METHOD_UNSUPPORTED, nothing resolved', async () => {
      const jwt = await signAs({ args: { ...args(), issuerDid: 'did:web:city.example' }, d: fx.privateJwk.d });
      expect(codes(await verify(jwt))).toEqual(['DID_METHOD_UNSUPPORTED']);
    });
  });

  it('EdDSA JWT VC from an Ed25519 did:key (Veramo default) → ALG_NOT_ALLOWED', async () => {
    const ed = await fx.agent.didManagerCreate({ provider: 'did:key' });
    const vc = await fx.agent.createVerifiableCredential({
      credential: { issuer: ed.did, type: ['VerifiableCredential'], credentialSubject: { municipality: 'Lyon' } },
      proofFormat: 'jwt',
    });
    expect(decodeParts(vc.proof.jwt as string).header.alg).toBe('EdDSA');
    expect(codes(await fx.verifiers[verifierName]({ jwt: vc.proof.jwt as string }))).toEqual(['ALG_NOT_ALLOWED']);
  });
});
