/**
 * The terminal's offline snapshot (issue #6, DESIGN §4): the signed snapshot
 * a terminal verifies with, replaced by USB or download, kept current by
 * delta sync when online, saved atomically, with a health report.
 * Re-exports only. Test support (`testing/offline-network.ts`) and the
 * benchmark helper (`snapshot-bench.ts`) are imported by path.
 */
export {
  openTerminalSnapshot,
  type TerminalSnapshot,
  type TerminalSnapshotOptions,
  type TerminalSyncOptions,
  type TerminalSyncResult,
} from './terminal-snapshot.js';
export {
  snapshotHealth,
  type LastSnapshotLoad,
  type LastSnapshotSync,
  type SnapshotLoadOrigin,
  type SnapshotSignedBy,
  type TerminalSnapshotHealth,
} from './terminal-snapshot-health.js';
export { liveSnapshotPorts, type SnapshotPorts } from './live-snapshot-ports.js';
export { LOCAL_SNAPSHOT_KID_PREFIX, openLocalSnapshotKey } from './local-snapshot-key.js';
export { localSaveCompression } from './local-save-compression.js';
export { readLocalFile, writeLocalFile } from './local-file.js';
