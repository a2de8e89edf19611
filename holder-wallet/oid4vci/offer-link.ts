import { UrbisError } from '../../core/errors/urbis-error.js';
import { parseCredentialOffer, type CredentialOffer } from './credential-offer.js';
import { expectJsonObject, sendToIssuer, type FetchLike } from './issuer-http.js';
import { checkFetchableUrl } from './issuer-url.js';

/**
 * Credential Offer links (OID4VCI 1.0 §4.1): what the wallet reads from a
 * QR code or a deep link. The offer travels by value (`credential_offer`,
 * the JSON object percent-encoded) or by reference (`credential_offer_uri`,
 * fetched with GET). Any Wallet Credential Offer Endpoint is read:
 * `openid-credential-offer://?...` and `https://wallet.example/offer?...`
 * alike; only the query matters.
 */

/** Longest link read (a QR code holds less than 3 KB). */
export const MAX_OFFER_LINK_LENGTH = 16_384;

/** Longest offer body fetched by reference. */
export const MAX_OFFER_BYTES = 16_384;

/** An offer carried by value or by reference. */
export type OfferReference = { offer: CredentialOffer; offerUri?: undefined } | { offerUri: string; offer?: undefined };

/**
 * Reads a Credential Offer link: exactly one of `credential_offer` (parsed
 * and validated) or `credential_offer_uri` (an https URL, or http to a
 * loopback address). Surrounding whitespace (a scanner's newline) is ignored.
 *
 * @throws UrbisError `BODY_INVALID` on anything else: not a URL, too long,
 *   neither or both parameters, a repeated parameter, bad JSON, a bad offer,
 *   an offer URI the wallet does not fetch.
 *
 * @example
 * ```ts
 * parseOfferLink('openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fsede.gijon.es%2Foid4vci%2Foffers%2Fab12');
 * // { offerUri: 'https://sede.gijon.es/oid4vci/offers/ab12' }
 * ```
 */
export function parseOfferLink(link: string): OfferReference {
  const problem = (message: string, cause?: unknown): UrbisError =>
    new UrbisError('BODY_INVALID', `credential offer link: ${message}`, cause === undefined ? undefined : { cause });
  if (typeof link !== 'string') throw problem('not a string');
  const text = link.trim();
  if (text === '' || text.length > MAX_OFFER_LINK_LENGTH) throw problem(`not a link of 1 to ${MAX_OFFER_LINK_LENGTH} characters`);
  let params: URLSearchParams;
  try {
    params = new URL(text).searchParams;
  } catch (cause) {
    throw problem('not a URL', cause);
  }
  const byValue = params.getAll('credential_offer');
  const byReference = params.getAll('credential_offer_uri');
  if (byValue.length + byReference.length !== 1) throw problem('carries exactly one of credential_offer and credential_offer_uri');
  if (byReference.length === 1) {
    const offerUri = byReference[0]!;
    checkFetchableUrl({ value: offerUri, what: 'credential_offer_uri' });
    return { offerUri };
  }
  let json: unknown;
  try {
    json = JSON.parse(byValue[0]!);
  } catch (cause) {
    throw problem('credential_offer is not JSON', cause);
  }
  return { offer: parseCredentialOffer(json) };
}

/**
 * Fetches an offer by reference (GET, `Accept: application/json`) and
 * validates it: HTTP 200, a JSON content type, at most `maxBytes`.
 *
 * @throws UrbisError `BODY_INVALID` (URI, content type, offer),
 *   `INPUT_TOO_LARGE`, `ISSUER_UNREACHABLE`, or the issuer's
 *   error (`OFFER_NOT_FOUND` for a used or withdrawn offer, `OFFER_EXPIRED`).
 *
 * @example
 * ```ts
 * const offer = await fetchOfferByReference({ offerUri, fetch });
 * ```
 */
export async function fetchOfferByReference({
  offerUri,
  fetch = globalThis.fetch,
  maxBytes = MAX_OFFER_BYTES,
}: {
  offerUri: string;
  fetch?: FetchLike;
  maxBytes?: number;
}): Promise<CredentialOffer> {
  checkFetchableUrl({ value: offerUri, what: 'credential_offer_uri' });
  const what = 'credential offer by reference';
  const answer = await sendToIssuer({ fetch, url: offerUri, what, maxBytes });
  return parseCredentialOffer(expectJsonObject({ answer, what }));
}

/**
 * Resolves whatever the wallet was handed into a validated offer: a link
 * (by value, or by reference, then fetched) or an offer object.
 *
 * @throws UrbisError as {@link parseOfferLink}, {@link fetchOfferByReference}
 *   and `parseCredentialOffer`.
 *
 * @example
 * ```ts
 * const offer = await resolveOffer({ offer: scannedText });
 * offer.credential_issuer; // 'https://sede.gijon.es'
 * ```
 */
export async function resolveOffer({
  offer,
  fetch = globalThis.fetch,
  maxBytes = MAX_OFFER_BYTES,
}: {
  offer: string | CredentialOffer | Record<string, unknown>;
  fetch?: FetchLike;
  maxBytes?: number;
}): Promise<CredentialOffer> {
  if (typeof offer !== 'string') return parseCredentialOffer(offer);
  const reference = parseOfferLink(offer);
  if (reference.offer !== undefined) return reference.offer;
  return fetchOfferByReference({ offerUri: reference.offerUri, fetch, maxBytes });
}
