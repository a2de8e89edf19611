import { randomUUID } from 'node:crypto';
import { SERVICE_TIERS, type ServiceTier } from '../../core/credentials/credential-types.js';
import { UrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';

/** The events the issuer sends to departments' systems. */
export const WEBHOOK_EVENT_TYPES = ['entitlement.granted', 'entitlement.changed', 'entitlement.suspended', 'entitlement.revoked'] as const;

/** One of {@link WEBHOOK_EVENT_TYPES}. */
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The state of a citizen's service entitlement after the event. */
export const ENTITLEMENT_STATES = ['active', 'suspended', 'revoked'] as const;

/** One of {@link ENTITLEMENT_STATES}. */
export type EntitlementState = (typeof ENTITLEMENT_STATES)[number];

/**
 * The states each event type may carry: granted ⇒ active, suspended ⇒
 * suspended, revoked ⇒ revoked (final); changed (new tier, or reinstated
 * after a suspension) ⇒ active or suspended.
 */
export const EVENT_STATES: Readonly<Record<WebhookEventType, readonly EntitlementState[]>> = Object.freeze({
  'entitlement.granted': ['active'],
  'entitlement.changed': ['active', 'suspended'],
  'entitlement.suspended': ['suspended'],
  'entitlement.revoked': ['revoked'],
});

/**
 * What an event says about an entitlement. The per-service pseudonym is the
 * **only** reference to the citizen a department ever gets: no name,
 * birthdate, address, email, card number or internal id. (Parsing refuses
 * any other property, so nothing can be added by mistake.)
 */
export interface WebhookEventData {
  /** Service slug, `^[a-z0-9][a-z0-9-]{0,62}$`: `pools`, `library`, `transport`, ... */
  service_id: string;
  /** The citizen's pseudonym for this service (43-character base64url, see `derivePseudonym`), as in the entitlement credential. */
  pseudonym: string;
  /** The entitlement's tier, when it has one. */
  tier?: ServiceTier;
  state: EntitlementState;
}

/** The JSON body of a webhook request. */
export interface WebhookEvent {
  /** Random UUID of the event, the same in every delivery and retry of it: receivers deduplicate on it. */
  id: string;
  type: WebhookEventType;
  /** When the change happened, ISO 8601 UTC (`2026-01-01T00:00:00.000Z`). */
  created_at: string;
  data: WebhookEventData;
}

const SERVICE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const PSEUDONYM = /^[A-Za-z0-9_-]{43}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Largest body {@link parseWebhookEvent} reads; a real event is about 250 bytes. */
const MAX_EVENT_BYTES = 4_096;

const EVENT_KEYS = new Set(['id', 'type', 'created_at', 'data']);
const DATA_KEYS = new Set(['service_id', 'pseudonym', 'tier', 'state']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function includes<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}

/** The problem with `value` as event data, or `undefined`. Names the property only, never its value. */
function dataProblem(data: unknown, type: WebhookEventType): string | undefined {
  if (!isRecord(data)) return 'data is not an object';
  for (const key of Object.keys(data)) if (!DATA_KEYS.has(key)) return `data has an unexpected property "${key.slice(0, 40)}"`;
  if (typeof data['service_id'] !== 'string' || !SERVICE_ID.test(data['service_id'])) return 'data.service_id is not a service slug';
  if (typeof data['pseudonym'] !== 'string' || !PSEUDONYM.test(data['pseudonym'])) return 'data.pseudonym is not a 43-character base64url pseudonym';
  if (data['tier'] !== undefined && !includes(SERVICE_TIERS, data['tier'])) return 'data.tier is not a known tier';
  if (!includes(ENTITLEMENT_STATES, data['state'])) return 'data.state is not an entitlement state';
  if (!EVENT_STATES[type].includes(data['state'])) return `data.state does not go with ${type}`;
  return undefined;
}

/** The problem with `value` as an event, or `undefined`. */
function eventProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'the event is not an object';
  for (const key of Object.keys(value)) if (!EVENT_KEYS.has(key)) return `the event has an unexpected property "${key.slice(0, 40)}"`;
  if (typeof value['id'] !== 'string' || !UUID.test(value['id'])) return 'id is not a lowercase UUID';
  if (!includes(WEBHOOK_EVENT_TYPES, value['type'])) return 'type is not a webhook event type';
  const createdAt = value['created_at'];
  if (typeof createdAt !== 'string' || !ISO_UTC.test(createdAt) || Number.isNaN(Date.parse(createdAt))) return 'created_at is not an ISO 8601 UTC time';
  return dataProblem(value['data'], value['type']);
}

