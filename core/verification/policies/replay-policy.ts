import type { ReplayCache } from '../../trust/replay-cache.js';
import type { PresentationPolicy } from '../presentation-context.js';
import { settle } from '../settle.js';
import type { VerificationFailure } from '../verification-result.js';

/**
 * Refuses a presentation already accepted (same KB-JWT). Only checks here;
 * {@link verifyPresentation} remembers a presentation once it is accepted,
 * so a rejected one (say, for a stale snapshot) can be retried.
 */
export function replayPolicy({ cache }: { cache: ReplayCache }): PresentationPolicy {
  return (context) => {
    if (context.replayKey === undefined) return [];
    return settle(cache.has(context.replayKey, context.now), (seen): VerificationFailure[] =>
      seen ? [{ check: 'replay', code: 'KB_REPLAYED', detail: 'this presentation was already used' }] : [],
    );
  };
}
