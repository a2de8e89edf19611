import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { DeliveryState, IssuerDatabase, WebhookDeliveriesTable, WebhookSubscriptionsTable } from '../db/database-schema.js';
import { assertWebhookEvent, type WebhookEvent, type WebhookEventType } from './webhook-event.js';
import { MIN_WEBHOOK_SECRET_LENGTH } from './webhook-signature.js';

/** A department's subscription, as the back office sees it. The secret is never read back. */
export interface WebhookSubscription {
  /** Random UUID. */
  id: string;
  /** Where events are POSTed (normalised `http:` or `https:` URL). */
  url: string;
  /** The services whose events it receives, or `['*']` for all. */
  serviceIds: string[];
  active: boolean;
  /** Epoch ms. */
  createdAt: number;
}

/** One event to one subscription, as the back office sees it (no payload: the event id is enough to trace it with the department). */
export interface WebhookDelivery {
  /** Random UUID. */
  id: string;
  subscriptionId: string;
  /** The event's id, sent in `urbis-event-id` and in the body. */
  eventId: string;
  eventType: WebhookEventType;
  state: DeliveryState;
  /** Attempts started so far. */
  attempts: number;
  /** Epoch ms: when a pending delivery is next due (or, while an attempt runs, when its claim lapses). */
  nextAttemptAt: number;
  /** HTTP status of the last attempt; `null` before any, or after a timeout or network error. */
  lastStatus: number | null;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms, once delivered. */
  deliveredAt: number | null;
}

/** A delivery that is due, with what the dispatcher needs to send it. */
export interface DueWebhookDelivery {
  id: string;
  subscriptionId: string;
  url: string;
  secret: string;
  eventType: WebhookEventType;
  /** The exact JSON body, the same at every attempt. */
  payload: string;
  /** Attempts started so far (the value {@link WebhookRepository.claim} expects). */
  attempts: number;
  nextAttemptAt: number;
}

/**
 * The durable store of webhook subscriptions and deliveries (tables
 * `webhook_subscriptions`, `webhook_deliveries`), on SQLite or PostgreSQL.
 *
 * A delivery's life: `enqueue` creates it `pending`, due now; a dispatcher
 * finds it with `due`, takes it with `claim` (which counts the attempt and
 * pushes `next_attempt_at` to the end of a lease, so that another dispatcher
 * does not send it meanwhile and a crash only delays it), sends it, and
 * records the outcome with `markDelivered`, `markRetry` or `markFailed`.
 */
