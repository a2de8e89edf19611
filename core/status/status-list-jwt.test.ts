import { describe, expect, it } from '@jest/globals';
import { getListFromStatusListJWT } from '@sd-jwt/jwt-status-list';
import { base64urlEncode, base64urlEncodeString } from '../encoding/base64url.js';
import { createNodeCrypto } from '../crypto/node-crypto.js';
import { createNodeCompression } from './node-compression.js';
import { StatusList } from './status-list.js';
import { signStatusListToken, verifyStatusListToken } from './status-list-jwt.js';
import { buildStatusListTokenPayload, decodeTokenStatusList, type StatusListTokenPayload } from './token-status-list.js';

const crypto = createNodeCrypto();
const compression = createNodeCompression();
const { privateJwk, publicJwk } = crypto.generateKeyPair();
const signingKey = crypto.signingKeyFromJwk({ privateJwk, kid: 'did:web:city.example#status-1' });
const other = crypto.generateKeyPair();

const SUB = 'https://city.example/status/1';
const NOW = 1_700_000_000;

function list(): StatusList {
  const l = StatusList.fromBytes({ bytes: new Uint8Array(3), bits: 2 });
  [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3].forEach((v, i) => l.set(i, v));
  return l;
}

const payload = buildStatusListTokenPayload({ sub: SUB, iat: NOW - 10, exp: NOW + 3600, ttl: 300, list: list(), compression });

/** A token with a hand-made header/payload, signed with the test key (or not). */
function forge({
  header = { typ: 'statuslist+jwt', alg: 'ES256' },
  claims = payload,
  sign = true,
}: {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  sign?: boolean;
}): string {
  const input = `${base64urlEncodeString(JSON.stringify(header))}.${base64urlEncodeString(JSON.stringify(claims))}`;
  return `${input}.${sign ? base64urlEncode(signingKey.sign(input)) : ''}`;
}

const verify = (jwt: string, extra: Partial<Parameters<typeof verifyStatusListToken>[0]> = {}) =>
  verifyStatusListToken({ jwt, expectedSub: SUB, publicJwk, verifySignature: crypto.verifySignature, now: NOW, ...extra } as Parameters<
    typeof verifyStatusListToken
  >[0]);

describe('signStatusListToken / verifyStatusListToken (§5.1, §8.3)', () => {
  it('signs a compact ES256 statuslist+jwt that verifies and decodes', async () => {
    const jwt = await signStatusListToken({ payload, signingKey });
    const [h] = jwt.split('.');
    expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toEqual({
      typ: 'statuslist+jwt',
      alg: 'ES256',
      kid: 'did:web:city.example#status-1',
    });
    const verified = await verify(jwt);
    expect(verified.header.kid).toBe('did:web:city.example#status-1');
    expect(verified.payload).toEqual(payload);
    const decoded = decodeTokenStatusList({ statusList: verified.payload.status_list, compression });
    expect(decoded.get(1)).toBe(2);
  });

  it('resolves the issuer key by kid when asked to', async () => {
    const jwt = await signStatusListToken({ payload, signingKey, kid: 'k-7' });
    const seen: (string | undefined)[] = [];
    const verified = await verifyStatusListToken({
      jwt,
      expectedSub: SUB,
      verifySignature: crypto.verifySignature,
      now: NOW,
      resolvePublicJwk: ({ kid }) => {
        seen.push(kid);
        return publicJwk;
      },
    });
    expect(seen).toEqual(['k-7']);
    expect(verified.header.kid).toBe('k-7');
  });

  it('accepts typ application/statuslist+jwt and tokens within the clock skew', async () => {
    await expect(verify(forge({ header: { typ: 'application/statuslist+jwt', alg: 'ES256' } }))).resolves.toBeDefined();
    const future = forge({ claims: { ...payload, iat: NOW + 59 } });
    await expect(verify(future)).resolves.toBeDefined();
    const justExpired = forge({ claims: { ...payload, exp: NOW - 59 } });
    await expect(verify(justExpired)).resolves.toBeDefined();
  });

  it('@sd-jwt/jwt-status-list reads the list out of a token we sign', async () => {
    const jwt = await signStatusListToken({ payload, signingKey });
    expect(getListFromStatusListJWT(jwt).statusList).toEqual([1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3]);
  });

  it('refuses a non-ES256 signing key (ALG_NOT_ALLOWED)', async () => {
    await expect(signStatusListToken({ payload, signingKey: { ...signingKey, alg: 'RS256' as 'ES256' } })).rejects.toMatchObject({
      code: 'ALG_NOT_ALLOWED',
    });
  });
});

