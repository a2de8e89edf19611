import type { StatusSource } from '../../status/status-source.js';
import type { PresentationPolicy } from '../presentation-context.js';

/**
 * Refuses (or, configured to `warn`, flags) a verification made on a status
 * snapshot older than the policy allows: offline terminals fail closed by
 * default (DESIGN §4).
 */
export function snapshotAgePolicy({ source }: { source: StatusSource }): PresentationPolicy {
  return (context) => {
    const maxAge = context.limits.snapshotMaxAgeSeconds;
    if (maxAge === undefined || context.now - source.syncedAt <= maxAge) return [];
    const failure = { check: 'snapshot', code: 'SNAPSHOT_STALE', detail: `the status snapshot is older than ${maxAge} s` } as const;
    if (context.limits.staleSnapshot === 'warn') {
      context.warnings.push(failure);
      return [];
    }
    return [failure];
  };
}
