import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import type { Hasher, SignatureVerifier } from '../../core/crypto/ports.js';
import type { Compression } from '../../core/status/compression.js';
import { createNodeCompression } from '../../core/status/node-compression.js';
import { createStatusReader, type StatusReader } from '../../core/status/status-reader.js';
import { createSnapshotStatusSource, type StatusSource } from '../../core/status/status-source.js';
import { createTrustedIssuerLookup, type TrustedIssuer, type TrustedIssuerLookup } from '../../core/trust/trusted-issuer.js';
import { toTrustedIssuer } from './issuer-entries.js';
import type { SnapshotContent, SnapshotSyncPoint } from './snapshot-content.js';
import { parseSnapshotFrame, readSnapshotContent, type SnapshotLimits } from './snapshot-format.js';
import { verifySnapshotSignature, type SnapshotSigner, type TrustedSnapshotSigners } from './snapshot-signature.js';

/** What a terminal verifies with: the core ports over one snapshot. */
export interface SnapshotView {
  content: SnapshotContent;
  /** Status of any credential whose list the snapshot holds (by list URI). */
  status: StatusSource;
  /** The federation's trusted issuers, by DID. */
  trustedIssuers: TrustedIssuerLookup;
  issuers: TrustedIssuer[];
  /** The block the snapshot reflects. */
  syncPoint: SnapshotSyncPoint;
  /** Seconds since the snapshot was synced (`now - syncPoint.syncedAt`, never negative). */
  ageAt(now: number): number;
}

/** A snapshot loaded from a file: its view, who signed it, and its age at load time. */
export interface LoadedSnapshot extends SnapshotView {
  signer: SnapshotSigner;
  /** Age in seconds at the `now` it was loaded with. */
  ageSeconds: number;
}

/**
 * The core ports over a snapshot's content: a `StatusSource` (one reader per
 * list URI, answering from the list's bytes in place) and a
 * `TrustedIssuerLookup`. `syncedAt` of the status source is the sync time of
 * the snapshot, which the verifier's snapshot-age policy compares with its
 * maximum age.
 *
 * @example
 * ```ts
 * const view = createSnapshotView(content);
 * view.status.statusOf({ format: 'token-status-list', uri, index }); // 0, 1 or 2
 * view.trustedIssuers('did:web:city.example')?.keys;
 * ```
 */
export function createSnapshotView(content: SnapshotContent): SnapshotView {
  const readers = new Map<string, StatusReader>();
  for (const entry of content.lists) readers.set(entry.uri, createStatusReader({ list: entry.list }));
  const issuers = content.issuers.map(toTrustedIssuer);
  const syncPoint = { ...content.sync };
  return {
    content,
    status: createSnapshotStatusSource({ lists: readers, syncedAt: syncPoint.syncedAt }),
    trustedIssuers: createTrustedIssuerLookup(issuers),
    issuers,
    syncPoint,
    ageAt: (now) => Math.max(0, now - syncPoint.syncedAt),
  };
}

/**
 * Loads a snapshot file on a terminal: checks its size and framing, verifies
 * its signature against the configured signers (by `kid`) and the digest of
 * the whole body, and only then parses the header and inflates the lists.
 *
 * @throws UrbisError `SNAPSHOT_TOO_LARGE` (file or lists above the limits),
 *   `SNAPSHOT_MALFORMED` (corrupt, truncated, unknown version, bad header or
 *   list), `SNAPSHOT_SIGNER_UNKNOWN` (signed by a key not configured),
 *   `SNAPSHOT_SIGNATURE_INVALID` (the signature does not verify or does not
 *   cover these bytes). Never anything else for bad bytes.
 *
 * @example
 * ```ts
 * const snapshot = await verifyAndLoadSnapshot({
 *   bytes: readFileSync('terminal.snapshot'),
 *   trustedSigners: [federationSnapshotKey],
 *   now: Math.floor(Date.now() / 1000),
 * });
 * const verify = createPresentationVerifier({ status: snapshot.status, trustedIssuers: snapshot.trustedIssuers, ... });
 * ```
 */
export async function verifyAndLoadSnapshot({
  bytes,
  trustedSigners,
  now = Math.floor(Date.now() / 1000),
  limits,
  hash = defaultCrypto().hash,
  verifySignature = defaultCrypto().verifySignature,
  compression = createNodeCompression(),
}: {
  bytes: Uint8Array;
  trustedSigners: TrustedSnapshotSigners;
  /** Epoch seconds, for the age. */
  now?: number;
  limits?: SnapshotLimits;
  hash?: Hasher;
  verifySignature?: SignatureVerifier;
  compression?: Compression;
}): Promise<LoadedSnapshot> {
  const frame = parseSnapshotFrame(bytes, limits);
  const signer = await verifySnapshotSignature({ frame, trustedSigners, hash, verifySignature });
  const content = readSnapshotContent({ frame, compression, ...(limits === undefined ? {} : { limits }) });
  const view = createSnapshotView(content);
  return { ...view, signer, ageSeconds: view.ageAt(now) };
}

let cached: ReturnType<typeof createNodeCrypto> | undefined;
function defaultCrypto(): ReturnType<typeof createNodeCrypto> {
  cached ??= createNodeCrypto();
  return cached;
}
