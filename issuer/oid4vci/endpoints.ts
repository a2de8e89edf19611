import { UrbisError } from '../../core/errors/urbis-error.js';

/**
 * Where the city issuer serves OpenID for Verifiable Credential Issuance 1.0
 * (OID4VCI), relative to its Credential Issuer Identifier (`issuerUrl`). The
 * city issuer is its own OAuth 2.0 Authorization Server, so its metadata has
 * no `authorization_servers` and the Authorization Server issuer equals the
 * Credential Issuer Identifier.
 */
export const OID4VCI_PATHS = Object.freeze({
  /** GET: Credential Issuer metadata (OID4VCI 1.0 §12.2.2). */
  credentialIssuerMetadata: '/.well-known/openid-credential-issuer',
  /** GET: OAuth 2.0 Authorization Server metadata (RFC 8414 §3). */
  authorizationServerMetadata: '/.well-known/oauth-authorization-server',
  /** GET: a Credential Offer by reference; `:id` is the offer id (§4.1.3). */
  offer: '/oid4vci/offers/:id',
  /** POST (form): Token Endpoint, pre-authorized code grant (§6). */
  token: '/oid4vci/token',
  /** POST: Nonce Endpoint, `{ c_nonce }` (§7). */
  nonce: '/oid4vci/nonce',
  /** POST (Bearer, JSON): Credential Endpoint (§8). */
  credential: '/oid4vci/credential',
  /** POST (Bearer, JSON): Deferred Credential Endpoint (§9). */
  deferredCredential: '/oid4vci/deferred_credential',
});

/** Absolute URLs of every OID4VCI endpoint of one issuer. */
export interface Oid4vciEndpoints {
  credentialIssuerMetadata: string;
  authorizationServerMetadata: string;
  /** The Credential Offer URI of offer `id` (the id is URL-encoded). */
  offer: (id: string) => string;
  token: string;
  nonce: string;
  credential: string;
  deferredCredential: string;
}

/**
 * Checks a Credential Issuer Identifier (OID4VCI 1.0 §12.2.1): an absolute
 * `https` URL (plain `http` is accepted for loopback and test deployments),
 * with no query, no fragment, no credentials and no trailing slash, so that
 * there is exactly one spelling of it (wallets compare it by simple string
 * comparison with `credential_issuer` and with the proofs' `aud`).
 *
 * @returns The identifier, unchanged.
 * @throws UrbisError `CONFIG_INVALID`
 *
 * @example
 * ```ts
 * checkIssuerUrl('https://sede.gijon.es/issuer'); // ok
 * checkIssuerUrl('https://sede.gijon.es/');        // CONFIG_INVALID (trailing slash)
 * ```
 */
export function checkIssuerUrl(issuerUrl: string): string {
  let url: URL;
  try {
    url = new URL(issuerUrl);
  } catch (cause) {
    throw new UrbisError('CONFIG_INVALID', 'the credential issuer URL is not an absolute URL', { cause });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UrbisError('CONFIG_INVALID', 'the credential issuer URL must use https (or http for tests)');
  }
  if (url.search !== '' || url.hash !== '' || issuerUrl.includes('?') || issuerUrl.includes('#')) {
    throw new UrbisError('CONFIG_INVALID', 'the credential issuer URL has no query or fragment');
  }
  if (url.username !== '' || url.password !== '') {
    throw new UrbisError('CONFIG_INVALID', 'the credential issuer URL carries no user information');
  }
  if (issuerUrl.endsWith('/')) {
    throw new UrbisError('CONFIG_INVALID', 'the credential issuer URL has no trailing slash');
  }
  return issuerUrl;
}

/**
 * The URL of a well-known document of an issuer: RFC 8615 / RFC 8414 §3.1
 * insert the well-known segment between the host and the path, so
 * `https://city.example/issuer` has its metadata at
 * `https://city.example/.well-known/openid-credential-issuer/issuer`
 * (OID4VCI 1.0 §12.2.2).
 *
 * @throws UrbisError `CONFIG_INVALID` (see {@link checkIssuerUrl}).
 */
export function wellKnownUrl({ issuerUrl, wellKnownPath }: { issuerUrl: string; wellKnownPath: string }): string {
  const url = new URL(checkIssuerUrl(issuerUrl));
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.origin}${wellKnownPath}${path}`;
}

/**
 * Absolute URLs of the OID4VCI endpoints of the issuer at `issuerUrl`
 * (paths from {@link OID4VCI_PATHS}).
 *
 * @throws UrbisError `CONFIG_INVALID` (see {@link checkIssuerUrl}).
 *
 * @example
 * ```ts
 * const urls = oid4vciEndpoints({ issuerUrl: 'http://127.0.0.1:8080' });
 * urls.token;        // 'http://127.0.0.1:8080/oid4vci/token'
 * urls.offer('abc'); // 'http://127.0.0.1:8080/oid4vci/offers/abc'
 * ```
 */
export function oid4vciEndpoints({ issuerUrl }: { issuerUrl: string }): Oid4vciEndpoints {
  checkIssuerUrl(issuerUrl);
  return {
    credentialIssuerMetadata: wellKnownUrl({ issuerUrl, wellKnownPath: OID4VCI_PATHS.credentialIssuerMetadata }),
    authorizationServerMetadata: wellKnownUrl({ issuerUrl, wellKnownPath: OID4VCI_PATHS.authorizationServerMetadata }),
    offer: (id) => `${issuerUrl}${OID4VCI_PATHS.offer.replace(':id', encodeURIComponent(id))}`,
    token: `${issuerUrl}${OID4VCI_PATHS.token}`,
    nonce: `${issuerUrl}${OID4VCI_PATHS.nonce}`,
    credential: `${issuerUrl}${OID4VCI_PATHS.credential}`,
    deferredCredential: `${issuerUrl}${OID4VCI_PATHS.deferredCredential}`,
  };
}
