import QRCode from 'qrcode';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { checkIssuerUrl } from './endpoints.js';
import {
  PRE_AUTHORIZED_CODE_GRANT_TYPE,
  checkConfigurationIds,
  checkPreAuthorizedCodeGrant,
  checkTxCodeDescription,
  type CredentialOffer,
  type PreAuthorizedCodeGrant,
  type TxCodeDescription,
} from '../../core/oid4vci/credential-offer.js';

/**
 * Credential Offers (OID4VCI 1.0 §4.1) for the Pre-Authorized Code Flow, and
 * their transport: the `openid-credential-offer://` deep link carrying the
 * offer by value (`credential_offer`) or by reference (`credential_offer_uri`),
 * and its QR code.
 */

/** The default Wallet Credential Offer Endpoint (OID4VCI 1.0 §4.1, §12.1). */
export const CREDENTIAL_OFFER_SCHEME = 'openid-credential-offer://';

/** Longest deep link {@link parseOfferDeepLink} reads. */
export const MAX_OFFER_LINK_LENGTH = 16_384;

/** An offer carried by value or by reference. */
export type OfferReference = { offer: CredentialOffer; offerUri?: undefined } | { offerUri: string; offer?: undefined };

/**
 * Builds a Credential Offer for the Pre-Authorized Code Flow.
 *
 * @param args.configurationIds Non-empty, unique Credential Configuration ids.
 * @param args.preAuthorizedCode The short-lived, single-use code (non-empty).
 * @param args.txCode When given, the Token Request must carry the Transaction
 *   Code sent to the citizen by another channel (counter enrolment: SMS or
 *   printed receipt).
 * @throws UrbisError `CONFIG_INVALID` (issuer URL), `INVALID_ARGUMENT` (ids, code, tx_code).
 *
 * @example
 * ```ts
 * const offer = buildCredentialOffer({
 *   issuerUrl, configurationIds: ['resident.dc+sd-jwt'], preAuthorizedCode,
 *   txCode: { length: 6, input_mode: 'numeric', description: 'Código enviado por SMS' },
 * });
 * ```
 */
export function buildCredentialOffer({
  issuerUrl,
  configurationIds,
  preAuthorizedCode,
  txCode,
}: {
  issuerUrl: string;
  configurationIds: readonly string[];
  preAuthorizedCode: string;
  txCode?: TxCodeDescription;
}): CredentialOffer {
  checkIssuerUrl(issuerUrl);
  const problem = (message: string): UrbisError => new UrbisError('INVALID_ARGUMENT', message);
  const ids = checkConfigurationIds(configurationIds, problem);
  if (typeof preAuthorizedCode !== 'string' || preAuthorizedCode === '') throw problem('the pre-authorized code is a non-empty string');
  const grant: PreAuthorizedCodeGrant = { 'pre-authorized_code': preAuthorizedCode };
  if (txCode !== undefined) grant.tx_code = checkTxCodeDescription(txCode, problem);
  return { credential_issuer: issuerUrl, credential_configuration_ids: ids, grants: { [PRE_AUTHORIZED_CODE_GRANT_TYPE]: grant } };
}

/**
 * Validates a Credential Offer object received by a wallet (by value or
 * fetched from a `credential_offer_uri`) and returns its known parameters
 * only (unknown ones are ignored, §4.1.1).
 *
 * @throws UrbisError `BODY_INVALID`
 */
export function parseCredentialOffer(value: unknown): CredentialOffer {
  const problem = (message: string): UrbisError => new UrbisError('BODY_INVALID', message);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw problem('a credential offer is a JSON object');
  const offer = value as Record<string, unknown>;
  if (typeof offer.credential_issuer !== 'string') throw problem('credential_issuer is required');
  try {
    checkIssuerUrl(offer.credential_issuer);
  } catch (cause) {
    throw new UrbisError('BODY_INVALID', 'credential_issuer is not a credential issuer URL', { cause });
  }
  const out: CredentialOffer = {
    credential_issuer: offer.credential_issuer,
    credential_configuration_ids: checkConfigurationIds(offer.credential_configuration_ids, problem),
  };
  if (offer.grants === undefined) return out;
  if (typeof offer.grants !== 'object' || offer.grants === null || Array.isArray(offer.grants)) throw problem('grants is an object');
  const grants = offer.grants as Record<string, unknown>;
  out.grants = { ...grants };
  const preAuthorized = grants[PRE_AUTHORIZED_CODE_GRANT_TYPE];
  if (preAuthorized !== undefined) out.grants[PRE_AUTHORIZED_CODE_GRANT_TYPE] = checkPreAuthorizedCodeGrant(preAuthorized, problem);
  return out;
}

