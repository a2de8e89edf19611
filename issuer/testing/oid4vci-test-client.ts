import { createHmac, createPrivateKey, sign as nodeSign } from 'node:crypto';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import type { GeneratedKeyPair, OrPromise, PrivateJwk } from '../../core/crypto/ports.js';
import { base64urlEncode, base64urlEncodeString } from '../../core/encoding/base64url.js';
import { publicPartOf, toPrivateP256Jwk } from '../../core/keys/public-jwk.js';
import type { CredentialOffer } from '../../core/oid4vci/credential-offer.js';
import { parseCredentialOffer, parseOfferDeepLink } from '../oid4vci/credential-offer.js';
import { oid4vciEndpoints, OID4VCI_PATHS, wellKnownUrl } from '../oid4vci/endpoints.js';
import { PROOF_JWT_TYP } from '../oid4vci/proof-jwt.js';
import { REFRESH_TOKEN_GRANT_TYPE } from '../oid4vci/token-request.js';
import { PRE_AUTHORIZED_CODE_GRANT_TYPE } from '../../core/oid4vci/credential-offer.js';

/**
 * A wallet-side OpenID for Verifiable Credential Issuance 1.0 client over
 * real HTTP (global `fetch`), for the issuer's end-to-end tests. Not the
 * citizen wallet (that lives in holder-wallet/): it keeps nothing, checks
 * little, and exposes every step so that tests can send broken requests
 * and assert the issuer's error bodies.
 *
 * The happy path is {@link redeemOffer}, then {@link refreshCopies} when the
 * wallet runs low; the steps are {@link resolveOffer},
 * {@link fetchIssuerMetadata}, {@link fetchAuthorizationServerMetadata},
 * {@link requestToken}, {@link requestRefreshToken}, {@link requestNonce},
 * {@link buildProofJwt}, {@link requestCopies}, {@link requestCredential} and
 * {@link requestDeferred}. The low-level helpers never throw on an HTTP
 * status: they return it with the parsed body.
 */

/** An HTTP answer: status, headers, and the body parsed as JSON when it is a JSON object. */
export interface HttpResult {
  status: number;
  headers: Headers;
  /** The body when it is a JSON object, else `undefined` (see `text`). */
  body: Record<string, unknown> | undefined;
  text: string;
}

/** Thrown by {@link redeemOffer} when a step gets an unexpected answer. */
export class Oid4vciClientError extends Error {
  readonly step: string;
  readonly status: number | undefined;
  readonly body: Record<string, unknown> | undefined;

  constructor({ step, message, result }: { step: string; message: string; result?: HttpResult }) {
    super(`${step}: ${message}${result === undefined ? '' : ` (HTTP ${result.status}${typeof result.body?.error === 'string' ? ` ${result.body.error}` : ''})`}`);
    this.name = 'Oid4vciClientError';
    this.step = step;
    this.status = result?.status;
    this.body = result?.body;
  }
}

/** Key generation for holder keys (default: node:crypto, a fresh P-256 key per call). */
export interface TestClientCrypto {
  generateKeyPair: () => OrPromise<Pick<GeneratedKeyPair, 'privateJwk'>>;
}

/** What one configuration of the offer gave: copies now, or a deferred transaction. */
export type RedeemedConfiguration =
  | { configurationId: string; credentials: string[]; holderKeys: PrivateJwk[] }
  | {
      configurationId: string;
      transactionId: string;
      interval: number;
      /** The keys the copies will be bound to once the deferred request succeeds. */
      holderKeys: PrivateJwk[];
    };

/** The outcome of {@link redeemOffer}. */
export interface RedeemResult {
  accessToken: string;
  /** The Token Response's `refresh_token`, when the issuer gave one. */
  refreshToken: string | undefined;
  offer: CredentialOffer;
  metadata: Record<string, unknown>;
  results: RedeemedConfiguration[];
}

/**
 * Redeems a Credential Offer the way a wallet does (OID4VCI 1.0 Pre-Authorized
 * Code Flow): resolves the offer (by value, or by fetching its
 * `credential_offer_uri`), fetches the Credential Issuer and Authorization
 * Server metadata, exchanges the pre-authorized code (and `txCode`) for an
 * access token, then for each offered configuration fetches a fresh
 * `c_nonce`, makes one fresh ES256 key and one key proof per copy, and sends
 * one Credential Request with all proofs.
 *
 * @param args.offer A deep link (`openid-credential-offer://?...`) or an offer object.
 * @param args.batchSize Copies asked per configuration (default 10), capped
 *   by the issuer's `batch_credential_issuance.batch_size` (1 without it).
 * @throws Oid4vciClientError on any unexpected answer.
 *
 * @example
 * ```ts
 * const { results } = await redeemOffer({ offer: deepLink, txCode: '493536' });
 * ```
 */
