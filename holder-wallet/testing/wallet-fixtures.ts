import { generateHolderKey } from '../keys/web-crypto-holder-keys.js';
import { createHolderKeyRecord } from '../store/holder-key-record.js';
import type { ScryptParams } from '../store/passphrase-key.js';
import type { StoredCredential, StoredHolderKey, WalletDocument } from '../store/wallet-document.js';
import type { WalletStorage } from '../store/wallet-storage.js';
import type { HolderKeyHandles } from '../keys/holder-key-handles.js';

/**
 * Test helpers for the wallet store: a cheap KDF cost, a storage that
 * counts writes and can be made to fail, and documents with recognisable
 * markers. Browser-safe (no Node built-in), so the browser run of the suite
 * can use them too.
 */

/** scrypt N = 2^10: the lowest accepted cost, a few milliseconds. Tests only. */
export const TEST_KDF: ScryptParams = Object.freeze({ N: 2 ** 10, r: 8, p: 1 });

/** A fixed time for documents (seconds). */
export const TEST_NOW = 1_790_000_000;

/** A {@link WalletStorage} wrapper that counts writes and fails them while `failWrites` is set. */
export interface ObservedStorage extends WalletStorage {
  writes: number;
  failWrites: boolean;
}

/** Wraps a storage: counts successful writes; throws `Error('disk full')` instead of writing while `failWrites` is true. */
export function observeStorage(inner: WalletStorage): ObservedStorage {
  const observed: ObservedStorage = {
    writes: 0,
    failWrites: false,
    read: () => inner.read(),
    write: async (bytes) => {
      if (observed.failWrites) throw new Error('disk full');
      await inner.write(bytes);
      observed.writes += 1;
    },
  };
  return observed;
}

/** A plausible-looking compact SD-JWT carrying `marker` in its payload (base64url would hide it; this is plain text on purpose). */
export function fakeCredential(marker: string): string {
  return `eyJhbGciOiJFUzI1NiJ9.${marker}.c2ln~WyJzYWx0IiwiZ2l2ZW5fbmFtZSIsIkFuYSJd~`;
}

/**
 * One copy bound to a fresh holder key: extractable (the record carries its
 * private JWK) or not (the handle goes to `handles`).
 */
export async function copyWithKey({
  id,
  marker,
  exportable,
  handles,
  spentAt,
}: {
  id: string;
  marker: string;
  exportable: boolean;
  handles?: HolderKeyHandles;
  spentAt?: number;
}): Promise<{ credential: StoredCredential; key: StoredHolderKey }> {
  const holderKey = await generateHolderKey({ extractable: exportable });
  const key = await createHolderKeyRecord({ holderKey, createdAt: TEST_NOW, ...(handles ? { handles } : {}) });
  const credential: StoredCredential = {
    id,
    credential: fakeCredential(marker),
    format: 'vc+sd-jwt',
    credentialType: 'ServiceEntitlementCredential',
    issuerId: 'did:web:gijon.urbis.example',
    serviceId: 'pool',
    holderKeyId: key.id,
    batchId: 'batch-1',
    issuerUrl: 'https://gijon.urbis.example',
    configurationId: 'ServiceEntitlementCredential_vc+sd-jwt',
    receivedAt: TEST_NOW,
    ...(spentAt === undefined ? {} : { spentAt }),
  };
  return { credential, key };
}

/** A document holding `copies`, a history entry and a trusted issuer. */
export function documentWith(copies: readonly { credential: StoredCredential; key: StoredHolderKey }[]): WalletDocument {
  return {
    version: 1,
    credentials: copies.map((c) => c.credential),
    keys: copies.map((c) => c.key),
    history: [
      {
        id: 'h-1',
        at: TEST_NOW,
        verifier: 'urn:urbis:terminal:HISTORYMARKER',
        credentialId: copies[0]?.credential.id ?? 'none',
        credentialType: 'ServiceEntitlementCredential',
        disclosed: [['tier']],
        flow: 'oid4vp',
      },
    ],
    trustedIssuers: [{ issuerUrl: 'https://gijon.urbis.example', name: 'Ayuntamiento de Gijón', issuerIds: ['did:web:gijon.urbis.example'], addedAt: TEST_NOW, addedBy: 'preset' }],
  };
}
