import type { StatusChangeInput } from '../../../registry/publisher/status-change.js';
import type { StatusOutboxPort } from '../credential-status.js';

/** A status outbox for tests that records what it is given, in order. */
export function createRecordingOutbox(): StatusOutboxPort & { recorded: StatusChangeInput[] } {
  const recorded: StatusChangeInput[] = [];
  return {
    recorded,
    enqueueMany(changes) {
      recorded.push(...changes);
      return changes.map((_, i) => i);
    },
  };
}
