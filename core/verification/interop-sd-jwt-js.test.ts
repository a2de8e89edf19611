/**
 * Interoperability with @sd-jwt/sd-jwt-vc 0.19 (the reference implementation),
 * both ways, and the fast verifier checked against the library on every
 * fixture: same accept/reject, same disclosed claims.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { SDJwtInstance } from '@sd-jwt/core';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { digest, ES256, generateSalt } from '@sd-jwt/crypto-nodejs';
import fc from 'fast-check';
import { credentialTypeByName } from '../credentials/credential-types.js';
import { createNodeCompression } from '../status/node-compression.js';
import { signStatusListToken } from '../status/status-list-jwt.js';
import { buildStatusListTokenPayload } from '../status/token-status-list.js';
import { createCredentialKit, KIT_NONCE, type CredentialKit } from '../test-kit/credential-kit.js';

type Holder = ReturnType<CredentialKit['newHolder']>;

const RESIDENT_PATHS = credentialTypeByName('ResidentCredential').disclosableClaimPaths;

/** sd-jwt-js configured as its README shows, with status lists fetched from the kit's issuer. */
async function libraryVerifier(kit: CredentialKit): Promise<SDJwtVcInstance> {
  const statusListJwt = await signStatusListToken({
    payload: buildStatusListTokenPayload({ sub: kit.statusListUri, iat: kit.now - 60, list: kit.statusList, compression: createNodeCompression() }),
    signingKey: kit.issuer.signingKey,
  });
  return new SDJwtVcInstance({
    hasher: digest,
    verifier: await ES256.getVerifier(kit.issuer.keyPair.publicJwk),
    kbVerifier: async (data, sig, payload) => (await ES256.getVerifier(payload.cnf!.jwk))(data, sig),
    statusListFetcher: async () => statusListJwt,
  });
}

/** The same library without the status fetch (its status codec decodes the whole list per call). */
async function libraryCoreVerifier(kit: CredentialKit): Promise<SDJwtInstance<Record<string, unknown>>> {
  return new SDJwtInstance({
    hasher: digest,
    verifier: await ES256.getVerifier(kit.issuer.keyPair.publicJwk),
    kbVerifier: async (data, sig, payload) => (await ES256.getVerifier(payload.cnf!.jwk))(data, sig),
  });
}

/** The library's verdict and claims, or its refusal. */
async function libraryVerdict(library: SDJwtVcInstance | SDJwtInstance<Record<string, unknown>>, presentation: string, now: number): Promise<{ ok: boolean; claims?: Record<string, unknown> }> {
  try {
    const { payload } = await library.verify(presentation, { keyBindingNonce: KIT_NONCE, currentDate: now });
    const record = payload as Record<string, unknown>;
    if ('credentialSubject' in record) return { ok: true, claims: record.credentialSubject as Record<string, unknown> };
    const { iss: _iss, iat: _iat, nbf: _nbf, exp: _exp, vct: _vct, cnf: _cnf, status: _status, _sd_alg: _alg, ...claims } = record;
    return { ok: true, claims };
  } catch {
    return { ok: false };
  }
}

