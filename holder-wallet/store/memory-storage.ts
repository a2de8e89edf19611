import type { WalletStorage } from './wallet-storage.js';

/**
 * A {@link WalletStorage} in memory, for tests and for a wallet that must
 * leave nothing behind. Keeps and hands out copies, so callers cannot alter
 * the stored bytes in place.
 *
 * @param args.initial Bytes to start with (e.g. a file read elsewhere).
 *
 * @example
 * ```ts
 * const storage = createMemoryStorage();
 * const store = await createWalletStore({ storage, passphrase, kdf: { N: 2 ** 10, r: 8, p: 1 } });
 * ```
 */
export function createMemoryStorage({ initial }: { initial?: Uint8Array } = {}): WalletStorage {
  let stored: Uint8Array | undefined = initial === undefined ? undefined : Uint8Array.from(initial);
  return {
    read: async () => (stored === undefined ? undefined : Uint8Array.from(stored)),
    write: async (bytes) => {
      stored = Uint8Array.from(bytes);
    },
  };
}