export async function redeemOffer({
  offer,
  txCode,
  batchSize = 10,
  crypto = createNodeCrypto(),
  now,
}: {
  offer: string | CredentialOffer;
  txCode?: string;
  batchSize?: number;
  crypto?: TestClientCrypto;
  /** Proof `iat`, epoch seconds (default: the clock). */
  now?: number;
}): Promise<RedeemResult> {
  const resolved = await resolveOffer({ offer });
  const issuerUrl = resolved.credential_issuer;

  const metadataResult = await fetchIssuerMetadata({ issuerUrl });
  const metadata = expectStatus('issuer metadata', metadataResult, 200);
  if (metadata.credential_issuer !== issuerUrl) {
    throw new Oid4vciClientError({ step: 'issuer metadata', message: 'credential_issuer differs from the offer' });
  }
  const authorizationServer = Array.isArray(metadata.authorization_servers) ? String(metadata.authorization_servers[0]) : issuerUrl;
  const asMetadata = expectStatus(
    'authorization server metadata',
    await fetchAuthorizationServerMetadata({ issuerUrl: authorizationServer }),
    200,
  );
  const tokenEndpoint = stringField('authorization server metadata', asMetadata, 'token_endpoint');

  const grant = resolved.grants?.[PRE_AUTHORIZED_CODE_GRANT_TYPE];
  if (grant === undefined) throw new Oid4vciClientError({ step: 'offer', message: 'the offer has no pre-authorized code grant' });
  if (grant.tx_code !== undefined && txCode === undefined) {
    throw new Oid4vciClientError({ step: 'offer', message: 'the offer requires a transaction code' });
  }
  const token = expectStatus(
    'token',
    await requestToken({ issuerUrl, url: tokenEndpoint, preAuthorizedCode: grant['pre-authorized_code'], txCode }),
    200,
  );
  const accessToken = stringField('token', token, 'access_token');
  const refreshToken = typeof token.refresh_token === 'string' ? token.refresh_token : undefined;

  const nonceEndpoint = stringField('issuer metadata', metadata, 'nonce_endpoint');
  const credentialEndpoint = stringField('issuer metadata', metadata, 'credential_endpoint');
  const batch = metadata.batch_credential_issuance as { batch_size?: unknown } | undefined;
  const maxBatch = typeof batch?.batch_size === 'number' ? batch.batch_size : 1;
  const copies = Math.max(1, Math.min(batchSize, maxBatch));

  const results: RedeemedConfiguration[] = [];
  for (const configurationId of resolved.credential_configuration_ids) {
    const answer = await requestCopies({ issuerUrl, nonceUrl: nonceEndpoint, credentialUrl: credentialEndpoint, accessToken, configurationId, count: copies, crypto, ...(now === undefined ? {} : { now }) });
    results.push(readCredentialAnswer({ step: `credential ${configurationId}`, answer: answer.answer, configurationId, holderKeys: answer.holderKeys }));
  }
  return { accessToken, refreshToken, offer: resolved, metadata, results };
}

/** The outcome of {@link refreshCopies}. */
export interface RefreshResult {
  accessToken: string;
  /** The next refresh token (the one used is spent). */
  refreshToken: string;
  results: RedeemedConfiguration[];
}

/**
 * What a wallet does when it runs low on one-time copies (or after moving
 * to a new device): exchanges its refresh token for a new access token and
 * the next refresh token (RFC 6749 §6), then asks for a fresh batch of
 * `batchSize` copies, with fresh holder keys, of each configuration.
 *
 * @throws Oid4vciClientError on any unexpected answer (`step: 'refresh'`
 *   when the refresh token is refused).
 *
 * @example
 * ```ts
 * const { refreshToken: next, results } = await refreshCopies({ issuerUrl, refreshToken, configurationIds: ['resident.dc+sd-jwt'] });
 * ```
 */