describe('verifyStatusListToken rejects bad tokens with exact codes', () => {
  const cases: [string, () => string, string, Record<string, unknown>?][] = [
    ['wrong typ', () => forge({ header: { typ: 'JWT', alg: 'ES256' } }), 'TYP_INVALID'],
    ['missing typ', () => forge({ header: { alg: 'ES256' } }), 'TYP_INVALID'],
    ['typ of a credential', () => forge({ header: { typ: 'dc+sd-jwt', alg: 'ES256' } }), 'TYP_INVALID'],
    ['alg none', () => forge({ header: { typ: 'statuslist+jwt', alg: 'none' }, sign: false }), 'ALG_NONE'],
    ['alg None (case)', () => forge({ header: { typ: 'statuslist+jwt', alg: 'None' }, sign: false }), 'ALG_NONE'],
    ['alg HS256 (MAC)', () => forge({ header: { typ: 'statuslist+jwt', alg: 'HS256' } }), 'ALG_HMAC'],
    ['alg ES384 (not allow-listed)', () => forge({ header: { typ: 'statuslist+jwt', alg: 'ES384' } }), 'ALG_NOT_ALLOWED'],
    ['alg RS256 (not allow-listed)', () => forge({ header: { typ: 'statuslist+jwt', alg: 'RS256' } }), 'ALG_NOT_ALLOWED'],
    ['embedded jwk', () => forge({ header: { typ: 'statuslist+jwt', alg: 'ES256', jwk: publicJwk } }), 'HEADER_EMBEDDED_KEY'],
    ['jku', () => forge({ header: { typ: 'statuslist+jwt', alg: 'ES256', jku: 'https://evil.example' } }), 'HEADER_EMBEDDED_KEY'],
    ['x5c', () => forge({ header: { typ: 'statuslist+jwt', alg: 'ES256', x5c: ['MII'] } }), 'HEADER_EMBEDDED_KEY'],
    ['crit', () => forge({ header: { typ: 'statuslist+jwt', alg: 'ES256', crit: ['exp'] } }), 'HEADER_CRIT_UNSUPPORTED'],
    ['bad signature (payload altered after signing)', () => {
      const [h, , s] = forge({}).split('.');
      return `${h}.${base64urlEncodeString(JSON.stringify({ ...payload, sub: SUB, ttl: 1 }))}.${s}`;
    }, 'SIGNATURE_INVALID'],
    ['signature by another key', () => forge({}), 'SIGNATURE_INVALID', { publicJwk: other.publicJwk }],
    ['empty signature', () => forge({ sign: false }), 'SIGNATURE_INVALID'],
    ['signature of the wrong length', () => `${forge({}).split('.').slice(0, 2).join('.')}.${base64urlEncode(new Uint8Array(70))}`, 'SIGNATURE_INVALID'],
    ['sub mismatch', () => forge({ claims: { ...payload, sub: 'https://city.example/status/2' } }), 'CLAIM_INVALID'],
    ['sub missing', () => forge({ claims: { ...payload, sub: undefined } }), 'CLAIM_MISSING'],
    ['iss mismatch', () => forge({ claims: { ...payload, iss: 'https://evil.example' } }), 'CLAIM_INVALID', { expectedIss: 'https://city.example' }],
    ['expired', () => forge({ claims: { ...payload, exp: NOW - 61 } }), 'CREDENTIAL_EXPIRED'],
    ['exp not a number', () => forge({ claims: { ...payload, exp: 'tomorrow' } }), 'CLAIM_INVALID'],
    ['iat in the future', () => forge({ claims: { ...payload, iat: NOW + 61 } }), 'IAT_IN_FUTURE'],
    ['iat missing', () => forge({ claims: { ...payload, iat: undefined } }), 'CLAIM_MISSING'],
    ['nbf in the future', () => forge({ claims: { ...payload, nbf: NOW + 600 } }), 'CREDENTIAL_NOT_YET_VALID'],
    ['ttl not positive', () => forge({ claims: { ...payload, ttl: -5 } }), 'CLAIM_INVALID'],
    ['status_list missing', () => forge({ claims: { ...payload, status_list: undefined } }), 'CLAIM_MISSING'],
    ['status_list bits 3', () => forge({ claims: { ...payload, status_list: { bits: 3, lst: 'eNo76fITAAPfAgc' } } }), 'STATUS_LIST_MALFORMED'],
    ['two parts', () => forge({}).split('.').slice(0, 2).join('.'), 'JWS_MALFORMED'],
    ['four parts', () => `${forge({})}.x`, 'JWS_MALFORMED'],
    ['header not JSON', () => `bm90IGpzb24.${forge({}).split('.').slice(1).join('.')}`, 'JWS_MALFORMED'],
    ['header a JSON array', () => `${base64urlEncodeString('[]')}.${forge({}).split('.').slice(1).join('.')}`, 'JWS_MALFORMED'],
    ['header not base64url', () => `e30=.${forge({}).split('.').slice(1).join('.')}`, 'JWS_MALFORMED'],
    ['signature not base64url', () => `${forge({}).split('.').slice(0, 2).join('.')}.a+b/`, 'JWS_MALFORMED'],
    ['payload not JSON (but signed)', () => {
      const input = `${base64urlEncodeString(JSON.stringify({ typ: 'statuslist+jwt', alg: 'ES256' }))}.${base64urlEncodeString('nope')}`;
      return `${input}.${base64urlEncode(signingKey.sign(input))}`;
    }, 'JWS_MALFORMED'],
    ['token above the size limit', () => forge({}), 'STATUS_LIST_TOO_LARGE', { maxTokenLength: 100 }],
  ];

  for (const [name, make, code, extra] of cases) {
    it(`${name} → ${code}`, async () => {
      await expect(verify(make(), extra ?? {})).rejects.toMatchObject({ name: 'UrbisError', code });
    });
  }

  it('a verifier port returning false is a bad signature; a bad key surfaces as KEY_INVALID', async () => {
    const jwt = forge({});
    await expect(verify(jwt, { verifySignature: () => false })).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
    await expect(verify(jwt, { publicJwk: { ...publicJwk, x: 'A'.repeat(43) } })).rejects.toMatchObject({ code: 'KEY_INVALID' });
  });

  it('INVALID_ARGUMENT without a key source', async () => {
    await expect(
      verifyStatusListToken({ jwt: forge({}), expectedSub: SUB, verifySignature: crypto.verifySignature, now: NOW } as unknown as Parameters<
        typeof verifyStatusListToken
      >[0]),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('error messages carry no claim values', async () => {
    const secretSub = 'https://city.example/status/SECRET-123';
    const err = await verify(forge({ claims: { ...payload, sub: secretSub } as StatusListTokenPayload })).catch((e: unknown) => e);
    expect(String((err as Error).message)).not.toContain('SECRET');
  });
});
