import { beforeAll, describe, expect, it } from '@jest/globals';
import { compactVerify, importJWK } from 'jose';
import { verifyCredential } from 'did-jwt-vc';
import { publicPartOf } from '../../core/keys/public-jwk.js';
import {
  buildW3cCredential,
  encodeJwtVcPayload,
  VCDM_1_1_CONTEXT,
  VCDM_2_0_CONTEXT,
  type VcdmVersion,
} from '../../core/jwt-vc/index.js';
import { libraryPolicies } from './library-policies.js';
import { createLocalDidKeyResolver } from './local-resolver.js';
import { codes, createFixture, decodeParts, residentArgs, type Fixture } from './test-support.js';

const ISSUERS = ['did-jwt-vc', 'Veramo'] as const;
const VERIFIERS = ['did-jwt-vc', 'Veramo'] as const;
const VERSIONS: VcdmVersion[] = ['1.1', '2.0'];

let fx: Fixture;
beforeAll(async () => {
  fx = await createFixture();
});

describe.each(VERSIONS)('JWT VC interop, VCDM %s', (vcdmVersion) => {
  describe.each(ISSUERS)('issued by %s', (issuerName) => {
    it.each(VERIFIERS)('verifies through %s', async (verifierName) => {
      const args = residentArgs({ issuerDid: fx.issuerDid, vcdmVersion });
      const jwt = await fx.issuers[issuerName](args);
      const result = await fx.verifiers[verifierName]({ jwt, trustedIssuers: [fx.issuerDid] });
      expect(codes(result)).toEqual(['ok']);
      expect(result).toEqual({
        ok: true,
        vcdmVersion,
        issuer: fx.issuerDid,
        type: ['VerifiableCredential', 'ResidentCredential'],
        claims: args.claims,
        subjectId: args.subjectId,
        validFrom: new Date(Math.floor(args.validFrom.getTime() / 1000) * 1000),
        validUntil: new Date(Math.floor(args.validUntil.getTime() / 1000) * 1000),
        credentialStatus: args.credentialStatus,
      });
    });

    it('has the Urbis VC-JWT encoding, an ES256 JWT header and no iat', async () => {
      const args = residentArgs({ issuerDid: fx.issuerDid, vcdmVersion });
      const { header, payload } = decodeParts(await fx.issuers[issuerName](args));
      expect(header).toEqual({ alg: 'ES256', typ: 'JWT' });
      expect(payload).toEqual(encodeJwtVcPayload(buildW3cCredential(args)));
      const vc = payload.vc as Record<string, unknown>;
      if (vcdmVersion === '2.0') {
        expect(vc['@context']).toEqual([VCDM_2_0_CONTEXT]);
        expect(vc).toMatchObject({ validFrom: expect.any(String), validUntil: expect.any(String) });
        expect(vc).not.toHaveProperty('issuanceDate');
      } else {
        expect(vc['@context']).toEqual([VCDM_1_1_CONTEXT]);
      }
      expect(payload).not.toHaveProperty('iat');
      expect(vc.credentialStatus).toEqual(args.credentialStatus);
    });

    it('verifies with plain did-jwt-vc and with jose (independent ES256 check)', async () => {
      const jwt = await fx.issuers[issuerName](residentArgs({ issuerDid: fx.issuerDid, vcdmVersion }));
      const verified = await verifyCredential(jwt, createLocalDidKeyResolver(), { policies: libraryPolicies({ vcdmVersion }) });
      expect(verified.verified).toBe(true);
      expect(verified.verifiableCredential.credentialSubject.municipality).toBe('Lyon');
      const key = await importJWK({ ...publicPartOf(fx.privateJwk) }, 'ES256');
      await expect(compactVerify(jwt, key, { algorithms: ['ES256'] })).resolves.toBeDefined();
    });
  });

  it('both issuers produce the same claims set for the same arguments', async () => {
    const args = residentArgs({ issuerDid: fx.issuerDid, vcdmVersion });
    const [a, b] = await Promise.all(ISSUERS.map((name) => fx.issuers[name](args)));
    expect(decodeParts(a!).payload).toEqual(decodeParts(b!).payload);
  });
});

describe('did-jwt-vc 4.0.16 and VCDM 2.0 (why 2.0 is encoded by core)', () => {
  it('its default format policy refuses a VCDM 2.0 credential (1.1 base context required)', async () => {
    const jwt = await fx.issuers['did-jwt-vc'](residentArgs({ issuerDid: fx.issuerDid, vcdmVersion: '2.0' }));
    await expect(verifyCredential(jwt, createLocalDidKeyResolver())).rejects.toBeInstanceOf(TypeError);
  });
});