export async function refreshCopies({
  issuerUrl,
  refreshToken,
  configurationIds,
  batchSize = 10,
  crypto = createNodeCrypto(),
  now,
}: {
  issuerUrl: string;
  refreshToken: string;
  configurationIds: readonly string[];
  batchSize?: number;
  crypto?: TestClientCrypto;
  /** Proof `iat`, epoch seconds (default: the clock). */
  now?: number;
}): Promise<RefreshResult> {
  const token = expectStatus('refresh', await requestRefreshToken({ issuerUrl, refreshToken }), 200);
  const accessToken = stringField('refresh', token, 'access_token');
  const next = stringField('refresh', token, 'refresh_token');
  const results: RedeemedConfiguration[] = [];
  for (const configurationId of configurationIds) {
    const { answer, holderKeys } = await requestCopies({ issuerUrl, accessToken, configurationId, count: batchSize, crypto, ...(now === undefined ? {} : { now }) });
    results.push(readCredentialAnswer({ step: `credential ${configurationId}`, answer, configurationId, holderKeys }));
  }
  return { accessToken, refreshToken: next, results };
}

/**
 * One Credential Request for `count` copies of a configuration, as a wallet
 * makes it: a fresh `c_nonce`, `count` fresh ES256 holder keys, one key proof
 * each. Returns the raw answer (any status) and the keys.
 *
 * @example
 * ```ts
 * const { answer, holderKeys } = await requestCopies({ issuerUrl, accessToken, configurationId: 'resident.dc+sd-jwt', count: 3 });
 * ```
 */
export async function requestCopies({
  issuerUrl,
  nonceUrl,
  credentialUrl,
  accessToken,
  configurationId,
  count,
  crypto = createNodeCrypto(),
  now,
}: {
  issuerUrl: string;
  nonceUrl?: string;
  credentialUrl?: string;
  accessToken: string;
  configurationId: string;
  count: number;
  crypto?: TestClientCrypto;
  /** Proof `iat`, epoch seconds (default: the clock). */
  now?: number;
}): Promise<{ answer: HttpResult; holderKeys: PrivateJwk[] }> {
  const cNonce = stringField('nonce', expectStatus('nonce', await requestNonce({ issuerUrl, ...(nonceUrl === undefined ? {} : { url: nonceUrl }) }), 200), 'c_nonce');
  const holderKeys = await generateHolderKeys({ count, crypto });
  const iat = now ?? Math.floor(Date.now() / 1000);
  const proofJwts = holderKeys.map((privateJwk) => buildProofJwt({ privateJwk, audience: issuerUrl, nonce: cNonce, iat }));
  const answer = await requestCredential({
    issuerUrl,
    ...(credentialUrl === undefined ? {} : { url: credentialUrl }),
    accessToken,
    body: credentialRequestBody({ credentialConfigurationId: configurationId, proofJwts }),
  });
  return { answer, holderKeys };
}

/**
 * Reads a (Deferred) Credential Response: HTTP 200 `{ credentials: [{ credential }] }`
 * or HTTP 202 `{ transaction_id, interval }`.
 *
 * @throws Oid4vciClientError on any other answer.
 */
export function readCredentialAnswer({
  step,
  answer,
  configurationId,
  holderKeys,
}: {
  step: string;
  answer: HttpResult;
  configurationId: string;
  holderKeys: PrivateJwk[];
}): RedeemedConfiguration {
  if (answer.status === 202) {
    const body = expectStatus(step, answer, 202);
    const transactionId = stringField(step, body, 'transaction_id');
    if (typeof body.interval !== 'number') throw new Oid4vciClientError({ step, message: 'a 202 answer has an interval', result: answer });
    return { configurationId, transactionId, interval: body.interval, holderKeys };
  }
  const body = expectStatus(step, answer, 200);
  const list = body.credentials;
  if (!Array.isArray(list) || list.length === 0) throw new Oid4vciClientError({ step, message: 'credentials is missing', result: answer });
  const credentials = list.map((entry: unknown) => {
    const credential = (entry as { credential?: unknown } | null)?.credential;
    if (typeof credential !== 'string') throw new Oid4vciClientError({ step, message: 'a credential is not a string', result: answer });
    return credential;
  });
  return { configurationId, credentials, holderKeys };
}

/**
 * Resolves an offer: a deep link by value or by reference (fetched with GET),
 * or an offer object.
 *
 * @throws UrbisError `BODY_INVALID` on a bad link or offer; Oid4vciClientError
 *   when the offer URI does not answer 200.
 */
