import { UrbisError, isUrbisError } from '../../core/errors/urbis-error.js';
import { checkTxCodeInput, PRE_AUTHORIZED_CODE_GRANT_TYPE, type CredentialOffer } from './credential-offer.js';
import { MAX_CREDENTIAL_RESPONSE_BYTES, readCredentialAnswer } from './credential-response.js';
import { newHolderKeys, type HolderKey, type HolderKeyFactory } from './holder-key.js';
import type { ConfigurationIssuance } from './issuance-result.js';
import { issuerErrorCode } from './issuer-error.js';
import { expectJsonObject, sendToIssuer, type FetchLike } from './issuer-http.js';
import { fetchIssuerMetadata, type IssuerMetadata, type OfferedConfiguration } from './issuer-metadata.js';
import { buildKeyProof } from './key-proof.js';
import { resolveOffer } from './offer-link.js';
import type { TrustedCredentialIssuer, TrustList } from './trust-list.js';

/**
 * The wallet's OpenID for Verifiable Credential Issuance 1.0 client, for
 * the Pre-Authorized Code Flow with a Transaction Code (counter and portal
 * enrolment), batches of one-time copies and deferred issuance. It runs
 * wherever `fetch` and the key port do: Node and the browser.
 */

/** Copies asked for per configuration by default (DESIGN §2). */
export const DEFAULT_BATCH_SIZE = 10;

/** Most copies the wallet asks for per configuration, whatever the issuer allows. */
export const MAX_BATCH_SIZE = 100;

/** Longest token or nonce answer read. */
const MAX_SMALL_ANSWER_BYTES = 16 * 1024;

/** Arguments of {@link acceptOffer}. */
export interface AcceptOfferArgs {
  /** The scanned link (by value or by reference) or an offer object (e.g. from `inspectOffer`). */
  offer: string | CredentialOffer | Record<string, unknown>;
  /** The Transaction Code the citizen received by another channel, when the offer asks for one. */
  txCode?: string;
  /** The wallet's trusted issuers. */
  trustList: Pick<TrustList, 'requireTrusted'>;
  /** One fresh holder key per call, one per copy. */
  newHolderKey: HolderKeyFactory;
  /** Copies per configuration (default 10), capped by the issuer's batch size. */
  batchSize?: number;
  /** Default: the global `fetch`. */
  fetch?: FetchLike;
  /** Clock, epoch milliseconds (key proof `iat`, deferred `notBefore`). Default `Date.now`. */
  now?: () => number;
}

/** The outcome of {@link acceptOffer}. */
export interface AcceptedOffer {
  /** The trust list's entry for the issuer. */
  issuer: TrustedCredentialIssuer;
  offer: CredentialOffer;
  metadata: IssuerMetadata;
  /** One result per offered configuration, in offer order. */
  results: ConfigurationIssuance[];
}

/**
 * Accepts a Credential Offer (OID4VCI 1.0, Pre-Authorized Code Flow):
 *
 * 1. resolves the offer (link by value, link by reference → GET, or object);
 * 2. refuses an issuer outside the trust list (`ISSUER_UNTRUSTED`), before
 *    any request to that issuer's endpoints;
 * 3. checks the typed `txCode` against the offer's `tx_code` description
 *    (a typo costs none of the issuer's attempts);
 * 4. fetches and validates the issuer and authorization server metadata;
 * 5. exchanges the pre-authorized code (and `tx_code`) for an access token
 *    (form-encoded, anonymous);
 * 6. for each configuration: a fresh `c_nonce`, N fresh holder keys, N key
 *    proofs, one Credential Request `{ credential_configuration_id, proofs:
 *    { jwt: [...] } }`; a 200 gives N copies, each checked to be bound to the
 *    key of its proof; a 202 gives a {@link PendingIssuance} for
 *    `pollDeferred`. A proof refused for its nonce (`invalid_nonce`, e.g. a
 *    nonce that expired while keys were made) is retried once with a new one.
 *
 * Errors before any credential is issued are thrown. Once the access token
 * is spent, a configuration that fails is reported in `results` (as
 * `{ error }`) so that the copies of the others are not lost; when every
 * configuration fails, the first error is thrown.
 *
 * @throws UrbisError `BODY_INVALID` (offer link, offer, metadata, answers),
 *   `ISSUER_UNTRUSTED`, `TX_CODE_INVALID` (missing, malformed or wrong),
 *   `INVALID_ARGUMENT` (batch size, key factory), `INPUT_TOO_LARGE`,
 *   `ISSUER_UNREACHABLE`, the issuer's errors mapped by code
 *   (`OFFER_NOT_FOUND`, `OFFER_EXPIRED`, `PRE_AUTH_CODE_REPLAYED`,
 *   `TX_CODE_ATTEMPTS_EXCEEDED`, `PROOF_INVALID`, `RATE_LIMITED`, ...), and
 *   the credential checks' codes (`HOLDER_BINDING_MISSING`, `TYP_INVALID`, ...).
 *
 * @example
 * ```ts
 * const { results } = await acceptOffer({ offer: scannedLink, txCode: '493536', trustList, newHolderKey });
 * for (const result of results) {
 *   if (result.copies) await store.addCopies(result.copies);
 *   else if (result.pending) await store.addPending(result.pending);
 * }
 * ```
 */