/**
 * Checks that `value` is a well-formed {@link WebhookEvent} with no property
 * beyond the documented ones.
 * @throws UrbisError with `code` (the caller's choice) when it is not.
 */
export function assertWebhookEvent(value: unknown, code: UrbisErrorCode = 'INVALID_ARGUMENT'): asserts value is WebhookEvent {
  const problem = eventProblem(value);
  if (problem !== undefined) throw new UrbisError(code, `invalid webhook event: ${problem}`);
}

/**
 * Builds an event for a change of a citizen's entitlement to a service,
 * with a fresh random id and the current time.
 *
 * @param type - What happened.
 * @param data - The service, the citizen's **per-service pseudonym**, the tier (optional) and the state after the change.
 * @param now - Clock, epoch ms. Default `Date.now`.
 * @throws UrbisError `INVALID_ARGUMENT` — unknown type or state, a state that
 *   does not go with the type, a malformed service id or pseudonym, an unknown
 *   tier, or any extra property in `data`.
 *
 * @example
 * ```ts
 * const event = createWebhookEvent({
 *   type: 'entitlement.suspended',
 *   data: { service_id: 'pools', pseudonym, tier: 'youth', state: 'suspended' },
 * });
 * await webhooks.enqueue({ event });
 * ```
 */
export function createWebhookEvent({ type, data, now = Date.now }: { type: WebhookEventType; data: WebhookEventData; now?: () => number }): WebhookEvent {
  const at = now();
  if (!Number.isFinite(at) || Math.abs(at) > 8.64e15) throw new UrbisError('INVALID_ARGUMENT', 'now() is epoch milliseconds');
  const candidate: unknown = { id: randomUUID(), type, created_at: new Date(at).toISOString(), data: isRecord(data) ? { ...data } : data };
  assertWebhookEvent(candidate, 'INVALID_ARGUMENT');
  const { service_id, pseudonym, tier, state } = candidate.data;
  // A fresh object in a fixed key order, without a `tier: undefined`.
  return { ...candidate, data: { service_id, pseudonym, ...(tier === undefined ? {} : { tier }), state } };
}

/**
 * Parses and checks a webhook request body — on the department's side,
 * **after** `verifyWebhookSignature` has accepted it.
 *
 * @param body - The raw request body.
 * @throws UrbisError `BODY_INVALID` — more than 4 KiB, not UTF-8 JSON, or not a well-formed event.
 */
export function parseWebhookEvent({ body }: { body: string | Uint8Array }): WebhookEvent {
  let text: string;
  if (typeof body === 'string') {
    text = body;
  } else if (body instanceof Uint8Array) {
    if (body.byteLength > MAX_EVENT_BYTES) throw new UrbisError('BODY_INVALID', 'the webhook body is too large');
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch (cause) {
      throw new UrbisError('BODY_INVALID', 'the webhook body is not UTF-8', { cause });
    }
  } else {
    throw new UrbisError('BODY_INVALID', 'the webhook body is a string or bytes');
  }
  if (Buffer.byteLength(text, 'utf8') > MAX_EVENT_BYTES) throw new UrbisError('BODY_INVALID', 'the webhook body is too large');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new UrbisError('BODY_INVALID', 'the webhook body is not JSON', { cause });
  }
  assertWebhookEvent(value, 'BODY_INVALID');
  return value;
}
