import { UrbisError } from '../../core/errors/urbis-error.js';
import { calculateJwkThumbprint } from '../../core/keys/jwk-thumbprint.js';
import { webSha256 } from '../crypto/web-crypto.js';
import type { HolderKeyHandles } from '../keys/holder-key-handles.js';
import { exportHolderKey, holderKeyFromCryptoKey, importHolderKey, type HolderKey } from '../keys/web-crypto-holder-keys.js';
import type { StoredHolderKey } from './wallet-document.js';

/**
 * Turns a holder key into the record the wallet document keeps. Its id is
 * the RFC 7638 thumbprint of the public key.
 * - An extractable key is exported into the record (`exportable: true`,
 *   `privateJwk`): the file store, and any key a backup must carry.
 * - A non-extractable key stays a handle: the record has no private part
 *   (`exportable: false`) and the handle goes to `handles` under the id.
 *
 * @throws UrbisError `INVALID_ARGUMENT` for a non-extractable key without
 *   `handles` (it would be lost).
 *
 * @example
 * ```ts
 * const holderKey = await generateHolderKey({ extractable: true });
 * const record = await createHolderKeyRecord({ holderKey, createdAt: now });
 * await store.mutate((doc) => { doc.keys.push(record); });
 * ```
 */
export async function createHolderKeyRecord({
  holderKey,
  createdAt,
  handles,
}: {
  holderKey: HolderKey;
  createdAt: number;
  handles?: HolderKeyHandles;
}): Promise<StoredHolderKey> {
  const id = await calculateJwkThumbprint({ publicJwk: holderKey.publicJwk, hash: webSha256 });
  if (holderKey.extractable) {
    return { id, publicJwk: holderKey.publicJwk, exportable: true, privateJwk: await exportHolderKey(holderKey), createdAt };
  }
  if (handles === undefined) throw new UrbisError('INVALID_ARGUMENT', 'a non-extractable holder key needs a place for its handle (handles)');
  await handles.put(id, holderKey.cryptoKey);
  return { id, publicJwk: holderKey.publicJwk, exportable: false, createdAt };
}

/**
 * The usable holder key for a record: imported from its private JWK (as a
 * non-extractable handle), or fetched from `handles`.
 *
 * @throws UrbisError `RESOURCE_NOT_FOUND` (a non-exportable key whose
 *   handle is not in `handles`, e.g. after moving to another device),
 *   `KEY_INVALID` (the stored private key does not import or does not match
 *   the record's public key; a handle is not a private P-256 signing key).
 *   A non-extractable handle cannot be compared with the public key: the
 *   platform store is trusted to return the handle put under that id.
 */
export async function holderKeyForRecord({ record, handles }: { record: StoredHolderKey; handles?: HolderKeyHandles }): Promise<HolderKey> {
  if (record.exportable && record.privateJwk !== undefined) {
    const key = await importHolderKey({ privateJwk: record.privateJwk });
    if (key.publicJwk.x !== record.publicJwk.x || key.publicJwk.y !== record.publicJwk.y) {
      throw new UrbisError('KEY_INVALID', 'the stored private key does not match its public key');
    }
    return key;
  }
  const cryptoKey = await handles?.get(record.id);
  if (cryptoKey === undefined) throw new UrbisError('RESOURCE_NOT_FOUND', 'the holder key is not on this device');
  return holderKeyFromCryptoKey({ cryptoKey, publicJwk: record.publicJwk });
}
