import { describe, expect, it } from '@jest/globals';
import { SDJwtInstance } from '@sd-jwt/core';
import { digest, ES256 } from '@sd-jwt/crypto-nodejs';
import type { ResidentClaims } from '../credentials/credential-types.js';
import { decodeCompactJws } from '../jose/compact-jws.js';
import { decodeDisclosure } from '../sd-jwt/disclosure.js';
import { createCredentialKit, KIT_NONCE } from '../test-kit/credential-kit.js';
import type { SdJwtCredentialFormat } from '../verification/verification-result.js';

const kit = createCredentialKit();
/** The kit's day: a credential valid from its start has `validFrom` equal to its day-rounded `iat`. */
const dayStart = Math.floor(kit.now / 86_400) * 86_400;
const { region: _region, ...addressWithoutRegion } = kit.residentClaims.address;
const withoutRegion: ResidentClaims = { ...kit.residentClaims, address: addressWithoutRegion };

/** The issuer-signed payload and the digest counts of the subject's level and of the address level. */
function inspect(credential: string, format: SdJwtCredentialFormat): { payload: Record<string, unknown>; subjectDigests: number; addressDigests: number } {
  const [jwt, ...rest] = credential.split('~');
  const { payload } = decodeCompactJws(jwt!);
  const subject = (format === 'vc+sd-jwt' ? payload.credentialSubject : payload) as { _sd: string[] };
  const address = rest.filter((d) => d !== '').map((d) => decodeDisclosure(d)).find((d) => d.name === 'address')!;
  return { payload, subjectDigests: subject._sd.length, addressDigests: (address.value as { _sd: string[] })._sd.length };
}

describe('issueCredentialBatch: size without loss', () => {
  it.each(['dc+sd-jwt', 'vc+sd-jwt'] as const)('%s: every copy of a ResidentCredential shows the same digest count per level, with or without the optional region', async (format) => {
    for (const claims of [kit.residentClaims, withoutRegion]) {
      for (let i = 0; i < 3; i++) {
        const credential = await kit.issue({ format, holder: kit.newHolder(), statusIndex: 300 + i, overrides: { claims } });
        const { subjectDigests, addressDigests } = inspect(credential, format);
        expect([subjectDigests, addressDigests]).toEqual([8, 5]);
      }
    }
  });

  it('decoysPerLevel still fixes the decoys at every level instead', async () => {
    const credential = await kit.issue({ format: 'dc+sd-jwt', holder: kit.newHolder(), statusIndex: 310, overrides: { claims: withoutRegion, decoysPerLevel: 2 } });
    const { subjectDigests, addressDigests } = inspect(credential, 'dc+sd-jwt');
    expect([subjectDigests, addressDigests]).toEqual([8 + 2, 4 + 2]);
  });

  it.each(['dc+sd-jwt', 'vc+sd-jwt'] as const)('%s: no _sd_alg (RFC 9901 default sha-256); nbf only when it differs from iat', async (format) => {
    const sameDay = inspect(await kit.issue({ format, holder: kit.newHolder(), statusIndex: 320, overrides: { validFrom: dayStart } }), format).payload;
    expect(sameDay).not.toHaveProperty('_sd_alg');
    expect(sameDay.iat).toBe(dayStart);
    expect(sameDay).not.toHaveProperty('nbf');
    const earlier = inspect(await kit.issue({ format, holder: kit.newHolder(), statusIndex: 321, overrides: { validFrom: dayStart - 86_400 } }), format).payload;
    expect(earlier.nbf).toBe(dayStart - 86_400);
  });

  it('a copy without nbf and _sd_alg verifies in Urbis and in sd-jwt-js, and is refused before its iat by both (the window is unchanged)', async () => {
    const holder = kit.newHolder();
    const credential = await kit.issue({ format: 'dc+sd-jwt', holder, statusIndex: 330, overrides: { validFrom: dayStart } });
    const presentation = await kit.present({ credential, holder, claims: [['age_over_18'], ['municipality']] });
    expect(await kit.verify({ presentation })).toMatchObject({ ok: true, claims: { age_over_18: true, municipality: kit.residentClaims.municipality } });
    const library = new SDJwtInstance<Record<string, unknown>>({
      hasher: digest,
      verifier: await ES256.getVerifier(kit.issuer.keyPair.publicJwk),
      kbVerifier: async (data, sig, payload) => (await ES256.getVerifier(payload.cnf!.jwk))(data, sig),
    });
    const { payload } = await library.verify(presentation, { keyBindingNonce: KIT_NONCE, currentDate: kit.now });
    expect(payload).toMatchObject({ age_over_18: true, municipality: kit.residentClaims.municipality });

    const early = dayStart - 120; // before iat (= the validity start), beyond the 60 s skew
    const tooEarly = await kit.present({ credential, holder, claims: [['age_over_18']], iat: early });
    expect(await kit.verify({ presentation: tooEarly, now: early })).toMatchObject({ ok: false, failures: expect.arrayContaining([expect.objectContaining({ code: 'IAT_IN_FUTURE' })]) });
    await expect(library.verify(tooEarly, { keyBindingNonce: KIT_NONCE, currentDate: early })).rejects.toThrow();
  });
});
