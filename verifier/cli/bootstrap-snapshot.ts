import { mkdir } from 'node:fs/promises';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { StatusRegistryClient } from '../../registry/chain/status-registry-client.js';
import { TrustedIssuerRegistryClient } from '../../registry/chain/trusted-issuer-registry-client.js';
import { buildSnapshot } from '../../registry/snapshot/build-snapshot.js';
import type { SnapshotChain } from '../../registry/snapshot/chain-state.js';
import type { SnapshotListSpec } from '../../registry/snapshot/snapshot-content.js';
import type { TerminalConfig } from '../config/terminal-config.js';
import { openLocalSnapshotKey } from '../snapshot/local-snapshot-key.js';
import { writeLocalFile } from '../snapshot/local-file.js';
import { openTerminalSnapshot } from '../snapshot/terminal-snapshot.js';
import { acquireTerminalLock } from '../terminal/terminal-lock.js';

/** What a bootstrap built. */
export interface BootstrappedSnapshot {
  /** The chain block the snapshot reflects. */
  block: number;
  issuers: number;
  lists: number;
}

/**
 * A terminal's FIRST snapshot, built by the terminal itself from chain
 * state (`urbis terminal sync --bootstrap`), for a terminal that has no
 * federation-signed snapshot to start from (the demo, a new city).
 *
 * Trust: the terminal trusts its chain RPC endpoint for this one read (as
 * it does for every delta sync afterwards): every list in `lists`, every
 * issuer of the federation registry with the keys of
 * `config.issuerKeys` whose RFC 7638 thumbprint the registry lists (a key
 * file cannot add a key the federation did not accredit), at the head
 * block minus `confirmations`. The result is signed with the terminal's
 * own snapshot key, so it loads on this terminal only, exactly like the
 * file a delta sync leaves (see `terminal-snapshot.ts`). A terminal that
 * must not trust its RPC endpoint is provisioned with a federation-signed
 * snapshot instead (`urbis terminal load`).
 *
 * Refused when the terminal already holds a usable snapshot (sync it
 * instead): a bootstrap never replaces a snapshot, so it can never roll
 * statuses back.
 *
 * @throws UrbisError `STATE_CONFLICT` (a snapshot is held already, or
 *   another process uses the data folder), `CONTRACT_NOT_DEPLOYED`,
 *   `CHAIN_UNREACHABLE`, `STATUS_LIST_UNKNOWN`, `STATUS_LIST_TOO_LARGE`,
 *   `INVALID_ARGUMENT` (a list named twice), `CHAIN_REORG_TOO_DEEP`,
 *   `SNAPSHOT_STORAGE_FAILED`.
 *
 * @example
 * ```ts
 * const chain = await connectChain({ rpcUrl: 'http://127.0.0.1:8545', chainId: 7777 });
 * await bootstrapTerminalSnapshot({
 *   config, network: chain, registries: readDeploymentsFile('.urbis/deployments/7777.json'),
 *   lists: [{ listId: 0, uri: 'http://127.0.0.1:4000/status/0' }],
 * });
 * ```
 */
export async function bootstrapTerminalSnapshot({
  config,
  network,
  registries,
  lists,
  confirmations = 0,
  clock = () => Math.floor(Date.now() / 1000),
}: {
  config: TerminalConfig;
  network: SnapshotChain;
  registries: { statusRegistry: string; trustedIssuerRegistry: string };
  lists: readonly SnapshotListSpec[];
  confirmations?: number;
  clock?: () => number;
}): Promise<BootstrappedSnapshot> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const lock = await acquireTerminalLock({ path: config.files.lock });
  try {
    const localSigner = await openLocalSnapshotKey({ path: config.files.snapshotKey });
    const held = await openTerminalSnapshot({ path: config.files.snapshot, trustedSigners: config.snapshotSigners, localSigner, clock });
    if (held.current() !== undefined) throw new UrbisError('STATE_CONFLICT', 'the terminal holds a snapshot already: sync it (urbis terminal sync) instead');
    const { content, bytes } = await buildSnapshot({
      chain: network,
      statusClient: new StatusRegistryClient({ address: registries.statusRegistry, provider: network.provider }),
      trustClient: new TrustedIssuerRegistryClient({ address: registries.trustedIssuerRegistry, provider: network.provider }),
      lists,
      signingKey: localSigner,
      confirmations,
      now: clock(),
      hash: createNodeCrypto().hash,
      ...(config.issuerKeys === undefined ? {} : { issuerKeys: config.issuerKeys }),
    });
    await writeLocalFile({ path: config.files.snapshot, bytes });
    return { block: content.sync.blockNumber, issuers: content.issuers.length, lists: content.lists.length };
  } finally {
    await lock.release();
  }
}
