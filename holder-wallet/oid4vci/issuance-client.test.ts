import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import type { PublicJwk } from '../../core/crypto/ports.js';
import { isUrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';
import { decodeCompactJws, signCompactJws } from '../../core/jose/compact-jws.js';
import { PRE_AUTHORIZED_CODE_GRANT_TYPE } from '../../core/oid4vci/credential-offer.js';
import { pollDeferred } from './deferred-issuance.js';
import type { HolderKeyFactory } from './holder-key.js';
import { acceptOffer } from './issuance-client.js';
import type { FetchLike } from './issuer-http.js';
import { PROOF_JWT_TYP } from './key-proof.js';
import { createTrustList } from './trust-list.js';

/**
 * The client's own behaviour against a scripted issuer (a fake `fetch`):
 * wire shapes, the nonce retry, partial failures, and the checks of what
 * comes back. The real issuer is exercised in e2e/wallet-issuance.test.ts.
 */

const ISSUER = 'https://city.example';
const ISSUER_DID = 'did:web:city.example';
const crypto = createNodeCrypto();
const issuerKey = crypto.signingKeyFromJwk({ privateJwk: crypto.generateKeyPair().privateJwk });
const newHolderKey: HolderKeyFactory = async () => {
  const { privateJwk, publicJwk } = crypto.generateKeyPair();
  return { publicJwk, signingKey: crypto.signingKeyFromJwk({ privateJwk }) };
};
const json = (body: unknown, status = 200, type = 'application/json'): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

interface Script {
  /** Answers the credential endpoint for one configuration; default: one credential per proof. */
  credential?: (args: { configurationId: string; keys: PublicJwk[]; nonce: unknown; call: number }) => Promise<Response> | Response;
  deferred?: (args: { transactionId: string; call: number }) => Promise<Response> | Response;
  token?: (form: URLSearchParams) => Response;
}

/** A scripted issuer: metadata, token, nonce, credential and deferred endpoints. Records every request. */
function fakeIssuer(script: Script = {}): { fetch: FetchLike; requests: { url: string; method: string; headers: Record<string, string>; body: string }[] } {
  const requests: { url: string; method: string; headers: Record<string, string>; body: string }[] = [];
  let nonces = 0;
  let credentialCalls = 0;
  let deferredCalls = 0;
  const fetch: FetchLike = async (url, init = {}) => {
    const body = typeof init.body === 'string' ? init.body : '';
    requests.push({ url, method: init.method ?? 'GET', headers: init.headers as Record<string, string>, body });
    switch (url) {
      case `${ISSUER}/.well-known/openid-credential-issuer`:
        return json({
          credential_issuer: ISSUER,
          credential_endpoint: `${ISSUER}/credential`,
          nonce_endpoint: `${ISSUER}/nonce`,
          deferred_credential_endpoint: `${ISSUER}/deferred`,
          batch_credential_issuance: { batch_size: 5 },
          credential_configurations_supported: Object.fromEntries(
            ['a', 'b'].map((id) => [id, { format: 'dc+sd-jwt', vct: `urn:vct:${id}`, proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256'] } } }]),
          ),
        });
      case `${ISSUER}/.well-known/oauth-authorization-server`:
        return json({ issuer: ISSUER, token_endpoint: `${ISSUER}/token` });
      case `${ISSUER}/token`:
        return script.token?.(new URLSearchParams(body)) ?? json({ access_token: 'at-1', token_type: 'Bearer', expires_in: 300 });
      case `${ISSUER}/nonce`:
        return json({ c_nonce: `nonce-${++nonces}` });
      case `${ISSUER}/credential`: {
        const request = JSON.parse(body) as { credential_configuration_id: string; proofs: { jwt: string[] } };
        const decoded = request.proofs.jwt.map((proof) => decodeCompactJws(proof));
        const keys = decoded.map((proof) => proof.header.jwk as PublicJwk);
        const args = { configurationId: request.credential_configuration_id, keys, nonce: decoded[0]!.payload.nonce, call: ++credentialCalls };
        return script.credential?.(args) ?? json({ credentials: await Promise.all(keys.map((jwk) => sdJwtFor(jwk))).then((list) => list.map((credential) => ({ credential }))) });
      }
      case `${ISSUER}/deferred`:
        return script.deferred?.({ transactionId: (JSON.parse(body) as { transaction_id: string }).transaction_id, call: ++deferredCalls }) ?? json({ error: 'invalid_transaction_id' }, 400);
      default:
        return new Response('not found', { status: 404 });
    }
  };
  return { fetch, requests };
}

async function sdJwtFor(jwk: PublicJwk, { typ = 'dc+sd-jwt', iss = ISSUER_DID }: { typ?: string; iss?: string } = {}): Promise<string> {
  return `${await signCompactJws({ header: { typ }, payload: { iss, vct: 'urn:vct:a', cnf: { jwk } }, signingKey: issuerKey })}~`;
}

const offer = (ids: string[] = ['a', 'b'], txCode = true) => ({
  credential_issuer: ISSUER,
  credential_configuration_ids: ids,
  grants: { [PRE_AUTHORIZED_CODE_GRANT_TYPE]: { 'pre-authorized_code': 'pac-1', ...(txCode ? { tx_code: { length: 4, input_mode: 'numeric' } } : {}) } },
});
const trustList = createTrustList({ issuers: [{ issuerUrl: ISSUER, name: 'City' }] });

async function codeOf(promise: Promise<unknown>): Promise<UrbisErrorCode | unknown> {
  return promise.then(() => 'no error', (e: unknown) => (isUrbisError(e) ? e.code : e));
}

describe('acceptOffer against a scripted issuer', () => {
  test('sends the token request as a form, one nonce and one batch of proofs per configuration', async () => {
    const issuer = fakeIssuer();
    const now = () => 1_760_000_000_123;
    const accepted = await acceptOffer({ offer: offer(), txCode: '0042', trustList, newHolderKey, batchSize: 10, fetch: issuer.fetch, now });
    expect(issuer.requests.map((r) => `${r.method} ${r.url.slice(ISSUER.length)}`)).toEqual([
      'GET /.well-known/openid-credential-issuer',
      'GET /.well-known/oauth-authorization-server',
      'POST /token',
      'POST /nonce',
      'POST /credential',
      'POST /nonce',
      'POST /credential',
    ]);
    const token = issuer.requests[2]!;
    expect(token.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(token.body))).toEqual({ grant_type: PRE_AUTHORIZED_CODE_GRANT_TYPE, 'pre-authorized_code': 'pac-1', tx_code: '0042' });

    const credentialRequest = issuer.requests[4]!;
    expect(credentialRequest.headers).toMatchObject({ 'Content-Type': 'application/json', Authorization: 'Bearer at-1' });
    const body = JSON.parse(credentialRequest.body) as { credential_configuration_id: string; proofs: { jwt: string[] } };
    expect(Object.keys(body)).toEqual(['credential_configuration_id', 'proofs']);
    expect(body.credential_configuration_id).toBe('a');
    expect(body.proofs.jwt).toHaveLength(5); // capped by the issuer's batch size
    for (const proof of body.proofs.jwt) {
      const { header, payload, signingInput, signature } = decodeCompactJws(proof);
      expect(header).toEqual({ alg: 'ES256', typ: PROOF_JWT_TYP, jwk: { kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String) } });
      expect(payload).toEqual({ aud: ISSUER, iat: 1_760_000_000, nonce: 'nonce-1' });
      expect(crypto.verifySignature({ alg: 'ES256', publicJwk: header.jwk as PublicJwk, signingInput, signature })).toBe(true);
    }
    expect(new Set(body.proofs.jwt.map((p) => JSON.stringify(decodeCompactJws(p).header.jwk))).size).toBe(5);
    expect(JSON.parse(issuer.requests[6]!.body).proofs.jwt[0]).not.toBe(body.proofs.jwt[0]);

    for (const result of accepted.results) {
      expect(result.copies).toHaveLength(5);
      expect(result.copies?.[0]?.credential.endsWith('~')).toBe(true);
      expect(result).toMatchObject({ format: 'dc+sd-jwt', issuerId: ISSUER_DID });
    }
  });

  test('a proof refused for its nonce is sent again once, with a fresh nonce and the same keys', async () => {
    const issuer = fakeIssuer({
      credential: async ({ keys, call }) =>
        call === 1 ? json({ error: 'invalid_nonce', code: 'PROOF_NONCE_INVALID' }, 400, 'application/problem+json') : json({ credentials: await Promise.all(keys.map((k) => sdJwtFor(k))).then((l) => l.map((credential) => ({ credential }))) }),
    });
    const accepted = await acceptOffer({ offer: offer(['a']), txCode: '0042', trustList, newHolderKey, batchSize: 2, fetch: issuer.fetch });
    expect(accepted.results[0]!.copies).toHaveLength(2);
    const credentialRequests = issuer.requests.filter((r) => r.url.endsWith('/credential')).map((r) => JSON.parse(r.body).proofs.jwt as string[]);
    expect(credentialRequests).toHaveLength(2);
    expect(credentialRequests.map((proofs) => decodeCompactJws(proofs[0]!).payload.nonce)).toEqual(['nonce-1', 'nonce-2']);
    expect(decodeCompactJws(credentialRequests[1]![0]!).header.jwk).toEqual(decodeCompactJws(credentialRequests[0]![0]!).header.jwk);
  });

  test('after the token is spent, a failing configuration is reported and the others keep their copies; all failing throws', async () => {
    const partial = fakeIssuer({
      credential: async ({ configurationId, keys }) =>
        configurationId === 'b' ? json({ error: 'credential_request_denied' }, 400) : json({ credentials: await Promise.all(keys.map((k) => sdJwtFor(k))).then((l) => l.map((credential) => ({ credential }))) }),
    });
    const accepted = await acceptOffer({ offer: offer(), txCode: '0042', trustList, newHolderKey, batchSize: 1, fetch: partial.fetch });
    expect(accepted.results[0]!.copies).toHaveLength(1);
    expect(accepted.results[1]).toMatchObject({ configurationId: 'b', error: { code: 'FORBIDDEN' } });

    const none = fakeIssuer({ credential: () => json({ error: 'invalid_proof' }, 400) });
    expect(await codeOf(acceptOffer({ offer: offer(), txCode: '0042', trustList, newHolderKey, fetch: none.fetch }))).toBe('PROOF_INVALID');
  });

  test.each<[string, Script['credential'], UrbisErrorCode]>([
    ['fewer credentials than proofs', async ({ keys }) => json({ credentials: [{ credential: await sdJwtFor(keys[0]!) }] }), 'BODY_INVALID'],
    ['a credential bound to another key', async ({ keys }) => json({ credentials: await Promise.all(keys.map(async (_k, i) => ({ credential: await sdJwtFor(keys[(i + 1) % keys.length]!) }))) }), 'HOLDER_BINDING_MISSING'],
    ['a credential of another type', async ({ keys }) => json({ credentials: await Promise.all(keys.map(async (k) => ({ credential: await sdJwtFor(k, { typ: 'vc+sd-jwt' }) }))) }), 'TYP_INVALID'],
    ['copies naming different issuers', async ({ keys }) => json({ credentials: await Promise.all(keys.map(async (k, i) => ({ credential: await sdJwtFor(k, { iss: `did:web:city-${i}.example` }) }))) }), 'BODY_INVALID'],
    ['a credential that is not a string', async () => json({ credentials: [{ credential: 1 }, { credential: 2 }] }), 'BODY_INVALID'],
    ['a credential without the trailing ~', async ({ keys }) => json({ credentials: await Promise.all(keys.map(async (k) => ({ credential: (await sdJwtFor(k)).slice(0, -1) }))) }), 'SD_JWT_MISSING_TILDE'],
    ['a 202 without an interval', async () => json({ transaction_id: 't' }, 202), 'BODY_INVALID'],
    ['an answer that is not JSON', async () => new Response('<html>', { headers: { 'content-type': 'text/html' } }), 'BODY_INVALID'],
  ])('refuses %s', async (_name, credential, code) => {
    const issuer = fakeIssuer({ credential });
    expect(await codeOf(acceptOffer({ offer: offer(['a']), txCode: '0042', trustList, newHolderKey, batchSize: 2, fetch: issuer.fetch }))).toBe(code);
  });

  test('a trust list entry with issuer ids refuses credentials naming another issuer', async () => {
    const pinned = createTrustList({ issuers: [{ issuerUrl: ISSUER, name: 'City', issuerIds: ['did:web:other.example'] }] });
    expect(await codeOf(acceptOffer({ offer: offer(['a']), txCode: '0042', trustList: pinned, newHolderKey, batchSize: 1, fetch: fakeIssuer().fetch }))).toBe('ISSUER_UNTRUSTED');
    const right = createTrustList({ issuers: [{ issuerUrl: ISSUER, name: 'City', issuerIds: [ISSUER_DID] }] });
    const accepted = await acceptOffer({ offer: offer(['a']), txCode: '0042', trustList: right, newHolderKey, batchSize: 1, fetch: fakeIssuer().fetch });
    expect(accepted.results[0]!.copies).toHaveLength(1);
  });

  test('maps token errors by the problem code first, then by the OAuth error string, never by text', async () => {
    const withCode = fakeIssuer({ token: () => json({ code: 'OFFER_EXPIRED', error: 'invalid_grant', detail: 'TX_CODE_INVALID' }, 400, 'application/problem+json') });
    expect(await codeOf(acceptOffer({ offer: offer(), txCode: '0042', trustList, newHolderKey, fetch: withCode.fetch }))).toBe('OFFER_EXPIRED');
    const oauthOnly = fakeIssuer({ token: () => json({ error: 'invalid_grant', error_description: 'wrong tx_code' }, 400) });
    expect(await codeOf(acceptOffer({ offer: offer(), txCode: '0042', trustList, newHolderKey, fetch: oauthOnly.fetch }))).toBe('PRE_AUTH_CODE_INVALID');
    const notBearer = fakeIssuer({ token: () => json({ access_token: 'x', token_type: 'DPoP' }) });
    expect(await codeOf(acceptOffer({ offer: offer(), txCode: '0042', trustList, newHolderKey, fetch: notBearer.fetch }))).toBe('BODY_INVALID');
  });

  test('sends no tx_code when the offer asks for none, and refuses bad arguments before any request', async () => {
    const issuer = fakeIssuer();
    await acceptOffer({ offer: offer(['a'], false), txCode: '0042', trustList, newHolderKey, batchSize: 1, fetch: issuer.fetch });
    expect(new URLSearchParams(issuer.requests.find((r) => r.url.endsWith('/token'))!.body).has('tx_code')).toBe(false);

    const idle = fakeIssuer();
    expect(await codeOf(acceptOffer({ offer: offer(), txCode: '0042', trustList, newHolderKey, batchSize: 0, fetch: idle.fetch }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(acceptOffer({ offer: offer(), txCode: '42', trustList, newHolderKey, fetch: idle.fetch }))).toBe('TX_CODE_INVALID');
    expect(await codeOf(acceptOffer({ offer: offer(), trustList: createTrustList(), newHolderKey, fetch: idle.fetch }))).toBe('ISSUER_UNTRUSTED');
    expect(idle.requests).toEqual([]);
  });

  test('refuses a key factory that repeats a key', async () => {
    const { privateJwk, publicJwk } = crypto.generateKeyPair();
    const same: HolderKeyFactory = async () => ({ publicJwk, signingKey: crypto.signingKeyFromJwk({ privateJwk }) });
    expect(await codeOf(acceptOffer({ offer: offer(['a']), txCode: '0042', trustList, newHolderKey: same, batchSize: 2, fetch: fakeIssuer().fetch }))).toBe('INVALID_ARGUMENT');
  });
});

describe('pollDeferred against a scripted issuer', () => {
  test('respects the interval, keeps polling while 202, then checks the copies against the keys of the proofs', async () => {
    let clock = 1_760_000_000_000;
    const now = () => clock;
    let issuedKeys: PublicJwk[] = [];
    const issuer = fakeIssuer({
      credential: ({ keys }) => {
        issuedKeys = keys;
        return json({ transaction_id: 'tx-1', interval: 5 }, 202);
      },
      deferred: async ({ transactionId, call }) => {
        expect(transactionId).toBe('tx-1');
        if (call === 1) return json({ interval: 7 }, 202);
        if (call === 2) return json({ credentials: await Promise.all(issuedKeys.map(async (k) => ({ credential: await sdJwtFor(k) }))) });
        return json({ error: 'invalid_transaction_id' }, 400); // collected once
      },
    });
    const accepted = await acceptOffer({ offer: offer(['a']), txCode: '0042', trustList, newHolderKey, batchSize: 3, fetch: issuer.fetch, now });
    const pending = accepted.results[0]!.pending!;
    expect(pending).toMatchObject({ transactionId: 'tx-1', interval: 5, notBefore: clock + 5_000, accessToken: 'at-1', deferredCredentialEndpoint: `${ISSUER}/deferred` });
    expect(pending.keys).toHaveLength(3);

    const sleeps: number[] = [];
    const sleep = async (ms: number): Promise<void> => {
      sleeps.push(ms);
      clock += ms;
    };
    clock += 2_000;
    const notYet = await pollDeferred({ pending, fetch: issuer.fetch, now, sleep, wait: false });
    expect(notYet.pending).toBe(pending);
    expect(issuer.requests.filter((r) => r.url.endsWith('/deferred'))).toHaveLength(0);

    const second = await pollDeferred({ pending, fetch: issuer.fetch, now, sleep });
    expect(sleeps).toEqual([3_000]);
    expect(second.pending).toMatchObject({ transactionId: 'tx-1', interval: 7, notBefore: clock + 7_000 });
    const deferredRequest = issuer.requests.filter((r) => r.url.endsWith('/deferred'))[0]!;
    expect(JSON.parse(deferredRequest.body)).toEqual({ transaction_id: 'tx-1' });
    expect(deferredRequest.headers).toMatchObject({ Authorization: 'Bearer at-1' });

    const done = await pollDeferred({ pending: second.pending!, fetch: issuer.fetch, now, sleep });
    expect(sleeps).toEqual([3_000, 7_000]);
    expect(done.copies).toHaveLength(3);
    expect(done.copies!.map((c) => c.publicJwk)).toEqual(pending.keys.map((k) => k.publicJwk));

    expect(await codeOf(pollDeferred({ pending: second.pending!, fetch: issuer.fetch, now, sleep }))).toBe('TRANSACTION_ID_INVALID');
  });
});
