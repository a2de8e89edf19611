import type { UrbisErrorCode } from '../../core/errors/urbis-error.js';
import type { SnapshotView } from '../../registry/snapshot/load-snapshot.js';

/**
 * What `GET /health` says about the terminal's snapshot: its age, where on
 * the chain it stands, counts, and the outcome of the last sync and load.
 * Nothing personal (a snapshot holds none): counts, block numbers, times,
 * error codes. Stable JSON shape: absent values are `null`.
 */

/** Who signed the snapshot the terminal holds. */
export type SnapshotSignedBy = 'federation' | 'terminal';

/** Where a load came from. */
export type SnapshotLoadOrigin = 'startup' | 'bytes' | 'file';

/** The last sync attempt. */
export interface LastSnapshotSync {
  /** Epoch seconds. */
  at: number;
  ok: boolean;
  /** Why it failed (the snapshot held before it is kept). */
  code?: UrbisErrorCode;
  /** The block reached (on success). */
  block?: number;
  /** Events and entry changes applied (on success). */
  events?: number;
  changes?: number;
}

/** The last load attempt (at startup, from bytes, or from another file). */
export interface LastSnapshotLoad {
  at: number;
  ok: boolean;
  code?: UrbisErrorCode;
  from: SnapshotLoadOrigin;
}

export interface TerminalSnapshotHealth {
  /** A snapshot is held (verification can succeed); `false`: every verification fails closed. */
  loaded: boolean;
  /** `now - syncedAt`, seconds. */
  ageSeconds: number | null;
  /** When the held snapshot's data was last confirmed current against the chain, epoch seconds. */
  syncedAt: number | null;
  /** The chain block the held snapshot reflects. */
  block: number | null;
  chainId: number | null;
  signedBy: SnapshotSignedBy | null;
  issuers: number;
  lists: number;
  /** Status entries over all lists. */
  entries: number;
  lastSync: LastSnapshotSync | null;
  lastLoad: LastSnapshotLoad | null;
  /** Why the terminal holds no snapshot, or why the last load was refused (the previous snapshot kept). */
  loadProblem?: UrbisErrorCode;
  /** The held snapshot could not be saved: a restart would resume from an older file (or none). */
  persistProblem?: UrbisErrorCode;
}

/** What the terminal knows, for {@link snapshotHealth}. */
export interface SnapshotHealthState {
  held?: { view: SnapshotView; signedBy: SnapshotSignedBy };
  lastSync?: LastSnapshotSync;
  lastLoad?: LastSnapshotLoad;
  persistProblem?: UrbisErrorCode;
}

/**
 * The health report of a terminal snapshot at `now`.
 *
 * @example
 * ```ts
 * snapshotHealth({ state: { held: { view, signedBy: 'federation' } }, now: 1_790_000_060 }).ageSeconds; // 60
 * ```
 */
export function snapshotHealth({ state, now }: { state: SnapshotHealthState; now: number }): TerminalSnapshotHealth {
  const view = state.held?.view;
  const loadProblem = state.lastLoad !== undefined && !state.lastLoad.ok ? state.lastLoad.code : undefined;
  return {
    loaded: view !== undefined,
    ageSeconds: view === undefined ? null : view.ageAt(now),
    syncedAt: view?.syncPoint.syncedAt ?? null,
    block: view?.syncPoint.blockNumber ?? null,
    chainId: view?.content.chainId ?? null,
    signedBy: state.held?.signedBy ?? null,
    issuers: view?.content.issuers.length ?? 0,
    lists: view?.content.lists.length ?? 0,
    entries: view?.content.lists.reduce((n, l) => n + l.list.size, 0) ?? 0,
    lastSync: state.lastSync === undefined ? null : { ...state.lastSync },
    lastLoad: state.lastLoad === undefined ? null : { ...state.lastLoad },
    ...(loadProblem === undefined ? {} : { loadProblem }),
    ...(state.persistProblem === undefined ? {} : { persistProblem: state.persistProblem }),
  };
}
