import { ENTRIES_PER_WORD, MAX_WORDS_PER_READ, type StatusRegistryClient } from '../../chain/status-registry-client.js';
import type { StatusChangeInput } from '../status-change.js';

/**
 * The statuses a run should end with: changes applied one by one in enqueue
 * order, revocation final (a later change of a revoked entry is refused),
 * indices at or above `listSize` refused. Only non-zero entries, per list.
 *
 * @example
 * ```ts
 * modelStatuses({ changes: [{ listId: 0, index: 5, value: 2 }, { listId: 0, index: 5, value: 0 }], listSize: 131_072 }); // Map { 0 => Map {} }
 * ```
 */
export function modelStatuses({ changes, listSize }: { changes: readonly StatusChangeInput[]; listSize: number }): Map<number, Map<number, number>> {
  const lists = new Map<number, Map<number, number>>();
  for (const { listId, index, value } of changes) {
    const list = lists.get(listId) ?? new Map<number, number>();
    lists.set(listId, list);
    if (index >= listSize || (list.get(index) === 1 && value !== 1)) continue;
    if (value === 0) list.delete(index);
    else list.set(index, value);
  }
  return lists;
}

/** The non-zero entries of a list, read from chain state (`readWords`). */
export async function chainStatuses({ client, listId }: { client: StatusRegistryClient; listId: number }): Promise<Map<number, number>> {
  const { size } = await client.listInfo(listId);
  const wordCount = Math.ceil(size / ENTRIES_PER_WORD);
  const out = new Map<number, number>();
  for (let fromWord = 0; fromWord < wordCount; fromWord += MAX_WORDS_PER_READ) {
    const words = await client.readWords({ listId, fromWord, count: Math.min(MAX_WORDS_PER_READ, wordCount - fromWord) });
    words.forEach((word, w) => {
      for (let slot = 0, rest = word; rest !== 0n; slot++, rest >>= 2n) {
        const value = Number(rest & 3n);
        if (value !== 0) out.set((fromWord + w) * ENTRIES_PER_WORD + slot, value);
      }
    });
  }
  return out;
}
