import { UrbisError } from '../../core/errors/urbis-error.js';
import type { StatusRef, StatusSource } from '../../core/status/status-source.js';
import type { TrustedIssuerLookup } from '../../core/trust/trusted-issuer.js';
import type { SnapshotView } from '../../registry/snapshot/load-snapshot.js';

/** The core ports a presentation verifier is built with, answered from the terminal's snapshot. */
export interface SnapshotPorts {
  /** `syncedAt` and `statusOf` read the snapshot held at the time of the call. */
  status: StatusSource;
  trust: TrustedIssuerLookup;
}

/**
 * Ports that always answer from the snapshot held NOW, so a verifier built
 * once keeps working across `load()` and `sync()`, and fails closed while the
 * terminal holds no snapshot:
 *
 * - `status.statusOf` throws `STATUS_UNKNOWN` (the verifier's status check
 *   fails with that code);
 * - `trust` knows no issuer (`ISSUER_UNTRUSTED`);
 * - `status.syncedAt` is 0, so a policy with a maximum snapshot age reports
 *   `SNAPSHOT_STALE` (an absent snapshot is infinitely old).
 *
 * One verification may straddle a snapshot replacement (the ports are read
 * at different steps); both snapshots were trusted, so the result is one
 * either would give for the entries involved, or stricter.
 *
 * @example
 * ```ts
 * const { status, trust } = liveSnapshotPorts(() => terminalSnapshot.current());
 * const verify = createPresentationVerifier({ crypto, status, trust, replayCache, limits: { snapshotMaxAgeSeconds: 86_400 } });
 * ```
 */
export function liveSnapshotPorts(current: () => SnapshotView | undefined): SnapshotPorts {
  const status: StatusSource = {
    get syncedAt(): number {
      return current()?.status.syncedAt ?? 0;
    },
    statusOf(ref: StatusRef) {
      const view = current();
      if (view === undefined) throw new UrbisError('STATUS_UNKNOWN', 'the terminal holds no snapshot');
      return view.status.statusOf(ref);
    },
  };
  return { status, trust: (issuerId) => current()?.trustedIssuers(issuerId) };
}
