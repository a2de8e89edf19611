import { createHmac } from 'node:crypto';
import type { ClaimPath, CredentialTypeName } from '../../core/credentials/credential-types.js';
import { base64urlDecodeString, base64urlEncode, base64urlEncodeString } from '../../core/encoding/base64url.js';
import type { CredentialSpec } from '../../core/issuance/issue-credential.js';
import { decodeCompactJws, signCompactJws } from '../../core/jose/compact-jws.js';
import { COMPACT_PRESENTATION_MAGIC, encodeCompactPresentation } from '../../core/presentation/compact-presentation.js';
import { createDisclosure } from '../../core/sd-jwt/disclosure.js';
import { createKeyBindingJwt } from '../../core/sd-jwt/key-binding-jwt.js';
import { createPakoCompression } from '../../core/status/pako-compression.js';
import type { SdJwtCredentialFormat } from '../../core/verification/verification-result.js';
import type { NegativeCase, NegativeCaseContext } from './negative-case.js';
import { bindKeyBinding, disclosureDigestOf, reissue, withoutKeyBinding } from './presentation-forgery.js';
import { requestNonceOf } from './request-nonce.js';
import { ENTITLEMENT_CLAIMS, type FixtureHolder } from './terminal-fixture.js';

/**
 * The terminal's negative suite (issue 6, DESIGN §8 as far as a terminal
 * can be reached): each case makes a presentation the terminal must refuse,
 * and names the distinct code its refusal must carry. Most answer a real
 * request of the terminal (its nonce, `aud` = the terminal id, `iat` = now)
 * so that only the one forged thing is wrong. The same cases run in-process
 * (`negative-suite.in-process.test.ts`) and over HTTP
 * (`verifier/http/negative-suite.http.test.ts`). The forgeries are core's
 * (core/verification/verify-presentation.test.ts). Test support.
 */

/** A fresh credential, a fresh request of the terminal, and the means to answer it (honestly or not). */
interface Answering {
  credential: string;
  holder: FixtureHolder;
  format: SdJwtCredentialFormat;
  /** The request's nonce. */
  nonce: string;
  /** The wallet's honest answer (claims and KB overridable). */
  present(args?: { claims?: readonly ClaimPath[]; credential?: string; nonce?: string; audience?: string; iat?: number }): Promise<string>;
  /** A KB-JWT for the request appended to `sdJwt` as given (payload `overrides`, another `holder`). */
  bind(sdJwt: string, args?: { overrides?: Record<string, unknown>; holder?: FixtureHolder }): Promise<string>;
}

async function answering(
  { fixture, newRequest }: NegativeCaseContext,
  {
    serviceId = 'pools',
    format = 'dc+sd-jwt',
    type = 'ServiceEntitlementCredential',
    statusIndex,
    overrides,
  }: { serviceId?: string; format?: SdJwtCredentialFormat; type?: CredentialTypeName; statusIndex?: number; overrides?: Partial<CredentialSpec> } = {},
): Promise<Answering> {
  const { credential, holder } = await fixture.issue({ format, type, ...(statusIndex === undefined ? {} : { statusIndex }), ...(overrides === undefined ? {} : { overrides }) });
  const request = await newRequest({ serviceId });
  const nonce = requestNonceOf(request);
  const defaults = type === 'ServiceEntitlementCredential' ? ENTITLEMENT_CLAIMS : [];
  return {
    credential,
    holder,
    format,
    nonce,
    present: ({ claims = defaults, credential: from = credential, ...kb } = {}) => fixture.answer({ request, credential: from, holder, claims, nonce, ...kb }),
    bind: (sdJwt, { overrides: payload = {}, holder: signer = holder } = {}) =>
      bindKeyBinding({ kit: fixture.kit, sdJwt, holder: signer, nonce, audience: fixture.terminalId, iat: fixture.now, overrides: payload }),
  };
}

