import type { HolderKeyHandles } from './holder-key-handles.js';

/**
 * {@link HolderKeyHandles} in memory: for tests, and for a Node process that
 * signs with non-extractable keys it never needs to keep.
 *
 * @example
 * ```ts
 * const handles = createMemoryKeyHandles();
 * const record = await createHolderKeyRecord({ holderKey: await generateHolderKey(), handles, createdAt: now });
 * ```
 */
export function createMemoryKeyHandles(): HolderKeyHandles {
  const handles = new Map<string, CryptoKey>();
  return {
    get: async (id) => handles.get(id),
    put: async (id, cryptoKey) => {
      handles.set(id, cryptoKey);
    },
    delete: async (id) => {
      handles.delete(id);
    },
  };
}
