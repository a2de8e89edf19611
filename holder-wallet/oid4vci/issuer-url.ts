import { UrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';

/**
 * The URL rules of the wallet's OID4VCI client: what it is willing to fetch
 * (https, or plain http to a loopback address for local and test issuers),
 * what a Credential Issuer Identifier looks like (OID4VCI 1.0 §12.2.1), and
 * where well-known metadata lives (RFC 8615 path insertion, §12.2.2).
 */

/** Whether a URL host name is a loopback address (`localhost`, `127.0.0.0/8`, `[::1]`). */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * Checks that a value is a URL the wallet may fetch: absolute, `https`, or
 * `http` to a loopback address only; no user information.
 *
 * @param args.code The error code to throw (`BODY_INVALID` for URLs the issuer
 *   sent, `INVALID_ARGUMENT` for the caller's).
 * @returns The parsed URL.
 * @throws UrbisError `code`
 *
 * @example
 * ```ts
 * checkFetchableUrl({ value: 'https://city.example/offers/1', what: 'credential_offer_uri' });
 * ```
 */
export function checkFetchableUrl({ value, what, code = 'BODY_INVALID' }: { value: unknown; what: string; code?: UrbisErrorCode }): URL {
  if (typeof value !== 'string' || value === '') throw new UrbisError(code, `${what} is a non-empty URL string`);
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new UrbisError(code, `${what} is not an absolute URL`, { cause });
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHostname(url.hostname))) {
    throw new UrbisError(code, `${what} must use https (plain http only to a loopback address)`);
  }
  if (url.username !== '' || url.password !== '') throw new UrbisError(code, `${what} carries no user information`);
  return url;
}

/**
 * Checks a Credential Issuer Identifier (OID4VCI 1.0 §12.2.1): a fetchable
 * URL (see {@link checkFetchableUrl}) with no query and no fragment. It is
 * returned unchanged: identifiers are compared as strings, never normalised.
 *
 * @throws UrbisError `code` (default `BODY_INVALID`)
 *
 * @example
 * ```ts
 * checkCredentialIssuerId({ value: offer.credential_issuer }); // 'https://sede.gijon.es'
 * ```
 */
export function checkCredentialIssuerId({ value, code = 'BODY_INVALID' }: { value: unknown; code?: UrbisErrorCode }): string {
  const url = checkFetchableUrl({ value, what: 'the credential issuer identifier', code });
  const text = value as string;
  if (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#')) {
    throw new UrbisError(code, 'the credential issuer identifier has no query or fragment');
  }
  return text;
}

/**
 * Checks an endpoint URL found in issuer or authorization server metadata:
 * absolute, no fragment, no user information, and either `https` or on the
 * same origin as the identifier that published it (so a loopback http
 * issuer may only point at itself).
 *
 * @throws UrbisError `BODY_INVALID`
 *
 * @example
 * ```ts
 * checkEndpointUrl({ value: metadata.credential_endpoint, publisher: issuerUrl, what: 'credential_endpoint' });
 * ```
 */
export function checkEndpointUrl({ value, publisher, what }: { value: unknown; publisher: string; what: string }): string {
  if (typeof value !== 'string' || value === '') throw new UrbisError('BODY_INVALID', `${what} is a non-empty URL string`);
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new UrbisError('BODY_INVALID', `${what} is not an absolute URL`, { cause });
  }
  if (url.hash !== '' || value.includes('#')) throw new UrbisError('BODY_INVALID', `${what} has no fragment`);
  if (url.username !== '' || url.password !== '') throw new UrbisError('BODY_INVALID', `${what} carries no user information`);
  if (url.protocol !== 'https:' && url.origin !== new URL(publisher).origin) {
    throw new UrbisError('BODY_INVALID', `${what} must use https or be on the publisher's origin`);
  }
  return value;
}

/**
 * The URL of a well-known document of an identifier, with the well-known
 * segment inserted between the host and the path (RFC 8414 §3.1, OID4VCI
 * 1.0 §12.2.2): `https://city.example/issuer` →
 * `https://city.example/.well-known/openid-credential-issuer/issuer`. A
 * trailing slash of the path is dropped.
 *
 * @example
 * ```ts
 * wellKnownUrl({ identifier: 'http://127.0.0.1:4000', wellKnownPath: '/.well-known/openid-credential-issuer' });
 * // 'http://127.0.0.1:4000/.well-known/openid-credential-issuer'
 * ```
 */
export function wellKnownUrl({ identifier, wellKnownPath }: { identifier: string; wellKnownPath: string }): string {
  const url = new URL(identifier);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${wellKnownPath}${path}`;
}