/** Where the subject's `_sd` array is: under `credentialSubject` (vc+sd-jwt) or at the top (dc+sd-jwt). */
function subjectOf(payload: Record<string, unknown>, format: SdJwtCredentialFormat): { _sd: unknown[] } & Record<string, unknown> {
  return (format === 'vc+sd-jwt' ? payload['credentialSubject'] : payload) as { _sd: unknown[] } & Record<string, unknown>;
}

const SALT = 'c2FsdHNhbHRzYWx0c2FsdA';

/** Replaces the issuer JWT's header by hand (signCompactJws always writes the key's alg). */
function withHeader(credential: string, header: Record<string, unknown>, signature?: string): string {
  const [jwt, ...rest] = credential.split('~');
  const [, payload, original] = jwt!.split('.');
  return [`${base64urlEncodeString(JSON.stringify(header))}.${payload}.${signature ?? original}`, ...rest].join('~');
}

/** Replaces the issuer JWT of a credential by `damage(jwt)`. */
function damaged(credential: string, damage: (jwt: string) => string): string {
  const [jwt, ...rest] = credential.split('~');
  return [damage(jwt!), ...rest].join('~');
}

export const NEGATIVE_CASES: readonly NegativeCase[] = [
  // ── JOSE: the issuer JWT (RFC 8725) ─────────────────────────────────────
  {
    name: 'RFC 8725 §3.1: alg none in the issuer JWT',
    expect: ['ALG_NONE'],
    async make(context) {
      const a = await answering(context);
      const forged = withHeader(a.credential, { alg: 'none', typ: a.format, kid: context.fixture.kit.issuer.kid });
      return { presentation: await a.bind(forged) };
    },
  },
  {
    name: 'RFC 8725 §3.1: HMAC keyed with the issuer public key (algorithm confusion)',
    expect: ['ALG_HMAC'],
    async make(context) {
      const { kit } = context.fixture;
      const a = await answering(context);
      const header = base64urlEncodeString(JSON.stringify({ alg: 'HS256', typ: a.format, kid: kit.issuer.kid }));
      const payload = a.credential.split('.')[1]!;
      const mac = createHmac('sha256', JSON.stringify(kit.issuer.keyPair.publicJwk)).update(`${header}.${payload}`).digest();
      return { presentation: await a.bind(damaged(a.credential, () => `${header}.${payload}.${base64urlEncode(mac)}`)) };
    },
  },
  {
    name: 'RFC 8725 §3.10: a key embedded in the issuer JWT header',
    expect: ['HEADER_EMBEDDED_KEY'],
    async make(context) {
      const { kit } = context.fixture;
      const a = await answering(context);
      const attacker = kit.crypto.generateKeyPair();
      const attackerKey = kit.crypto.signingKeyFromJwk({ privateJwk: attacker.privateJwk, kid: kit.issuer.kid });
      const { payload } = decodeCompactJws(a.credential.split('~')[0]!);
      const jwt = await signCompactJws({ header: { typ: a.format, jwk: attacker.publicJwk }, payload, signingKey: attackerKey });
      return { presentation: await a.bind(damaged(a.credential, () => jwt)) };
    },
  },
  {
    name: 'an algorithm outside the allow-list (ES384)',
    expect: ['ALG_NOT_ALLOWED'],
    async make(context) {
      const a = await answering(context);
      return { presentation: await a.bind(withHeader(a.credential, { alg: 'ES384', typ: a.format, kid: context.fixture.kit.issuer.kid })) };
    },
  },
  {
    name: 'a wrong typ (JWT) on the issuer JWT',
    expect: ['TYP_INVALID'],
    async make(context) {
      const a = await answering(context);
      return { presentation: await a.bind(await reissue({ kit: context.fixture.kit, credential: a.credential, header: (h) => void (h['typ'] = 'JWT') })) };
    },
  },
  {
    name: 'a crit header the terminal does not understand',
    expect: ['HEADER_CRIT_UNSUPPORTED'],
    async make(context) {
      const a = await answering(context);
      return { presentation: await a.present({ credential: await reissue({ kit: context.fixture.kit, credential: a.credential, header: (h) => void (h['crit'] = ['exp']) }) }) };
    },
  },
  ...(
    [
      ['two parts', (jwt: string) => jwt.split('.').slice(0, 2).join('.')],
      ['a truncated payload', (jwt: string) => jwt.slice(0, jwt.indexOf('.') + 20) + jwt.slice(jwt.lastIndexOf('.'))],
      ['a header that is not JSON', (jwt: string) => `bm90LWpzb24${jwt.slice(jwt.indexOf('.'))}`],
      ['a truncated signature', (jwt: string) => jwt.slice(0, -20)],
    ] as const
  ).map(
    ([label, damage]): NegativeCase => ({
      name: `a malformed issuer JWS (${label})`,
      expect: ['JWS_MALFORMED'],
      async make(context) {
        const a = await answering(context);
        return { presentation: await a.bind(damaged(a.credential, damage)) };
      },
    }),
  ),
  {
    name: 'an issuer signature that does not verify',
    expect: ['SIGNATURE_INVALID'],
    async make(context) {
      const a = await answering(context);
      const flip = (jwt: string) => {
        const at = jwt.lastIndexOf('.') + 11;
        return jwt.slice(0, at) + (jwt[at] === 'A' ? 'B' : 'A') + jwt.slice(at + 1);
      };
      return { presentation: await a.bind(damaged(a.credential, flip)) };
    },
  },
  {
    name: 'an unsecured credential (issuer JWT without a signature)',
    expect: ['CREDENTIAL_UNSECURED'],
    async make(context) {
      const a = await answering(context);
      return { presentation: await a.bind(damaged(a.credential, (jwt) => jwt.slice(0, jwt.lastIndexOf('.') + 1))) };
    },
  },

  // ── Validity ────────────────────────────────────────────────────────────
  {
    name: 'an expired credential',
    expect: ['CREDENTIAL_EXPIRED'],
    async make(context) {
      const { now } = context.fixture;
      const a = await answering(context, { overrides: { validFrom: now - 1000 * 86_400, validUntil: now - 86_400, issuedAt: now - 900 * 86_400 } });
      return { presentation: await a.present() };
    },
  },
  {
    name: 'a credential not valid yet',
    expect: ['CREDENTIAL_NOT_YET_VALID'],
    async make(context) {
      const { now } = context.fixture;
      const a = await answering(context, { overrides: { validFrom: now + 3_600, validUntil: now + 86_400 } });
      return { presentation: await a.present() };
    },
  },
  {
    name: 'an issuer iat in the future',
    expect: ['IAT_IN_FUTURE'],
    async make(context) {
      const a = await answering(context, { overrides: { issuedAt: context.fixture.now + 10 * 86_400, iatGranularitySeconds: 1 } });
      return { presentation: await a.present() };
    },
  },
  {
    name: 'validity claims hidden in disclosures (SD-JWT VC draft: exp and nbf are never selectively disclosable)',
    expect: ['PROTECTED_CLAIM_DISCLOSABLE'],
    async make(context) {
      const { kit } = context.fixture;
      const a = await answering(context);
      const hidden: string[] = [];
      const forged = await reissue({
        kit,
        credential: a.credential,
        payload: (p) => {
          for (const name of ['exp', 'nbf']) {
            const disclosure = createDisclosure({ salt: base64urlEncode(kit.crypto.randomBytes(16)), name, value: p[name] }).encoded;
            hidden.push(disclosure);
            delete p[name];
            p['_sd'] = [...((p['_sd'] as string[] | undefined) ?? []), disclosureDigestOf({ kit, disclosure })];
          }
        },
      });
      const sdJwt = withoutKeyBinding(await a.present({ credential: forged }));
      return { presentation: await a.bind(sdJwt + hidden.map((d) => `${d}~`).join('')) };
    },
  },

  // ── Trust: the federation in the snapshot ───────────────────────────────
  {
    name: 'an issuer that is not in the snapshot',
    expect: ['ISSUER_UNTRUSTED'],
    async make(context) {
      const { kit } = context.fixture;
      const rogue = kit.crypto.signingKeyFromJwk({ privateJwk: kit.crypto.generateKeyPair().privateJwk, kid: 'did:web:nowhere.example#key-1' });
      const a = await answering(context, { overrides: { issuer: { id: 'did:web:nowhere.example', signingKey: rogue } } });
      return { presentation: await a.present() };
    },
  },
  {
    name: 'a trusted issuer signing with a key the snapshot does not list',
    expect: ['ISSUER_KEY_UNKNOWN'],
    async make(context) {
      const { kit } = context.fixture;
      const rogue = kit.crypto.signingKeyFromJwk({ privateJwk: kit.crypto.generateKeyPair().privateJwk, kid: `${kit.issuer.id}#key-9` });
      const a = await answering(context, { overrides: { issuer: { id: kit.issuer.id, signingKey: rogue } } });
      return { presentation: await a.present() };
    },
  },
  {
    name: "a listed kid with another key (the issuer's key substituted)",
    expect: ['SIGNATURE_INVALID'],
    async make(context) {
      const { kit } = context.fixture;
      const rogue = kit.crypto.signingKeyFromJwk({ privateJwk: kit.crypto.generateKeyPair().privateJwk, kid: kit.issuer.kid });
      const a = await answering(context, { overrides: { issuer: { id: kit.issuer.id, signingKey: rogue } } });
      return { presentation: await a.present() };
    },
  },
  {
    name: 'a federation member not accredited for the type (resident credential from an entitlements-only city)',
    expect: ['ISSUER_NOT_ACCREDITED'],
    async make(context) {
      const a = await answering(context, { type: 'ResidentCredential', overrides: { issuer: context.fixture.issuers.entitlementsOnly } });
      return { presentation: await a.present({ claims: [['age_over_65']] }) };
    },
  },
  {
    name: 'a suspended federation member',
    expect: ['ISSUER_SUSPENDED'],
    async make(context) {
      const a = await answering(context, { overrides: { issuer: context.fixture.issuers.suspended } });
      return { presentation: await a.present() };
    },
  },

  // ── SD-JWT disclosures (RFC 9901 §7.1, §9) ──────────────────────────────
  {
    name: 'RFC 9901 §7.1: a ghost disclosure the holder added and signed over',
    expect: ['DISCLOSURE_UNREFERENCED'],
    async make(context) {
      const a = await answering(context);
      const ghost = createDisclosure({ salt: SALT, name: 'tier', value: 'senior' }).encoded;
      return { presentation: await a.bind(`${withoutKeyBinding(await a.present())}${ghost}~`) };
    },
  },
  {
    name: 'RFC 9901 §7.1: a disclosure altered after the holder signed',
    expect: ['DISCLOSURE_ALTERED'],
    async make(context) {
      const a = await answering(context);
      const parts = (await a.present({ claims: [['tier']] })).split('~');
      const [salt, name] = JSON.parse(base64urlDecodeString(parts[1]!)) as [string, string, unknown];
      parts[1] = base64urlEncodeString(JSON.stringify([salt, name, 'senior']));
      return { presentation: parts.join('~') };
    },
  },
  {
    name: 'RFC 9901 §7.1: the same digest twice in the issuer payload',
    expect: ['DIGEST_DUPLICATE'],
    async make(context) {
      const a = await answering(context);
      const forged = await reissue({
        kit: context.fixture.kit,
        credential: a.credential,
        payload: (p) => {
          const subject = subjectOf(p, a.format);
          subject._sd.push(subject._sd[0]);
        },
      });
      return { presentation: await a.bind(forged) };
    },
  },
  {
    name: 'RFC 9901 §7.1: the same disclosure twice',
    expect: ['DISCLOSURE_DUPLICATE'],
    async make(context) {
      const a = await answering(context);
      const sdJwt = withoutKeyBinding(await a.present());
      return { presentation: await a.bind(`${sdJwt}${sdJwt.split('~')[1]!}~`) };
    },
  },
  {
    name: 'RFC 9901 §4.2: a disclosure of the wrong arity',
    expect: ['DISCLOSURE_ARITY'],
    async make(context) {
      const a = await answering(context);
      const four = base64urlEncodeString(JSON.stringify(['c2FsdA', 'tier', 'x', 'extra']));
      const forged = await reissue({ kit: context.fixture.kit, credential: a.credential, payload: (p) => void subjectOf(p, a.format)._sd.push(disclosureDigestOf({ kit: context.fixture.kit, disclosure: four })) });
      return { presentation: await a.bind(`${withoutKeyBinding(await a.present({ credential: forged }))}${four}~`) };
    },
  },
  ...(['_sd', '...'] as const).map(
    (claimName): NegativeCase => ({
      name: `RFC 9901 §7.1: a disclosure naming the claim ${claimName}`,
      expect: ['CLAIM_NAME_FORBIDDEN'],
      async make(context) {
        const a = await answering(context);
        const bad = base64urlEncodeString(JSON.stringify([SALT, claimName, 'x']));
        const forged = await reissue({ kit: context.fixture.kit, credential: a.credential, payload: (p) => void subjectOf(p, a.format)._sd.push(disclosureDigestOf({ kit: context.fixture.kit, disclosure: bad })) });
        return { presentation: await a.bind(`${withoutKeyBinding(await a.present({ credential: forged }))}${bad}~`) };
      },
    }),
  ),
  {
    name: 'RFC 9901 §7.1: a disclosed name that already exists in the payload',
    expect: ['CLAIM_NAME_COLLISION'],
    async make(context) {
      const a = await answering(context);
      const forged = await reissue({ kit: context.fixture.kit, credential: a.credential, payload: (p) => void (subjectOf(p, a.format)['tier'] = 'senior') });
      const honest = withoutKeyBinding(await a.present());
      return { presentation: await a.bind(honest.replace(/^[^~]+/, forged.split('~')[0]!)) };
    },
  },
  {
    name: 'RFC 9901 §4.2.4: a non-string _sd entry',
    expect: ['SD_DIGEST_NOT_STRING'],
    async make(context) {
      const a = await answering(context);
      const forged = await reissue({ kit: context.fixture.kit, credential: a.credential, payload: (p) => void subjectOf(p, a.format)._sd.push(42) });
      return { presentation: await a.bind(`${forged.split('~')[0]!}~`) };
    },
  },
  {
    name: 'RFC 9901 §4.1.1: a weak _sd_alg (sha-1)',
    expect: ['SD_ALG_UNSUPPORTED'],
    async make(context) {
      const a = await answering(context);
      const forged = await reissue({ kit: context.fixture.kit, credential: a.credential, payload: (p) => void (p['_sd_alg'] = 'sha-1') });
      return { presentation: await a.bind(`${forged.split('~')[0]!}~`) };
    },
  },
  {
    name: 'RFC 9901 §4.1.1: a nested _sd_alg',
    expect: ['SD_ALG_NESTED'],
    async make(context) {
      const a = await answering(context, { format: 'vc+sd-jwt' });
      const forged = await reissue({ kit: context.fixture.kit, credential: a.credential, payload: (p) => void (subjectOf(p, a.format)['_sd_alg'] = 'sha-256') });
      return { presentation: await a.bind(`${forged.split('~')[0]!}~`) };
    },
  },
  {
    name: 'disclosed claims that break the credential schema',
    expect: ['SCHEMA_INVALID'],
    async make(context) {
      const a = await answering(context);
      const bad = createDisclosure({ salt: SALT, name: 'shoe_size', value: 43 }).encoded;
      const forged = await reissue({ kit: context.fixture.kit, credential: a.credential, payload: (p) => void subjectOf(p, a.format)._sd.push(disclosureDigestOf({ kit: context.fixture.kit, disclosure: bad })) });
      return { presentation: await a.bind(`${withoutKeyBinding(await a.present({ credential: forged }))}${bad}~`) };
    },
  },
  {
    name: 'RFC 9901 §4: an SD-JWT missing its trailing ~ (scanner terminal)',
    terminal: 'scanner',
    expect: ['SD_JWT_MISSING_TILDE'],
    async make({ fixture }) {
      const { credential, holder } = await fixture.issue();
      return { presentation: withoutKeyBinding(await fixture.scan({ credential, holder })).slice(0, -1) };
    },
  },

  // ── Key binding (RFC 9901 §7.3) ─────────────────────────────────────────
  {
    name: 'RFC 9901 §7.3: no KB-JWT (scanner terminal)',
    terminal: 'scanner',
    expect: ['KB_MISSING'],
    async make({ fixture }) {
      const { credential, holder } = await fixture.issue();
      return { presentation: withoutKeyBinding(await fixture.scan({ credential, holder })) };
    },
  },
  {
    name: 'RFC 9901 §7.3: a KB-JWT signed by another key than cnf',
    expect: ['KB_SIGNATURE_INVALID'],
    async make(context) {
      const a = await answering(context);
      return { presentation: await a.bind(withoutKeyBinding(await a.present()), { holder: context.fixture.kit.newHolder() }) };
    },
  },
  {
    name: 'RFC 9901 §7.3: a KB-JWT with a wrong typ',
    expect: ['KB_TYP_INVALID'],
    async make(context) {
      const { kit, terminalId, now } = context.fixture;
      const a = await answering(context);
      const sdJwt = withoutKeyBinding(await a.present());
      const kb = await createKeyBindingJwt({ sdJwt, nonce: a.nonce, aud: terminalId, iat: now, holderKey: a.holder.signingKey, hash: kit.crypto.hash });
      const [, payload, signature] = kb.split('.');
      return { presentation: `${sdJwt}${base64urlEncodeString(JSON.stringify({ alg: 'ES256', typ: 'JWT' }))}.${payload}.${signature}` };
    },
  },
  {
    name: 'RFC 8725 §3.1: alg none on the KB-JWT',
    expect: ['ALG_NONE'],
    async make(context) {
      const { kit, terminalId, now } = context.fixture;
      const a = await answering(context);
      const sdJwt = withoutKeyBinding(await a.present());
      const kb = await createKeyBindingJwt({ sdJwt, nonce: a.nonce, aud: terminalId, iat: now, holderKey: a.holder.signingKey, hash: kit.crypto.hash });
      const [, payload, signature] = kb.split('.');
      return { presentation: `${sdJwt}${base64urlEncodeString(JSON.stringify({ alg: 'none', typ: 'kb+jwt' }))}.${payload}.${signature}` };
    },
  },
  {
    name: 'a nonce the terminal never issued (no pending request)',
    expect: ['KB_NONCE_MISMATCH'],
    async make(context) {
      const a = await answering(context);
      return { presentation: await a.present({ nonce: 'never-issued-nonce-4b1d9c0e2f' }) };
    },
  },
  {
    name: 'an answer to a request already answered (a request is used once)',
    expect: ['KB_NONCE_MISMATCH'],
    async make(context) {
      const a = await answering(context);
      const presentation = await a.present();
      const first = await context.verify({ presentation });
      if (!first.ok) throw new Error(`the first answer should be accepted, got ${first.codes.join(', ')}`);
      return { presentation };
    },
  },
  {
    name: 'RFC 9901 §7.3: a KB-JWT for another terminal (aud)',
    expect: ['KB_AUD_MISMATCH'],
    async make(context) {
      const a = await answering(context);
      return { presentation: await a.present({ audience: 'urbis:terminal:gijon-library-2' }) };
    },
  },
  {
    name: 'a KB-JWT aud as an array, even holding this terminal',
    expect: ['KB_AUD_ARRAY'],
    async make(context) {
      const a = await answering(context);
      return { presentation: await a.bind(withoutKeyBinding(await a.present()), { overrides: { aud: [context.fixture.terminalId, 'urn:other'] } }) };
    },
  },
  ...(
    [
      ['301 s in the past', -301],
      ['61 s in the future', 61],
    ] as const
  ).map(
    ([label, offset]): NegativeCase => ({
      name: `a KB-JWT iat ${label} (DESIGN §4 window: 300 s past, 60 s future)`,
      expect: ['KB_IAT_OUT_OF_WINDOW'],
      async make(context) {
        const a = await answering(context);
        return { presentation: await a.present({ iat: context.fixture.now + offset }) };
      },
    }),
  ),
  {
    name: 'RFC 9901 §7.3: a wrong sd_hash',
    expect: ['KB_SD_HASH_MISMATCH'],
    async make(context) {
      const a = await answering(context);
      return { presentation: await a.bind(withoutKeyBinding(await a.present()), { overrides: { sd_hash: base64urlEncode(new Uint8Array(32)) } }) };
    },
  },
  {
    name: 'RFC 9901 §7.3: a disclosure dropped after the holder signed',
    expect: ['KB_SD_HASH_MISMATCH'],
    async make(context) {
      const a = await answering(context);
      const parts = (await a.present()).split('~');
      parts.splice(1, 1);
      return { presentation: parts.join('~') };
    },
  },
  {
    name: 'a scanner presentation replayed (scanner terminal, replay cache)',
    terminal: 'scanner',
    expect: ['KB_REPLAYED'],
    async make(context) {
      const { credential, holder } = await context.fixture.issue();
      const presentation = await context.fixture.scan({ credential, holder });
      const first = await context.verify({ presentation });
      if (!first.ok) throw new Error(`the first scan should be accepted, got ${first.codes.join(', ')}`);
      return { presentation };
    },
  },
  {
    name: 'a scanner presentation bound to another terminal (scanner terminal)',
    terminal: 'scanner',
    expect: ['KB_AUD_MISMATCH'],
    async make({ fixture }) {
      const { credential, holder } = await fixture.issue();
      return { presentation: await fixture.scan({ credential, holder, audience: 'urbis:terminal:gijon-library-2' }) };
    },
  },

  // ── Status from the snapshot (IETF Token Status List / W3C Bitstring) ───
  {
    name: 'a revoked credential',
    expect: ['STATUS_REVOKED'],
    async make(context) {
      const a = await answering(context, { statusIndex: context.fixture.statusIndices.revoked });
      return { presentation: await a.present() };
    },
  },
  {
    name: 'a suspended credential (W3C Bitstring Status List, vc+sd-jwt)',
    expect: ['STATUS_SUSPENDED'],
    async make(context) {
      const a = await answering(context, { format: 'vc+sd-jwt', statusIndex: context.fixture.statusIndices.suspended });
      return { presentation: await a.present() };
    },
  },
  {
    name: 'a status index beyond the list',
    expect: ['STATUS_INDEX_OUT_OF_RANGE'],
    async make(context) {
      const a = await answering(context, { statusIndex: context.fixture.statusIndices.outOfRange });
      return { presentation: await a.present() };
    },
  },
  {
    name: 'a status list the snapshot does not hold',
    expect: ['STATUS_UNKNOWN'],
    async make(context) {
      const a = await answering(context, { overrides: { statusListUri: 'https://elsewhere.example/status/9' } });
      return { presentation: await a.present() };
    },
  },
  {
    name: "a snapshot older than the policy's maximum age (fail closed)",
    terminal: 'stale-snapshot',
    expect: ['SNAPSHOT_STALE'],
    async make(context) {
      const a = await answering(context);
      return { presentation: await a.present() };
    },
  },

  // ── Input: size, encoding, the compact QR form ──────────────────────────
  {
    name: 'a presentation above 64 KiB (DESIGN §4, refused before parsing)',
    expect: ['INPUT_TOO_LARGE'],
    async make() {
      return { presentation: `${'A'.repeat(64 * 1024)}~` };
    },
  },
  {
    name: 'a presentation above 64 KiB of UTF-8 in fewer than 64 Ki characters',
    expect: ['INPUT_TOO_LARGE'],
    async make() {
      return { presentation: `${'é'.repeat(33 * 1024)}~` };
    },
  },
  {
    name: 'bytes that are neither a compact presentation nor UTF-8',
    expect: ['BODY_INVALID'],
    async make() {
      return { presentation: Uint8Array.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0xa0, 0xa1, 0x80, 0x81]) };
    },
  },
  {
    name: 'a compact form that does not inflate',
    expect: ['BODY_INVALID'],
    async make() {
      return { presentation: Uint8Array.from([...COMPACT_PRESENTATION_MAGIC, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03]) };
    },
  },
  {
    name: 'a truncated compact form of a valid answer',
    expect: ['BODY_INVALID'],
    async make(context) {
      const bytes = encodeCompactPresentation({ text: await (await answering(context)).present() });
      return { presentation: bytes.subarray(0, bytes.length - 40) };
    },
  },
  {
    name: 'a compact form that inflates beyond 64 KiB (decompression bomb)',
    expect: ['INPUT_TOO_LARGE'],
    async make() {
      const bomb = createPakoCompression().deflate(new Uint8Array(1024 * 1024).fill(1));
      return { presentation: Uint8Array.from([...COMPACT_PRESENTATION_MAGIC, ...bomb]) };
    },
  },
  {
    name: 'a vp_token that is not JSON',
    expect: ['JSON_INVALID'],
    async make() {
      return { presentation: '{"entitlement_dc": ["eyJ' };
    },
  },
  {
    name: 'a vp_token with two presentations (a terminal takes one)',
    expect: ['BODY_INVALID'],
    async make(context) {
      const a = await answering(context);
      const text = await a.present();
      return { presentation: JSON.stringify({ entitlement_dc: [text], resident_dc: [text] }) };
    },
  },

  // ── The service's policy (verifier/policy) ──────────────────────────────
  {
    name: "a pools entitlement answering the library's request",
    expect: ['POLICY_SERVICE_MISMATCH'],
    async make(context) {
      const a = await answering(context, { serviceId: 'library' });
      return { presentation: await a.present({ claims: [['service_id'], ['pseudonym']] }) };
    },
  },
  {
    name: "an answer to a pools request, checked for the library (another service's request)",
    expect: ['POLICY_SERVICE_MISMATCH'],
    async make(context) {
      return { presentation: await (await answering(context)).present(), serviceId: 'library' };
    },
  },
  {
    name: 'a resident credential at the pools without the age_over_65 predicate disclosed',
    expect: ['POLICY_CLAIM_MISSING'],
    async make(context) {
      return { presentation: await (await answering(context, { type: 'ResidentCredential' })).present({ claims: [['age_over_18']] }) };
    },
  },
  {
    name: 'a resident credential at the pools whose age_over_65 is false',
    expect: ['POLICY_PREDICATE_FAILED'],
    async make(context) {
      return { presentation: await (await answering(context, { type: 'ResidentCredential' })).present({ claims: [['age_over_65']] }) };
    },
  },
  {
    name: 'a resident credential at the library (type not accepted)',
    expect: ['POLICY_TYPE_NOT_ACCEPTED'],
    async make(context) {
      return { presentation: await (await answering(context, { serviceId: 'library', type: 'ResidentCredential' })).present({ claims: [] }) };
    },
  },
  {
    name: 'a standard-tier entitlement for the youth pass',
    expect: ['POLICY_TIER_NOT_ACCEPTED'],
    async make(context) {
      const claims = { ...context.fixture.kit.entitlementClaims, service_id: 'youth-pass', tier: 'standard' as const };
      return { presentation: await (await answering(context, { serviceId: 'youth-pass', overrides: { claims } })).present() };
    },
  },
  {
    name: "a pools entitlement from another federation member (the pools accept Gijón's only)",
    expect: ['POLICY_ISSUER_NOT_ACCEPTED'],
    async make(context) {
      return { presentation: await (await answering(context, { overrides: { issuer: context.fixture.issuers.entitlementsOnly } })).present() };
    },
  },
  {
    name: 'a service this terminal has no policy for',
    expect: ['SERVICE_UNKNOWN'],
    async make(context) {
      return { presentation: await (await answering(context)).present(), serviceId: 'nowhere' };
    },
  },
];
