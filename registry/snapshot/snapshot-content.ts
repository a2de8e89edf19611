import type { PublicJwk } from '../../core/crypto/ports.js';
import type { StatusList } from '../../core/status/status-list.js';

/**
 * What a terminal's offline snapshot holds (DESIGN §4): the federation's
 * trusted issuers with their keys, every status list the terminal checks,
 * and where on which chain all of it was read. Nothing else: no personal
 * data, only issuer DIDs, keys and thumbprints, list ids, URIs and status
 * bits.
 *
 * A `SnapshotContent` is a value: functions that derive a new snapshot
 * (sync) never change the one they were given, and may share the
 * `StatusList` objects of lists that did not change. Treat them as read-only.
 */

/** One issuer of the trusted-issuer registry, with the keys a terminal can verify with. */
export interface SnapshotIssuer {
  did: string;
  /** RFC 7638 SHA-256 thumbprints the registry lists (base64url, 43 characters). */
  keyThumbprints: string[];
  /**
   * The public keys known for those thumbprints (from the issuer's did:web
   * document, resolved when the snapshot was built), each with the `kid` the
   * issuer writes in its JWS headers. A listed thumbprint without a known
   * key stays in `keyThumbprints` only: credentials signed with it do not
   * verify offline (ISSUER_KEY_UNKNOWN) until a snapshot carries the key.
   */
  keys: SnapshotIssuerKey[];
  credentialTypes: string[];
  /** Accreditation window, epoch seconds. */
  validFrom: number;
  validUntil: number;
  suspended: boolean;
}

/** A key of a trusted issuer, checked to match a thumbprint on chain. */
export interface SnapshotIssuerKey {
  /** The DID URL the issuer signs with (default `${did}#${thumbprint}`, as did:web documents name keys). */
  kid: string;
  thumbprint: string;
  publicJwk: PublicJwk;
}

/** One status list of the snapshot. */
export interface SnapshotList {
  listId: number;
  /** The URI credentials point at (`status_list.uri` / `statusListCredential`). */
  uri: string;
  /** Batches applied up to the snapshot's block (`listInfo().sequence`): the next event's sequence. */
  sequence: number;
  /** 2-bit entries, LSB-first; `list.size` is the list's size on chain. */
  list: StatusList;
}

/** The chain block the snapshot reflects, and when it was read. */
export interface SnapshotSyncPoint {
  blockNumber: number;
  blockHash: string;
  /** The block's timestamp, epoch seconds. */
  blockTime: number;
  /**
   * When the builder last checked the chain (epoch seconds): the data holds
   * every change up to `blockNumber`, and `blockNumber` was the chain's head
   * (minus the confirmations asked for) at this time. Freshness is measured
   * from here: a chain that produces no block still gives a fresh snapshot.
   */
  syncedAt: number;
}

/**
 * An earlier sync point kept for reorgs (see `sync-snapshot.ts`): the block
 * and what to undo to get back from the next checkpoint (or the snapshot's
 * own block) to the state at this block.
 */
export interface SnapshotCheckpoint {
  blockNumber: number;
  blockHash: string;
  undo: ListUndo[];
}

/** How to undo one list's changes back to a checkpoint. */
export interface ListUndo {
  listId: number;
  /** The list's sequence at the checkpoint. */
  sequence: number;
  /**
   * `true` when the list was re-read from state after the checkpoint: its
   * entries cannot be undone, so a rollback re-reads it at the new target.
   */
  reread: boolean;
  /** Entries changed after the checkpoint, with their value at the checkpoint: `[index, value, index, value, …]`. */
  entries: number[];
}

/** The whole snapshot. */
export interface SnapshotContent {
  chainId: number;
  statusRegistry: string;
  trustedIssuerRegistry: string;
  sync: SnapshotSyncPoint;
  issuers: SnapshotIssuer[];
  lists: SnapshotList[];
  /** Earlier sync points inside the reorg window, oldest first (empty for a snapshot read from state). */
  journal: SnapshotCheckpoint[];
}

/** Which lists a snapshot holds, and under which URI. */
export interface SnapshotListSpec {
  listId: number;
  uri: string;
}