/**
 * The deep link a wallet opens (OID4VCI 1.0 §4.1): the offer by value,
 * JSON-serialized and percent-encoded in `credential_offer`, or a
 * `credential_offer_uri` the wallet fetches. QR codes should carry offers by
 * reference: they stay short (small QR version) and carry no pre-authorized
 * code in the picture.
 *
 * @param args.walletOfferEndpoint The wallet's Credential Offer Endpoint
 *   (default `openid-credential-offer://`).
 * @throws UrbisError `INVALID_ARGUMENT` when neither or both of `offer` and
 *   `offerUri` are given, or `offerUri` is not an http(s) URL.
 *
 * @example
 * ```ts
 * offerDeepLink({ offerUri: urls.offer(offerId) });
 * // 'openid-credential-offer://?credential_offer_uri=http%3A%2F%2F127.0.0.1%3A8080%2Foid4vci%2Foffers%2F...'
 * ```
 */
export function offerDeepLink(args: OfferReference & { walletOfferEndpoint?: string }): string {
  const endpoint = args.walletOfferEndpoint ?? CREDENTIAL_OFFER_SCHEME;
  const separator = endpoint.includes('?') ? '&' : '?';
  if ((args.offer === undefined) === (args.offerUri === undefined)) {
    throw new UrbisError('INVALID_ARGUMENT', 'give exactly one of offer and offerUri');
  }
  if (args.offerUri !== undefined) {
    if (!isHttpUrl(args.offerUri)) throw new UrbisError('INVALID_ARGUMENT', 'the offer URI is an http(s) URL');
    return `${endpoint}${separator}credential_offer_uri=${encodeURIComponent(args.offerUri)}`;
  }
  return `${endpoint}${separator}credential_offer=${encodeURIComponent(JSON.stringify(args.offer))}`;
}

/**
 * Reads a Credential Offer deep link (any Wallet Credential Offer Endpoint:
 * `openid-credential-offer://`, `https://wallet.example/offer`, ...): exactly
 * one of `credential_offer` (validated with {@link parseCredentialOffer}) or
 * `credential_offer_uri` (an http(s) URL).
 *
 * @throws UrbisError `BODY_INVALID` on anything else: not a URL, too long,
 *   both or neither parameter, a repeated parameter, bad JSON, a bad offer.
 *
 * @example
 * ```ts
 * const ref = parseOfferDeepLink(scanned);
 * const offer = ref.offer ?? parseCredentialOffer(await (await fetch(ref.offerUri)).json());
 * ```
 */
export function parseOfferDeepLink(link: string): OfferReference {
  const problem = (message: string, cause?: unknown): UrbisError => new UrbisError('BODY_INVALID', message, { cause });
  if (typeof link !== 'string' || link.length > MAX_OFFER_LINK_LENGTH) throw problem('not a credential offer link');
  let params: URLSearchParams;
  try {
    params = new URL(link).searchParams;
  } catch (cause) {
    throw problem('not a credential offer link', cause);
  }
  const byValue = params.getAll('credential_offer');
  const byReference = params.getAll('credential_offer_uri');
  if (byValue.length + byReference.length !== 1) {
    throw problem('a credential offer link carries exactly one of credential_offer and credential_offer_uri');
  }
  if (byReference.length === 1) {
    const offerUri = byReference[0]!;
    if (!isHttpUrl(offerUri)) throw problem('credential_offer_uri is an http(s) URL');
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
 * Renders a deep link as an SVG QR code (error correction level M).
 *
 * @example
 * ```ts
 * res.type('image/svg+xml').send(await offerQrSvg(offerDeepLink({ offerUri })));
 * ```
 */
export async function offerQrSvg(link: string): Promise<string> {
  if (typeof link !== 'string' || link === '') throw new UrbisError('INVALID_ARGUMENT', 'a link is a non-empty string');
  return QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M' });
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