export interface WebhookRepository {
  /**
   * Subscribes a department's endpoint.
   * @param serviceIds - Service slugs (duplicates dropped), or exactly `['*']`.
   * @throws UrbisError `BODY_INVALID` — URL not `http:`/`https:`, longer than
   *   2,048 characters or with credentials; secret not 32–256 printable ASCII
   *   characters; service ids empty, more than 100, not slugs, or `'*'` mixed with others.
   */
  addSubscription(input: { url: string; secret: string; serviceIds: readonly string[] }): Promise<WebhookSubscription>;
  /** Subscriptions, oldest first; only active (or inactive) ones with `active`. */
  listSubscriptions(filter?: { active?: boolean }): Promise<WebhookSubscription[]>;
  /**
   * Deactivates a subscription (idempotent) and fails its pending deliveries
   * in the same transaction: nothing more is sent to it.
   * @returns How many pending deliveries were failed.
   * @throws UrbisError `RESOURCE_NOT_FOUND`.
   */
  deactivateSubscription(input: { id: string }): Promise<{ cancelledDeliveries: number }>;
  /**
   * Creates one pending delivery of `event`, due now, per active subscription
   * whose service ids include the event's `service_id` or `'*'`. On a
   * repository made over a transaction, it joins that transaction (so an
   * entitlement change and its event commit together).
   * @returns The deliveries created (none when nobody subscribes to the service).
   * @throws UrbisError `INVALID_ARGUMENT` when `event` is not a well-formed event.
   */
  enqueue(input: { event: WebhookEvent }): Promise<WebhookDelivery[]>;
  /**
   * Pending deliveries to active subscriptions with `next_attempt_at ≤ now`, earliest first.
   * @param limit - 1 to 1,000.
   */
  due(input: { now: number; limit: number }): Promise<DueWebhookDelivery[]>;
  /**
   * Takes a due delivery for one attempt: if it is still pending with
   * `attempts` attempts, counts one more and sets `next_attempt_at` to
   * `leaseUntil`.
   * @returns `false` if another dispatcher took it first (or it is no longer pending).
   */
  claim(input: { id: string; attempts: number; leaseUntil: number }): Promise<boolean>;
  /**
   * Records the current attempt's success.
   * @throws UrbisError `RESOURCE_NOT_FOUND`; `STATE_CONFLICT` when it is not pending.
   */
  markDelivered(input: { id: string; status: number; deliveredAt: number }): Promise<void>;
  /**
   * Records a transient failure of the current attempt; the delivery stays pending until `nextAttemptAt`.
   * @param status - The HTTP status, `null` for a timeout or network error.
   * @throws UrbisError `RESOURCE_NOT_FOUND`; `STATE_CONFLICT` when it is not pending.
   */
  markRetry(input: { id: string; status: number | null; nextAttemptAt: number }): Promise<void>;
  /**
   * Records a permanent failure (or the last attempt's failure): no more attempts.
   * @throws UrbisError `RESOURCE_NOT_FOUND`; `STATE_CONFLICT` when it is not pending.
   */
  markFailed(input: { id: string; status: number | null }): Promise<void>;
  /**
   * Deliveries for the back office, newest first.
   * @param limit - 1 to 1,000; default 100.
   */
  deliveries(filter?: { state?: DeliveryState; subscriptionId?: string; limit?: number }): Promise<WebhookDelivery[]>;
}

const MAX_URL_LENGTH = 2_048;
const MAX_SECRET_LENGTH = 256;
const MAX_SERVICE_IDS = 100;
const SERVICE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const ALL_SERVICES = '*';

function bodyInvalid(message: string): UrbisError {
  return new UrbisError('BODY_INVALID', message);
}

function normaliseUrl(url: unknown): string {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_URL_LENGTH) throw bodyInvalid(`the webhook url is a string of 1 to ${MAX_URL_LENGTH} characters`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw bodyInvalid('the webhook url is not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw bodyInvalid('the webhook url must be http: or https:');
  if (parsed.username !== '' || parsed.password !== '') throw bodyInvalid('the webhook url must not carry credentials');
  return parsed.href;
}

function checkSecret(secret: unknown): string {
  if (typeof secret !== 'string' || secret.length < MIN_WEBHOOK_SECRET_LENGTH || secret.length > MAX_SECRET_LENGTH || !PRINTABLE_ASCII.test(secret)) {
    throw bodyInvalid(`the webhook secret is ${MIN_WEBHOOK_SECRET_LENGTH} to ${MAX_SECRET_LENGTH} printable ASCII characters`);
  }
  return secret;
}

function checkServiceIds(serviceIds: unknown): string[] {
  if (!Array.isArray(serviceIds) || serviceIds.length === 0 || serviceIds.length > MAX_SERVICE_IDS) {
    throw bodyInvalid(`serviceIds is a list of 1 to ${MAX_SERVICE_IDS} service ids, or ['*']`);
  }
  const unique = [...new Set<unknown>(serviceIds)];
  if (unique.includes(ALL_SERVICES)) {
    if (unique.length !== 1) throw bodyInvalid("'*' stands alone in serviceIds");
    return [ALL_SERVICES];
  }
  for (const id of unique) if (typeof id !== 'string' || !SERVICE_ID.test(id)) throw bodyInvalid('serviceIds holds a malformed service id');
  return unique as string[];
}

function checkLimit(limit: unknown, fallback?: number): number {
  const value = limit ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1_000) throw new UrbisError('INVALID_ARGUMENT', 'limit is an integer from 1 to 1,000');
  return value;
}

