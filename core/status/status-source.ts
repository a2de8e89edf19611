import { UrbisError } from '../errors/urbis-error.js';
import type { StatusReader } from './status-reader.js';

/**
 * Where a credential's status lives, normalised from either wire form:
 * IETF Token Status List (`status.status_list: { idx, uri }`, in `dc+sd-jwt`)
 * or W3C Bitstring Status List (`credentialStatus`, in `vc+sd-jwt`).
 */
export interface StatusRef {
  format: 'token-status-list' | 'bitstring-status-list';
  /** The status list's URI (both forms are derived from the same chain list). */
  uri: string;
  index: number;
}

/**
 * The status values of Urbis' 2-bit lists (DESIGN §3).
 * 3 is reserved and treated as unknown.
 */
export const STATUS_VALID = 0;
export const STATUS_REVOKED = 1;
export const STATUS_SUSPENDED = 2;

/**
 * A verifier's local source of status bits: a snapshot synced when online.
 * `statusOf` answers from local data only, and throws `UrbisError`
 * `STATUS_UNKNOWN` (list not in the snapshot) or `STATUS_INDEX_OUT_OF_RANGE`.
 */
export interface StatusSource {
  /** When the data was last synced, epoch seconds. */
  syncedAt: number;
  statusOf(ref: StatusRef): number | Promise<number>;
}

/**
 * A status source over status lists held locally (a terminal's snapshot):
 * one reader per list URI, the same bits whichever wire form (IETF or W3C)
 * the credential points with. A list not held is `STATUS_UNKNOWN`; an index
 * beyond a held list is `STATUS_INDEX_OUT_OF_RANGE` (from the reader).
 *
 * @example
 * ```ts
 * const status = createSnapshotStatusSource({ syncedAt, lists: new Map([[uri, createStatusReader({ list })]]) });
 * ```
 */
export function createSnapshotStatusSource({
  lists,
  syncedAt,
}: {
  lists: ReadonlyMap<string, StatusReader>;
  syncedAt: number;
}): StatusSource {
  return {
    syncedAt,
    statusOf: (ref) => {
      const reader = lists.get(ref.uri);
      if (reader === undefined) throw new UrbisError('STATUS_UNKNOWN', 'the snapshot holds no status list at that URI');
      return reader.statusAt(ref.index);
    },
  };
}