describe('interop with @sd-jwt/sd-jwt-vc 0.19', () => {
  let kit: CredentialKit;
  let holder: Holder;
  let library: SDJwtVcInstance;
  let libraryCore: SDJwtInstance<Record<string, unknown>>;
  beforeAll(async () => {
    kit = createCredentialKit({ now: Math.floor(Date.now() / 1000) });
    holder = kit.newHolder();
    library = await libraryVerifier(kit);
    libraryCore = await libraryCoreVerifier(kit);
  });

  it('an Urbis dc+sd-jwt presentation verifies with sd-jwt-js, status list included', async () => {
    const credential = await kit.issue({ format: 'dc+sd-jwt', holder, statusIndex: 10 });
    const presentation = await kit.present({ credential, holder, claims: [['given_name'], ['address', 'locality']] });
    expect(await libraryVerdict(library, presentation, kit.now)).toEqual({
      ok: true,
      claims: { given_name: kit.residentClaims.given_name, address: { locality: kit.residentClaims.address.locality } },
    });
  });

  it('sd-jwt-js refuses an Urbis credential revoked in the status list it fetched', async () => {
    const credential = await kit.issue({ format: 'dc+sd-jwt', holder, statusIndex: 11 });
    kit.statusList.set(11, 1);
    const revokedLibrary = await libraryVerifier(kit);
    const presentation = await kit.present({ credential, holder, claims: [['age_over_18']] });
    expect((await libraryVerdict(revokedLibrary, presentation, kit.now)).ok).toBe(false);
    expect((await kit.verify({ presentation })).ok).toBe(false);
  });

  it('a credential issued and presented by sd-jwt-js verifies in Urbis', async () => {
    const libraryHolder = await ES256.generateKeyPair();
    const issuer = new SDJwtVcInstance({
      hasher: digest,
      saltGenerator: generateSalt,
      signer: await ES256.getSigner(kit.issuer.keyPair.privateJwk),
      signAlg: 'ES256',
      kbSigner: await ES256.getSigner(libraryHolder.privateKey),
      kbSignAlg: 'ES256',
    });
    const claims = { ...kit.entitlementClaims };
    const issued = await issuer.issue(
      {
        iss: kit.issuer.id,
        iat: kit.now - 3600,
        exp: kit.now + 86_400,
        vct: credentialTypeByName('ServiceEntitlementCredential').vct,
        cnf: { jwk: libraryHolder.publicKey },
        status: { status_list: { idx: 12, uri: kit.statusListUri } },
        ...claims,
      },
      { _sd: ['service_id', 'tier', 'pseudonym', 'municipality'] },
      { header: { kid: kit.issuer.kid } },
    );
    const presentation = await issuer.present(issued, { service_id: true, pseudonym: true }, {
      kb: { payload: { iat: kit.now, aud: kit.audience, nonce: KIT_NONCE } },
    });
    const result = await kit.verify({ presentation });
    expect(result).toMatchObject({ ok: true, format: 'dc+sd-jwt', type: 'ServiceEntitlementCredential', claims: { service_id: claims.service_id, pseudonym: claims.pseudonym } });
    // … and Urbis still applies what sd-jwt-js does not check: the audience.
    const elsewhere = await issuer.present(issued, { service_id: true }, { kb: { payload: { iat: kit.now, aud: 'urn:other-terminal', nonce: KIT_NONCE } } });
    expect(await kit.verify({ presentation: elsewhere })).toMatchObject({ ok: false, failures: [{ code: 'KB_AUD_MISMATCH' }] });
  });

  describe('the fast verifier agrees with sd-jwt-js on every fixture (reference)', () => {
    it('accepts exactly the disclosed claims for random disclosure subsets, in both formats (property)', async () => {
      const credentials: string[] = [];
      const holders: Holder[] = [];
      for (let i = 0; i < 4; i++) {
        holders.push(kit.newHolder());
        credentials.push(await kit.issue({ format: i % 2 === 0 ? 'dc+sd-jwt' : 'vc+sd-jwt', holder: holders[i]!, statusIndex: 100 + i }));
      }
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.subarray([...RESIDENT_PATHS]), fc.integer({ min: 0, max: 3 }), async (paths, which) => {
          const presentation = await kit.present({ credential: credentials[which]!, holder: holders[which]!, claims: paths, iat: kit.now - (n++ % 200) });
          const ours = await kit.verify({ presentation });
          const theirs = await libraryVerdict(libraryCore, presentation, kit.now);
          expect(ours.ok).toBe(true);
          expect(theirs.ok).toBe(true);
          if (!ours.ok) return;
          expect(ours.claims).toEqual(theirs.claims);
          // exactly the requested claims, nothing else
          const expected: Record<string, unknown> = {};
          for (const path of paths) {
            let src: unknown = kit.residentClaims;
            let dst: Record<string, unknown> = expected;
            for (let i = 0; i < path.length; i++) {
              src = (src as Record<string, unknown>)[path[i]!];
              if (i === path.length - 1) dst[path[i]!] = src;
              else dst = (dst[path[i]!] ??= {}) as Record<string, unknown>;
            }
          }
          expect(ours.claims).toEqual(expected);
        }),
        { numRuns: 60 },
      );
    });

    it.each([
      ['a tampered issuer signature', (p: string) => p.replace(/^([^.]+\.[^.]+\.)(.)/, (_m, a: string, c: string) => a + (c === 'A' ? 'B' : 'A'))],
      ['a dropped disclosure', (p: string) => p.split('~').filter((_, i) => i !== 1).join('~')],
      ['an edited disclosure', (p: string) => p.replace(/~[^~]+~/, '~WyJzYWx0IiwiZ2l2ZW5fbmFtZSIsIk1hbGxvcnkiXQ~')],
      ['a replaced KB signature', (p: string) => p.slice(0, p.lastIndexOf('.') + 1) + 'A'.repeat(86)],
      ['a missing KB-JWT', (p: string) => p.slice(0, p.lastIndexOf('~') + 1)],
    ])('both reject %s', async (_label, damage) => {
      const h = kit.newHolder();
      const credential = await kit.issue({ format: 'dc+sd-jwt', holder: h, statusIndex: 200 });
      const presentation = damage(await kit.present({ credential, holder: h, claims: [['given_name'], ['family_name']] }));
      expect((await kit.verify({ presentation })).ok).toBe(false);
      expect((await libraryVerdict(libraryCore, presentation, kit.now)).ok).toBe(false);
    });

    it('where they differ, Urbis is the stricter: wrong audience, KB iat out of window', async () => {
      const h = kit.newHolder();
      const credential = await kit.issue({ format: 'dc+sd-jwt', holder: h, statusIndex: 201 });
      for (const presentation of [
        await kit.present({ credential, holder: h, claims: [['given_name']], audience: 'urn:another-terminal' }),
        await kit.present({ credential, holder: h, claims: [['given_name']], iat: kit.now - 3600 }),
      ]) {
        expect((await libraryVerdict(libraryCore, presentation, kit.now)).ok).toBe(true);
        expect((await kit.verify({ presentation })).ok).toBe(false);
      }
    });
  });
});
