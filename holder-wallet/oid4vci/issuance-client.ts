import { UrbisError } from '../../core/errors/urbis-error.js';
import { PRE_AUTHORIZED_CODE_GRANT_TYPE } from '../../core/oid4vci/credential-offer.js';
import { checkTxCodeInput, type CredentialOffer } from './credential-offer.js';
import { issueConfigurations } from './configuration-issuance.js';
import type { HolderKeyFactory } from './holder-key.js';
import type { ConfigurationIssuance } from './issuance-result.js';
import type { FetchLike } from './issuer-http.js';
import { fetchIssuerMetadata, type IssuerMetadata } from './issuer-metadata.js';
import { exchangeToken } from './token-exchange.js';
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
  /**
   * The refresh token the issuer gave with the access token (RFC 6749 §6),
   * if any: it asks for fresh copies of the same configurations later
   * (`refreshIssuance`). A secret: keep it in the encrypted store only.
   */
  refreshToken?: string;
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
  const { accessToken, refreshToken } = await exchangeToken({
    fetch,
    tokenEndpoint: metadata.authorizationServer.tokenEndpoint,
    grant: { preAuthorizedCode: grant['pre-authorized_code'], ...(grant.tx_code === undefined || txCode === undefined ? {} : { txCode }) },
  });

  const results = await issueConfigurations({
    configurationIds: resolved.credential_configuration_ids,
    metadata,
    accessToken,
    batchSize,
    newHolderKey,
    fetch,
    now,
    ...(issuer.issuerIds === undefined ? {} : { issuerIds: issuer.issuerIds }),
  });
  return { issuer, offer: resolved, metadata, results, ...(refreshToken === undefined ? {} : { refreshToken }) };
}

