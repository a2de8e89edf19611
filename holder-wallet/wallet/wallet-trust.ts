import { createTrustList, type TrustedCredentialIssuer, type TrustList } from '../oid4vci/trust-list.js';
import type { WalletDocument } from '../store/wallet-document.js';
import type { WalletStore } from '../store/wallet-store.js';

/** The trust list of a wallet document (its `trustedIssuers`, each checked again). */
export function trustListOf(document: WalletDocument): TrustList {
  return createTrustList({ issuers: document.trustedIssuers.map(({ issuerUrl, name, issuerIds }) => ({ issuerUrl, name, ...(issuerIds === undefined ? {} : { issuerIds }) })) });
}

/**
 * The explicit "add this issuer" path: the citizen agreed to accept offers
 * from `issuerUrl` (after seeing `inspectOffer`'s preview). Stored in the
 * wallet; re-adding an issuer replaces its entry.
 *
 * @throws UrbisError `INVALID_ARGUMENT` (see `TrustList.addTrustedIssuer`).
 *
 * @example
 * ```ts
 * await trustIssuer({ store, issuerUrl: preview.issuerUrl, name: 'Ayuntamiento de Gijón', now });
 * ```
 */
export async function trustIssuer({
  store,
  issuerUrl,
  name,
  issuerIds,
  now,
}: {
  store: WalletStore;
  issuerUrl: string;
  name: string;
  issuerIds?: readonly string[];
  /** Seconds since the epoch. */
  now: number;
}): Promise<TrustedCredentialIssuer> {
  return store.mutate((document) => {
    const entry = trustListOf(document).addTrustedIssuer({ issuerUrl, name, ...(issuerIds === undefined ? {} : { issuerIds }) });
    document.trustedIssuers = document.trustedIssuers.filter((t) => t.issuerUrl !== entry.issuerUrl);
    document.trustedIssuers.push({ ...entry, addedAt: now, addedBy: 'user' });
    return entry;
  });
}

/** Removes an issuer from the wallet's trust list; `true` when it was there. Its copies stay. */
export async function distrustIssuer({ store, issuerUrl }: { store: WalletStore; issuerUrl: string }): Promise<boolean> {
  return store.mutate((document) => {
    const before = document.trustedIssuers.length;
    document.trustedIssuers = document.trustedIssuers.filter((t) => t.issuerUrl !== issuerUrl);
    return document.trustedIssuers.length !== before;
  });
}
