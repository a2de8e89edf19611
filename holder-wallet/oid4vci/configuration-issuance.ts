import { UrbisError, isUrbisError } from '../../core/errors/urbis-error.js';
import { MAX_CREDENTIAL_RESPONSE_BYTES, readCredentialAnswer } from './credential-response.js';
import { newHolderKeys, type HolderKey, type HolderKeyFactory } from './holder-key.js';
import type { ConfigurationIssuance } from './issuance-result.js';
import { issuerErrorCode } from './issuer-error.js';
import { expectJsonObject, sendToIssuer, type FetchLike } from './issuer-http.js';
import type { IssuerMetadata, OfferedConfiguration } from './issuer-metadata.js';
import { buildKeyProof } from './key-proof.js';
import { MAX_TOKEN_ANSWER_BYTES } from './token-exchange.js';

/** Nonce Request (OID4VCI 1.0 §7): POST, no body, `{ c_nonce }`. */
async function requestNonce({ fetch, nonceEndpoint }: { fetch: FetchLike; nonceEndpoint: string }): Promise<string> {
  const what = 'nonce request';
  const answer = await sendToIssuer({ fetch, url: nonceEndpoint, what, method: 'POST', maxBytes: MAX_TOKEN_ANSWER_BYTES });
  const body = expectJsonObject({ answer, what });
  if (typeof body.c_nonce !== 'string' || body.c_nonce === '' || body.c_nonce.length > 1024) {
    throw new UrbisError('BODY_INVALID', `${what}: the answer has no c_nonce`);
  }
  return body.c_nonce;
}

/**
 * Every configuration of one access token, in order (see
 * {@link issueConfiguration}): a configuration that fails while others
 * succeed is reported in the results (as `{ error }`) so that the copies of
 * the others are not lost; when every one fails, the first error is thrown.
 * The number of copies is `batchSize` capped by the issuer's batch size.
 *
 * @throws UrbisError the first configuration's error when all fail.
 */
export async function issueConfigurations({
  configurationIds,
  metadata,
  accessToken,
  batchSize,
  newHolderKey,
  fetch,
  now,
  issuerIds,
}: {
  configurationIds: readonly string[];
  metadata: IssuerMetadata;
  accessToken: string;
  batchSize: number;
  newHolderKey: HolderKeyFactory;
  fetch: FetchLike;
  now: () => number;
  issuerIds?: readonly string[];
}): Promise<ConfigurationIssuance[]> {
  const copies = Math.min(batchSize, metadata.credentialIssuer.batchSize);
  const results: ConfigurationIssuance[] = [];
  for (const configurationId of configurationIds) {
    try {
      const configuration = metadata.credentialIssuer.configurations[configurationId]!;
      results.push(await issueConfiguration({ configuration, metadata, accessToken, copies, newHolderKey, fetch, now, ...(issuerIds === undefined ? {} : { issuerIds }) }));
    } catch (error) {
      if (!isUrbisError(error)) throw error;
      results.push({ configurationId, error });
    }
  }
  const failed = results.filter((result) => result.error !== undefined);
  if (failed.length === results.length) throw failed[0]!.error!;
  return results;
}

/**
 * One configuration: N fresh holder keys, a `c_nonce`, N key proofs, one
 * Credential Request, and its answer checked (copies bound to their keys,
 * or a deferred transaction). A proof refused for its nonce is retried once
 * with a new nonce. Shared by `acceptOffer` and `refreshIssuance`.
 *
 * @throws UrbisError the issuer's errors mapped by code, `BODY_INVALID`,
 *   the credential checks' codes.
 */
export async function issueConfiguration({
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
