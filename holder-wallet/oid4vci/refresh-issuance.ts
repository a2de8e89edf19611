import { UrbisError } from '../../core/errors/urbis-error.js';
import { issueConfigurations } from './configuration-issuance.js';
import type { HolderKeyFactory } from './holder-key.js';
import type { ConfigurationIssuance } from './issuance-result.js';
import type { FetchLike } from './issuer-http.js';
import { fetchIssuerMetadataFor, type IssuerMetadata } from './issuer-metadata.js';
import { DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE } from './issuance-client.js';
import { exchangeToken } from './token-exchange.js';
import type { TrustList } from './trust-list.js';

/** Arguments of {@link refreshIssuance}. */
export interface RefreshIssuanceArgs {
  /** The Credential Issuer Identifier the copies came from. */
  issuerUrl: string;
  /** The refresh token the issuer gave last (it is single-use: the answer rotates it). */
  refreshToken: string;
  /** The configurations to ask fresh copies of (a subset of those the token was given for). */
  configurationIds: readonly string[];
  trustList: Pick<TrustList, 'requireTrusted'>;
  newHolderKey: HolderKeyFactory;
  /** Copies per configuration (default 10), capped by the issuer's batch size. */
  batchSize?: number;
  fetch?: FetchLike;
  /** Clock, epoch milliseconds. */
  now?: () => number;
}

/** The outcome of {@link refreshIssuance}. */
export interface RefreshedIssuance {
  metadata: IssuerMetadata;
  /** One result per asked configuration, in the order asked. */
  results: ConfigurationIssuance[];
  /**
   * The rotated refresh token: the old one is spent the moment the issuer
   * answers, so store this one (in the same write as the copies) or the
   * wallet loses its way back to the issuer.
   */
  refreshToken?: string;
}

/**
 * Asks a trusted issuer for fresh one-time copies with a refresh token
 * (RFC 6749 §6 at the OID4VCI token endpoint): when the wallet runs low on
 * copies, and after a restore on a new device (copies whose holder keys
 * could not move). Each new copy gets a new holder key, exactly as at
 * first issuance; the issuer decides from the citizen's entitlements *now*
 * (a service dropped since is refused for that configuration).
 *
 * A configuration that fails while others succeed is reported in
 * `results` (as `{ error }`); when every one fails, the first error is
 * thrown. The old refresh token is spent as soon as the token endpoint
 * answers, so the rotated one is handed to `onTokenRotated` before any
 * credential request: the wallet stores it there, and keeps its way back
 * to the issuer even when the credential requests fail.
 *
 * @throws UrbisError `ISSUER_UNTRUSTED` (checked before any request),
 *   `INVALID_ARGUMENT` (no configuration, bad batch size),
 *   `REFRESH_TOKEN_INVALID` (unknown, expired or already used: ask the
 *   issuer for a new offer), `ISSUER_UNREACHABLE`, `BODY_INVALID`, and the
 *   issuer's errors mapped by code.
 *
 * @example
 * ```ts
 * const { results, refreshToken } = await refreshIssuance({ issuerUrl, refreshToken: stored, configurationIds: ['resident.dc+sd-jwt'], trustList, newHolderKey });
 * ```
 */
export async function refreshIssuance({
  issuerUrl,
  refreshToken,
  configurationIds,
  trustList,
  newHolderKey,
  batchSize = DEFAULT_BATCH_SIZE,
  fetch = globalThis.fetch,
  now = Date.now,
  onTokenRotated,
}: RefreshIssuanceArgs & {
  /** Called with the rotated refresh token as soon as the token endpoint answers, before any credential request. */
  onTokenRotated?: (refreshToken: string | undefined) => Promise<void>;
}): Promise<RefreshedIssuance> {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new UrbisError('INVALID_ARGUMENT', `batchSize is an integer from 1 to ${MAX_BATCH_SIZE}`);
  }
  if (!Array.isArray(configurationIds) || configurationIds.length === 0 || !configurationIds.every((id) => typeof id === 'string' && id !== '')) {
    throw new UrbisError('INVALID_ARGUMENT', 'configurationIds lists the configurations to refresh');
  }
  if (typeof refreshToken !== 'string' || refreshToken === '') throw new UrbisError('INVALID_ARGUMENT', 'refreshToken is the token the issuer gave');
  const issuer = trustList.requireTrusted({ issuerUrl });
  const metadata = await fetchIssuerMetadataFor({ issuerUrl, configurationIds, fetch });
  const exchanged = await exchangeToken({ fetch, tokenEndpoint: metadata.authorizationServer.tokenEndpoint, grant: { refreshToken } });
  await onTokenRotated?.(exchanged.refreshToken);

  const results = await issueConfigurations({
    configurationIds: [...new Set(configurationIds)],
    metadata,
    accessToken: exchanged.accessToken,
    batchSize,
    newHolderKey,
    fetch,
    now,
    ...(issuer.issuerIds === undefined ? {} : { issuerIds: issuer.issuerIds }),
  });
  return { metadata, results, ...(exchanged.refreshToken === undefined ? {} : { refreshToken: exchanged.refreshToken }) };
}
