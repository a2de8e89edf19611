/**
 * Where the sealed wallet file lives: a file in Node
 * (`holder-wallet/node/file-storage.ts`), an IndexedDB record or
 * `localStorage` entry in a browser, memory in tests. The store hands it
 * only sealed bytes; the port never sees a passphrase or plaintext.
 *
 * The contract is whole-file: `write` replaces the stored bytes atomically
 * (after a failed or interrupted `write`, `read` returns either the old
 * bytes or the new ones, never a mix), and `read` returns the last bytes
 * written, or `undefined` when nothing was ever written.
 */
export interface WalletStorage {
  /** The stored bytes, or `undefined` when there is no wallet yet. */
  read(): Promise<Uint8Array | undefined>;
  /** Replaces the stored bytes, atomically. */
  write(bytes: Uint8Array): Promise<void>;
}
