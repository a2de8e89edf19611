import { UrbisError } from '../../core/errors/urbis-error.js';
import { PRE_AUTHORIZED_CODE_GRANT_TYPE } from '../../core/oid4vci/credential-offer.js';
import type { CredentialOffer } from './credential-offer.js';
import { expectJsonObject, sendToIssuer, type FetchLike } from './issuer-http.js';
import { checkCredentialIssuerId, checkEndpointUrl, wellKnownUrl } from './issuer-url.js';

/**
 * Credential Issuer metadata (OID4VCI 1.0 §12.2) and OAuth Authorization
 * Server metadata (RFC 8414, OID4VCI 1.0 §12.3), fetched and checked before
 * the wallet spends the offer's pre-authorized code. Everything the client
 * later needs comes out as a small, validated model; nothing else of the
 * documents is kept.
 */

/** Where Credential Issuer metadata lives (path-inserted, §12.2.2). */
export const CREDENTIAL_ISSUER_WELL_KNOWN = '/.well-known/openid-credential-issuer';

/** Where Authorization Server metadata lives (path-inserted, RFC 8414 §3.1). */
export const AUTHORIZATION_SERVER_WELL_KNOWN = '/.well-known/oauth-authorization-server';

/** Longest metadata document read. */
export const MAX_METADATA_BYTES = 512 * 1024;

/** Credential formats the wallet can hold. */
export type CredentialFormat = 'dc+sd-jwt' | 'vc+sd-jwt' | 'jwt_vc_json';

const FORMATS: readonly CredentialFormat[] = ['dc+sd-jwt', 'vc+sd-jwt', 'jwt_vc_json'];

/** A display object (issuer or configuration name in one locale). */
export interface DisplayName {
  name: string;
  locale?: string;
}

/** An offered Credential Configuration, as far as the wallet uses it. */
export interface OfferedConfiguration {
  id: string;
  format: CredentialFormat;
  /** `dc+sd-jwt`: the SD-JWT VC type. */
  vct?: string;
  /** Names to show, per locale (possibly none). */
  display: DisplayName[];
}

/** The validated Credential Issuer metadata. */
export interface CredentialIssuerMetadata {
  /** Equal, as a string, to the offer's `credential_issuer`. */
  credentialIssuer: string;
  credentialEndpoint: string;
  /** Absent when the issuer takes proofs without a `c_nonce`. */
  nonceEndpoint?: string;
  deferredCredentialEndpoint?: string;
  /** `authorization_servers`, when the issuer is not its own. */
  authorizationServers?: string[];
  /** Most key proofs per Credential Request (1 without `batch_credential_issuance`). */
  batchSize: number;
  /** The issuer's self-declared names. */
  display: DisplayName[];
  /** The offered configurations, by id (others are not read). */
  configurations: Record<string, OfferedConfiguration>;
}

/** The validated Authorization Server metadata. */
export interface AuthorizationServerMetadata {
  issuer: string;
  tokenEndpoint: string;
}

/** Both documents, as the issuance client uses them. */
export interface IssuerMetadata {
  credentialIssuer: CredentialIssuerMetadata;
  authorizationServer: AuthorizationServerMetadata;
}

/**
 * Validates Credential Issuer metadata against the offer it serves:
 * - `credential_issuer` equals `issuerUrl` exactly (§12.2.2: simple string
 *   comparison; a different value means the metadata is not this issuer's);
 * - `credential_endpoint`, `nonce_endpoint`, `deferred_credential_endpoint`
 *   are absolute URLs, https or on the issuer's origin;
 * - every configuration of `configurationIds` exists, has a format the
 *   wallet holds, takes `jwt` key proofs signed with ES256, binds to a JWK
 *   (`jwk`, or `did:jwk` for `jwt_vc_json`) when it says how, and is signed
 *   with ES256 when it says with what;
 * - `batch_credential_issuance.batch_size`, when present, is an integer ≥ 2.
 *
 * @throws UrbisError `BODY_INVALID`
 *
 * @example
 * ```ts
 * const metadata = validateCredentialIssuerMetadata({ metadata: json, issuerUrl: offer.credential_issuer, configurationIds: offer.credential_configuration_ids });
 * metadata.batchSize; // 10
 * ```
 */