export async function resolveOffer({ offer }: { offer: string | CredentialOffer }): Promise<CredentialOffer> {
  if (typeof offer !== 'string') return parseCredentialOffer(offer);
  const reference = parseOfferDeepLink(offer);
  if (reference.offer !== undefined) return reference.offer;
  return parseCredentialOffer(expectStatus('offer', await fetchOffer({ offerUri: reference.offerUri }), 200));
}

/** GET a Credential Offer by reference. */
export async function fetchOffer({ offerUri }: { offerUri: string }): Promise<HttpResult> {
  return send(offerUri, { method: 'GET', headers: { Accept: 'application/json' } });
}

/** GET the Credential Issuer metadata (`/.well-known/openid-credential-issuer`, path-inserted). */
export async function fetchIssuerMetadata({ issuerUrl }: { issuerUrl: string }): Promise<HttpResult> {
  const url = wellKnownUrl({ issuerUrl, wellKnownPath: OID4VCI_PATHS.credentialIssuerMetadata });
  return send(url, { method: 'GET', headers: { Accept: 'application/json' } });
}

/** GET the OAuth Authorization Server metadata (`/.well-known/oauth-authorization-server`, path-inserted). */
export async function fetchAuthorizationServerMetadata({ issuerUrl }: { issuerUrl: string }): Promise<HttpResult> {
  const url = wellKnownUrl({ issuerUrl, wellKnownPath: OID4VCI_PATHS.authorizationServerMetadata });
  return send(url, { method: 'GET', headers: { Accept: 'application/json' } });
}

/**
 * POST a Token Request (`application/x-www-form-urlencoded`). By default the
 * form is `grant_type` (the pre-authorized code grant), `pre-authorized_code`
 * and, when given, `tx_code`; `form` replaces it entirely (repeat a
 * parameter with an array).
 */
export async function requestToken({
  issuerUrl,
  url,
  preAuthorizedCode,
  txCode,
  grantType = PRE_AUTHORIZED_CODE_GRANT_TYPE,
  form,
}: {
  issuerUrl: string;
  /** Token Endpoint (default: the Urbis layout under `issuerUrl`). */
  url?: string;
  preAuthorizedCode?: string;
  txCode?: string;
  grantType?: string;
  form?: Record<string, string | string[]>;
}): Promise<HttpResult> {
  const params = new URLSearchParams();
  const fields: Record<string, string | string[] | undefined> = form ?? {
    grant_type: grantType,
    'pre-authorized_code': preAuthorizedCode,
    tx_code: txCode,
  };
  for (const [name, value] of Object.entries(fields)) {
    for (const v of value === undefined ? [] : Array.isArray(value) ? value : [value]) params.append(name, v);
  }
  return send(url ?? oid4vciEndpoints({ issuerUrl }).token, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: params.toString(),
  });
}

/** POST a Refresh Token Request (RFC 6749 §6): `grant_type=refresh_token&refresh_token=...`. */
export async function requestRefreshToken({ issuerUrl, url, refreshToken }: { issuerUrl: string; url?: string; refreshToken: string }): Promise<HttpResult> {
  return requestToken({ issuerUrl, ...(url === undefined ? {} : { url }), form: { grant_type: REFRESH_TOKEN_GRANT_TYPE, refresh_token: refreshToken } });
}

/** POST to the Nonce Endpoint (no body, no token). */
export async function requestNonce({ issuerUrl, url }: { issuerUrl: string; url?: string }): Promise<HttpResult> {
  return send(url ?? oid4vciEndpoints({ issuerUrl }).nonce, { method: 'POST', headers: { Accept: 'application/json' } });
}

/** The JSON body of a Credential Request with `jwt` proofs. */
export function credentialRequestBody({
  credentialConfigurationId,
  proofJwts,
}: {
  credentialConfigurationId: string;
  proofJwts: readonly string[];
}): { credential_configuration_id: string; proofs: { jwt: string[] } } {
  return { credential_configuration_id: credentialConfigurationId, proofs: { jwt: [...proofJwts] } };
}

/**
 * POST a Credential Request. `body` is sent as JSON as is (any value, for
 * negative tests; a string is sent verbatim); without `accessToken` no
 * `Authorization` header is sent.
 */
