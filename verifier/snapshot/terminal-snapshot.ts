import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import type { Hasher, PublicJwk, SignatureVerifier, SigningKey } from '../../core/crypto/ports.js';
import { UrbisError, isUrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';
import type { Compression } from '../../core/status/compression.js';
import { createNodeCompression } from '../../core/status/node-compression.js';
import { StatusRegistryClient } from '../../registry/chain/status-registry-client.js';
import { TrustedIssuerRegistryClient } from '../../registry/chain/trusted-issuer-registry-client.js';
import type { SnapshotChain } from '../../registry/snapshot/chain-state.js';
import type { IssuerKeyMap } from '../../registry/snapshot/issuer-entries.js';
import { createSnapshotView, verifyAndLoadSnapshot, type LoadedSnapshot, type SnapshotView } from '../../registry/snapshot/load-snapshot.js';
import { encodeSnapshot } from '../../registry/snapshot/snapshot-codec.js';
import { DEFAULT_SNAPSHOT_LIMITS, type SnapshotLimits } from '../../registry/snapshot/snapshot-format.js';
import { snapshotSignerKid, type TrustedSnapshotSigners } from '../../registry/snapshot/snapshot-signature.js';
import { syncSnapshot, type SyncStats } from '../../registry/snapshot/sync-snapshot.js';
import { liveSnapshotPorts, type SnapshotPorts } from './live-snapshot-ports.js';
import { localSaveCompression } from './local-save-compression.js';
import { readLocalFile, writeLocalFile } from './local-file.js';
import { snapshotHealth, type SnapshotHealthState, type SnapshotLoadOrigin, type SnapshotSignedBy, type TerminalSnapshotHealth } from './terminal-snapshot-health.js';

/**
 * The terminal's offline snapshot holder (issue #6, DESIGN §4): the one
 * signed snapshot a terminal verifies with, where it comes from, and what
 * survives a restart.
 *
 * ## Life cycle
 * - **Start** (`openTerminalSnapshot`): the file at `path` is read and loaded
 *   with its signature checked (`verifyAndLoadSnapshot`). No file, an
 *   unreadable, malformed or badly signed one: the terminal starts WITHOUT a
 *   snapshot and says why (`health().loadProblem`: `SNAPSHOT_MISSING`,
 *   `SNAPSHOT_MALFORMED`, `SNAPSHOT_SIGNATURE_INVALID`,
 *   `SNAPSHOT_SIGNER_UNKNOWN`, `SNAPSHOT_TOO_LARGE`, `SNAPSHOT_STORAGE_FAILED`).
 * - **No snapshot → fail closed**: `current()` is `undefined`, and the
 *   {@link SnapshotPorts} (`ports`) answer every status with
 *   `STATUS_UNKNOWN`, know no issuer (`ISSUER_UNTRUSTED`) and report
 *   `syncedAt` 0 (`SNAPSHOT_STALE` under any maximum age). Which code the
 *   terminal shows is the verifier's business; every path refuses.
 * - **Replace** (`load({ bytes })`, `replaceFrom({ path })`): a snapshot
 *   brought by USB or downloaded. It must be signed by a FEDERATION signer
 *   (`trustedSigners`; never the terminal's own key) and, unless
 *   `allowOlder`, not older than the one held (same chain and registries, a
 *   lower block: `SNAPSHOT_STALE`, a rollback that would un-revoke
 *   credentials). Refused → the error is thrown and recorded, the previous
 *   snapshot is kept, in memory and on disk. Accepted → it is held and its
 *   bytes, unchanged, replace the file.
 * - **Sync** (`sync()`): delta sync from the chain by `StatusesUpdated`
 *   events, reorg-aware (`syncSnapshot`), through the injected network
 *   adapter (`network`: a `SnapshotChain`, i.e. a `JsonRpcProvider` + chain
 *   id; the registry addresses come from the signed snapshot itself). A
 *   failed sync keeps the last good snapshot and records `{ at, ok: false,
 *   code }` (`CHAIN_UNREACHABLE`, `CHAIN_ID_MISMATCH`,
 *   `CHAIN_REORG_TOO_DEEP`, …). A successful one is held at once and saved.
 * - **Save**: always atomic (temporary file, fsync, rename); a synced
 *   snapshot is deflated at level 1 (`localSaveCompression`: ~10 ms instead
 *   of ~0.6 s for 10 million entries, on the event loop). A failed save
 *   keeps the newer snapshot in memory (it is the better data to verify
 *   with) and reports `health().persistProblem`.
 *
 * ## Who signs the file after a local delta sync
 * The federation's signature covers the snapshot it built, not the content
 * the terminal derived from it by applying chain events. The terminal
 * RE-SIGNS the synced snapshot with its own local key (`localSigner`, see
 * `openLocalSnapshotKey`) and writes it in the same signed format; on
 * restart it accepts its own file when it is signed by a federation signer
 * OR by that local key. Chosen over "original federation file + unsigned
 * delta journal" because:
 * - one format and one load path (`verifyAndLoadSnapshot`): framing, size
 *   limits, digest of every byte and strict header checks apply to the
 *   terminal's own file as to a federation one, so a torn or corrupted file
 *   is detected, not half-applied;
 * - a delta sync re-reads the whole federation registry and may rebuild
 *   lists from state or roll back a reorg: a "journal" would be a second
 *   snapshot format anyway;
 * - the local key adds no trust a journal would not have: both are exactly
 *   as trustworthy as the terminal's own disk (the key lives beside the
 *   file). The local key is accepted ONLY for the file at `path`: `load()`
 *   and `replaceFrom()` accept federation signers only, and no other
 *   terminal knows the key, so a terminal-signed file cannot be carried to
 *   another terminal, nor back into this one by USB.
 * A terminal without `localSigner` can still load federation snapshots;
 * `sync()` then refuses (`INVALID_ARGUMENT`), since what it synced could not
 * be saved for a restart. If the key is lost, the own file no longer loads
 * (`SNAPSHOT_SIGNER_UNKNOWN`): the terminal starts without a snapshot until
 * a federation snapshot is loaded.
 *
 * All operations that change the held snapshot run one at a time, in call order.
 */

/** Options of {@link openTerminalSnapshot}. */
export interface TerminalSnapshotOptions {
  /** The terminal's snapshot file (read at start, replaced atomically on every change). */
  path: string;
  /** The federation's snapshot signers the terminal accepts (`kid` → key, or keys). */
  trustedSigners: TrustedSnapshotSigners;
  /** The terminal's own key: signs what `sync()` derives, and is trusted for the file at `path` only. */
  localSigner?: SigningKey;
  /** The network adapter `sync()` uses unless one is passed to it (inject a throwing one in tests). */
  network?: SnapshotChain;
  /** Epoch seconds (default: the system clock). */
  clock?: () => number;
  limits?: SnapshotLimits;
  crypto?: { hash: Hasher; verifySignature: SignatureVerifier };
  /** Inflates snapshots on load (default node:zlib). Saves after a sync deflate with `localSaveCompression`. */
  compression?: Compression;
}

/** Options of one {@link TerminalSnapshot.sync}. */
export interface TerminalSyncOptions {
  /** Overrides the adapter given at open. */
  network?: SnapshotChain;
  /** Keys of issuers (from their did:web documents) to pick up rotated-in keys; else known keys are kept by thumbprint. */
  issuerKeys?: IssuerKeyMap;
  /** Blocks below the head to stay (default 0). */
  confirmations?: number;
  /** Blocks of history kept for rollbacks (default 12). */
  reorgDepth?: number;
  /** Blocks per `eth_getLogs` call (default 2,000). */
  pageSize?: number;
  /** Sync no further than this block. */
  toBlock?: number;
}

/** The result of a sync: the new snapshot, or why the previous one is kept. */
export type TerminalSyncResult =
  | { ok: true; view: SnapshotView; stats: SyncStats; /** Saved to `path` (else see `health().persistProblem`). */ persisted: boolean }
  | { ok: false; code: UrbisErrorCode; error: UrbisError };

/** A terminal's snapshot: the current view, its replacement, sync and health. */
export interface TerminalSnapshot {
  /** The snapshot held now, or `undefined` (verification must fail closed). */
  current(): SnapshotView | undefined;
  /** Status and trust ports that always read the snapshot held at the time of the call (see `liveSnapshotPorts`). */
  readonly ports: SnapshotPorts;
  /** Counts, age, sync point and the last sync and load outcomes; nothing personal. */
  health(now?: number): TerminalSnapshotHealth;
  /**
   * Replaces the held snapshot with a federation-signed one, and saves its bytes.
   * @throws UrbisError `SNAPSHOT_MALFORMED`, `SNAPSHOT_SIGNATURE_INVALID`,
   *   `SNAPSHOT_SIGNER_UNKNOWN`, `SNAPSHOT_TOO_LARGE`, `SNAPSHOT_STALE`
   *   (older than the held one); the held snapshot is kept.
   */
  load(args: { bytes: Uint8Array; allowOlder?: boolean }): Promise<SnapshotView>;
  /**
   * `load` from a file (e.g. on a USB stick).
   * @throws UrbisError as `load`, and `SNAPSHOT_MISSING`, `SNAPSHOT_STORAGE_FAILED` (file not readable).
   */
  replaceFrom(args: { path: string; allowOlder?: boolean }): Promise<SnapshotView>;
  /**
   * Delta sync from the chain, then an atomic save. Never throws for a chain
   * or data problem: `{ ok: false, code }` with the held snapshot kept.
   * @throws UrbisError `INVALID_ARGUMENT` when no network adapter or no
   *   `localSigner` was configured.
   */
  sync(args?: TerminalSyncOptions): Promise<TerminalSyncResult>;
}

/** Codes that mean "this snapshot (file) is not usable": recorded at start instead of thrown. */
const UNUSABLE: ReadonlySet<UrbisErrorCode> = new Set<UrbisErrorCode>([
  'SNAPSHOT_MALFORMED',
  'SNAPSHOT_SIGNATURE_INVALID',
  'SNAPSHOT_SIGNER_UNKNOWN',
  'SNAPSHOT_TOO_LARGE',
  'SNAPSHOT_MISSING',
  'SNAPSHOT_STORAGE_FAILED',
]);

/**
 * Opens the terminal's snapshot: loads the file at `path` if there is a
 * usable one (signed by a federation signer or by `localSigner`), else starts
 * without a snapshot and reports why in `health()`. See the module comment
 * for the life cycle and the trust decisions.
 *
 * @throws UrbisError `INVALID_ARGUMENT` (no path; a configured key that is
 *   not a P-256 public key; `localSigner`'s `kid` naming another federation
 *   key). Never for a missing or bad snapshot file.
 *
 * @example
 * ```ts
 * const network = await connectChain({ rpcUrl: 'http://127.0.0.1:8545', chainId: 7777 });
 * const snapshot = await openTerminalSnapshot({
 *   path: '/var/lib/urbis/terminal.snapshot',
 *   trustedSigners: new Map([['federation-snapshots', federationSnapshotKey]]),
 *   localSigner: await openLocalSnapshotKey({ path: '/var/lib/urbis/terminal-snapshot-key.json' }),
 *   network,
 * });
 * const verify = createPresentationVerifier({ crypto, status: snapshot.ports.status, trust: snapshot.ports.trust, replayCache });
 * setInterval(() => void snapshot.sync({ confirmations: 0 }), 60_000);
 * snapshot.health(); // { loaded: true, ageSeconds: 12, block: 1234, lists: 10, entries: 10_000_000, lastSync: { at, ok: true, … }, … }
 * ```
 */
export async function openTerminalSnapshot(options: TerminalSnapshotOptions): Promise<TerminalSnapshot> {
  const { path, trustedSigners, localSigner, limits } = options;
  if (typeof path !== 'string' || path.length === 0) throw new UrbisError('INVALID_ARGUMENT', 'the terminal snapshot needs a file path');
  const clock = options.clock ?? (() => Math.floor(Date.now() / 1000));
  const { hash, verifySignature } = options.crypto ?? createNodeCrypto();
  const compression = options.compression ?? createNodeCompression();
  const saveCompression = localSaveCompression();
  const maxBytes = limits?.maxSnapshotBytes ?? DEFAULT_SNAPSHOT_LIMITS.maxSnapshotBytes;
  const local = localSigner === undefined ? undefined : { signingKey: localSigner, kid: await snapshotSignerKid({ signingKey: localSigner, hash }) };
  const ownFileSigners = local === undefined ? trustedSigners : withLocalSigner(trustedSigners, local.kid, local.signingKey.publicJwk);

  const state: SnapshotHealthState = {};
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };
  const signedByOf = (loaded: LoadedSnapshot): SnapshotSignedBy =>
    local !== undefined && sameKey(loaded.signer.publicJwk, local.signingKey.publicJwk) ? 'terminal' : 'federation';
  const verify = (bytes: Uint8Array, signers: TrustedSnapshotSigners, now: number): Promise<LoadedSnapshot> =>
    verifyAndLoadSnapshot({ bytes, trustedSigners: signers, now, hash, verifySignature, compression, ...(limits === undefined ? {} : { limits }) });
  const persist = async (bytes: Uint8Array): Promise<boolean> => {
    try {
      await writeLocalFile({ path, bytes });
      delete state.persistProblem;
      return true;
    } catch (error) {
      if (!isUrbisError(error)) throw error;
      state.persistProblem = error.code;
      return false;
    }
  };

  // Start: the terminal's own file, signed by the federation or by this terminal.
  const startedAt = clock();
  try {
    const loaded = await verify(await readLocalFile({ path, maxBytes }), ownFileSigners, startedAt);
    state.held = { view: loaded, signedBy: signedByOf(loaded) };
    state.lastLoad = { at: startedAt, ok: true, from: 'startup' };
  } catch (error) {
    if (!isUrbisError(error) || !UNUSABLE.has(error.code)) throw error;
    state.lastLoad = { at: startedAt, ok: false, code: error.code, from: 'startup' };
  }

  const adopt = (read: () => Promise<Uint8Array>, from: SnapshotLoadOrigin, allowOlder: boolean): Promise<SnapshotView> =>
    serialized(async () => {
      const now = clock();
      try {
        const bytes = await read();
        const loaded = await verify(bytes, trustedSigners, now);
        const held = state.held?.view;
        if (!allowOlder && held !== undefined && isOlder(loaded, held)) {
          throw new UrbisError('SNAPSHOT_STALE', `the snapshot is older than the one the terminal holds (block ${loaded.syncPoint.blockNumber} < ${held.syncPoint.blockNumber})`);
        }
        state.held = { view: loaded, signedBy: signedByOf(loaded) };
        state.lastLoad = { at: now, ok: true, from };
        await persist(bytes);
        return loaded;
      } catch (error) {
        if (isUrbisError(error)) state.lastLoad = { at: now, ok: false, code: error.code, from };
        throw error;
      }
    });

  const sync = (args: TerminalSyncOptions = {}): Promise<TerminalSyncResult> =>
    serialized(async () => {
      const network = args.network ?? options.network;
      if (network === undefined) throw new UrbisError('INVALID_ARGUMENT', 'sync needs a network adapter (a chain connection)');
      if (local === undefined) throw new UrbisError('INVALID_ARGUMENT', 'sync needs the terminal snapshot key (localSigner) to save what it synced');
      const now = clock();
      const failed = (error: UrbisError): TerminalSyncResult => {
        state.lastSync = { at: now, ok: false, code: error.code };
        return { ok: false, code: error.code, error };
      };
      const held = state.held?.view;
      if (held === undefined) return failed(new UrbisError('SNAPSHOT_MISSING', 'the terminal holds no snapshot to sync from: load one first'));
      const { content } = held;
      const outcome = await syncSnapshot({
        snapshot: content,
        chain: network,
        statusClient: new StatusRegistryClient({ address: content.statusRegistry, provider: network.provider }),
        trustClient: new TrustedIssuerRegistryClient({ address: content.trustedIssuerRegistry, provider: network.provider }),
        issuerKeys: args.issuerKeys,
        confirmations: args.confirmations,
        reorgDepth: args.reorgDepth,
        pageSize: args.pageSize,
        toBlock: args.toBlock,
        now,
        hash,
      });
      if (!outcome.ok) return failed(outcome.error);
      let bytes: Uint8Array;
      try {
        bytes = await encodeSnapshot({ content: outcome.snapshot, signingKey: local.signingKey, iat: now, hash, compression: saveCompression });
      } catch (error) {
        if (!isUrbisError(error)) throw error;
        return failed(error);
      }
      const view = createSnapshotView(outcome.snapshot);
      state.held = { view, signedBy: 'terminal' };
      state.lastSync = { at: now, ok: true, block: view.syncPoint.blockNumber, events: outcome.stats.events, changes: outcome.stats.changes };
      const persisted = await persist(bytes);
      return { ok: true, view, stats: outcome.stats, persisted };
    });

  return {
    current: () => state.held?.view,
    ports: liveSnapshotPorts(() => state.held?.view),
    health: (now = clock()) => snapshotHealth({ state, now }),
    load: ({ bytes, allowOlder = false }) => adopt(async () => bytes, 'bytes', allowOlder),
    replaceFrom: ({ path: from, allowOlder = false }) => adopt(() => readLocalFile({ path: from, maxBytes }), 'file', allowOlder),
    sync,
  };
}

