import { utf8Encode } from '../encoding/base64url.js';
import { UrbisError } from '../errors/urbis-error.js';
import { MAX_DID_LENGTH, parseDid } from './did-syntax.js';

/**
 * `did:web` identifiers and HTTPS URLs (W3C CCG did:web,
 * https://w3c-ccg.github.io/did-method-web/ §"Method-specific identifier",
 * §"Read (Resolve)"):
 *
 * | DID                                        | DID document URL                                  |
 * | ------------------------------------------ | ------------------------------------------------- |
 * | `did:web:w3c-ccg.github.io`                | `https://w3c-ccg.github.io/.well-known/did.json`  |
 * | `did:web:w3c-ccg.github.io:user:alice`     | `https://w3c-ccg.github.io/user/alice/did.json`   |
 * | `did:web:example.com%3A3000:user:alice`    | `https://example.com:3000/user/alice/did.json`    |
 *
 * Urbis keeps one DID per document URL, because issuer DIDs are compared as
 * strings (trusted-issuer registry, `iss`): the host must be in the
 * lower-case ASCII (punycode) form, a port is written `%3A<port>` (never
 * `%3a`, never the default 443), and IP addresses are refused (spec: "MUST
 * NOT include IP addresses").
 */

/** The method prefix. */
export const DID_WEB_PREFIX = 'did:web:';

const PORT_SEPARATOR = '%3A';
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const DOMAIN_NAME = new RegExp(`^(?:${LABEL}\\.)*${LABEL}$`);
const PORT = /^[1-9][0-9]{0,4}$/;
const ID_SEGMENT_CHAR = /^[A-Za-z0-9._-]$/;
const PCT_ENCODED = /^%[0-9A-Fa-f]{2}$/;
const DOCUMENT_NAME = '/did.json';
const WELL_KNOWN = '/.well-known';

/**
 * Gives the `did:web` of an HTTPS location: either a base URL (`https://host[:port][/path]`)
 * or the DID document URL itself (`.../did.json`, `https://host/.well-known/did.json`).
 * Path segments become `:`-separated, the port colon becomes `%3A`, and
 * characters outside the DID `idchar` set are percent-encoded.
 *
 * @throws UrbisError `INPUT_TOO_LARGE` for an over-long URL; `INVALID_ARGUMENT`
 *   when it is not an `https:` URL, has credentials, a query or a fragment,
 *   an IP address or otherwise unusable host, empty or dot path segments,
 *   or is `https://host/did.json` (not a did:web location).
 *
 * @example
 * ```ts
 * didWebFromUrl('https://city.example:8443/path'); // 'did:web:city.example%3A8443:path'
 * didWebFromUrl('https://city.example/.well-known/did.json'); // 'did:web:city.example'
 * ```
 */
export function didWebFromUrl(url: string): string {
  if (typeof url !== 'string') throw new UrbisError('INVALID_ARGUMENT', 'the URL must be a string');
  if (url.length > MAX_DID_LENGTH) throw new UrbisError('INPUT_TOO_LARGE', 'the URL is too long');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new UrbisError('INVALID_ARGUMENT', 'not a URL', { cause });
  }
  if (parsed.protocol !== 'https:') throw new UrbisError('INVALID_ARGUMENT', 'did:web documents are served over https');
  if (parsed.username !== '' || parsed.password !== '' || parsed.search !== '' || parsed.hash !== '' || /[?#]/.test(url)) {
    throw new UrbisError('INVALID_ARGUMENT', 'a did:web URL has no credentials, query or fragment');
  }
  if (!isDomainName(parsed.hostname)) {
    throw new UrbisError('INVALID_ARGUMENT', 'a did:web host must be a domain name, not an IP address');
  }
  let host = parsed.hostname;
  if (parsed.port !== '') host += PORT_SEPARATOR + parsed.port;

  let path = parsed.pathname;
  if (path.endsWith(DOCUMENT_NAME)) {
    path = path.slice(0, -DOCUMENT_NAME.length);
    if (path === '') throw new UrbisError('INVALID_ARGUMENT', 'a root did:web document lives under /.well-known');
  } else if (path.endsWith('/')) {
    path = path.slice(0, -1);
  }
  if (path === WELL_KNOWN) path = '';
  const segments = path === '' ? [] : path.slice(1).split('/');
  const idSegments = segments.map((segment) => {
    if (segment === '') throw new UrbisError('INVALID_ARGUMENT', 'the URL path has an empty segment');
    return toIdSegment(segment);
  });
  for (const segment of idSegments) {
    if (!isUsablePathSegment(segment)) throw new UrbisError('INVALID_ARGUMENT', 'the URL path has an unusable segment');
  }
  const did = DID_WEB_PREFIX + [host, ...idSegments].join(':');
  if (did.length > MAX_DID_LENGTH) throw new UrbisError('INPUT_TOO_LARGE', 'the DID is too long');
  return did;
}

