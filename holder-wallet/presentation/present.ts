import type { Hasher } from '../../core/crypto/ports.js';
import { base64urlEncode } from '../../core/encoding/base64url.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { presentCredential } from '../../core/presentation/present-credential.js';
import { webRandomBytes } from '../crypto/web-crypto.js';
import type { HolderKeyHandles } from '../keys/holder-key-handles.js';
import { holderKeyForRecord } from '../store/holder-key-record.js';
import type { HistoryEntry } from '../store/wallet-document.js';
import type { WalletStore } from '../store/wallet-store.js';
import { webHasher, type Consent } from './consent.js';

/** What the wallet sends back. */
export interface PresentationResult {
  /** The OpenID4VP 1.0 `vp_token`: `{ <credential query id>: [<SD-JWT+KB>] }`. */
  vpToken: Record<string, [string]>;
  /** The presentations, in consent order. */
  presentations: string[];
  /** What the presentation QR carries: the SD-JWT+KB itself for one credential, the `vp_token` JSON for several. */
  text: string;
  /** The history entries written (one per presented copy). */
  history: HistoryEntry[];
}

/**
 * Presents what the citizen consented to: builds each presentation with
 * core's `presentCredential` (the copy's own holder key, `aud` = the
 * verifier, the consent's nonce, `iat` = `now`), and in ONE `store.mutate`
 * marks every presented copy spent (`spentAt = now`) and appends a history
 * entry for each. Either all of that is stored, or nothing is (and no
 * presentation is returned): a presentation never leaves without its copy
 * being marked spent.
 *
 * A copy is presented once: a copy spent since the consent was prepared
 * (e.g. the same consent presented twice) is `STATE_CONFLICT`.
 *
 * @throws UrbisError `STATE_CONFLICT` (a copy is already spent),
 *   `RESOURCE_NOT_FOUND` (a copy or its holder key is gone, or a
 *   non-exportable key's handle is not in `handles`), `KEY_INVALID`,
 *   `DISCLOSURE_NOT_AVAILABLE` / decoding errors of a damaged copy; the
 *   store's own errors. Nothing is written in any of these cases.
 *
 * @example
 * ```ts
 * const { vpToken, text } = await presentWithConsent({ consent, store, now: Math.floor(Date.now() / 1000) });
 * ```
 */
export async function presentWithConsent({
  consent,
  store,
  handles,
  now,
  hash = webHasher,
}: {
  consent: Consent;
  store: WalletStore;
  handles?: HolderKeyHandles;
  now: number;
  hash?: Hasher;
}): Promise<PresentationResult> {
  if (consent.items.length === 0) throw new UrbisError('INVALID_ARGUMENT', 'the consent presents nothing');
  if (new Set(consent.items.map((i) => i.copyId)).size !== consent.items.length) {
    throw new UrbisError('INVALID_ARGUMENT', 'the consent presents one copy twice');
  }
  return store.mutate(async (document) => {
    const presentations: string[] = [];
    const history: HistoryEntry[] = [];
    for (const item of consent.items) {
      const copy = document.credentials.find((c) => c.id === item.copyId);
      if (copy === undefined) throw new UrbisError('RESOURCE_NOT_FOUND', 'the chosen copy is no longer in the wallet');
      if (copy.spentAt !== undefined) throw new UrbisError('STATE_CONFLICT', 'this one-time copy was already presented: prepare the consent again');
      const record = document.keys.find((k) => k.id === copy.holderKeyId);
      if (record === undefined) throw new UrbisError('RESOURCE_NOT_FOUND', "the copy's holder key is not in the wallet");
      const holderKey = await holderKeyForRecord({ record, ...(handles === undefined ? {} : { handles }) });
      presentations.push(
        await presentCredential({
          credential: copy.credential,
          claims: item.disclosed,
          nonce: consent.nonce,
          audience: consent.verifier,
          holderKey: holderKey.signingKey,
          hash,
          now,
        }),
      );
      copy.spentAt = now;
      history.push({
        id: base64urlEncode(webRandomBytes(16)),
        at: now,
        verifier: consent.verifier,
        credentialId: copy.id,
        credentialType: copy.credentialType,
        disclosed: item.disclosed.map((path) => [...path]),
        flow: consent.flow,
      });
    }
    document.history.push(...history);
    const vpToken: Record<string, [string]> = {};
    consent.items.forEach((item, i) => {
      vpToken[item.queryId] = [presentations[i]!];
    });
    return { vpToken, presentations, text: presentations.length === 1 ? presentations[0]! : JSON.stringify(vpToken), history };
  });
}