/** `next` is of the same chain and registries as `held`, at a lower block: loading it would roll statuses back. */
function isOlder(next: SnapshotView, held: SnapshotView): boolean {
  const a = next.content;
  const b = held.content;
  return (
    a.chainId === b.chainId &&
    a.statusRegistry.toLowerCase() === b.statusRegistry.toLowerCase() &&
    a.trustedIssuerRegistry.toLowerCase() === b.trustedIssuerRegistry.toLowerCase() &&
    a.sync.blockNumber < b.sync.blockNumber
  );
}

function sameKey(a: PublicJwk, b: PublicJwk): boolean {
  return a.crv === b.crv && a.x === b.x && a.y === b.y;
}

/**
 * The federation signers plus the terminal's own key under its `kid`.
 * @throws UrbisError `INVALID_ARGUMENT` when the `kid` names a different federation key.
 */
function withLocalSigner(trustedSigners: TrustedSnapshotSigners, kid: string, publicJwk: PublicJwk): TrustedSnapshotSigners {
  const conflict = (existing: PublicJwk | undefined): void => {
    if (existing !== undefined && !sameKey(existing, publicJwk)) throw new UrbisError('INVALID_ARGUMENT', 'the terminal snapshot key has the kid of a federation signer');
  };
  const own: PublicJwk = { kty: 'EC', crv: 'P-256', x: publicJwk.x, y: publicJwk.y, kid };
  if (trustedSigners instanceof Map) {
    conflict(trustedSigners.get(kid));
    return new Map([...trustedSigners, [kid, own]]);
  }
  const list = trustedSigners as ReadonlyArray<PublicJwk>;
  conflict(list.find((jwk) => jwk.kid === kid));
  return [...list, own];
}