export async function acceptOffer({
  offer,
  txCode,
  trustList,
  newHolderKey,
  batchSize = DEFAULT_BATCH_SIZE,
  fetch = globalThis.fetch,
  now = Date.now,
}: AcceptOfferArgs): Promise<AcceptedOffer> {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new UrbisError('INVALID_ARGUMENT', `batchSize is an integer from 1 to ${MAX_BATCH_SIZE}`);
  }
  const resolved = await resolveOffer({ offer, fetch });
  const issuerUrl = resolved.credential_issuer;
  const issuer = trustList.requireTrusted({ issuerUrl });
  const grant = resolved.grants[PRE_AUTHORIZED_CODE_GRANT_TYPE];
  if (grant.tx_code !== undefined) {
    if (txCode === undefined) throw new UrbisError('TX_CODE_INVALID', 'this offer requires the transaction code sent to the citizen');
    checkTxCodeInput({ txCode, description: grant.tx_code });
  }

  const metadata = await fetchIssuerMetadata({ offer: resolved, fetch });
  const accessToken = await requestAccessToken({
    fetch,
    tokenEndpoint: metadata.authorizationServer.tokenEndpoint,
    preAuthorizedCode: grant['pre-authorized_code'],
    ...(grant.tx_code === undefined || txCode === undefined ? {} : { txCode }),
  });

  const copies = Math.min(batchSize, metadata.credentialIssuer.batchSize);
  const results: ConfigurationIssuance[] = [];
  for (const configurationId of resolved.credential_configuration_ids) {
    try {
      results.push(
        await issueConfiguration({
          configuration: metadata.credentialIssuer.configurations[configurationId]!,
          metadata,
          accessToken,
          copies,
          newHolderKey,
          fetch,
          now,
          ...(issuer.issuerIds === undefined ? {} : { issuerIds: issuer.issuerIds }),
        }),
      );
    } catch (error) {
      if (!isUrbisError(error)) throw error;
      results.push({ configurationId, error });
    }
  }
  const failed = results.filter((result) => result.error !== undefined);
  if (failed.length === results.length) throw failed[0]!.error!;
  return { issuer, offer: resolved, metadata, results };
}

/** Token Request (OID4VCI 1.0 §6.1): form-encoded, no client authentication. */
async function requestAccessToken({
  fetch,
  tokenEndpoint,
  preAuthorizedCode,
  txCode,
}: {
  fetch: FetchLike;
  tokenEndpoint: string;
  preAuthorizedCode: string;
  txCode?: string;
}): Promise<string> {
  const form = new URLSearchParams({ grant_type: PRE_AUTHORIZED_CODE_GRANT_TYPE, 'pre-authorized_code': preAuthorizedCode });
  if (txCode !== undefined) form.set('tx_code', txCode);
  const what = 'token request';
  const answer = await sendToIssuer({
    fetch,
    url: tokenEndpoint,
    what,
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    maxBytes: MAX_SMALL_ANSWER_BYTES,
  });
  const token = expectJsonObject({ answer, what });
  if (typeof token.access_token !== 'string' || token.access_token === '' || token.access_token.length > 4096) {
    throw new UrbisError('BODY_INVALID', `${what}: the answer has no access_token`);
  }
  if (typeof token.token_type !== 'string' || token.token_type.toLowerCase() !== 'bearer') {
    throw new UrbisError('BODY_INVALID', `${what}: the access token is not a Bearer token`);
  }
  return token.access_token;
}

