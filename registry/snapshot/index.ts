/**
 * The terminal's offline snapshot (DESIGN §4): built from chain state,
 * signed, loaded with its signature checked, and kept current by delta sync
 * from `StatusesUpdated` events (reorg-aware).
 */
export type { ListUndo, SnapshotCheckpoint, SnapshotContent, SnapshotIssuer, SnapshotIssuerKey, SnapshotList, SnapshotListSpec, SnapshotSyncPoint } from './snapshot-content.js';
export {
  DEFAULT_SNAPSHOT_LIMITS,
  SNAPSHOT_FORMAT_VERSION,
  SNAPSHOT_MAGIC,
  parseSnapshotFrame,
  type SnapshotFrame,
  type SnapshotLimits,
} from './snapshot-format.js';
export { SNAPSHOT_JWS_TYP, snapshotSignerKid, type SnapshotSigner, type TrustedSnapshotSigners } from './snapshot-signature.js';
export { decodeSnapshot, encodeSnapshot, type DecodedSnapshot } from './snapshot-codec.js';
export { createSnapshotView, verifyAndLoadSnapshot, type LoadedSnapshot, type SnapshotView } from './load-snapshot.js';
export { issuerKid, thumbprintFromChain, thumbprintToChain, toTrustedIssuer, type IssuerKeyInput, type IssuerKeyMap } from './issuer-entries.js';
export { readSnapshotFromState, type SnapshotChain } from './chain-state.js';
export { buildSnapshot, buildSnapshotFromEvents, type BuiltSnapshot } from './build-snapshot.js';
export { syncSnapshot, type SyncOutcome, type SyncStats } from './sync-snapshot.js';
export { connectCountingChain, trafficSince, type CountingChainConnection, type RpcTraffic } from './rpc-traffic.js';
export { parseListSpecs } from './list-specs.js';
