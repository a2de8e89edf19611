import { UrbisError } from '../../core/errors/urbis-error.js';
import type { DcqlQuery } from '../policy/dcql-query-for.js';

/** The scheme of an OpenID4VP request by value, as the terminal's QR shows it. */
export const PRESENTATION_REQUEST_SCHEME = 'openid4vp:';

/** The wallet refuses longer request links (and a QR much larger would not scan at a turnstile). */
export const MAX_REQUEST_LINK_LENGTH = 8 * 1024;

/** Percent-encodings that need not be: characters RFC 3986 §3.4 allows in a query and form decoding leaves alone. */
const NEEDLESS_ESCAPES = /%(3A|40|2F|3F|2C|24)/g;

/**
 * Percent-encodes a query parameter value (as `encodeURIComponent`), then
 * leaves `:` `@` `/` `?` `,` `$` as they are: a DCQL query has many `:` and
 * `,`, and the QR carries about a tenth fewer bytes. `&`, `=`, `+`, `#`,
 * `%`, `;`, quotes, brackets and braces stay encoded.
 */
function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replace(NEEDLESS_ESCAPES, (_escape, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/**
 * The text of a request QR: an OpenID4VP 1.0 authorization request by value,
 * `openid4vp://?client_id=…&nonce=…&response_type=vp_token&dcql_query=…`
 * (values percent-encoded, `dcql_query` as compact JSON), exactly what
 * the wallet's `parsePresentationRequest` takes. No `response_mode`: the
 * wallet answers with a presentation QR the terminal scans.
 *
 * @throws UrbisError `INVALID_ARGUMENT` when the link would be longer than
 *   {@link MAX_REQUEST_LINK_LENGTH} (policies are bounded so that it never is).
 *
 * @example
 * ```ts
 * const link = presentationRequestLink({ clientId: 'urbis:terminal:gijon-pool-1', nonce, dcqlQuery: dcqlQueryFor(policy) });
 * ```
 */
export function presentationRequestLink({ clientId, nonce, dcqlQuery }: { clientId: string; nonce: string; dcqlQuery: DcqlQuery | string }): string {
  const query = typeof dcqlQuery === 'string' ? dcqlQuery : JSON.stringify(dcqlQuery);
  const params = { client_id: clientId, nonce, response_type: 'vp_token', dcql_query: query };
  const link = `${PRESENTATION_REQUEST_SCHEME}//?${Object.entries(params)
    .map(([name, value]) => `${name}=${encodeQueryValue(value)}`)
    .join('&')}`;
  if (link.length > MAX_REQUEST_LINK_LENGTH) throw new UrbisError('INVALID_ARGUMENT', `the request link is longer than ${MAX_REQUEST_LINK_LENGTH} characters`);
  return link;
}
