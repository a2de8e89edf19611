import { base64urlEncode } from '../../core/encoding/base64url.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { webRandomBytes } from '../crypto/web-crypto.js';
import { parseDcqlQuery, type DcqlQuery } from './dcql-query.js';

/**
 * The two ways a terminal asks for a presentation (DESIGN §4):
 * (a) an OpenID4VP 1.0 authorization request by value, shown as a QR;
 * (b) scanner-only: no request; the wallet binds to the terminal id and a fresh nonce.
 */

/** An OpenID4VP 1.0 request, validated. The KB-JWT `aud` is `clientId`. */
export interface PresentationRequest {
  clientId: string;
  nonce: string;
  dcqlQuery: DcqlQuery;
  responseType: 'vp_token';
  responseMode?: 'fragment' | 'direct_post';
  responseUri?: string;
  state?: string;
}

/** Scanner-only flow: where the presentation goes and what it answers. */
export interface ScannerBinding {
  /** The terminal id (`urbis:terminal:<id>` or `urn:urbis:terminal:<id>`): the KB-JWT `aud`. */
  audience: string;
  /** A fresh random nonce (the terminal's replay cache and `iat` window do the rest). */
  nonce: string;
  /** What to present (e.g. from the terminal's tag, or the wallet's preset for that service). */
  dcqlQuery: DcqlQuery;
}

export const PRESENTATION_REQUEST_SCHEME = 'openid4vp:';
/** Bounds: a request QR stays small; nothing real needs more. */
export const MAX_PRESENTATION_REQUEST_LENGTH = 8 * 1024;
export const MIN_NONCE_LENGTH = 16;
export const MAX_NONCE_LENGTH = 256;
const MAX_PARAM_LENGTH = 512;
const TERMINAL_ID = /^(?:urn:)?urbis:terminal:[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const ALLOWED = ['client_id', 'nonce', 'dcql_query', 'response_type', 'response_mode', 'response_uri', 'state'];
const REFUSED: Record<string, string> = {
  request: 'signed request objects',
  request_uri: 'requests by reference',
  presentation_definition: 'Presentation Exchange (use dcql_query)',
  presentation_definition_uri: 'Presentation Exchange (use dcql_query)',
  scope: 'scope-based queries (use dcql_query)',
  client_metadata: 'client_metadata',
  transaction_data: 'transaction_data',
};

/**
 * Parses an OpenID4VP 1.0 request by value, as a terminal shows it in a QR:
 * `openid4vp://?client_id=...&nonce=...&dcql_query=<json>&response_type=vp_token[&response_mode=...&response_uri=...&state=...]`.
 *
 * @throws UrbisError `BODY_INVALID` naming the problem: not an `openid4vp:`
 *   link, too long, a parameter missing, repeated or not supported,
 *   `nonce` shorter than {@link MIN_NONCE_LENGTH}, `response_type` other
 *   than `vp_token`, `direct_post` without an https `response_uri`, an
 *   invalid DCQL query.
 *
 * @example
 * ```ts
 * const request = parsePresentationRequest(scannedText);
 * const consent = await prepareConsent({ request, document: await store.load() });
 * ```
 */
export function parsePresentationRequest(link: string): PresentationRequest {
  const fail = (detail: string): never => {
    throw new UrbisError('BODY_INVALID', `the presentation request is invalid: ${detail}`);
  };
  if (typeof link !== 'string' || link.length === 0) return fail('empty');
  if (link.length > MAX_PRESENTATION_REQUEST_LENGTH) return fail(`longer than ${MAX_PRESENTATION_REQUEST_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return fail('not a URL');
  }
  if (url.protocol !== PRESENTATION_REQUEST_SCHEME) fail('not an openid4vp: link');
  const params = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    if (REFUSED[name] !== undefined) fail(`${name} is not supported (${REFUSED[name]})`);
    if (!ALLOWED.includes(name)) fail(`${name} is not supported`);
    if (params.has(name)) fail(`${name} is repeated`);
    params.set(name, value);
  }
  const param = (name: string, max = MAX_PARAM_LENGTH): string | undefined => {
    const value = params.get(name);
    if (value === undefined) return undefined;
    if (value.length === 0 || value.length > max) fail(`${name} is empty or too long`);
    return value;
  };
  const clientId = param('client_id') ?? fail('client_id is missing');
  const nonce = param('nonce', MAX_NONCE_LENGTH) ?? fail('nonce is missing');
  if (nonce.length < MIN_NONCE_LENGTH) fail(`nonce is shorter than ${MIN_NONCE_LENGTH} characters`);
  if (param('response_type') !== 'vp_token') fail('response_type is not vp_token');
  const rawQuery = param('dcql_query', MAX_PRESENTATION_REQUEST_LENGTH) ?? fail('dcql_query is missing');
  let json: unknown;
  try {
    json = JSON.parse(rawQuery);
  } catch {
    return fail('dcql_query is not JSON');
  }
  const request: PresentationRequest = { clientId, nonce, dcqlQuery: parseDcqlQuery(json), responseType: 'vp_token' };
  const responseMode = param('response_mode');
  if (responseMode !== undefined) {
    if (responseMode !== 'fragment' && responseMode !== 'direct_post') fail('response_mode is not supported (fragment or direct_post)');
    request.responseMode = responseMode as 'fragment' | 'direct_post';
  }
  const responseUri = param('response_uri', MAX_PRESENTATION_REQUEST_LENGTH);
  if (responseUri !== undefined) {
    if (request.responseMode !== 'direct_post') fail('response_uri is only for response_mode=direct_post');
    let target: URL | undefined;
    try {
      target = new URL(responseUri);
    } catch {
      fail('response_uri is not a URL');
    }
    if (target!.protocol !== 'https:') fail('response_uri is not https');
    request.responseUri = responseUri;
  } else if (request.responseMode === 'direct_post') {
    fail('response_mode=direct_post needs a response_uri');
  }
  const state = param('state');
  if (state !== undefined) request.state = state;
  return request;
}

/**
 * The scanner-only flow (DESIGN §4 b): binds to the terminal id, with a
 * fresh random nonce (128 bits, base64url); `iat` is set when presenting.
 *
 * @throws UrbisError `BODY_INVALID` for a terminal id that is not
 *   `urbis:terminal:<id>` / `urn:urbis:terminal:<id>`, or an invalid query.
 *
 * @example
 * ```ts
 * const scanner = scannerBinding({ terminalId: 'urbis:terminal:gijon-pool-1', dcqlQuery: poolsQuery });
 * const consent = await prepareConsent({ scanner, document });
 * ```
 */
export function scannerBinding({ terminalId, dcqlQuery }: { terminalId: string; dcqlQuery: unknown }): ScannerBinding {
  if (typeof terminalId !== 'string' || !TERMINAL_ID.test(terminalId)) {
    throw new UrbisError('BODY_INVALID', 'the terminal id is not urbis:terminal:<id>');
  }
  return { audience: terminalId, nonce: base64urlEncode(webRandomBytes(16)), dcqlQuery: parseDcqlQuery(dcqlQuery) };
}
