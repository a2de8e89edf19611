export {
  createOutcomeCounters,
  MAX_COUNTERS_FILE_BYTES,
  type OutcomeCounters,
  type OutcomeCountersLoad,
  type VerificationOutcome,
} from './outcome-counters.js';
export {
  MAX_COUNTED_SERVICES,
  OUTCOME_COUNTS_FORMAT,
  OUTCOME_COUNTS_VERSION,
  parseOutcomeCounts,
  type OutcomeCountsSnapshot,
  type ServiceOutcomeCounts,
} from './outcome-counts.js';
export { isServiceId, SERVICE_ID_PATTERN } from './service-id.js';
