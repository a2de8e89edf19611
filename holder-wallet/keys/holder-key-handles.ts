/**
 * Where a platform keeps the handles of non-extractable holder keys, by
 * key id: IndexedDB in a browser (a `CryptoKey` is structured-cloneable and
 * stays non-extractable there), memory in tests. The sealed wallet document
 * keeps only the key record (`exportable: false`, no private part).
 */
export interface HolderKeyHandles {
  /** The handle stored under `id`, or `undefined`. */
  get(id: string): Promise<CryptoKey | undefined>;
  /** Stores a handle under `id` (replacing any). */
  put(id: string, cryptoKey: CryptoKey): Promise<void>;
  /** Forgets the handle under `id` (when its copy is spent or removed). */
  delete(id: string): Promise<void>;
}
