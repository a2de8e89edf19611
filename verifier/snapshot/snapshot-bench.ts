import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import type { PublicJwk } from '../../core/crypto/ports.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { calculateJwkThumbprint } from '../../core/keys/jwk-thumbprint.js';
import { byteLengthFor } from '../../core/status/bit-packing.js';
import { StatusList } from '../../core/status/status-list.js';
import type { SnapshotContent, SnapshotIssuer, SnapshotList } from '../../registry/snapshot/snapshot-content.js';
import { encodeSnapshot } from '../../registry/snapshot/snapshot-codec.js';
import { localSaveCompression } from './local-save-compression.js';
import { openTerminalSnapshot } from './terminal-snapshot.js';

/**
 * Snapshot memory and load time at a terminal (issue #6 benchmark: "snapshot
 * memory and load time with 10 million status entries", goal < 10 MB and
 * < 50 ms).
 *
 * The snapshot is built in-process (no chain): `entries` 2-bit entries in
 * lists of `listSize` (the last list takes the remainder), `markedShare` of
 * each list's entries, distinct and at random (deterministic PRNG), revoked
 * or suspended (3 to 1), and `issuers` trusted issuers with two keys each;
 * signed by a federation key (`encodeSnapshot`) and written to a temporary
 * file.
 *
 * - `loadMs`: what a terminal does at start, `openTerminalSnapshot` on that
 *   file: read it, check framing, SHA-256 of the body and the ES256
 *   signature, parse the header, inflate every list, build the readers and
 *   the issuer lookup. Median of `runs` after two warm-ups.
 * - `heapBytes`: memory the held snapshot keeps, after a full GC: the growth
 *   of V8 heap used plus ArrayBuffer memory (the lists' bytes live outside
 *   the V8 heap) between before the open and after it, with the snapshot
 *   still referenced. `gcForced` says whether a GC could be forced
 *   (`--expose-gc` is switched on at run time); without it the figure is
 *   noisy.
 * - `encodeMs`: deflate (level 9) and sign the whole snapshot, as a
 *   federation builder does; `saveEncodeMs`: the same at level 1
 *   (`localSaveCompression`), which every successful `sync()` pays before
 *   saving, on the terminal's event loop.
 *
 * Writes only a temporary directory, removed afterwards.
 *
 * @throws UrbisError `INVALID_ARGUMENT` for sizes that are not positive
 *   integers, or lists above the 10 MiB verifiers accept.
 *
 * @example
 * ```ts
 * const { loadMs, heapBytes, fileBytes } = await measureSnapshot({ entries: 10_000_000 });
 * ```
 */
