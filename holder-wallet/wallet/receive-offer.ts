import type { HolderKeyHandles } from '../keys/holder-key-handles.js';
import type { CredentialOffer } from '../oid4vci/credential-offer.js';
import { acceptOffer } from '../oid4vci/issuance-client.js';
import type { FetchLike } from '../oid4vci/issuer-http.js';
import type { WalletStore } from '../store/wallet-store.js';
import { keepIssued, walletLocalId, type ReceivedConfiguration } from './store-issued.js';
import { walletKeyFactory, type HolderKeyStorage } from './wallet-key-factory.js';
import { trustListOf } from './wallet-trust.js';

/** What {@link receiveOffer} did. */
export interface ReceivedOffer {
  issuerUrl: string;
  issuerName: string;
  /** One entry per offered configuration, in offer order. */
  configurations: ReceivedConfiguration[];
  /** Whether the issuer gave a refresh token (then `refreshCopies` can ask for more copies later). */
  refreshable: boolean;
}

/**
 * Accepts a credential offer into the wallet: runs the OID4VCI client
 * (`acceptOffer`: trust list from the wallet, fresh holder key per copy),
 * then in ONE store write keeps the copies with their key records, the
 * pending (deferred) issuances, and the issuer's refresh token. An issuer
 * outside the wallet's trust list is refused before any request to it
 * (`ISSUER_UNTRUSTED`): show `inspectOffer`'s preview, then `trustIssuer`.
 *
 * @param args.keyStorage `'exportable'` (default; keys sealed in the
 *   document, carried by backups) or `'device'` (non-extractable, handles in
 *   `handles`).
 * @throws UrbisError as `acceptOffer` (`ISSUER_UNTRUSTED`, `TX_CODE_INVALID`,
 *   `OFFER_EXPIRED`, `ISSUER_UNREACHABLE`, ...) and the store's errors.
 *   When the store write fails after the issuer answered, the copies are
 *   lost (the issuer has spent the offer): ask the issuer for a new offer.
 *
 * @example
 * ```ts
 * const received = await receiveOffer({ store, offer: scannedLink, txCode: '493536', now: Date.now });
 * ```
 */
export async function receiveOffer({
  store,
  offer,
  txCode,
  keyStorage = 'exportable',
  handles,
  batchSize,
  fetch = globalThis.fetch,
  now = Date.now,
}: {
  store: WalletStore;
  offer: string | CredentialOffer | Record<string, unknown>;
  txCode?: string;
  keyStorage?: HolderKeyStorage;
  handles?: HolderKeyHandles;
  batchSize?: number;
  fetch?: FetchLike;
  /** Clock, epoch milliseconds. */
  now?: () => number;
}): Promise<ReceivedOffer> {
  const receivedAt = Math.floor(now() / 1000);
  const trustList = trustListOf(await store.load());
  const keys = walletKeyFactory({ keyStorage, createdAt: receivedAt, ...(handles === undefined ? {} : { handles }) });
  let kept = new Set<string>();
  try {
    const accepted = await acceptOffer({
      offer,
      trustList,
      newHolderKey: keys.newHolderKey,
      fetch,
      now,
      ...(txCode === undefined ? {} : { txCode }),
      ...(batchSize === undefined ? {} : { batchSize }),
    });
    const issuerUrl = accepted.offer.credential_issuer;
    // `kept` is set only once the write succeeded: keys of copies that were not stored are discarded.
    const { received, keptKeyIds } = await store.mutate(async (document) => {
      const { summary, keptKeyIds } = await keepIssued({ document, results: accepted.results, issuerUrl, keys, receivedAt });
      if (accepted.refreshToken !== undefined) {
        (document.refreshGrants ??= []).push({
          id: walletLocalId(),
          issuerUrl,
          refreshToken: accepted.refreshToken,
          configurationIds: [...accepted.offer.credential_configuration_ids],
          obtainedAt: receivedAt,
        });
      }
      return { received: { issuerUrl, issuerName: accepted.issuer.name, configurations: summary, refreshable: accepted.refreshToken !== undefined }, keptKeyIds };
    });
    kept = keptKeyIds;
    return received;
  } finally {
    await keys.discardUnused(kept);
  }
}