export function validateCredentialIssuerMetadata({
  metadata,
  issuerUrl,
  configurationIds,
}: {
  metadata: unknown;
  issuerUrl: string;
  configurationIds: readonly string[];
}): CredentialIssuerMetadata {
  const problem = (message: string): UrbisError => new UrbisError('BODY_INVALID', `credential issuer metadata: ${message}`);
  if (!isObject(metadata)) throw problem('not a JSON object');
  if (typeof metadata.credential_issuer !== 'string' || metadata.credential_issuer !== issuerUrl) {
    throw problem('credential_issuer differs from the offer\'s credential issuer');
  }
  const endpoint = (name: string): string => checkEndpointUrl({ value: metadata[name], publisher: issuerUrl, what: name });
  const out: CredentialIssuerMetadata = {
    credentialIssuer: issuerUrl,
    credentialEndpoint: endpoint('credential_endpoint'),
    batchSize: 1,
    display: displayNames(metadata.display, problem),
    configurations: {},
  };
  if (metadata.nonce_endpoint !== undefined) out.nonceEndpoint = endpoint('nonce_endpoint');
  if (metadata.deferred_credential_endpoint !== undefined) out.deferredCredentialEndpoint = endpoint('deferred_credential_endpoint');
  if (metadata.authorization_servers !== undefined) {
    const servers = metadata.authorization_servers;
    if (!Array.isArray(servers) || servers.length === 0) throw problem('authorization_servers is a non-empty array');
    out.authorizationServers = servers.map((server) => {
      try {
        return checkCredentialIssuerId({ value: server });
      } catch (cause) {
        throw new UrbisError('BODY_INVALID', 'credential issuer metadata: an authorization server is not an https URL', { cause });
      }
    });
  }
  if (metadata.batch_credential_issuance !== undefined) {
    const batch = metadata.batch_credential_issuance;
    const size = isObject(batch) ? batch.batch_size : undefined;
    if (!Number.isSafeInteger(size) || (size as number) < 2) throw problem('batch_credential_issuance.batch_size is an integer of at least 2');
    out.batchSize = size as number;
  }
  const supported = metadata.credential_configurations_supported;
  if (!isObject(supported)) throw problem('credential_configurations_supported is an object');
  for (const id of configurationIds) {
    if (!Object.prototype.hasOwnProperty.call(supported, id)) throw problem(`the offered configuration ${JSON.stringify(id)} is not supported`);
    out.configurations[id] = offeredConfiguration({ id, value: supported[id], problem });
  }
  return out;
}

/**
 * Validates Authorization Server metadata: `issuer` equals the identifier
 * it was fetched for, `token_endpoint` is an https URL or on that
 * identifier's origin, and `grant_types_supported`, when present, includes
 * the pre-authorized code grant.
 *
 * @throws UrbisError `BODY_INVALID`
 *
 * @example
 * ```ts
 * validateAuthorizationServerMetadata({ metadata: json, authorizationServer: issuerUrl }).tokenEndpoint;
 * ```
 */
export function validateAuthorizationServerMetadata({
  metadata,
  authorizationServer,
}: {
  metadata: unknown;
  authorizationServer: string;
}): AuthorizationServerMetadata {
  const problem = (message: string): UrbisError => new UrbisError('BODY_INVALID', `authorization server metadata: ${message}`);
  if (!isObject(metadata)) throw problem('not a JSON object');
  if (typeof metadata.issuer !== 'string' || metadata.issuer !== authorizationServer) throw problem('issuer differs from the authorization server identifier');
  const grants = metadata.grant_types_supported;
  if (grants !== undefined && (!Array.isArray(grants) || !grants.includes(PRE_AUTHORIZED_CODE_GRANT_TYPE))) {
    throw problem('the pre-authorized code grant is not supported');
  }
  return {
    issuer: authorizationServer,
    tokenEndpoint: checkEndpointUrl({ value: metadata.token_endpoint, publisher: authorizationServer, what: 'token_endpoint' }),
  };
}

/**
 * Fetches and validates the metadata an offer needs: the Credential Issuer
 * metadata of `offer.credential_issuer`, then the metadata of its
 * Authorization Server (the one the offer's grant names, else the first of
 * `authorization_servers`, else the issuer itself).
 *
 * @throws UrbisError `BODY_INVALID` (see the validators; also an offer
 *   naming an authorization server the issuer does not list),
 *   `INPUT_TOO_LARGE`, `ISSUER_UNREACHABLE`, `RESOURCE_NOT_FOUND` (no metadata there), or the issuer's error answer.
 *
 * @example
 * ```ts
 * const { credentialIssuer, authorizationServer } = await fetchIssuerMetadata({ offer });
 * ```
 */
export async function fetchIssuerMetadata({
  offer,
  fetch = globalThis.fetch,
  maxBytes = MAX_METADATA_BYTES,
}: {
  offer: CredentialOffer;
  fetch?: FetchLike;
  maxBytes?: number;
}): Promise<IssuerMetadata> {
  const named = offer.grants[PRE_AUTHORIZED_CODE_GRANT_TYPE].authorization_server;
  return fetchIssuerMetadataFor({
    issuerUrl: offer.credential_issuer,
    configurationIds: offer.credential_configuration_ids,
    ...(named === undefined ? {} : { authorizationServer: named }),
    fetch,
    maxBytes,
  });
}

