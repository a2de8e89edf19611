import { UrbisError } from '../../core/errors/urbis-error.js';
import type { HolderKeyHandles } from '../keys/holder-key-handles.js';
import { generateHolderKey } from '../keys/web-crypto-holder-keys.js';
import type { HolderKeyFactory } from '../oid4vci/holder-key.js';
import { createHolderKeyRecord } from '../store/holder-key-record.js';
import type { StoredHolderKey } from '../store/wallet-document.js';
import { jwkThumbprintInput } from '../../core/keys/jwk-thumbprint.js';
import type { PublicJwk } from '../../core/crypto/ports.js';

/**
 * Where the wallet keeps holder keys:
 * - `'exportable'`: inside the sealed document (Node file store; the keys
 *   travel in a backup, so a restore needs no re-issuance);
 * - `'device'`: non-extractable Web Crypto keys whose handles stay in the
 *   platform's key store (`handles`, IndexedDB in a browser); a backup
 *   cannot carry them, so their copies are re-issued after a restore.
 */
export type HolderKeyStorage = 'exportable' | 'device';

/** A key factory for the OID4VCI client that also makes the key records the wallet document keeps. */
export interface WalletKeyFactory {
  newHolderKey: HolderKeyFactory;
  /** The record of a key this factory made, by its public JWK. */
  recordFor(publicJwk: PublicJwk): StoredHolderKey;
  /** Every record made so far. */
  records(): StoredHolderKey[];
  /** Forgets the handles of keys made but not kept (their copies never came). */
  discardUnused(keptIds: ReadonlySet<string>): Promise<void>;
}

/**
 * A fresh Web Crypto ES256 key per call (one per one-time copy), with its
 * record made at once, so that the copies the issuer returns can be stored
 * with their keys.
 *
 * @throws UrbisError `INVALID_ARGUMENT` for `'device'` keys without `handles`.
 *
 * @example
 * ```ts
 * const keys = walletKeyFactory({ keyStorage: 'exportable', createdAt: now });
 * const accepted = await acceptOffer({ offer, trustList, newHolderKey: keys.newHolderKey });
 * ```
 */
export function walletKeyFactory({ keyStorage, handles, createdAt }: { keyStorage: HolderKeyStorage; handles?: HolderKeyHandles; createdAt: number }): WalletKeyFactory {
  if (keyStorage !== 'exportable' && keyStorage !== 'device') throw new UrbisError('INVALID_ARGUMENT', "keyStorage is 'exportable' or 'device'");
  if (keyStorage === 'device' && handles === undefined) throw new UrbisError('INVALID_ARGUMENT', 'device-bound keys need a place for their handles (handles)');
  const made = new Map<string, StoredHolderKey>();
  return {
    newHolderKey: async () => {
      const holderKey = await generateHolderKey({ extractable: keyStorage === 'exportable' });
      const record = await createHolderKeyRecord({ holderKey, createdAt, ...(handles === undefined ? {} : { handles }) });
      made.set(jwkThumbprintInput(holderKey.publicJwk), record);
      return { publicJwk: holderKey.publicJwk, signingKey: holderKey.signingKey };
    },
    recordFor: (publicJwk) => {
      const record = made.get(jwkThumbprintInput(publicJwk));
      if (record === undefined) throw new UrbisError('INVALID_ARGUMENT', 'a copy is bound to a key this wallet did not make');
      return record;
    },
    records: () => [...made.values()],
    discardUnused: async (keptIds) => {
      if (handles === undefined) return;
      for (const record of made.values()) if (!keptIds.has(record.id)) await handles.delete(record.id);
    },
  };
}