/** Nonce Request (OID4VCI 1.0 §7): POST, no body, `{ c_nonce }`. */
async function requestNonce({ fetch, nonceEndpoint }: { fetch: FetchLike; nonceEndpoint: string }): Promise<string> {
  const what = 'nonce request';
  const answer = await sendToIssuer({ fetch, url: nonceEndpoint, what, method: 'POST', maxBytes: MAX_SMALL_ANSWER_BYTES });
  const body = expectJsonObject({ answer, what });
  if (typeof body.c_nonce !== 'string' || body.c_nonce === '' || body.c_nonce.length > 1024) {
    throw new UrbisError('BODY_INVALID', `${what}: the answer has no c_nonce`);
  }
  return body.c_nonce;
}

/** One configuration: keys, nonce, proofs, Credential Request, answer. */
async function issueConfiguration({
  configuration,
  metadata,
  accessToken,
  copies,
  newHolderKey,
  fetch,
  now,
  issuerIds,
}: {
  configuration: OfferedConfiguration;
  metadata: IssuerMetadata;
  accessToken: string;
  copies: number;
  newHolderKey: HolderKeyFactory;
  fetch: FetchLike;
  now: () => number;
  issuerIds?: readonly string[];
}): Promise<ConfigurationIssuance> {
  const { credentialIssuer } = metadata;
  const issuerUrl = credentialIssuer.credentialIssuer;
  const keys: HolderKey[] = await newHolderKeys({ count: copies, newHolderKey });
  const what = `credential request ${configuration.id}`;
  for (let attempt = 0; ; attempt++) {
    const nonce = credentialIssuer.nonceEndpoint === undefined ? undefined : await requestNonce({ fetch, nonceEndpoint: credentialIssuer.nonceEndpoint });
    const iat = Math.floor(now() / 1000);
    const proofs = await Promise.all(keys.map((holderKey) => buildKeyProof({ holderKey, audience: issuerUrl, iat, ...(nonce === undefined ? {} : { nonce }) })));
    const answer = await sendToIssuer({
      fetch,
      url: credentialIssuer.credentialEndpoint,
      what,
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ credential_configuration_id: configuration.id, proofs: { jwt: proofs } }),
      maxBytes: MAX_CREDENTIAL_RESPONSE_BYTES,
    });
    if (attempt === 0 && nonce !== undefined && answer.status === 400 && issuerErrorCode(answer) === 'PROOF_NONCE_INVALID') continue;
    const read = readCredentialAnswer({ answer, what, keys, format: configuration.format, issuerUrl, ...(issuerIds === undefined ? {} : { issuerIds }) });
    if ('copies' in read) return { configurationId: configuration.id, format: configuration.format, issuerId: read.issuerId, copies: read.copies };
    if (credentialIssuer.deferredCredentialEndpoint === undefined) {
      throw new UrbisError('BODY_INVALID', `${what}: a deferred answer from an issuer without a deferred_credential_endpoint`);
    }
    return {
      configurationId: configuration.id,
      format: configuration.format,
      pending: {
        issuerUrl,
        configurationId: configuration.id,
        format: configuration.format,
        deferredCredentialEndpoint: credentialIssuer.deferredCredentialEndpoint,
        transactionId: read.transactionId,
        interval: read.interval,
        notBefore: now() + read.interval * 1000,
        accessToken,
        keys,
        ...(issuerIds === undefined ? {} : { issuerIds: [...issuerIds] }),
      },
    };
  }
}