export async function requestCredential({
  issuerUrl,
  url,
  accessToken,
  body,
}: {
  issuerUrl: string;
  url?: string;
  accessToken?: string;
  body: unknown;
}): Promise<HttpResult> {
  return postJson(url ?? oid4vciEndpoints({ issuerUrl }).credential, { accessToken, body });
}

/** POST a Deferred Credential Request: `{ transaction_id }`, or `body` as is. */
export async function requestDeferred({
  issuerUrl,
  url,
  accessToken,
  transactionId,
  body,
}: {
  issuerUrl: string;
  url?: string;
  accessToken?: string;
  transactionId?: string;
  body?: unknown;
}): Promise<HttpResult> {
  return postJson(url ?? oid4vciEndpoints({ issuerUrl }).deferredCredential, {
    accessToken,
    body: body ?? { transaction_id: transactionId },
  });
}

/** Fresh P-256 holder keys, one per copy. */
export async function generateHolderKeys({ count, crypto = createNodeCrypto() }: { count: number; crypto?: TestClientCrypto }): Promise<PrivateJwk[]> {
  const keys: PrivateJwk[] = [];
  for (let i = 0; i < count; i++) keys.push(toPrivateP256Jwk((await crypto.generateKeyPair()).privateJwk));
  return keys;
}

/**
 * Builds a `jwt` key proof (OID4VCI 1.0 Appendix F.1): header
 * `{ typ: 'openid4vci-proof+jwt', alg: 'ES256', jwk: <public key> }`, payload
 * `{ aud, iat, nonce }`, signed with `privateJwk`.
 *
 * For negative tests: `typ` and `alg` replace the header values (`alg:
 * 'none'` gives an empty signature, `alg: 'HS256'` an HMAC keyed with
 * `hmacSecret`, any other value an ES256 signature under a lying header);
 * `header` and `payload` entries are merged last, and an entry set to
 * `undefined` removes the member (`header: { jwk: undefined }` drops the key,
 * `header: { jwk: privateJwk }` leaks `d`, `payload: { aud: [issuerUrl] }`).
 *
 * @example
 * ```ts
 * const proof = buildProofJwt({ privateJwk, audience: issuerUrl, nonce: cNonce, iat: now });
 * ```
 */
export function buildProofJwt({
  privateJwk,
  audience,
  nonce,
  iat,
  typ = PROOF_JWT_TYP,
  alg = 'ES256',
  header,
  payload,
  hmacSecret = 'not-a-secret',
}: {
  privateJwk: PrivateJwk;
  audience: string;
  /** The `c_nonce`; omitted from the payload when `undefined`. */
  nonce: string | undefined;
  /** Epoch seconds. */
  iat: number;
  typ?: string;
  alg?: string;
  header?: Record<string, unknown>;
  payload?: Record<string, unknown>;
  hmacSecret?: string;
}): string {
  const fullHeader = merge({ typ, alg, jwk: publicPartOf(privateJwk) }, header);
  const fullPayload = merge(nonce === undefined ? { aud: audience, iat } : { aud: audience, iat, nonce }, payload);
  const signingInput = `${base64urlEncodeString(JSON.stringify(fullHeader))}.${base64urlEncodeString(JSON.stringify(fullPayload))}`;
  if (alg === 'none') return `${signingInput}.`;
  if (/^HS\d+$/.test(alg)) return `${signingInput}.${createHmac('sha256', hmacSecret).update(signingInput).digest('base64url')}`;
  const key = createPrivateKey({ key: { ...privateJwk }, format: 'jwk' });
  const signature = nodeSign('sha256', Buffer.from(signingInput, 'latin1'), { key, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${base64urlEncode(signature)}`;
}

function merge(base: Record<string, unknown>, overrides: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(overrides ?? {})) {
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}

async function postJson(url: string, { accessToken, body }: { accessToken: string | undefined; body: unknown }): Promise<HttpResult> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (accessToken !== undefined) headers.Authorization = `Bearer ${accessToken}`;
  return send(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

async function send(url: string, init: RequestInit): Promise<HttpResult> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

function expectStatus(step: string, result: HttpResult, status: number): Record<string, unknown> {
  if (result.status !== status) throw new Oid4vciClientError({ step, message: `expected HTTP ${status}`, result });
  if (result.body === undefined) throw new Oid4vciClientError({ step, message: 'the answer is not a JSON object', result });
  return result.body;
}

function stringField(step: string, body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw new Oid4vciClientError({ step, message: `${name} is missing` });
  return value;
}
