/**
 * Signed webhooks from the city issuer to departments' systems (pools,
 * library, transport...) when a citizen's service entitlement changes:
 * events carrying only the per-service pseudonym, a durable outbox of
 * deliveries in the issuer database, HMAC-SHA256 signatures (Stripe-style
 * `urbis-signature` header) and retries with exponential backoff.
 * Re-exports only.
 */
export {
  DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  MIN_WEBHOOK_SECRET_LENGTH,
  WEBHOOK_SIGNATURE_HEADER,
  newWebhookSecret,
  signWebhook,
  verifyWebhookSignature,
} from './webhook-signature.js';
export {
  ENTITLEMENT_STATES,
  EVENT_STATES,
  WEBHOOK_EVENT_TYPES,
  assertWebhookEvent,
  createWebhookEvent,
  parseWebhookEvent,
  type EntitlementState,
  type WebhookEvent,
  type WebhookEventData,
  type WebhookEventType,
} from './webhook-event.js';
export { DEFAULT_WEBHOOK_BACKOFF, assertWebhookBackoff, webhookBackoffDelay, type WebhookBackoff } from './webhook-backoff.js';
export {
  createWebhookRepository,
  type DueWebhookDelivery,
  type WebhookDelivery,
  type WebhookRepository,
  type WebhookSubscription,
} from './webhook-repository.js';
export {
  WEBHOOK_EVENT_ID_HEADER,
  WEBHOOK_EVENT_TYPE_HEADER,
  createWebhookDispatcher,
  type WebhookDispatcher,
  type WebhookDispatcherOptions,
  type WebhookLogEntry,
  type WebhookRunSummary,
} from './webhook-dispatcher.js';
