import { PRE_AUTHORIZED_CODE_GRANT_TYPE, type TxCodeDescription } from '../../core/oid4vci/credential-offer.js';
import type { CredentialOffer } from './credential-offer.js';
import type { FetchLike } from './issuer-http.js';
import { fetchIssuerMetadata, type DisplayName, type IssuerMetadata } from './issuer-metadata.js';
import { resolveOffer } from './offer-link.js';
import type { TrustedCredentialIssuer, TrustList } from './trust-list.js';

/** What the wallet shows before accepting an offer. */
export interface OfferPreview {
  /** The resolved offer: pass it to `acceptOffer` (an offer by reference is not fetched twice). */
  offer: CredentialOffer;
  issuerUrl: string;
  /** The trust list's entry, or `undefined` for an issuer the citizen has not trusted yet. */
  trusted: TrustedCredentialIssuer | undefined;
  /** The Transaction Code prompt, when the offer asks for one. */
  txCode: TxCodeDescription | undefined;
  /** The issuer's metadata (with `fetchMetadata`); its names are self-declared, not vouched for. */
  metadata?: IssuerMetadata;
  /** The issuer's self-declared names (from its metadata), for the "add this issuer?" question. */
  issuerDisplay: DisplayName[];
}

/**
 * Reads an offer without spending it: resolves the link, looks the issuer
 * up in the trust list and, by default, fetches its metadata for names to
 * show. Nothing here touches the token endpoint, so the citizen can be
 * asked whether to trust an unknown issuer (then `trustList.addTrustedIssuer`)
 * and the same offer accepted afterwards.
 *
 * @throws UrbisError as `resolveOffer` and `fetchIssuerMetadata`.
 *
 * @example
 * ```ts
 * const preview = await inspectOffer({ offer: scanned, trustList });
 * if (!preview.trusted && (await askCitizen(preview.issuerUrl, preview.issuerDisplay))) {
 *   trustList.addTrustedIssuer({ issuerUrl: preview.issuerUrl, name: preview.issuerDisplay[0]?.name ?? preview.issuerUrl });
 * }
 * await acceptOffer({ offer: preview.offer, txCode, trustList, newHolderKey });
 * ```
 */
export async function inspectOffer({
  offer,
  trustList,
  fetch = globalThis.fetch,
  fetchMetadata = true,
}: {
  offer: string | CredentialOffer | Record<string, unknown>;
  trustList: Pick<TrustList, 'find'>;
  fetch?: FetchLike;
  fetchMetadata?: boolean;
}): Promise<OfferPreview> {
  const resolved = await resolveOffer({ offer, fetch });
  const issuerUrl = resolved.credential_issuer;
  const preview: OfferPreview = {
    offer: resolved,
    issuerUrl,
    trusted: trustList.find({ issuerUrl }),
    txCode: resolved.grants[PRE_AUTHORIZED_CODE_GRANT_TYPE].tx_code,
    issuerDisplay: [],
  };
  if (fetchMetadata) {
    preview.metadata = await fetchIssuerMetadata({ offer: resolved, fetch });
    preview.issuerDisplay = preview.metadata.credentialIssuer.display;
  }
  return preview;
}