function parseServiceIds(text: string): string[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function toSubscription(row: Pick<Selectable<WebhookSubscriptionsTable>, 'id' | 'url' | 'service_ids' | 'active' | 'created_at'>): WebhookSubscription {
  return { id: row.id, url: row.url, serviceIds: parseServiceIds(row.service_ids), active: Number(row.active) === 1, createdAt: Number(row.created_at) };
}

function eventIdOf(payload: string): string {
  try {
    const value: unknown = JSON.parse(payload);
    if (typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string') return (value as { id: string }).id;
  } catch {
    // fall through
  }
  return '';
}

function toDelivery(row: Selectable<WebhookDeliveriesTable>): WebhookDelivery {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    eventId: eventIdOf(row.payload),
    eventType: row.event_type as WebhookEventType,
    state: row.state,
    attempts: Number(row.attempts),
    nextAttemptAt: Number(row.next_attempt_at),
    lastStatus: row.last_status === null ? null : Number(row.last_status),
    createdAt: Number(row.created_at),
    deliveredAt: row.delivered_at === null ? null : Number(row.delivered_at),
  };
}

/** Runs `work` in a transaction, or in the caller's when `db` already is one. */
function inTransaction<T>(db: Kysely<IssuerDatabase>, work: (trx: Kysely<IssuerDatabase>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/**
 * The webhook store over the issuer database.
 *
 * @param db - The issuer database, or a transaction of it (then `enqueue`
 *   joins the caller's transaction).
 * @param now - Clock for `created_at`, epoch ms. Default `Date.now`.
 *
 * @example
 * ```ts
 * const webhooks = createWebhookRepository({ db });
 * await webhooks.addSubscription({ url: 'https://pools.example.org/urbis', secret: newWebhookSecret(), serviceIds: ['pools'] });
 * // with the entitlement change, in one transaction:
 * await db.transaction().execute(async (trx) => {
 *   await trx.updateTable('issued_batches').set({ state: 'suspended' }).where('id', '=', batchId).execute();
 *   await createWebhookRepository({ db: trx }).enqueue({ event });
 * });
 * ```
 */
export function createWebhookRepository({ db, now = Date.now }: { db: Kysely<IssuerDatabase>; now?: () => number }): WebhookRepository {
  /** Updates a pending delivery; tells "no such delivery" from "not pending" when nothing was updated. */
  async function updatePending(id: string, values: Partial<Selectable<WebhookDeliveriesTable>>): Promise<void> {
    const result = await db.updateTable('webhook_deliveries').set(values).where('id', '=', id).where('state', '=', 'pending').executeTakeFirst();
    if (result.numUpdatedRows > 0n) return;
    const row = await db.selectFrom('webhook_deliveries').select('state').where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new UrbisError('RESOURCE_NOT_FOUND', 'no webhook delivery with this id');
    throw new UrbisError('STATE_CONFLICT', `the webhook delivery is ${row.state}, not pending`);
  }

  function checkStatus(status: unknown, nullable: boolean): void {
    if (status === null && nullable) return;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 999) throw new UrbisError('INVALID_ARGUMENT', 'status is an HTTP status code');
  }

  function checkTime(value: unknown, name: string): asserts value is number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new UrbisError('INVALID_ARGUMENT', `${name} is epoch milliseconds`);
  }

  return {
    async addSubscription({ url, secret, serviceIds }) {
      const row = {
        id: randomUUID(),
        url: normaliseUrl(url),
        secret: checkSecret(secret),
        service_ids: JSON.stringify(checkServiceIds(serviceIds)),
        active: 1 as const,
        created_at: now(),
      };
      await db.insertInto('webhook_subscriptions').values(row).execute();
      return toSubscription(row);
    },

    async listSubscriptions({ active } = {}) {
      let query = db.selectFrom('webhook_subscriptions').select(['id', 'url', 'service_ids', 'active', 'created_at']);
      if (active !== undefined) query = query.where('active', '=', active ? 1 : 0);
      const rows = await query.orderBy('created_at').orderBy('id').execute();
      return rows.map(toSubscription);
    },

    async deactivateSubscription({ id }) {
      return inTransaction(db, async (trx) => {
        const found = await trx.selectFrom('webhook_subscriptions').select('id').where('id', '=', id).executeTakeFirst();
        if (found === undefined) throw new UrbisError('RESOURCE_NOT_FOUND', 'no webhook subscription with this id');
        await trx.updateTable('webhook_subscriptions').set({ active: 0 }).where('id', '=', id).execute();
        const cancelled = await trx
          .updateTable('webhook_deliveries')
          .set({ state: 'failed' })
          .where('subscription_id', '=', id)
          .where('state', '=', 'pending')
          .executeTakeFirst();
        return { cancelledDeliveries: Number(cancelled.numUpdatedRows) };
      });
    },

    async enqueue({ event }) {
      assertWebhookEvent(event, 'INVALID_ARGUMENT');
      const payload = JSON.stringify(event);
      const serviceId = event.data.service_id;
      return inTransaction(db, async (trx) => {
        const subscriptions = await trx.selectFrom('webhook_subscriptions').select(['id', 'service_ids']).where('active', '=', 1).orderBy('created_at').orderBy('id').execute();
        const matching = subscriptions.filter((s) => {
          const ids = parseServiceIds(s.service_ids);
          return ids.includes(ALL_SERVICES) || ids.includes(serviceId);
        });
        if (matching.length === 0) return [];
        const at = now();
        const rows = matching.map((s) => ({
          id: randomUUID(),
          subscription_id: s.id,
          event_type: event.type,
          payload,
          state: 'pending' as const,
          attempts: 0,
          next_attempt_at: at,
          last_status: null,
          created_at: at,
          delivered_at: null,
        }));
        await trx.insertInto('webhook_deliveries').values(rows).execute();
        return rows.map(toDelivery);
      });
    },

    async due({ now: at, limit }) {
      checkTime(at, 'now');
      const rows = await db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
        .select(['d.id', 'd.subscription_id', 's.url', 's.secret', 'd.event_type', 'd.payload', 'd.attempts', 'd.next_attempt_at'])
        .where('d.state', '=', 'pending')
        .where('d.next_attempt_at', '<=', at)
        .where('s.active', '=', 1)
        .orderBy('d.next_attempt_at')
        .orderBy('d.id')
        .limit(checkLimit(limit))
        .execute();
      return rows.map((row) => ({
        id: row.id,
        subscriptionId: row.subscription_id,
        url: row.url,
        secret: row.secret,
        eventType: row.event_type as WebhookEventType,
        payload: row.payload,
        attempts: Number(row.attempts),
        nextAttemptAt: Number(row.next_attempt_at),
      }));
    },

    async claim({ id, attempts, leaseUntil }) {
      checkTime(leaseUntil, 'leaseUntil');
      if (!Number.isInteger(attempts) || attempts < 0) throw new UrbisError('INVALID_ARGUMENT', 'attempts is an integer ≥ 0');
      const result = await db
        .updateTable('webhook_deliveries')
        .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: leaseUntil }))
        .where('id', '=', id)
        .where('state', '=', 'pending')
        .where('attempts', '=', attempts)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    async markDelivered({ id, status, deliveredAt }) {
      checkStatus(status, false);
      checkTime(deliveredAt, 'deliveredAt');
      await updatePending(id, { state: 'delivered', last_status: status, delivered_at: deliveredAt });
    },

    async markRetry({ id, status, nextAttemptAt }) {
      checkStatus(status, true);
      checkTime(nextAttemptAt, 'nextAttemptAt');
      await updatePending(id, { last_status: status, next_attempt_at: nextAttemptAt });
    },

    async markFailed({ id, status }) {
      checkStatus(status, true);
      await updatePending(id, { state: 'failed', last_status: status });
    },

    async deliveries({ state, subscriptionId, limit } = {}) {
      let query = db.selectFrom('webhook_deliveries').selectAll();
      if (state !== undefined) query = query.where('state', '=', state);
      if (subscriptionId !== undefined) query = query.where('subscription_id', '=', subscriptionId);
      const rows = await query.orderBy('created_at', 'desc').orderBy('id').limit(checkLimit(limit, 100)).execute();
      return rows.map(toDelivery);
    },
  };
}
