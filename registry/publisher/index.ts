export { planBatch, type BatchPlan, type PlannableChange, type PlanRejectionCode } from './batch-planner.js';
export { Outbox, type BatchState, type ChainBinding, type ChangeState, type OutboxBatch, type OutboxChange, type OutboxCounts } from './outbox.js';
export { migrateOutbox, OUTBOX_MIGRATIONS, OUTBOX_SCHEMA_VERSION, type OutboxMigration } from './outbox-schema.js';
export { decodeRefusal, EthersPublisherChain, type BatchReceipt, type DecodedRevert, type PublisherChain, type SendOutcome } from './publisher-chain.js';
export { reconcileBatch, sameDeltas, verifyChainBinding, type BatchReconciliation } from './reconcile.js';
export { asUrbisError, backoffDelay, DEFAULT_BACKOFF, FATAL_PUBLISHER_CODES, isFatalPublisherError, type BackoffOptions } from './retry-policy.js';
export { STATUS_CHANGE_REASONS, validateStatusChange, type StatusChangeInput, type StatusChangeReason, type StatusValue } from './status-change.js';
export { StatusPublisher, type PublisherLogEntry, type StatusPublisherOptions } from './status-publisher.js';
