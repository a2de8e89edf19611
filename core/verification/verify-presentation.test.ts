import { beforeEach, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { base64urlDecodeString, base64urlEncode, base64urlEncodeString } from '../encoding/base64url.js';
import type { UrbisErrorCode } from '../errors/urbis-error.js';
import { decodeCompactJws, signCompactJws } from '../jose/compact-jws.js';
import { createDisclosure } from '../sd-jwt/disclosure.js';
import { createKeyBindingJwt } from '../sd-jwt/key-binding-jwt.js';
import { createCredentialKit, KIT_NONCE, type CredentialKit } from '../test-kit/credential-kit.js';
import type { PresentationVerificationResult } from './verification-result.js';

type Holder = ReturnType<CredentialKit['newHolder']>;

const FORMATS = ['vc+sd-jwt', 'dc+sd-jwt'] as const;

function codes(result: PresentationVerificationResult): UrbisErrorCode[] {
  return result.ok ? [] : result.failures.map((f) => f.code);
}

/** Re-signs a credential's issuer JWT after changing its header or payload (as a malicious or buggy issuer would). */
async function reissue(
  kit: CredentialKit,
  credential: string,
  change: { header?: (h: Record<string, unknown>) => void; payload?: (p: Record<string, unknown>) => void },
  disclosures?: string[],
): Promise<string> {
  const [jwt, ...rest] = credential.split('~');
  const { header, payload } = decodeCompactJws(jwt!);
  change.header?.(header);
  change.payload?.(payload);
  const { alg: _alg, ...headerWithoutAlg } = header;
  const signed = await signCompactJws({ header: headerWithoutAlg, payload, signingKey: kit.issuer.signingKey });
  const kept = disclosures ?? rest.filter((d) => d !== '');
  return `${signed}~${kept.map((d) => `${d}~`).join('')}`;
}

/** Appends a KB-JWT to an SD-JWT exactly as given (no selection, no checks). */
async function bind(kit: CredentialKit, sdJwt: string, holder: Holder, overrides: Record<string, unknown> = {}): Promise<string> {
  const kb = await createKeyBindingJwt({
    sdJwt,
    nonce: KIT_NONCE,
    aud: kit.audience,
    iat: kit.now,
    holderKey: holder.signingKey,
    hash: kit.crypto.hash,
  });
  if (Object.keys(overrides).length === 0) return sdJwt + kb;
  const { header, payload } = decodeCompactJws(kb);
  Object.assign(payload, overrides);
  const { alg: _alg, ...rest } = header;
  return sdJwt + (await signCompactJws({ header: rest, payload, signingKey: holder.signingKey }));
}

function digest(kit: CredentialKit, encoded: string): string {
  return base64urlEncode(kit.crypto.hash(encoded, 'sha-256'));
}

describe('verifyPresentation', () => {
  let kit: CredentialKit;
  let holder: Holder;
  beforeEach(() => {
    kit = createCredentialKit();
    holder = kit.newHolder();
  });

  describe.each(FORMATS)('%s: accepted presentations', (format) => {
    it('returns only the disclosed subject claims, the type, the issuer and the status reference', async () => {
      const credential = await kit.issue({ format, holder, statusIndex: 77 });
      const presentation = await kit.present({ credential, holder, claims: [['age_over_18'], ['address', 'locality']] });
      const result = await kit.verify({ presentation });
      expect(result).toEqual({
        ok: true,
        format,
        type: 'ResidentCredential',
        issuer: kit.issuer.id,
        claims: { age_over_18: true, address: { locality: 'Gijón' } },
        statusRef: { format: format === 'vc+sd-jwt' ? 'bitstring-status-list' : 'token-status-list', uri: kit.statusListUri, index: 77 },
        validFrom: kit.now - 86_400,
        validUntil: kit.now + 365 * 86_400,
        warnings: [],
      });
    });

    it('verifies a service entitlement with its pseudonym', async () => {
      const credential = await kit.issue({ format, type: 'ServiceEntitlementCredential', holder });
      const presentation = await kit.present({ credential, holder, claims: [['service_id'], ['pseudonym']] });
      const result = await kit.verify({ presentation });
      expect(result.ok && result.claims).toEqual({ service_id: 'pools', pseudonym: kit.entitlementClaims.pseudonym });
    });

    it('accepts a presentation disclosing nothing but proving possession', async () => {
      const credential = await kit.issue({ format, holder });
      const presentation = await kit.present({ credential, holder, claims: [] });
      const result = await kit.verify({ presentation });
      expect(result.ok && result.claims).toEqual({});
    });
  });

  describe.each(FORMATS)('%s: DESIGN §8 negative cases, each with its code', (format) => {
    let credential: string;
    beforeEach(async () => {
      credential = await kit.issue({ format, holder });
    });
    const presentAll = (c: string): Promise<string> => kit.present({ credential: c, holder, claims: [['given_name']] });

    it('RFC 8725 §3.1: alg none → ALG_NONE', async () => {
      const [jwt, ...rest] = credential.split('~');
      const [, payload, signature] = jwt!.split('.');
      const header = base64urlEncodeString(JSON.stringify({ alg: 'none', typ: format, kid: kit.issuer.kid }));
      const forged = [`${header}.${payload}.${signature}`, ...rest].join('~');
      const result = await kit.verify({ presentation: await bind(kit, forged, holder) });
      expect(codes(result)).toEqual(['ALG_NONE']);
      const unsecured = [`${header}.${payload}.`, ...rest].join('~');
      expect(codes(await kit.verify({ presentation: await bind(kit, unsecured, holder) }))).toEqual(['ALG_NONE']);
    });

    it('RFC 8725 §3.1: HMAC keyed with the public key (algorithm confusion) → ALG_HMAC', async () => {
      const [jwt, ...rest] = credential.split('~');
      const [, payload] = jwt!.split('.');
      const header = base64urlEncodeString(JSON.stringify({ alg: 'HS256', typ: format, kid: kit.issuer.kid }));
      const mac = createHmac('sha256', JSON.stringify(kit.issuer.keyPair.publicJwk)).update(`${header}.${payload}`).digest();
      const forged = [`${header}.${payload}.${base64urlEncode(mac)}`, ...rest].join('~');
      const result = await kit.verify({ presentation: await bind(kit, forged, holder) });
      expect(codes(result)).toEqual(['ALG_HMAC']);
    });

    it('RFC 8725 §3.10: a key embedded in the header → HEADER_EMBEDDED_KEY', async () => {
      const attacker = kit.crypto.generateKeyPair();
      const attackerKey = kit.crypto.signingKeyFromJwk({ privateJwk: attacker.privateJwk, kid: kit.issuer.kid });
      const [jwt, ...rest] = credential.split('~');
      const { payload } = decodeCompactJws(jwt!);
      const forgedJwt = await signCompactJws({ header: { typ: format, jwk: attacker.publicJwk }, payload, signingKey: attackerKey });
      const result = await kit.verify({ presentation: await bind(kit, [forgedJwt, ...rest].join('~'), holder) });
      expect(codes(result)).toEqual(['HEADER_EMBEDDED_KEY', 'SIGNATURE_INVALID']);
    });

    it('an algorithm outside the allow-list → ALG_NOT_ALLOWED', async () => {
      const forged = await reissue(kit, credential, { header: (h) => void (h.alg = 'ES384') });
      // signCompactJws always writes the key's alg; rewrite the header by hand.
      const [jwt, ...rest] = forged.split('~');
      const [, payload, signature] = jwt!.split('.');
      const header = base64urlEncodeString(JSON.stringify({ alg: 'ES384', typ: format, kid: kit.issuer.kid }));
      const result = await kit.verify({ presentation: await bind(kit, [`${header}.${payload}.${signature}`, ...rest].join('~'), holder) });
      expect(codes(result)).toEqual(['ALG_NOT_ALLOWED']);
    });

    it('a wrong typ → TYP_INVALID', async () => {
      const forged = await reissue(kit, credential, { header: (h) => void (h.typ = 'JWT') });
      const result = await kit.verify({ presentation: await bind(kit, forged, holder) });
      expect(codes(result)).toContain('TYP_INVALID');
    });

    it('a crit header → HEADER_CRIT_UNSUPPORTED', async () => {
      const forged = await reissue(kit, credential, { header: (h) => void (h.crit = ['exp']) });
      const result = await kit.verify({ presentation: await presentAll(forged) });
      expect(codes(result)).toEqual(['HEADER_CRIT_UNSUPPORTED']);
    });

    it.each([
      ['two parts', (jwt: string) => jwt.split('.').slice(0, 2).join('.')],
      ['a truncated payload', (jwt: string) => jwt.slice(0, jwt.indexOf('.') + 20) + jwt.slice(jwt.lastIndexOf('.'))],
      ['a header that is not JSON', (jwt: string) => `bm90LWpzb24${jwt.slice(jwt.indexOf('.'))}`],
      ['a truncated signature', (jwt: string) => jwt.slice(0, -20)],
      ['a signature cut to whole bytes', (jwt: string) => jwt.slice(0, -22)],
    ])('a malformed or truncated issuer JWS (%s) → JWS_MALFORMED', async (_label, damage) => {
      const [jwt, ...rest] = credential.split('~');
      const presentation = await bind(kit, [damage(jwt!), ...rest].join('~'), holder);
      expect(codes(await kit.verify({ presentation }))).toEqual(['JWS_MALFORMED']);
    });

    it('a bad issuer signature → SIGNATURE_INVALID', async () => {
      const [jwt, ...rest] = credential.split('~');
      const [h, p, s] = jwt!.split('.');
      const flipped = s!.slice(0, 10) + (s![10] === 'A' ? 'B' : 'A') + s!.slice(11);
      const presentation = await bind(kit, [`${h}.${p}.${flipped}`, ...rest].join('~'), holder);
      expect(codes(await kit.verify({ presentation }))).toEqual(['SIGNATURE_INVALID']);
    });

    it('an expired credential → CREDENTIAL_EXPIRED', async () => {
      const old = await kit.issue({ format, holder, overrides: { validFrom: kit.now - 1000 * 86_400, validUntil: kit.now - 86_400, issuedAt: kit.now - 900 * 86_400 } });
      expect(codes(await kit.verify({ presentation: await presentAll(old) }))).toEqual(['CREDENTIAL_EXPIRED']);
    });

    it('a credential not valid yet → CREDENTIAL_NOT_YET_VALID', async () => {
      const early = await kit.issue({ format, holder, overrides: { validFrom: kit.now + 3_600, validUntil: kit.now + 86_400 } });
      expect(codes(await kit.verify({ presentation: await presentAll(early) }))).toEqual(['CREDENTIAL_NOT_YET_VALID']);
    });

    it('an iat in the future → IAT_IN_FUTURE', async () => {
      const future = await kit.issue({ format, holder, overrides: { issuedAt: kit.now + 10 * 86_400, iatGranularitySeconds: 1 } });
      expect(codes(await kit.verify({ presentation: await presentAll(future) }))).toEqual(['IAT_IN_FUTURE']);
    });

    it('clock skew: an expiry 30 s ago is still accepted with the default 60 s skew, not with 10 s', async () => {
      const edge = await kit.issue({ format, holder, overrides: { validUntil: kit.now - 30 } });
      expect((await kit.verify({ presentation: await presentAll(edge) })).ok).toBe(true);
      const again = await kit.present({ credential: edge, holder, claims: [['given_name']], iat: kit.now - 1 });
      expect(codes(await kit.verify({ presentation: again, limits: { clockSkewSeconds: 10 } }))).toEqual(['CREDENTIAL_EXPIRED']);
    });

    it('validity claims hidden in disclosures → PROTECTED_CLAIM_DISCLOSABLE (and no usable expiry)', async () => {
      const hiddenNames = format === 'vc+sd-jwt' ? ['exp', 'nbf', 'validFrom', 'validUntil'] : ['exp', 'nbf'];
      const hidden: string[] = [];
      const forged = await reissue(kit, credential, {
        payload: (p) => {
          for (const name of hiddenNames) {
            const disclosure = createDisclosure({ salt: base64urlEncode(kit.crypto.randomBytes(16)), name, value: p[name] }).encoded;
            hidden.push(disclosure);
            delete p[name];
            p._sd = [...((p._sd as string[] | undefined) ?? []), digest(kit, disclosure)];
          }
        },
      });
      const sdJwt = (await presentAll(forged)).replace(/[^~]+$/, '');
      const result = await kit.verify({ presentation: await bind(kit, sdJwt + hidden.map((d) => `${d}~`).join(''), holder) });
      expect(codes(result)).toEqual([...hiddenNames.map(() => 'PROTECTED_CLAIM_DISCLOSABLE'), 'CLAIM_MISSING']);
    });

    it('an issuer not in the trust list → ISSUER_UNTRUSTED', async () => {
      kit.trustedIssuers.length = 0;
      expect(codes(await kit.verify({ presentation: await presentAll(credential) }))).toEqual(['ISSUER_UNTRUSTED']);
    });

    it('a key not listed for the issuer → ISSUER_KEY_UNKNOWN', async () => {
      const rogue = kit.crypto.generateKeyPair();
      const rogueKey = kit.crypto.signingKeyFromJwk({ privateJwk: rogue.privateJwk, kid: `${kit.issuer.id}#key-9` });
      const other = await kit.issue({ format, holder, overrides: { issuer: { id: kit.issuer.id, signingKey: rogueKey } } });
      expect(codes(await kit.verify({ presentation: await presentAll(other) }))).toEqual(['ISSUER_KEY_UNKNOWN']);
    });

    it('a listed kid with another key → SIGNATURE_INVALID', async () => {
      const rogue = kit.crypto.generateKeyPair();
      const rogueKey = kit.crypto.signingKeyFromJwk({ privateJwk: rogue.privateJwk, kid: kit.issuer.kid });
      const other = await kit.issue({ format, holder, overrides: { issuer: { id: kit.issuer.id, signingKey: rogueKey } } });
      expect(codes(await kit.verify({ presentation: await presentAll(other) }))).toEqual(['SIGNATURE_INVALID']);
    });

    it('an issuer not accredited for the type → ISSUER_NOT_ACCREDITED', async () => {
      kit.trustedIssuers[0] = { ...kit.trustedIssuers[0]!, credentialTypes: ['ServiceEntitlementCredential'] };
      expect(codes(await kit.verify({ presentation: await presentAll(credential) }))).toEqual(['ISSUER_NOT_ACCREDITED']);
    });

    it('a suspended issuer → ISSUER_SUSPENDED; one past its accreditation → ISSUER_TRUST_EXPIRED', async () => {
      kit.trustedIssuers[0] = { ...kit.trustedIssuers[0]!, suspended: true };
      expect(codes(await kit.verify({ presentation: await presentAll(credential) }))).toEqual(['ISSUER_SUSPENDED']);
      kit.trustedIssuers[0] = { ...kit.trustedIssuers[0]!, suspended: false, validUntil: kit.now - 3_600 };
      expect(codes(await kit.verify({ presentation: await presentAll(credential) }))).toEqual(['ISSUER_TRUST_EXPIRED']);
    });

    it('an unsecured credential (no signature, or plain JSON) → CREDENTIAL_UNSECURED', async () => {
      const [jwt, ...rest] = credential.split('~');
      const unsigned = [jwt!.slice(0, jwt!.lastIndexOf('.') + 1), ...rest].join('~');
      expect(codes(await kit.verify({ presentation: await bind(kit, unsigned, holder) }))).toEqual(['CREDENTIAL_UNSECURED']);
      const json = JSON.stringify({ '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'] });
      expect(codes(await kit.verify({ presentation: json }))).toEqual(['CREDENTIAL_UNSECURED']);
      expect(codes(await kit.verify({ presentation: JSON.parse(json) }))).toEqual(['CREDENTIAL_UNSECURED']);
    });

    it('a ghost disclosure the holder added and signed over → DISCLOSURE_UNREFERENCED', async () => {
      const sdJwt = (await presentAll(credential)).replace(/[^~]+$/, '');
      const ghost = createDisclosure({ salt: 'c2FsdHNhbHRzYWx0c2FsdA', name: 'age_over_65', value: true }).encoded;
      const result = await kit.verify({ presentation: await bind(kit, `${sdJwt}${ghost}~`, holder) });
      expect(codes(result)).toEqual(['DISCLOSURE_UNREFERENCED']);
    });

    it('a disclosure altered after the holder signed → DISCLOSURE_ALTERED (with KB_SD_HASH_MISMATCH)', async () => {
      const presentation = await kit.present({ credential, holder, claims: [['age_over_18']] });
      const parts = presentation.split('~');
      const decoded = JSON.parse(base64urlDecodeString(parts[1]!)) as unknown[];
      expect(decoded[1]).toBe('age_over_18');
      parts[1] = base64urlEncodeString(JSON.stringify([decoded[0], 'age_over_18', false]));
      expect(codes(await kit.verify({ presentation: parts.join('~') }))).toEqual(['KB_SD_HASH_MISMATCH', 'DISCLOSURE_ALTERED']);
    });

    it('the same digest twice in the payload → DIGEST_DUPLICATE', async () => {
      const forged = await reissue(kit, credential, {
        payload: (p) => {
          const target = (format === 'vc+sd-jwt' ? p.credentialSubject : p) as { _sd: string[] };
          target._sd.push(target._sd[0]!);
        },
      });
      expect(codes(await kit.verify({ presentation: await bind(kit, forged, holder) }))).toContain('DIGEST_DUPLICATE');
    });

    it('the same disclosure twice → DISCLOSURE_DUPLICATE', async () => {
      const sdJwt = (await presentAll(credential)).replace(/[^~]+$/, '');
      const first = sdJwt.split('~')[1]!;
      expect(codes(await kit.verify({ presentation: await bind(kit, `${sdJwt}${first}~`, holder) }))).toEqual(['DISCLOSURE_DUPLICATE']);
    });

    it('a disclosure of the wrong arity → DISCLOSURE_ARITY', async () => {
      const four = base64urlEncodeString(JSON.stringify(['c2FsdA', 'given_name', 'x', 'extra']));
      const element = createDisclosure({ salt: 'c2FsdHNhbHRzYWx0c2FsdA', value: 'x' }).encoded;
      const forged = await reissue(kit, credential, {
        payload: (p) => {
          const target = (format === 'vc+sd-jwt' ? p.credentialSubject : p) as { _sd: string[] };
          target._sd.push(digest(kit, element));
        },
      });
      const sdJwt = (await presentAll(forged)).replace(/[^~]+$/, '');
      const result = await kit.verify({ presentation: await bind(kit, `${sdJwt}${four}~${element}~`, holder) });
      expect(codes(result)).toEqual(['DISCLOSURE_ARITY', 'DISCLOSURE_ARITY']);
    });

    it.each(['_sd', '...'])('a disclosure naming a claim %s → CLAIM_NAME_FORBIDDEN', async (name) => {
      const bad = base64urlEncodeString(JSON.stringify(['c2FsdHNhbHRzYWx0c2FsdA', name, 'x']));
      const forged = await reissue(kit, credential, {
        payload: (p) => {
          const target = (format === 'vc+sd-jwt' ? p.credentialSubject : p) as { _sd: string[] };
          target._sd.push(digest(kit, bad));
        },
      });
      const sdJwt = (await presentAll(forged)).replace(/[^~]+$/, '');
      expect(codes(await kit.verify({ presentation: await bind(kit, `${sdJwt}${bad}~`, holder) }))).toEqual(['CLAIM_NAME_FORBIDDEN']);
    });

    it('a disclosed name that already exists in the payload → CLAIM_NAME_COLLISION', async () => {
      const forged = await reissue(kit, credential, {
        payload: (p) => {
          const target = (format === 'vc+sd-jwt' ? p.credentialSubject : p) as Record<string, unknown>;
          target.given_name = 'Impostor';
        },
      });
      expect(codes(await kit.verify({ presentation: await bind(kit, (await presentAll(credential)).replace(/[^~]+$/, '').replace(/^[^~]+/, forged.split('~')[0]!), holder) }))).toEqual([
        'CLAIM_NAME_COLLISION',
      ]);
    });

    it('a non-string _sd entry → SD_DIGEST_NOT_STRING', async () => {
      const forged = await reissue(kit, credential, {
        payload: (p) => {
          const target = (format === 'vc+sd-jwt' ? p.credentialSubject : p) as { _sd: unknown[] };
          target._sd.push(42);
        },
      });
      expect(codes(await kit.verify({ presentation: await bind(kit, forged.split('~')[0]! + '~', holder) }))).toEqual(['SD_DIGEST_NOT_STRING']);
    });

    it.each(['sha-1', 'md5', 'SHA-256', 'sha-512'])('_sd_alg %s → SD_ALG_UNSUPPORTED', async (alg) => {
      const forged = await reissue(kit, credential, { payload: (p) => void (p._sd_alg = alg) });
      expect(codes(await kit.verify({ presentation: await bind(kit, forged.split('~')[0]! + '~', holder) }))).toEqual(['SD_ALG_UNSUPPORTED']);
    });

    it('a nested _sd_alg → SD_ALG_NESTED', async () => {
      const forged = await reissue(kit, credential, {
        payload: (p) => {
          const target = (format === 'vc+sd-jwt' ? p.credentialSubject : (p.status as Record<string, unknown>)) as Record<string, unknown>;
          target._sd_alg = 'sha-256';
        },
      });
      expect(codes(await kit.verify({ presentation: await bind(kit, forged.split('~')[0]! + '~', holder) }))).toEqual(['SD_ALG_NESTED']);
    });

    it('an SD-JWT missing its trailing ~ → SD_JWT_MISSING_TILDE', async () => {
      const sdJwt = (await presentAll(credential)).replace(/[^~]+$/, '');
      expect(codes(await kit.verify({ presentation: sdJwt.slice(0, -1) }))).toEqual(['SD_JWT_MISSING_TILDE']);
      expect(codes(await kit.verify({ presentation: credential.split('~')[0] }))).toEqual(['SD_JWT_MISSING_TILDE']);
    });

    describe('key binding (RFC 9901 §7.3)', () => {
      it('no KB-JWT → KB_MISSING', async () => {
        const sdJwt = (await presentAll(credential)).replace(/[^~]+$/, '');
        expect(codes(await kit.verify({ presentation: sdJwt }))).toEqual(['KB_MISSING']);
      });

      it('signed by another key → KB_SIGNATURE_INVALID', async () => {
        const sdJwt = (await presentAll(credential)).replace(/[^~]+$/, '');
        expect(codes(await kit.verify({ presentation: await bind(kit, sdJwt, kit.newHolder()) }))).toEqual(['KB_SIGNATURE_INVALID']);
      });

      it('another nonce → KB_NONCE_MISMATCH', async () => {
        const presentation = await kit.present({ credential, holder, claims: [], nonce: 'old-nonce' });
        expect(codes(await kit.verify({ presentation }))).toEqual(['KB_NONCE_MISMATCH']);
      });

      it('another audience → KB_AUD_MISMATCH (sd-jwt-js does not compare aud; Urbis does)', async () => {
        const presentation = await kit.present({ credential, holder, claims: [], audience: 'urn:urbis:terminal:library-3' });
        expect(codes(await kit.verify({ presentation }))).toEqual(['KB_AUD_MISMATCH']);
      });

      it('aud as an array, even containing this verifier → KB_AUD_ARRAY', async () => {
        const sdJwt = (await presentAll(credential)).replace(/[^~]+$/, '');
        const presentation = await bind(kit, sdJwt, holder, { aud: [kit.audience, 'urn:other'] });
        expect(codes(await kit.verify({ presentation }))).toEqual(['KB_AUD_ARRAY']);
      });

      it.each([
        ['301 s in the past', -301],
        ['61 s in the future', 61],
      ])('iat %s → KB_IAT_OUT_OF_WINDOW', async (_label, offset) => {
        const presentation = await kit.present({ credential, holder, claims: [], iat: kit.now + offset });
        expect(codes(await kit.verify({ presentation }))).toEqual(['KB_IAT_OUT_OF_WINDOW']);
      });

      it('iat at the window edges (300 s past, 60 s future) is accepted', async () => {
        for (const offset of [-300, 60]) {
          const presentation = await kit.present({ credential, holder, claims: [], iat: kit.now + offset });
          expect((await kit.verify({ presentation })).ok).toBe(true);
        }
      });

      it('a wrong sd_hash → KB_SD_HASH_MISMATCH', async () => {
        const sdJwt = (await presentAll(credential)).replace(/[^~]+$/, '');
        const presentation = await bind(kit, sdJwt, holder, { sd_hash: base64urlEncode(new Uint8Array(32)) });
        expect(codes(await kit.verify({ presentation }))).toEqual(['KB_SD_HASH_MISMATCH']);
      });

      it('a dropped disclosure after signing → KB_SD_HASH_MISMATCH', async () => {
        const presentation = await kit.present({ credential, holder, claims: [['given_name'], ['family_name']] });
        const parts = presentation.split('~');
        parts.splice(1, 1);
        expect(codes(await kit.verify({ presentation: parts.join('~') }))).toEqual(['KB_SD_HASH_MISMATCH']);
      });

      it('a wrong typ → KB_TYP_INVALID; alg none → ALG_NONE', async () => {
        const sdJwt = (await presentAll(credential)).replace(/[^~]+$/, '');
        const kb = await createKeyBindingJwt({ sdJwt, nonce: KIT_NONCE, aud: kit.audience, iat: kit.now, holderKey: holder.signingKey, hash: kit.crypto.hash });
        const [, payload, signature] = kb.split('.');
        const typJwt = base64urlEncodeString(JSON.stringify({ alg: 'ES256', typ: 'JWT' }));
        expect(codes(await kit.verify({ presentation: `${sdJwt}${typJwt}.${payload}.${signature}` }))).toEqual(['KB_TYP_INVALID']);
        const none = base64urlEncodeString(JSON.stringify({ alg: 'none', typ: 'kb+jwt' }));
        expect(codes(await kit.verify({ presentation: `${sdJwt}${none}.${payload}.${signature}` }))).toEqual(['ALG_NONE']);
      });

      it('the same presentation twice → KB_REPLAYED the second time', async () => {
        const presentation = await presentAll(credential);
        expect((await kit.verify({ presentation })).ok).toBe(true);
        expect(codes(await kit.verify({ presentation }))).toEqual(['KB_REPLAYED']);
      });

      it('a malleated ECDSA signature (r, n − s) is still a replay', async () => {
        const presentation = await presentAll(credential);
        expect((await kit.verify({ presentation })).ok).toBe(true);
        const kb = presentation.slice(presentation.lastIndexOf('~') + 1);
        const signature = Buffer.from(kb.split('.')[2]!, 'base64url');
        const n = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
        const s = BigInt(`0x${signature.subarray(32).toString('hex')}`);
        const malleated = Buffer.concat([signature.subarray(0, 32), Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex')]);
        const replay = `${presentation.slice(0, presentation.lastIndexOf('.') + 1)}${malleated.toString('base64url')}`;
        expect(codes(await kit.verify({ presentation: replay }))).toEqual(['KB_REPLAYED']);
      });

      it('a rejected presentation is not remembered: it can be retried', async () => {
        const presentation = await presentAll(credential);
        kit.statusList.set(4242, 2);
        expect(codes(await kit.verify({ presentation }))).toEqual(['STATUS_SUSPENDED']);
        kit.statusList.set(4242, 0);
        expect((await kit.verify({ presentation })).ok).toBe(true);
      });
    });

    describe('status (IETF Token Status List / W3C Bitstring Status List)', () => {
      it('revoked → STATUS_REVOKED; suspended → STATUS_SUSPENDED; reserved 3 → STATUS_UNKNOWN', async () => {
        for (const [value, code] of [
          [1, 'STATUS_REVOKED'],
          [2, 'STATUS_SUSPENDED'],
          [3, 'STATUS_UNKNOWN'],
        ] as const) {
          kit.statusList.set(4242, value);
          expect(codes(await kit.verify({ presentation: await presentAll(credential) }))).toEqual([code]);
        }
      });

      it('an index beyond the list → STATUS_INDEX_OUT_OF_RANGE', async () => {
        const far = await kit.issue({ format, holder, statusIndex: kit.statusListSize });
        expect(codes(await kit.verify({ presentation: await presentAll(far) }))).toEqual(['STATUS_INDEX_OUT_OF_RANGE']);
      });

      it('a list the snapshot does not hold → STATUS_UNKNOWN', async () => {
        const elsewhere = await kit.issue({ format, holder, overrides: { statusListUri: 'https://elsewhere.example/status/9' } });
        expect(codes(await kit.verify({ presentation: await presentAll(elsewhere) }))).toEqual(['STATUS_UNKNOWN']);
      });

      it('no status reference → CLAIM_MISSING; a malformed one → CLAIM_INVALID', async () => {
        const field = format === 'vc+sd-jwt' ? 'credentialStatus' : 'status';
        const none = await reissue(kit, credential, { payload: (p) => void delete p[field] });
        expect(codes(await kit.verify({ presentation: await presentAll(none) }))).toEqual(['CLAIM_MISSING']);
        const bad = await reissue(kit, credential, { payload: (p) => void (p[field] = { status_list: { idx: -1 }, type: 'X' }) });
        expect(codes(await kit.verify({ presentation: await presentAll(bad) }))).toEqual(['CLAIM_INVALID']);
      });

      it('a snapshot older than the policy allows → SNAPSHOT_STALE (fail closed), or a warning when configured', async () => {
        const later = kit.now + 2 * 86_400;
        const presentation = await kit.present({ credential, holder, claims: [], iat: later });
        expect(codes(await kit.verify({ presentation, now: later }))).toEqual(['SNAPSHOT_STALE']);
        const warned = await kit.verify({ presentation, now: later, limits: { staleSnapshot: 'warn' } });
        expect(warned.ok && warned.warnings.map((w) => w.code)).toEqual(['SNAPSHOT_STALE']);
      });
    });

    it('a presentation above 64 KiB → INPUT_TOO_LARGE, before parsing', async () => {
      const huge = `${'A'.repeat(64 * 1024)}~`;
      expect(await kit.verify({ presentation: huge })).toEqual({
        ok: false,
        failures: [{ check: 'input', code: 'INPUT_TOO_LARGE', detail: expect.any(String) }],
      });
      const multibyte = `${'é'.repeat(33 * 1024)}~`; // 33 Ki characters, 66 KiB of UTF-8
      expect(codes(await kit.verify({ presentation: multibyte }))).toEqual(['INPUT_TOO_LARGE']);
    });

    it('disclosed claims that break the schema → SCHEMA_INVALID', async () => {
      const bad = createDisclosure({ salt: 'c2FsdHNhbHRzYWx0c2FsdA', name: 'shoe_size', value: 43 }).encoded;
      const forged = await reissue(kit, credential, {
        payload: (p) => {
          const target = (format === 'vc+sd-jwt' ? p.credentialSubject : p) as { _sd: string[] };
          target._sd.push(digest(kit, bad));
        },
      });
      const sdJwt = (await presentAll(forged)).replace(/[^~]+$/, '');
      expect(codes(await kit.verify({ presentation: await bind(kit, `${sdJwt}${bad}~`, holder) }))).toEqual(['SCHEMA_INVALID']);
    });

    it('lists every failed check at once', async () => {
      kit.statusList.set(4242, 1);
      kit.trustedIssuers[0] = { ...kit.trustedIssuers[0]!, suspended: true };
      const presentation = await kit.present({ credential, holder, claims: [], nonce: 'stale', audience: 'urn:other', iat: kit.now - 3_600 });
      const result = await kit.verify({ presentation });
      expect(result.ok).toBe(false);
      expect(result.ok === false && result.failures.map((f) => [f.check, f.code])).toEqual([
        ['trust', 'ISSUER_SUSPENDED'],
        ['key-binding', 'KB_NONCE_MISMATCH'],
        ['key-binding', 'KB_AUD_MISMATCH'],
        ['key-binding', 'KB_IAT_OUT_OF_WINDOW'],
        ['status', 'STATUS_REVOKED'],
      ]);
    });
  });

  it('failure details never contain claim values', async () => {
    const credential = await kit.issue({ format: 'dc+sd-jwt', holder });
    kit.statusList.set(4242, 1);
    const presentation = await kit.present({ credential, holder, claims: [['given_name'], ['family_name'], ['address']], nonce: 'x' });
    const result = await kit.verify({ presentation });
    const text = JSON.stringify(result);
    for (const value of [kit.residentClaims.given_name, kit.residentClaims.family_name, kit.residentClaims.address.street_address]) {
      expect(text).not.toContain(value);
    }
  });
});
