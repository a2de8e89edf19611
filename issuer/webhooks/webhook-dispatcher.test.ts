import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeEachEngine } from '../db/testing/test-databases.js';
import { startWebhookReceiver, type ReceiverScript, type WebhookReceiver } from './testing/webhook-receiver.js';
import { createWebhookDispatcher, type WebhookDispatcherOptions, type WebhookLogEntry } from './webhook-dispatcher.js';
import { createWebhookEvent, parseWebhookEvent, type WebhookEvent } from './webhook-event.js';
import { createWebhookRepository, type WebhookRepository } from './webhook-repository.js';

const T0 = Date.UTC(2026, 0, 1);
const secret = 'whsec-test-0123456789abcdefghijklmnopq';
const pseudonym = 'pV0Q2m8nT3xY7rK1aB4cD6eF9gH2jL5nP8qR1sU4vW7';
/** With random 0.5 the delays are exactly half the caps: 500, 1000, 2000, ... ms. */
const half = () => 0.5;

function poolsEvent(): WebhookEvent {
  return createWebhookEvent({ type: 'entitlement.suspended', data: { service_id: 'pools', pseudonym, tier: 'youth', state: 'suspended' }, now: () => T0 });
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describeEachEngine('webhook dispatcher over real HTTP', (database) => {
  let clock: number;
  let repo: WebhookRepository;
  let logs: WebhookLogEntry[];
  let receivers: WebhookReceiver[] = [];

  beforeEach(() => {
    clock = T0;
    repo = createWebhookRepository({ db: database().db, now: () => clock });
    logs = [];
    receivers = [];
  });
  afterEach(async () => {
    await Promise.all(receivers.map((r) => r.close()));
  });

  async function receiver(script: ReceiverScript, receiverSecret = secret): Promise<WebhookReceiver> {
    const started = await startWebhookReceiver({ secret: receiverSecret, now: () => clock, script });
    receivers.push(started);
    return started;
  }

  function dispatcher(options: Partial<WebhookDispatcherOptions> = {}) {
    return createWebhookDispatcher({ repository: repo, now: () => clock, random: half, log: (e) => logs.push(e), ...options });
  }

  test('POSTs the signed JSON body with the event headers; 2xx is recorded as delivered', async () => {
    const department = await receiver(() => 204);
    await repo.addSubscription({ url: `${department.url}/urbis`, secret, serviceIds: ['pools'] });
    const event = poolsEvent();
    const [delivery] = await repo.enqueue({ event });
    clock = T0 + 1_234_567;

    expect(await dispatcher().runOnce()).toEqual({ delivered: 1, retried: 0, failed: 0 });

    expect(department.requests).toHaveLength(1);
    const [request] = department.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/urbis', verified: true, body: JSON.stringify(event) });
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['urbis-event-id']).toBe(event.id);
    expect(request!.headers['urbis-event-type']).toBe('entitlement.suspended');
    expect(request!.headers['urbis-signature']).toMatch(new RegExp(`^t=${Math.floor(clock / 1000)},v1=[0-9a-f]{64}$`));
    expect(parseWebhookEvent({ body: request!.body })).toEqual(event);
    expect(await repo.deliveries()).toEqual([
      expect.objectContaining({ id: delivery!.id, state: 'delivered', attempts: 1, lastStatus: 204, deliveredAt: T0 + 1_234_567 }),
    ]);
    expect(logs).toEqual([{ outcome: 'delivered', deliveryId: delivery!.id, eventType: 'entitlement.suspended', attempt: 1, status: 204 }]);
    expect(await dispatcher().runOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(department.requests).toHaveLength(1);
  });

  test('500 three times, then 200: retried with growing next_attempt_at, then delivered; the same event each time, freshly signed', async () => {
    const department = await receiver(({ count }) => (count <= 3 ? 500 : 200));
    await repo.addSubscription({ url: department.url, secret, serviceIds: ['pools'] });
    const [delivery] = await repo.enqueue({ event: poolsEvent() });
    const run = dispatcher();

    const nextAttempts: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      expect(await run.runOnce()).toEqual({ delivered: 0, retried: 1, failed: 0 });
      const [row] = await repo.deliveries();
      expect(row).toMatchObject({ state: 'pending', attempts: i + 1, lastStatus: 500 });
      nextAttempts.push(row!.nextAttemptAt);
      // not due yet: nothing is sent
      clock = row!.nextAttemptAt - 1;
      expect(await run.runOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });
      clock = row!.nextAttemptAt;
    }
    // full jitter at 0.5 of caps 1 s, 2 s, 4 s
    expect(nextAttempts).toEqual([T0 + 500, T0 + 500 + 1_000, T0 + 1_500 + 2_000]);
    expect(await run.runOnce()).toEqual({ delivered: 1, retried: 0, failed: 0 });

    expect(await repo.deliveries()).toEqual([expect.objectContaining({ id: delivery!.id, state: 'delivered', attempts: 4, lastStatus: 200, deliveredAt: T0 + 3_500 })]);
    expect(department.requests).toHaveLength(4);
    expect(department.requests.every((r) => r.verified)).toBe(true);
    expect(new Set(department.requests.map((r) => r.body)).size).toBe(1);
    expect(new Set(department.requests.map((r) => r.headers['urbis-event-id'])).size).toBe(1);
    expect(department.requests.map((r) => r.headers['urbis-signature']!.toString().split(',')[0])).toEqual([
      `t=${T0 / 1000}`,
      `t=${T0 / 1000}`, // 500 ms later: the same second
      `t=${(T0 + 1_500) / 1000 - 0.5}`,
      `t=${(T0 + 3_500) / 1000 - 0.5}`,
    ]);
    expect(logs.map((e) => [e.outcome, e.attempt, e.status, e.delayMs, e.reason])).toEqual([
      ['retry', 1, 500, 500, 'http-status'],
      ['retry', 2, 500, 1_000, 'http-status'],
      ['retry', 3, 500, 2_000, 'http-status'],
      ['delivered', 4, 200, undefined, undefined],
    ]);
  });

  test('a 400 answer fails the delivery at once, without retry', async () => {
    const department = await receiver(() => 400);
    await repo.addSubscription({ url: department.url, secret, serviceIds: ['pools'] });
    await repo.enqueue({ event: poolsEvent() });
    const run = dispatcher();
    expect(await run.runOnce()).toEqual({ delivered: 0, retried: 0, failed: 1 });
    clock += 3_600_000;
    expect(await run.runOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(department.requests).toHaveLength(1);
    expect(await repo.deliveries()).toEqual([expect.objectContaining({ state: 'failed', attempts: 1, lastStatus: 400, deliveredAt: null })]);
    expect(logs).toEqual([expect.objectContaining({ outcome: 'failed', attempt: 1, status: 400, reason: 'http-status' })]);
  });

  test('408, 429, 503 and a redirect are retried; 401, 404, 410, 422 fail at once', async () => {
    const statuses = [408, 429, 503, 302, 401, 404, 410, 422];
    const department = await receiver(({ path }) => Number(path.slice(1)));
    for (const status of statuses) {
      await repo.addSubscription({ url: `${department.url}/${status}`, secret, serviceIds: ['pools'] });
    }
    await repo.enqueue({ event: poolsEvent() });
    expect(await dispatcher().runOnce()).toEqual({ delivered: 0, retried: 4, failed: 4 });
    const outcomes = Object.fromEntries((await repo.deliveries()).map((d) => [d.lastStatus, d.state]));
    expect(outcomes).toEqual({ 408: 'pending', 429: 'pending', 503: 'pending', 302: 'pending', 401: 'failed', 404: 'failed', 410: 'failed', 422: 'failed' });
  });

  test('a receiver that never answers times out (timeoutMs) and the delivery is retried', async () => {
    const department = await receiver(() => 'hang');
    await repo.addSubscription({ url: department.url, secret, serviceIds: ['pools'] });
    await repo.enqueue({ event: poolsEvent() });
    const started = Date.now();
    expect(await dispatcher({ timeoutMs: 150 }).runOnce()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(2_000);
    expect(department.requests).toHaveLength(1);
    expect(await repo.deliveries()).toEqual([expect.objectContaining({ state: 'pending', attempts: 1, lastStatus: null, nextAttemptAt: T0 + 500 })]);
    expect(logs).toEqual([expect.objectContaining({ outcome: 'retry', attempt: 1, status: null, delayMs: 500, reason: 'timeout' })]);
  });

  test('a refused connection is a network error, retried', async () => {
    await repo.addSubscription({ url: `http://127.0.0.1:${await closedPort()}/`, secret, serviceIds: ['pools'] });
    await repo.enqueue({ event: poolsEvent() });
    expect(await dispatcher().runOnce()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    expect(logs).toEqual([expect.objectContaining({ outcome: 'retry', attempt: 1, status: null, reason: 'network' })]);
  });

  test('after maxAttempts transient failures the delivery is failed and never sent again', async () => {
    const department = await receiver(() => 503);
    await repo.addSubscription({ url: department.url, secret, serviceIds: ['pools'] });
    await repo.enqueue({ event: poolsEvent() });
    const run = dispatcher({ maxAttempts: 3, backoff: { initialMs: 10_000 } });
    const summaries = [];
    for (let i = 0; i < 5; i += 1) {
      summaries.push(await run.runOnce());
      clock += 3_600_000;
    }
    expect(summaries).toEqual([
      { delivered: 0, retried: 1, failed: 0 },
      { delivered: 0, retried: 1, failed: 0 },
      { delivered: 0, retried: 0, failed: 1 },
      { delivered: 0, retried: 0, failed: 0 },
      { delivered: 0, retried: 0, failed: 0 },
    ]);
    expect(department.requests).toHaveLength(3);
    expect(await repo.deliveries()).toEqual([expect.objectContaining({ state: 'failed', attempts: 3, lastStatus: 503 })]);
    expect(logs.map((e) => [e.outcome, e.attempt, e.delayMs])).toEqual([
      ['retry', 1, 5_000],
      ['retry', 2, 10_000],
      ['failed', 3, undefined],
    ]);
  });

  test('each department receives only the services it subscribed to', async () => {
    const department = await receiver(() => 200);
    await repo.addSubscription({ url: `${department.url}/pools`, secret, serviceIds: ['pools'] });
    await repo.addSubscription({ url: `${department.url}/library`, secret, serviceIds: ['library'] });
    await repo.addSubscription({ url: `${department.url}/all`, secret, serviceIds: ['*'] });
    await repo.enqueue({ event: poolsEvent() });
    await repo.enqueue({ event: createWebhookEvent({ type: 'entitlement.granted', data: { service_id: 'transport', pseudonym, state: 'active' }, now: () => T0 }) });
    expect(await dispatcher().runOnce()).toEqual({ delivered: 3, retried: 0, failed: 0 });
    const received = department.requests.map((r) => `${r.path} ${(JSON.parse(r.body) as WebhookEvent).data.service_id}`).sort();
    expect(received).toEqual(['/all pools', '/all transport', '/pools pools']);
  });

  test('a department holding another secret rejects the request (400): failed at once', async () => {
    const department = await receiver(() => 200, 'another-secret-0123456789abcdefghijk');
    await repo.addSubscription({ url: department.url, secret, serviceIds: ['pools'] });
    await repo.enqueue({ event: poolsEvent() });
    expect(await dispatcher().runOnce()).toEqual({ delivered: 0, retried: 0, failed: 1 });
    expect(department.requests).toEqual([expect.objectContaining({ verified: false, rejection: 'no webhook signature matches the body under this secret' })]);
  });

  test('a department whose clock is 10 minutes ahead rejects the request as outside the window', async () => {
    const department = await startWebhookReceiver({ secret, now: () => clock + 600_000, script: () => 200 });
    receivers.push(department);
    await repo.addSubscription({ url: department.url, secret, serviceIds: ['pools'] });
    await repo.enqueue({ event: poolsEvent() });
    expect(await dispatcher().runOnce()).toEqual({ delivered: 0, retried: 0, failed: 1 });
    expect(department.requests[0]).toMatchObject({ verified: false, rejection: 'the webhook signature timestamp is outside the tolerance window' });
  });

  test('delivers everything due in one run, in batches of `concurrency`', async () => {
    const department = await receiver(() => 200);
    for (let i = 0; i < 7; i += 1) await repo.addSubscription({ url: `${department.url}/${i}`, secret, serviceIds: ['pools'] });
    await repo.enqueue({ event: poolsEvent() });
    await repo.enqueue({ event: poolsEvent() });
    expect(await dispatcher({ concurrency: 3 }).runOnce()).toEqual({ delivered: 14, retried: 0, failed: 0 });
    expect(department.requests).toHaveLength(14);
    expect(await repo.deliveries({ state: 'pending' })).toEqual([]);
  });

  test('two dispatchers running at once send each delivery exactly once (claims)', async () => {
    const department = await receiver(() => 200);
    for (let i = 0; i < 5; i += 1) await repo.addSubscription({ url: `${department.url}/${i}`, secret, serviceIds: ['pools'] });
    await repo.enqueue({ event: poolsEvent() });
    const [a, b] = await Promise.all([dispatcher().runOnce(), dispatcher().runOnce()]);
    expect(a!.delivered + b!.delivered).toBe(5);
    expect(department.requests).toHaveLength(5);
    expect(new Set(department.requests.map((r) => r.path)).size).toBe(5);
  });

  test('log entries carry ids, type, attempt, status and delay only: no payload, URL or secret', async () => {
    const department = await receiver(({ count }) => (count === 1 ? 500 : 200));
    await repo.addSubscription({ url: `${department.url}/pools-department`, secret, serviceIds: ['pools'] });
    await repo.enqueue({ event: poolsEvent() });
    const run = dispatcher();
    await run.runOnce();
    clock += 60_000;
    await run.runOnce();
    expect(logs.map((e) => e.outcome)).toEqual(['retry', 'delivered']);
    const allowed = new Set(['outcome', 'deliveryId', 'eventType', 'attempt', 'status', 'delayMs', 'reason', 'code']);
    for (const entry of logs) for (const key of Object.keys(entry)) expect(allowed.has(key)).toBe(true);
    const text = JSON.stringify(logs);
    for (const secretThing of [pseudonym, 'pools', 'youth', secret, department.url]) expect(text).not.toContain(secretThing);
  });

  test('a subscription deactivated during the attempt: nothing recorded over its failed state, the run resolves', async () => {
    const sub = await repo.addSubscription({ url: 'http://127.0.0.1:9/', secret, serviceIds: ['pools'] });
    await repo.enqueue({ event: poolsEvent() });
    const fetchThenDeactivate: typeof globalThis.fetch = async () => {
      await repo.deactivateSubscription({ id: sub.id });
      return new Response(null, { status: 200 });
    };
    expect(await dispatcher({ fetch: fetchThenDeactivate }).runOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(await repo.deliveries()).toEqual([expect.objectContaining({ state: 'failed', attempts: 1, lastStatus: null, deliveredAt: null })]);
    expect(logs).toEqual([expect.objectContaining({ outcome: 'claim-lost', attempt: 1, status: 200 })]);
  });

  test('a throwing logger changes nothing', async () => {
    const department = await receiver(() => 200);
    await repo.addSubscription({ url: department.url, secret, serviceIds: ['pools'] });
    await repo.enqueue({ event: poolsEvent() });
    const run = dispatcher({
      log: () => {
        throw new Error('logger down');
      },
    });
    expect(await run.runOnce()).toEqual({ delivered: 1, retried: 0, failed: 0 });
  });

  test('start polls until stop; stop waits for the attempt in flight', async () => {
    const department = await receiver(({ count }) => (count === 1 ? 'hang' : 200));
    await repo.addSubscription({ url: department.url, secret, serviceIds: ['pools'] });
    await repo.enqueue({ event: poolsEvent() });
    // real time for the loop: due times must move forward
    const run = dispatcher({ now: () => (clock += 1), timeoutMs: 200, backoff: { initialMs: 20 } });
    const firstRequest = department.nextRequest();
    run.start({ intervalMs: 10 });
    expect(() => run.start({ intervalMs: 10 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as Error);
    await firstRequest;
    // the first attempt hangs until the 200 ms timeout; stop must wait for it to be recorded
    await run.stop();
    const [row] = await repo.deliveries();
    expect(row).toMatchObject({ state: 'pending', attempts: 1, lastStatus: null });
    expect(logs).toEqual([expect.objectContaining({ outcome: 'retry', attempt: 1, reason: 'timeout' })]);
    // started again, it delivers the retry
    const secondRequest = department.nextRequest();
    run.start({ intervalMs: 10 });
    await secondRequest;
    await run.stop();
    expect(await repo.deliveries()).toEqual([expect.objectContaining({ state: 'delivered', attempts: 2, lastStatus: 200 })]);
    await run.stop();
  });

  test('refuses bad settings (INVALID_ARGUMENT)', () => {
    for (const bad of [{ maxAttempts: 0 }, { maxAttempts: 1.5 }, { timeoutMs: 0 }, { concurrency: 0 }, { backoff: { factor: 0 } }, { backoff: { initialMs: 700_000 } }]) {
      expect(() => dispatcher(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as Error);
    }
  });
});