export async function measureSnapshot({
  entries = 10_000_000,
  listSize = 2 ** 20,
  markedShare = 0.01,
  issuers = 20,
  runs = 9,
  seed = 0x5eed_0006,
}: {
  entries?: number;
  listSize?: number;
  markedShare?: number;
  issuers?: number;
  runs?: number;
  seed?: number;
} = {}): Promise<SnapshotMeasurement> {
  for (const [name, value] of [
    ['entries', entries],
    ['listSize', listSize],
    ['runs', runs],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1) throw new UrbisError('INVALID_ARGUMENT', `${name} must be a positive integer`);
  }
  if (byteLengthFor(listSize, 2) > 10 * 1024 * 1024) throw new UrbisError('INVALID_ARGUMENT', 'lists above 10 MiB are refused by verifiers');
  if (!(markedShare >= 0 && markedShare <= 1)) throw new UrbisError('INVALID_ARGUMENT', 'markedShare is a share in [0, 1]');

  const directory = await mkdtemp(join(tmpdir(), 'urbis-snapshot-bench-'));
  try {
    const built = await writeBenchSnapshot({ directory, entries, listSize, markedShare, issuers, seed });
    const gc = forcedGc();
    const collect = (): void => {
      gc?.();
      gc?.();
    };
    const open = () => openTerminalSnapshot({ path: built.path, trustedSigners: built.trustedSigners, clock: () => SYNCED_AT + 10 });

    const times: number[] = [];
    for (let run = 0; run < runs + 2; run++) {
      collect();
      const started = performance.now();
      const snapshot = await open();
      const elapsed = performance.now() - started;
      if (snapshot.current() === undefined) throw new Error(`the benchmark snapshot did not load: ${snapshot.health().loadProblem ?? 'unknown'}`);
      if (run >= 2) times.push(elapsed);
    }
    times.sort((a, b) => a - b);

    collect();
    const before = process.memoryUsage();
    const held = await open();
    collect();
    const after = process.memoryUsage();
    const jsHeapBytes = after.heapUsed - before.heapUsed;
    const arrayBufferBytes = after.arrayBuffers - before.arrayBuffers;
    const health = held.health();

    return {
      entries: health.entries,
      lists: health.lists,
      listSize,
      markedShare,
      issuers: health.issuers,
      fileBytes: built.fileBytes,
      rawListBytes: built.rawListBytes,
      loadMs: round(times[Math.floor(times.length / 2)]!),
      loadMsMin: round(times[0]!),
      loadMsMax: round(times[times.length - 1]!),
      runs,
      heapBytes: jsHeapBytes + arrayBufferBytes,
      jsHeapBytes,
      arrayBufferBytes,
      gcForced: gc !== undefined,
      encodeMs: round(built.encodeMs),
      saveEncodeMs: round(built.saveEncodeMs),
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** What {@link measureSnapshot} reports. */
export interface SnapshotMeasurement {
  /** Status entries over all lists. */
  entries: number;
  lists: number;
  listSize: number;
  markedShare: number;
  issuers: number;
  /** Bytes of the signed snapshot file. */
  fileBytes: number;
  /** The lists' packed 2-bit bytes (what the held snapshot must keep at least). */
  rawListBytes: number;
  /** Median load (`openTerminalSnapshot` from the file), ms. */
  loadMs: number;
  loadMsMin: number;
  loadMsMax: number;
  runs: number;
  /** Memory retained by the held snapshot: `jsHeapBytes + arrayBufferBytes`. */
  heapBytes: number;
  jsHeapBytes: number;
  arrayBufferBytes: number;
  /** A full GC was forced before each reading. */
  gcForced: boolean;
  /** Deflating (level 9, as a federation builder does) and signing the whole snapshot, once, ms. */
  encodeMs: number;
  /** The same with `localSaveCompression` (level 1), once, ms: what each successful `sync()` pays before saving. */
  saveEncodeMs: number;
}

const SYNCED_AT = 1_790_000_000;

/** Builds, signs and writes the benchmark snapshot; returns only what the measurement needs, so the content can be collected. */
async function writeBenchSnapshot({
  directory,
  entries,
  listSize,
  markedShare,
  issuers,
  seed,
}: {
  directory: string;
  entries: number;
  listSize: number;
  markedShare: number;
  issuers: number;
  seed: number;
}): Promise<{ path: string; trustedSigners: Map<string, PublicJwk>; fileBytes: number; rawListBytes: number; encodeMs: number; saveEncodeMs: number }> {
  const crypto = createNodeCrypto();
  const random = xorshift32(seed);
  const lists: SnapshotList[] = [];
  for (let offset = 0, listId = 0; offset < entries; offset += listSize, listId++) {
    const size = Math.min(listSize, entries - offset);
    const list = StatusList.fromBytes({ bytes: new Uint8Array(byteLengthFor(size, 2)), bits: 2, size });
    const target = Math.round(size * markedShare);
    for (let marked = 0; marked < target; ) {
      const index = random() % size;
      if (list.get(index) !== 0) continue;
      list.set(index, random() % 4 === 0 ? 2 : 1);
      marked++;
    }
    lists.push({ listId, uri: `https://city-${listId % 3}.example/status/${listId}`, sequence: 100, list });
  }
  const trusted: SnapshotIssuer[] = [];
  for (let i = 0; i < issuers; i++) {
    const did = `did:web:city-${i}.example`;
    const keys = await Promise.all(
      [0, 1].map(async (k) => {
        const publicJwk = crypto.generateKeyPair().publicJwk;
        return { kid: `${did}#key-${k}`, thumbprint: await calculateJwkThumbprint({ publicJwk, hash: crypto.hash }), publicJwk };
      }),
    );
    trusted.push({ did, keyThumbprints: keys.map((k) => k.thumbprint), keys, credentialTypes: ['ResidentCredential', 'ServiceEntitlementCredential'], validFrom: 1_700_000_000, validUntil: 2_100_000_000, suspended: false });
  }
  const content: SnapshotContent = {
    chainId: 7777,
    statusRegistry: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    trustedIssuerRegistry: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
    sync: { blockNumber: 123_456, blockHash: `0x${'5a'.repeat(32)}`, blockTime: SYNCED_AT - 5, syncedAt: SYNCED_AT },
    issuers: trusted,
    lists,
    journal: [],
  };
  const signer = crypto.generateKeyPair();
  const signingKey = crypto.signingKeyFromJwk({ privateJwk: signer.privateJwk, kid: 'federation-snapshots' });
  const started = performance.now();
  const bytes = await encodeSnapshot({ content, signingKey, iat: SYNCED_AT });
  const encodeMs = performance.now() - started;
  const saveStarted = performance.now();
  await encodeSnapshot({ content, signingKey, iat: SYNCED_AT, compression: localSaveCompression() });
  const saveEncodeMs = performance.now() - saveStarted;
  const path = join(directory, 'terminal.snapshot');
  await writeFile(path, bytes);
  return {
    path,
    trustedSigners: new Map([['federation-snapshots', signer.publicJwk]]),
    fileBytes: bytes.length,
    rawListBytes: lists.reduce((n, l) => n + l.list.byteLength, 0),
    encodeMs,
    saveEncodeMs,
  };
}

/** A function forcing a full GC, or `undefined` when the runtime refuses. */
function forcedGc(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

/** xorshift32 (13, 17, 5): deterministic data, so sizes are the same on every run. */
function xorshift32(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
