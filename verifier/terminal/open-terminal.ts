import { mkdir } from 'node:fs/promises';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import type { SnapshotChain } from '../../registry/snapshot/chain-state.js';
import type { TerminalConfig } from '../config/terminal-config.js';
import { createOutcomeCounters, type OutcomeCounters } from '../counters/outcome-counters.js';
import { openFileReplayCache, type FileReplayCache } from '../replay/file-replay-cache.js';
import { createRequestIssuer } from '../requests/request-issuer.js';
import { openLocalSnapshotKey } from '../snapshot/local-snapshot-key.js';
import { openTerminalSnapshot, type TerminalSnapshot } from '../snapshot/terminal-snapshot.js';
import { acquireTerminalLock } from './terminal-lock.js';
import { createTerminal, type Terminal } from './terminal.js';

/** A terminal opened from its data folder, and the parts a caller may need beside it. */
export interface OpenedTerminal {
  terminal: Terminal;
  /** Its snapshot: `sync`, `load`, `replaceFrom`, `health`. */
  snapshot: TerminalSnapshot;
  replayCache: FileReplayCache;
  counters: OutcomeCounters;
  config: TerminalConfig;
  /** Flushes the counts, closes the replay journal and releases the folder (idempotent); the terminal must not be used afterwards. */
  close(): Promise<void>;
}

/**
 * Opens a terminal from its data folder (created, mode 0700, if missing),
 * taking its lock (one process per folder, see `acquireTerminalLock`):
 * the snapshot file with the federation's signers and the terminal's own
 * snapshot key (generated on first start), the replay journal, the counts
 * file, a request issuer, node:crypto, and the policies of `config`.
 *
 * Offline by construction: nothing here touches the network. `network`
 * is only handed to the snapshot for `snapshot.sync()` (a caller may also
 * pass one to each `sync({ network })`). A missing or unusable snapshot
 * file does not stop the terminal: it opens without a snapshot, says why in
 * `health().snapshot.loadProblem`, and refuses every presentation until a
 * snapshot is loaded.
 *
 * @throws UrbisError `STATE_CONFLICT` (another running process, or an
 *   unclosed terminal of this one, uses the folder), `CONFIG_INVALID` (a scanner service without a policy,
 *   a bad terminal id), `KEY_INVALID` (the snapshot key file is not a
 *   P-256 private JWK), `SNAPSHOT_STORAGE_FAILED` (the key could not be read
 *   or written). A damaged replay journal or counts file does not throw:
 *   it is moved aside and reported (`replayCache.load`, `counters.load`).
 *   File-system errors of the data folder pass through as Node errors.
 *
 * @example
 * ```ts
 * const { terminal, snapshot, close } = await openTerminal({ config: loadTerminalConfig() });
 * try {
 *   const verdict = await terminal.verify({ presentation: scannedBytes });
 * } finally {
 *   await close();
 * }
 * ```
 */
export async function openTerminal({ config, network, clock }: { config: TerminalConfig; network?: SnapshotChain; clock?: () => number }): Promise<OpenedTerminal> {
  const now = clock ?? (() => Math.floor(Date.now() / 1000));
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const lock = await acquireTerminalLock({ path: config.files.lock });
  let replayCache: FileReplayCache | undefined;
  let counters: OutcomeCounters | undefined;
  try {
    const localSigner = await openLocalSnapshotKey({ path: config.files.snapshotKey });
    const snapshot = await openTerminalSnapshot({
      path: config.files.snapshot,
      trustedSigners: config.snapshotSigners,
      localSigner,
      clock: now,
      ...(network === undefined ? {} : { network }),
    });
    replayCache = await openFileReplayCache({ path: config.files.replayJournal, now });
    counters = await createOutcomeCounters({ path: config.files.counts, services: [...config.policies.keys()], now });
    const terminal = createTerminal({
      terminalId: config.terminalId,
      policies: config.policies,
      snapshot,
      replayCache,
      requests: createRequestIssuer({ terminalId: config.terminalId, now }),
      counters,
      crypto: createNodeCrypto(),
      now,
      ...(config.scannerServiceId === undefined ? {} : { scannerServiceId: config.scannerServiceId }),
    });
    let closing: Promise<void> | undefined;
    const opened = { counters, replayCache };
    return {
      terminal,
      snapshot,
      replayCache,
      counters,
      config,
      close: () => {
        closing ??= (async () => {
          try {
            await opened.counters.close();
          } finally {
            try {
              await opened.replayCache.close();
            } finally {
              await lock.release();
            }
          }
        })();
        return closing;
      },
    };
  } catch (error) {
    await counters?.close().catch(() => undefined);
    await replayCache?.close().catch(() => undefined);
    await lock.release();
    throw error;
  }
}