/**
 * The same as {@link fetchIssuerMetadata} without an offer: for an issuer
 * the wallet already holds credentials from (refresh, re-issuance after a
 * restore). `configurationIds` must all be in the issuer's metadata.
 *
 * @throws UrbisError as {@link fetchIssuerMetadata}.
 *
 * @example
 * ```ts
 * const metadata = await fetchIssuerMetadataFor({ issuerUrl: copy.issuerUrl, configurationIds: [copy.configurationId] });
 * ```
 */
export async function fetchIssuerMetadataFor({
  issuerUrl,
  configurationIds,
  authorizationServer: named,
  fetch = globalThis.fetch,
  maxBytes = MAX_METADATA_BYTES,
}: {
  issuerUrl: string;
  configurationIds: readonly string[];
  /** The authorization server an offer named, if any. */
  authorizationServer?: string;
  fetch?: FetchLike;
  maxBytes?: number;
}): Promise<IssuerMetadata> {
  const what = 'credential issuer metadata';
  const answer = await sendToIssuer({ fetch, url: wellKnownUrl({ identifier: issuerUrl, wellKnownPath: CREDENTIAL_ISSUER_WELL_KNOWN }), what, maxBytes });
  const credentialIssuer = validateCredentialIssuerMetadata({
    metadata: expectJsonObject({ answer, what }),
    issuerUrl,
    configurationIds: [...configurationIds],
  });

  const listed = credentialIssuer.authorizationServers;
  if (named !== undefined && !(listed ?? [issuerUrl]).includes(named)) {
    throw new UrbisError('BODY_INVALID', 'credential offer: authorization_server is not one the issuer lists');
  }
  const authorizationServerId = named ?? listed?.[0] ?? issuerUrl;
  const asWhat = 'authorization server metadata';
  const asAnswer = await sendToIssuer({
    fetch,
    url: wellKnownUrl({ identifier: authorizationServerId, wellKnownPath: AUTHORIZATION_SERVER_WELL_KNOWN }),
    what: asWhat,
    maxBytes,
  });
  const authorizationServer = validateAuthorizationServerMetadata({ metadata: expectJsonObject({ answer: asAnswer, what: asWhat }), authorizationServer: authorizationServerId });
  return { credentialIssuer, authorizationServer };
}

function offeredConfiguration({ id, value, problem }: { id: string; value: unknown; problem: (message: string) => UrbisError }): OfferedConfiguration {
  const named = (message: string): UrbisError => problem(`configuration ${JSON.stringify(id)}: ${message}`);
  if (!isObject(value)) throw named('not an object');
  const format = value.format;
  if (typeof format !== 'string' || !(FORMATS as readonly string[]).includes(format)) throw named('a format this wallet does not hold');
  const proofTypes = value.proof_types_supported;
  const jwtProof = isObject(proofTypes) ? proofTypes.jwt : undefined;
  const proofAlgs = isObject(jwtProof) ? jwtProof.proof_signing_alg_values_supported : undefined;
  if (!Array.isArray(proofAlgs) || !proofAlgs.includes('ES256')) throw named('does not take jwt key proofs signed with ES256');
  const bindings = value.cryptographic_binding_methods_supported;
  if (bindings !== undefined) {
    const accepted = format === 'jwt_vc_json' ? ['jwk', 'did:jwk', 'did'] : ['jwk'];
    if (!Array.isArray(bindings) || !bindings.some((method) => accepted.includes(method as string))) throw named('does not bind credentials to a JWK');
  }
  const signingAlgs = value.credential_signing_alg_values_supported;
  if (signingAlgs !== undefined && (!Array.isArray(signingAlgs) || !signingAlgs.includes('ES256'))) throw named('is not signed with ES256');
  const out: OfferedConfiguration = { id, format: format as CredentialFormat, display: [] };
  if (format === 'dc+sd-jwt') {
    if (typeof value.vct !== 'string' || value.vct === '') throw named('a dc+sd-jwt configuration has a vct');
    out.vct = value.vct;
  }
  const metadata = value.credential_metadata;
  out.display = displayNames(isObject(metadata) ? metadata.display : value.display, named);
  return out;
}

/** Display objects with a string `name` (others skipped); at most 50. */
function displayNames(value: unknown, problem: (message: string) => UrbisError): DisplayName[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw problem('display is an array');
  const out: DisplayName[] = [];
  for (const entry of value.slice(0, 50)) {
    if (!isObject(entry) || typeof entry.name !== 'string' || entry.name === '' || entry.name.length > 200) continue;
    out.push(typeof entry.locale === 'string' ? { name: entry.name, locale: entry.locale } : { name: entry.name });
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
