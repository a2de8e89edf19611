import type { ReplayCache } from '../../trust/replay-cache.js';
import type { PresentationPolicy } from '../presentation-context.js';

/**
 * Refuses a presentation already accepted (same KB-JWT). Only checks here;
 * {@link verifyPresentation} remembers a presentation once it is accepted,
 * so a rejected one (say, for a stale snapshot) can be retried.
 */
export function replayPolicy({ cache }: { cache: ReplayCache }): PresentationPolicy {
  return async (context) => {
    if (context.replayKey === undefined) return [];
    return (await cache.has(context.replayKey, context.now))
      ? [{ check: 'replay', code: 'KB_REPLAYED', detail: 'this presentation was already used' }]
      : [];
  };
}