/**
 * Gives the HTTPS URL of the DID document of a `did:web` (spec §"Read
 * (Resolve)"): `https://<host>[:<port>]/<path>/did.json`, or
 * `https://<host>[:<port>]/.well-known/did.json` without a path.
 *
 * @throws UrbisError `INPUT_TOO_LARGE` for an over-long DID; `DID_INVALID`
 *   when it is not a `did:web` in Urbis's canonical form: a lower-case
 *   domain name (no IP address), an optional non-default port written
 *   `%3A<port>`, and path segments that are not empty, `.`/`..`, a lone
 *   `.well-known`, or contain an encoded `/` or `\`.
 *
 * @example
 * ```ts
 * didWebToUrl('did:web:city.example%3A8443:path'); // 'https://city.example:8443/path/did.json'
 * didWebToUrl('did:web:city.example'); // 'https://city.example/.well-known/did.json'
 * ```
 */
export function didWebToUrl(did: string): string {
  const { method, methodSpecificId } = parseDid(did);
  if (method !== 'web') throw new UrbisError('DID_INVALID', 'not a did:web');
  const [hostPart, ...segments] = methodSpecificId.split(':');
  const [hostname, port, ...rest] = hostPart!.split(PORT_SEPARATOR);
  if (rest.length > 0 || !isDomainName(hostname!)) {
    throw new UrbisError('DID_INVALID', 'the did:web host must be a lower-case domain name with an optional %3A port');
  }
  if (port !== undefined && (!PORT.test(port) || Number(port) > 65535 || port === '443')) {
    throw new UrbisError('DID_INVALID', 'the did:web port must be a non-default port number');
  }
  for (const segment of segments) {
    if (!isUsablePathSegment(segment)) throw new UrbisError('DID_INVALID', 'the did:web path has an unusable segment');
  }
  if (segments.length === 1 && segments[0] === '.well-known') {
    throw new UrbisError('DID_INVALID', 'the did:web path would name the root document');
  }
  const origin = `https://${hostname}${port === undefined ? '' : `:${port}`}`;
  const path = segments.length === 0 ? WELL_KNOWN : `/${segments.join('/')}`;
  return `${origin}${path}${DOCUMENT_NAME}`;
}

/** A lower-case (punycode) domain name whose last label is not numeric (so never an IPv4 address). */
function isDomainName(hostname: string): boolean {
  if (hostname.length === 0 || hostname.length > 253 || !DOMAIN_NAME.test(hostname)) return false;
  const lastLabel = hostname.slice(hostname.lastIndexOf('.') + 1);
  return !/^[0-9]+$/.test(lastLabel);
}

/** Percent-encodes every character of a URL path segment that is not a DID idchar. */
function toIdSegment(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i]!;
    if (ID_SEGMENT_CHAR.test(char)) {
      out += char;
    } else if (char === '%' && PCT_ENCODED.test(segment.slice(i, i + 3))) {
      out += segment.slice(i, i + 3);
      i += 2;
    } else {
      for (const byte of utf8Encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/** Not empty, not a dot segment (even percent-encoded), no encoded `/` or `\`. */
function isUsablePathSegment(segment: string): boolean {
  if (segment === '') return false;
  const dotted = segment.replace(/%2e/gi, '.');
  if (dotted === '.' || dotted === '..') return false;
  return !/%2f|%5c/i.test(segment);
}
