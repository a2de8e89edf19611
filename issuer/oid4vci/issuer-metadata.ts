import { UrbisError } from '../../core/errors/urbis-error.js';
import { DEFAULT_BATCH_SIZE } from '../../core/issuance/issue-credential.js';
import { credentialConfigurationsSupported, type CatalogueService, type CredentialConfiguration } from './credential-configurations.js';
import { checkIssuerUrl, oid4vciEndpoints } from './endpoints.js';
import { SUPPORTED_GRANT_TYPES } from './token-request.js';

/** A display object of the Credential Issuer (OID4VCI 1.0 §12.2.4 `display`). */
export interface IssuerDisplay {
  name: string;
  /** BCP 47 language tag; one object per language. */
  locale: string;
  logo?: { uri: string; alt_text?: string };
}

/** Credential Issuer metadata (OID4VCI 1.0 §12.2.4), as the city issuer publishes it. */
export interface CredentialIssuerMetadata {
  credential_issuer: string;
  credential_endpoint: string;
  nonce_endpoint: string;
  deferred_credential_endpoint: string;
  /** Absent when the batch size is 1 (the parameter must be at least 2). */
  batch_credential_issuance?: { batch_size: number };
  display?: IssuerDisplay[];
  credential_configurations_supported: Record<string, CredentialConfiguration>;
}

/** OAuth 2.0 Authorization Server metadata (RFC 8414 §2, OID4VCI 1.0 §12.3). */
export interface AuthorizationServerMetadata {
  issuer: string;
  token_endpoint: string;
  grant_types_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  'pre-authorized_grant_anonymous_access_supported': true;
}

/**
 * Builds the Credential Issuer metadata served at
 * `/.well-known/openid-credential-issuer` (OID4VCI 1.0 §12.2). The issuer is
 * its own Authorization Server, so `authorization_servers` is omitted
 * (§12.2.4). It requires `c_nonce` (it has a Nonce Endpoint), supports
 * deferred issuance and, for `batchSize` ≥ 2, batch issuance of one-time
 * copies with up to `batchSize` key proofs per Credential Request.
 *
 * @param args.batchSize Maximum proofs per request (default 10, DESIGN §2).
 * @param args.display Issuer display objects, one per locale (optional).
 * @throws UrbisError `CONFIG_INVALID` (issuer URL, services, batch size, display).
 *
 * @example
 * ```ts
 * res.json(buildCredentialIssuerMetadata({ issuerUrl, services, display: [{ name: 'Ayuntamiento de Gijón', locale: 'es' }] }));
 * ```
 */
export function buildCredentialIssuerMetadata({
  issuerUrl,
  services,
  batchSize = DEFAULT_BATCH_SIZE,
  display,
}: {
  issuerUrl: string;
  services: readonly CatalogueService[];
  batchSize?: number;
  display?: readonly IssuerDisplay[];
}): CredentialIssuerMetadata {
  const urls = oid4vciEndpoints({ issuerUrl });
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new UrbisError('CONFIG_INVALID', 'the batch size is a positive integer');
  }
  const metadata: CredentialIssuerMetadata = {
    credential_issuer: issuerUrl,
    credential_endpoint: urls.credential,
    nonce_endpoint: urls.nonce,
    deferred_credential_endpoint: urls.deferredCredential,
    credential_configurations_supported: credentialConfigurationsSupported({ services }),
  };
  if (batchSize >= 2) metadata.batch_credential_issuance = { batch_size: batchSize };
  if (display !== undefined) metadata.display = checkDisplay(display);
  return metadata;
}

/**
 * Builds the OAuth 2.0 Authorization Server metadata served at
 * `/.well-known/oauth-authorization-server` (RFC 8414): the pre-authorized
 * code grant and the refresh token grant (RFC 6749 §6: the token endpoint
 * answers a pre-authorized code exchange with a `refresh_token` too),
 * anonymous Token Requests (no client authentication, OID4VCI 1.0 §12.3).
 * `response_types_supported` is omitted: there is no authorization
 * endpoint, as OID4VCI allows for an Authorization Server with the
 * pre-authorized code grant.
 *
 * @throws UrbisError `CONFIG_INVALID` (issuer URL).
 *
 * @example
 * ```ts
 * buildAuthorizationServerMetadata({ issuerUrl: 'https://gijon.city.example' }).grant_types_supported;
 * // ['urn:ietf:params:oauth:grant-type:pre-authorized_code', 'refresh_token']
 * ```
 */
export function buildAuthorizationServerMetadata({ issuerUrl }: { issuerUrl: string }): AuthorizationServerMetadata {
  checkIssuerUrl(issuerUrl);
  return {
    issuer: issuerUrl,
    token_endpoint: oid4vciEndpoints({ issuerUrl }).token,
    grant_types_supported: [...SUPPORTED_GRANT_TYPES],
    token_endpoint_auth_methods_supported: ['none'],
    'pre-authorized_grant_anonymous_access_supported': true,
  };
}

function checkDisplay(display: readonly IssuerDisplay[]): IssuerDisplay[] {
  if (!Array.isArray(display) || display.length === 0) throw new UrbisError('CONFIG_INVALID', 'issuer display is a non-empty array');
  const locales = new Set<string>();
  return display.map((entry) => {
    if (typeof entry?.name !== 'string' || entry.name === '' || typeof entry.locale !== 'string' || entry.locale === '') {
      throw new UrbisError('CONFIG_INVALID', 'each issuer display object has a name and a locale');
    }
    if (locales.has(entry.locale)) throw new UrbisError('CONFIG_INVALID', 'one issuer display object per locale');
    locales.add(entry.locale);
    const out: IssuerDisplay = { name: entry.name, locale: entry.locale };
    if (entry.logo !== undefined) {
      if (typeof entry.logo.uri !== 'string' || entry.logo.uri === '') throw new UrbisError('CONFIG_INVALID', 'a logo needs a uri');
      out.logo = entry.logo.alt_text === undefined ? { uri: entry.logo.uri } : { uri: entry.logo.uri, alt_text: entry.logo.alt_text };
    }
    return out;
  });
}
