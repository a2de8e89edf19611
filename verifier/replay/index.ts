export {
  DEFAULT_REPLAY_CACHE_CAPACITY,
  openFileReplayCache,
  type FileReplayCache,
  type FileReplayCacheOptions,
  type ReplayCacheStats,
} from './file-replay-cache.js';
export { FINGERPRINT_BYTES, fingerprintReplayKey } from './replay-fingerprint.js';
export {
  REPLAY_JOURNAL_DAMAGED_CODE,
  type ReplayJournalCompaction,
  type ReplayJournalDamageReason,
  type ReplayJournalLoad,
} from './replay-journal.js';
