import { isUrbisError, UrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';
import { assertWebhookBackoff, DEFAULT_WEBHOOK_BACKOFF, webhookBackoffDelay, type WebhookBackoff } from './webhook-backoff.js';
import type { WebhookEventType } from './webhook-event.js';
import type { DueWebhookDelivery, WebhookRepository } from './webhook-repository.js';
import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from './webhook-signature.js';

/** Header carrying the event's id (also in the body): receivers deduplicate on it. */
export const WEBHOOK_EVENT_ID_HEADER = 'urbis-event-id';
/** Header carrying the event's type (also in the body). */
export const WEBHOOK_EVENT_TYPE_HEADER = 'urbis-event-type';

/**
 * What the dispatcher reports. Only the delivery id, event type, attempt
 * number, HTTP status, next delay and a fixed reason: never the payload
 * (service, pseudonym), the URL or the secret.
 */
export interface WebhookLogEntry {
  /**
   * `claim-lost`: another dispatcher took the delivery first, or it stopped
   * being pending during the attempt (its subscription was deactivated):
   * nothing is recorded for this attempt.
   */
  outcome: 'delivered' | 'retry' | 'failed' | 'claim-lost' | 'run-error';
  deliveryId?: string;
  eventType?: WebhookEventType;
  /** 1-based number of the attempt that just ended. */
  attempt?: number;
  /** HTTP status, `null` after a timeout or network error. */
  status?: number | null;
  /** Delay before the next attempt, ms (`retry` only). */
  delayMs?: number;
  /**
   * Why an attempt did not succeed: `http-status` (non-2xx answer), `timeout`,
   * `network` (connection refused, reset, DNS...), `payload-invalid` (a stored
   * body that is not an event: never sent), `store` (the database failed while
   * recording the outcome).
   */
  reason?: 'http-status' | 'timeout' | 'network' | 'payload-invalid' | 'store';
  /** `UrbisError` code, for `run-error`. */
  code?: UrbisErrorCode;
}

/** Counts of one {@link WebhookDispatcher.runOnce}. */
export interface WebhookRunSummary {
  delivered: number;
  retried: number;
  failed: number;
}

/** Options of {@link createWebhookDispatcher}. */
export interface WebhookDispatcherOptions {
  repository: WebhookRepository;
  /** The HTTP client. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Clock, epoch ms: due times, signature timestamps, retry times. Default `Date.now`. */
  now?: () => number;
  /** Attempts in all (the first one included) before a delivery is failed. Default 8. */
  maxAttempts?: number;
  /** Retry delays (full jitter). Default `{ initialMs: 1_000, maxMs: 600_000, factor: 2 }`; a partial object overrides only its keys. */
  backoff?: Partial<WebhookBackoff>;
  /** Per-request timeout, until the response headers, ms. Default 5,000. */
  timeoutMs?: number;
  /** Deliveries sent in parallel. Default 8. */
  concurrency?: number;
  /** Uniform in [0, 1) for the jitter. Default `Math.random`. */
  random?: () => number;
  log?: (entry: WebhookLogEntry) => void;
}

/** Sends due webhook deliveries: once on demand, or in a polling loop. */
export interface WebhookDispatcher {
  /**
   * Sends every delivery due at the start of the run (each at most once per
   * run) and records the outcomes. Delivery failures never make it reject;
   * it rejects only when the database fails.
   */
  runOnce(): Promise<WebhookRunSummary>;
  /**
   * Starts a loop: `runOnce`, then wait `intervalMs`, and again, until
   * {@link WebhookDispatcher.stop}. Errors of a run are logged (`run-error`) and the loop goes on.
   * @throws UrbisError `INVALID_ARGUMENT` if already started or `intervalMs` is not a positive number.
   */
  start(options: { intervalMs: number }): void;
  /** Stops the loop and resolves once the runs in flight have finished. Idempotent. */
  stop(): Promise<void>;
}

/** The outcome of one HTTP attempt. */
type AttemptResult = { kind: 'response'; status: number } | { kind: 'timeout' } | { kind: 'network' };

/** 2xx: delivered. */
function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** 4xx other than 408 (Request Timeout) and 429 (Too Many Requests): the request itself is refused, a retry cannot help. */
function isPermanent(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function eventIdOf(payload: string): string | undefined {
  try {
    const value: unknown = JSON.parse(payload);
    const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
    return typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

function positive(value: number, name: string, integer: boolean): number {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new UrbisError('INVALID_ARGUMENT', `${name} is a positive ${integer ? 'integer' : 'number'}`);
  }
  return value;
}

/**
 * The webhook dispatcher: POSTs each due delivery as JSON, signed with the
 * subscription's secret (header `urbis-signature`, see `signWebhook`, signed
 * at each attempt), with headers `urbis-event-id` and `urbis-event-type`.
 *
 * Outcomes:
 * - **2xx** → delivered;
 * - **4xx other than 408/429** → failed at once (a permanent refusal);
 * - **5xx, 408, 429, other statuses (redirects are not followed), network
 *   error or timeout** → retried after an exponential delay with full jitter
 *   (see `webhookBackoffDelay`), and failed once `maxAttempts` attempts have
 *   been made.
 *
 * Delivery is at least once: each attempt is claimed in the database first
 * (see `WebhookRepository.claim`), so parallel dispatchers do not send the
 * same delivery twice, and a crash mid-attempt only delays it until the
 * claim lapses (`timeoutMs` + 60 s).
 *
 * @throws UrbisError `INVALID_ARGUMENT` for a non-positive `maxAttempts`,
 *   `timeoutMs` or `concurrency`, or bad backoff settings.
 *
 * @example
 * ```ts
 * const dispatcher = createWebhookDispatcher({ repository: createWebhookRepository({ db }), log: (e) => logger.info(e) });
 * dispatcher.start({ intervalMs: 1_000 });
 * // on shutdown
 * await dispatcher.stop();
 * ```
 */
export function createWebhookDispatcher({
  repository,
  fetch = globalThis.fetch,
  now = Date.now,
  maxAttempts = 8,
  backoff: backoffOverrides = {},
  timeoutMs = 5_000,
  concurrency = 8,
  random = Math.random,
  log = () => undefined,
}: WebhookDispatcherOptions): WebhookDispatcher {
  positive(maxAttempts, 'maxAttempts', true);
  positive(timeoutMs, 'timeoutMs', false);
  positive(concurrency, 'concurrency', true);
  const backoff: WebhookBackoff = { ...DEFAULT_WEBHOOK_BACKOFF, ...backoffOverrides };
  assertWebhookBackoff(backoff);
  const leaseMs = Math.ceil(timeoutMs) + 60_000;

  const report = (entry: WebhookLogEntry): void => {
    try {
      log(entry);
    } catch {
      // A failing logger must not change delivery outcomes.
    }
  };

  async function post(delivery: DueWebhookDelivery, eventId: string): Promise<AttemptResult> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [WEBHOOK_SIGNATURE_HEADER]: signWebhook({ secret: delivery.secret, body: delivery.payload, timestamp: Math.floor(now() / 1000) }),
          [WEBHOOK_EVENT_ID_HEADER]: eventId,
          [WEBHOOK_EVENT_TYPE_HEADER]: delivery.eventType,
          'user-agent': 'Urbis-Webhooks/1',
        },
        body: delivery.payload,
        redirect: 'manual',
        signal: controller.signal,
      });
      // The answer's body is not used: release the connection without reading it.
      await response.body?.cancel().catch(() => undefined);
      return { kind: 'response', status: response.status };
    } catch {
      return timedOut ? { kind: 'timeout' } : { kind: 'network' };
    } finally {
      clearTimeout(timer);
    }
  }

  /** One attempt of one delivery; returns its outcome, or `undefined` when another dispatcher took it. */
  async function attempt(delivery: DueWebhookDelivery): Promise<keyof WebhookRunSummary | undefined> {
    const number = delivery.attempts + 1;
    const base = { deliveryId: delivery.id, eventType: delivery.eventType, attempt: number };
    const claimed = await repository.claim({ id: delivery.id, attempts: delivery.attempts, leaseUntil: now() + leaseMs });
    if (!claimed) {
      report({ outcome: 'claim-lost', ...base });
      return undefined;
    }
    const eventId = eventIdOf(delivery.payload);
    if (eventId === undefined) {
      await repository.markFailed({ id: delivery.id, status: null });
      report({ outcome: 'failed', ...base, status: null, reason: 'payload-invalid' });
      return 'failed';
    }
    const result = await post(delivery, eventId);
    const status = result.kind === 'response' ? result.status : null;
    const reason = result.kind === 'response' ? 'http-status' : result.kind;
    // Statuses outside 100–999 (none in practice) are recorded as "no status".
    const recorded = status !== null && status >= 100 && status <= 999 ? status : null;
    let outcome: keyof WebhookRunSummary;
    let entry: WebhookLogEntry;
    try {
      if (status !== null && isSuccess(status)) {
        await repository.markDelivered({ id: delivery.id, status, deliveredAt: now() });
        outcome = 'delivered';
        entry = { outcome: 'delivered', ...base, status };
      } else if ((status !== null && isPermanent(status)) || number >= maxAttempts) {
        await repository.markFailed({ id: delivery.id, status: recorded });
        outcome = 'failed';
        entry = { outcome: 'failed', ...base, status, reason };
      } else {
        const delayMs = webhookBackoffDelay({ attempt: number, backoff, random });
        await repository.markRetry({ id: delivery.id, status: recorded, nextAttemptAt: now() + delayMs });
        outcome = 'retried';
        entry = { outcome: 'retry', ...base, status, delayMs, reason };
      }
    } catch (error) {
      // No longer pending (deactivated meanwhile) or gone: nothing to record.
      if (isUrbisError(error, 'STATE_CONFLICT') || isUrbisError(error, 'RESOURCE_NOT_FOUND')) {
        report({ outcome: 'claim-lost', ...base, status });
        return undefined;
      }
      throw error;
    }
    report(entry);
    return outcome;
  }

  async function runOnce(): Promise<WebhookRunSummary> {
    const summary: WebhookRunSummary = { delivered: 0, retried: 0, failed: 0 };
    const startedAt = now();
    const seen = new Set<string>();
    let storeError: unknown;
    for (;;) {
      const batch = (await repository.due({ now: startedAt, limit: concurrency })).filter((d) => !seen.has(d.id));
      if (batch.length === 0) break;
      const outcomes = await Promise.allSettled(
        batch.map((delivery) => {
          seen.add(delivery.id);
          return attempt(delivery);
        }),
      );
      outcomes.forEach((outcome, i) => {
        if (outcome.status === 'fulfilled') {
          if (outcome.value !== undefined) summary[outcome.value] += 1;
          return;
        }
        const delivery = batch[i]!;
        storeError ??= outcome.reason;
        report({
          outcome: 'run-error',
          deliveryId: delivery.id,
          eventType: delivery.eventType,
          reason: 'store',
          ...(isUrbisError(outcome.reason) ? { code: outcome.reason.code } : {}),
        });
      });
    }
    if (storeError !== undefined) throw storeError;
    return summary;
  }

  const inFlight = new Set<Promise<unknown>>();
  let loop: { timer: ReturnType<typeof setTimeout> | undefined; stopped: boolean } | undefined;

  function tracked<T>(promise: Promise<T>): Promise<T> {
    inFlight.add(promise);
    void promise.then(
      () => inFlight.delete(promise),
      () => inFlight.delete(promise),
    );
    return promise;
  }

  return {
    runOnce: () => tracked(runOnce()),

    start({ intervalMs }) {
      if (loop !== undefined) throw new UrbisError('INVALID_ARGUMENT', 'the webhook dispatcher is already started');
      positive(intervalMs, 'intervalMs', false);
      const state: { timer: ReturnType<typeof setTimeout> | undefined; stopped: boolean } = { timer: undefined, stopped: false };
      loop = state;
      const tick = async (): Promise<void> => {
        state.timer = undefined;
        if (state.stopped) return;
        try {
          await tracked(runOnce());
        } catch (error) {
          report({ outcome: 'run-error', ...(isUrbisError(error) ? { code: error.code } : {}) });
        }
        if (!state.stopped) state.timer = setTimeout(() => void tick(), intervalMs);
      };
      state.timer = setTimeout(() => void tick(), 0);
    },

    async stop() {
      const state = loop;
      if (state !== undefined) {
        state.stopped = true;
        if (state.timer !== undefined) clearTimeout(state.timer);
        loop = undefined;
      }
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
