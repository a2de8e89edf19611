import type { UrbisError } from '../../core/errors/urbis-error.js';
import { describeEachEngine } from '../db/testing/test-databases.js';
import { createWebhookEvent, type WebhookEventType } from './webhook-event.js';
import { createWebhookRepository, type WebhookRepository } from './webhook-repository.js';

const T0 = Date.UTC(2026, 0, 1); // beyond 2^31: checks epoch-ms columns on both engines
const secret = 'whsec-test-0123456789abcdefghijklmnopq';
const pseudonym = 'pV0Q2m8nT3xY7rK1aB4cD6eF9gH2jL5nP8qR1sU4vW7';

function eventFor(serviceId: string, type: WebhookEventType = 'entitlement.granted') {
  const state = type === 'entitlement.suspended' ? 'suspended' : type === 'entitlement.revoked' ? 'revoked' : 'active';
  return createWebhookEvent({ type, data: { service_id: serviceId, pseudonym, state }, now: () => T0 });
}

async function rejection(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as UrbisError).code;
  }
  return undefined;
}

describeEachEngine('webhook repository', (database) => {
  let clock: number;
  let repo: WebhookRepository;
  beforeEach(() => {
    clock = T0;
    repo = createWebhookRepository({ db: database().db, now: () => clock });
  });

  test('adds subscriptions (normalised URL, no secret read back) and lists them, filtered by active', async () => {
    const pools = await repo.addSubscription({ url: 'https://Pools.Example.org/hooks?x=1', secret, serviceIds: ['pools', 'pools'] });
    expect(pools).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), url: 'https://pools.example.org/hooks?x=1', serviceIds: ['pools'], active: true, createdAt: T0 });
    clock += 1;
    const all = await repo.addSubscription({ url: 'http://127.0.0.1:8080/', secret, serviceIds: ['*'] });
    expect(await repo.listSubscriptions()).toEqual([pools, all]);
    expect(JSON.stringify(await repo.listSubscriptions())).not.toContain(secret);
    expect(await repo.deactivateSubscription({ id: pools.id })).toEqual({ cancelledDeliveries: 0 });
    expect(await repo.listSubscriptions({ active: true })).toEqual([all]);
    expect(await repo.listSubscriptions({ active: false })).toEqual([{ ...pools, active: false }]);
  });

  test.each([
    ['an ftp: URL', { url: 'ftp://pools.example.org/' }],
    ['a javascript: URL', { url: 'javascript:alert(1)' }],
    ['a file: URL', { url: 'file:///etc/passwd' }],
    ['not a URL', { url: 'pools.example.org/hooks' }],
    ['a URL with credentials', { url: 'https://user:pw@pools.example.org/' }],
    ['a URL over 2,048 characters', { url: `https://pools.example.org/${'a'.repeat(2_048)}` }],
    ['a short secret', { secret: 'too-short' }],
    ['a secret with spaces', { secret: `${secret} with spaces` }],
    ['no service ids', { serviceIds: [] }],
    ["'*' mixed with a service", { serviceIds: ['*', 'pools'] }],
    ['a malformed service id', { serviceIds: ['Pools'] }],
    ['a non-string service id', { serviceIds: [42] }],
  ])('refuses %s (BODY_INVALID)', async (_name, change) => {
    const input = { url: 'https://pools.example.org/', secret, serviceIds: ['pools'], ...change } as Parameters<WebhookRepository['addSubscription']>[0];
    expect(await rejection(repo.addSubscription(input))).toBe('BODY_INVALID');
    expect(await repo.listSubscriptions()).toEqual([]);
  });

  test('enqueue creates one pending delivery per active subscription matching the service or *', async () => {
    const poolsOnly = await repo.addSubscription({ url: 'https://pools.example.org/', secret, serviceIds: ['pools'] });
    const library = await repo.addSubscription({ url: 'https://library.example.org/', secret, serviceIds: ['library'] });
    const every = await repo.addSubscription({ url: 'https://city.example.org/', secret, serviceIds: ['*'] });
    const poolsAndTransport = await repo.addSubscription({ url: 'https://sports.example.org/', secret, serviceIds: ['transport', 'pools'] });
    const inactive = await repo.addSubscription({ url: 'https://old.example.org/', secret, serviceIds: ['pools'] });
    await repo.deactivateSubscription({ id: inactive.id });

    const targets = async (serviceId: string) => (await repo.enqueue({ event: eventFor(serviceId) })).map((d) => d.subscriptionId).sort();
    expect(await targets('pools')).toEqual([poolsOnly.id, every.id, poolsAndTransport.id].sort());
    expect(await targets('library')).toEqual([library.id, every.id].sort());
    expect(await targets('transport')).toEqual([every.id, poolsAndTransport.id].sort());
    expect(await targets('waste-centre')).toEqual([every.id]);
    await repo.deactivateSubscription({ id: every.id });
    expect(await targets('waste-centre')).toEqual([]);
  });

  test('a delivery starts pending, due now, with the event serialised once as its payload', async () => {
    const sub = await repo.addSubscription({ url: 'https://pools.example.org/', secret, serviceIds: ['pools'] });
    const event = eventFor('pools', 'entitlement.suspended');
    clock = T0 + 5_000;
    const [delivery] = await repo.enqueue({ event });
    expect(delivery).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      subscriptionId: sub.id,
      eventId: event.id,
      eventType: 'entitlement.suspended',
      state: 'pending',
      attempts: 0,
      nextAttemptAt: T0 + 5_000,
      lastStatus: null,
      createdAt: T0 + 5_000,
      deliveredAt: null,
    });
    expect(await repo.deliveries()).toEqual([delivery]);
    const [due] = await repo.due({ now: clock, limit: 10 });
    expect(due).toEqual({
      id: delivery!.id,
      subscriptionId: sub.id,
      url: 'https://pools.example.org/',
      secret,
      eventType: 'entitlement.suspended',
      payload: JSON.stringify(event),
      attempts: 0,
      nextAttemptAt: T0 + 5_000,
    });
  });

  test('enqueue refuses a malformed event (INVALID_ARGUMENT) and writes nothing', async () => {
    await repo.addSubscription({ url: 'https://pools.example.org/', secret, serviceIds: ['*'] });
    const event = { ...eventFor('pools'), data: { ...eventFor('pools').data, email: 'ana@example.org' } };
    expect(await rejection(repo.enqueue({ event }))).toBe('INVALID_ARGUMENT');
    expect(await repo.deliveries()).toEqual([]);
  });

  test('enqueue joins the caller’s transaction: rolled back with it, committed with it', async () => {
    const { db } = database();
    await repo.addSubscription({ url: 'https://pools.example.org/', secret, serviceIds: ['pools'] });
    await expect(
      db.transaction().execute(async (trx) => {
        expect(await createWebhookRepository({ db: trx, now: () => clock }).enqueue({ event: eventFor('pools') })).toHaveLength(1);
        throw new Error('the entitlement change failed');
      }),
    ).rejects.toThrow('the entitlement change failed');
    expect(await repo.deliveries()).toEqual([]);
    await db.transaction().execute(async (trx) => {
      await createWebhookRepository({ db: trx, now: () => clock }).enqueue({ event: eventFor('pools') });
    });
    expect(await repo.deliveries()).toHaveLength(1);
  });

  test('due: pending, due, active subscriptions only, earliest first, at most limit', async () => {
    const sub = await repo.addSubscription({ url: 'https://pools.example.org/', secret, serviceIds: ['pools'] });
    const ids: string[] = [];
    for (const at of [T0 + 300, T0 + 100, T0 + 200, T0 + 900]) {
      clock = at;
      ids.push((await repo.enqueue({ event: eventFor('pools') }))[0]!.id);
    }
    expect((await repo.due({ now: T0 + 500, limit: 10 })).map((d) => d.id)).toEqual([ids[1], ids[2], ids[0]]);
    expect((await repo.due({ now: T0 + 500, limit: 2 })).map((d) => d.id)).toEqual([ids[1], ids[2]]);
    expect(await repo.due({ now: T0 + 99, limit: 10 })).toEqual([]);
    await repo.markFailed({ id: ids[1]!, status: 400 });
    await repo.markDelivered({ id: ids[2]!, status: 200, deliveredAt: T0 + 400 });
    expect((await repo.due({ now: T0 + 1_000, limit: 10 })).map((d) => d.id)).toEqual([ids[0], ids[3]]);
    await repo.deactivateSubscription({ id: sub.id });
    expect(await repo.due({ now: T0 + 1_000, limit: 10 })).toEqual([]);
    expect(await rejection(repo.due({ now: T0, limit: 0 }))).toBe('INVALID_ARGUMENT');
    expect(await rejection(repo.due({ now: T0, limit: 1_001 }))).toBe('INVALID_ARGUMENT');
  });

  test('claim counts the attempt and leases the delivery; a stale claim loses', async () => {
    await repo.addSubscription({ url: 'https://pools.example.org/', secret, serviceIds: ['pools'] });
    const [delivery] = await repo.enqueue({ event: eventFor('pools') });
    const id = delivery!.id;
    expect(await repo.claim({ id, attempts: 0, leaseUntil: T0 + 65_000 })).toBe(true);
    expect(await repo.claim({ id, attempts: 0, leaseUntil: T0 + 65_000 })).toBe(false);
    expect(await repo.due({ now: T0 + 64_999, limit: 10 })).toEqual([]);
    const [row] = await repo.deliveries();
    expect(row).toMatchObject({ attempts: 1, nextAttemptAt: T0 + 65_000, state: 'pending' });
    // a crash mid-attempt: due again once the lease lapses, with the attempt counted
    expect(await repo.due({ now: T0 + 65_000, limit: 10 })).toEqual([expect.objectContaining({ id, attempts: 1 })]);
    expect(await repo.claim({ id: 'no-such-id', attempts: 0, leaseUntil: T0 })).toBe(false);
  });

  test('markRetry, markDelivered, markFailed record outcomes; only a pending delivery changes', async () => {
    await repo.addSubscription({ url: 'https://pools.example.org/', secret, serviceIds: ['pools'] });
    const [a] = await repo.enqueue({ event: eventFor('pools') });
    const [b] = await repo.enqueue({ event: eventFor('pools') });
    await repo.claim({ id: a!.id, attempts: 0, leaseUntil: T0 + 60_000 });
    await repo.markRetry({ id: a!.id, status: 503, nextAttemptAt: T0 + 1_000 });
    expect((await repo.deliveries({ state: 'pending' })).find((d) => d.id === a!.id)).toMatchObject({ attempts: 1, lastStatus: 503, nextAttemptAt: T0 + 1_000 });
    await repo.claim({ id: a!.id, attempts: 1, leaseUntil: T0 + 61_000 });
    await repo.markRetry({ id: a!.id, status: null, nextAttemptAt: T0 + 3_000 });
    await repo.claim({ id: a!.id, attempts: 2, leaseUntil: T0 + 63_000 });
    await repo.markDelivered({ id: a!.id, status: 204, deliveredAt: T0 + 3_010 });
    await repo.claim({ id: b!.id, attempts: 0, leaseUntil: T0 + 60_000 });
    await repo.markFailed({ id: b!.id, status: 410 });

    expect(await repo.deliveries({ state: 'delivered' })).toEqual([expect.objectContaining({ id: a!.id, attempts: 3, lastStatus: 204, deliveredAt: T0 + 3_010 })]);
    expect(await repo.deliveries({ state: 'failed' })).toEqual([expect.objectContaining({ id: b!.id, attempts: 1, lastStatus: 410, deliveredAt: null })]);
    expect(await repo.deliveries({ state: 'pending' })).toEqual([]);

    expect(await rejection(repo.markRetry({ id: a!.id, status: 500, nextAttemptAt: T0 }))).toBe('STATE_CONFLICT');
    expect(await rejection(repo.markDelivered({ id: b!.id, status: 200, deliveredAt: T0 }))).toBe('STATE_CONFLICT');
    expect(await rejection(repo.markFailed({ id: '00000000-0000-4000-8000-000000000000', status: null }))).toBe('RESOURCE_NOT_FOUND');
    expect(await rejection(repo.markDelivered({ id: a!.id, status: 42, deliveredAt: T0 }))).toBe('INVALID_ARGUMENT');
  });

  test('deliveries: newest first, filtered by state and subscription, limited', async () => {
    const pools = await repo.addSubscription({ url: 'https://pools.example.org/', secret, serviceIds: ['pools'] });
    const library = await repo.addSubscription({ url: 'https://library.example.org/', secret, serviceIds: ['library'] });
    const created: string[] = [];
    for (const [i, service] of ['pools', 'library', 'pools'].entries()) {
      clock = T0 + i * 10;
      created.push((await repo.enqueue({ event: eventFor(service) }))[0]!.id);
    }
    expect((await repo.deliveries()).map((d) => d.id)).toEqual([created[2], created[1], created[0]]);
    expect((await repo.deliveries({ subscriptionId: pools.id })).map((d) => d.id)).toEqual([created[2], created[0]]);
    expect((await repo.deliveries({ subscriptionId: library.id, state: 'pending' })).map((d) => d.id)).toEqual([created[1]]);
    expect((await repo.deliveries({ limit: 1 })).map((d) => d.id)).toEqual([created[2]]);
    expect(await repo.deliveries({ state: 'delivered' })).toEqual([]);
  });

  test('deactivating a subscription fails its pending deliveries only; unknown id is RESOURCE_NOT_FOUND', async () => {
    const pools = await repo.addSubscription({ url: 'https://pools.example.org/', secret, serviceIds: ['pools'] });
    const other = await repo.addSubscription({ url: 'https://city.example.org/', secret, serviceIds: ['*'] });
    const first = (await repo.enqueue({ event: eventFor('pools') })).find((d) => d.subscriptionId === pools.id);
    await repo.claim({ id: first!.id, attempts: 0, leaseUntil: T0 + 1 });
    await repo.markDelivered({ id: first!.id, status: 200, deliveredAt: T0 + 1 });
    await repo.enqueue({ event: eventFor('pools') });
    await repo.enqueue({ event: eventFor('pools') });
    expect(await repo.deactivateSubscription({ id: pools.id })).toEqual({ cancelledDeliveries: 2 });
    expect(await repo.deactivateSubscription({ id: pools.id })).toEqual({ cancelledDeliveries: 0 });
    expect((await repo.deliveries({ subscriptionId: pools.id })).map((d) => d.state).sort()).toEqual(['delivered', 'failed', 'failed']);
    expect((await repo.deliveries({ subscriptionId: other.id, state: 'pending' })).length).toBe(3);
    expect(await rejection(repo.deactivateSubscription({ id: '00000000-0000-4000-8000-000000000000' }))).toBe('RESOURCE_NOT_FOUND');
  });
});
