import type { UrbisError } from '../../core/errors/urbis-error.js';
import { createWebhookEvent, parseWebhookEvent, type WebhookEventData } from './webhook-event.js';

const pseudonym = 'pV0Q2m8nT3xY7rK1aB4cD6eF9gH2jL5nP8qR1sU4vW7';
const now = () => Date.UTC(2026, 0, 1, 12, 30);

function code(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as UrbisError).code;
  }
  return undefined;
}

describe('createWebhookEvent', () => {
  test('builds { id, type, created_at, data } with a random UUID and the ISO time', () => {
    const event = createWebhookEvent({ type: 'entitlement.granted', data: { service_id: 'pools', pseudonym, tier: 'youth', state: 'active' }, now });
    expect(event).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      type: 'entitlement.granted',
      created_at: '2026-01-01T12:30:00.000Z',
      data: { service_id: 'pools', pseudonym, tier: 'youth', state: 'active' },
    });
    expect(Object.keys(event)).toEqual(['id', 'type', 'created_at', 'data']);
    expect(createWebhookEvent({ type: 'entitlement.granted', data: { service_id: 'pools', pseudonym, state: 'active' }, now }).id).not.toBe(event.id);
  });

  test('leaves tier out when there is none', () => {
    const event = createWebhookEvent({ type: 'entitlement.revoked', data: { service_id: 'library', pseudonym, state: 'revoked' }, now });
    expect(Object.keys(event.data)).toEqual(['service_id', 'pseudonym', 'state']);
    expect(JSON.stringify(event)).not.toContain('tier');
  });

  test.each([
    ['entitlement.granted', 'active', true],
    ['entitlement.granted', 'suspended', false],
    ['entitlement.changed', 'active', true],
    ['entitlement.changed', 'suspended', true],
    ['entitlement.changed', 'revoked', false],
    ['entitlement.suspended', 'suspended', true],
    ['entitlement.suspended', 'active', false],
    ['entitlement.revoked', 'revoked', true],
    ['entitlement.revoked', 'active', false],
  ] as const)('%s with state %s: allowed = %s', (type, state, allowed) => {
    const result = code(() => createWebhookEvent({ type, data: { service_id: 'pools', pseudonym, state }, now }));
    expect(result).toBe(allowed ? undefined : 'INVALID_ARGUMENT');
  });

  test.each([
    ['a personal property (given_name)', { given_name: 'Ana' }],
    ['a personal property (birthdate)', { birthdate: '2001-02-03' }],
    ['an email', { email: 'ana@example.org' }],
    ['a malformed pseudonym', { pseudonym: 'c-000123' }],
    ['a malformed service id', { service_id: 'Pools!' }],
    ['an unknown tier', { tier: 'gold' }],
    ['an unknown state', { state: 'paused' }],
  ])('refuses %s (INVALID_ARGUMENT)', (_name, change) => {
    const data = { service_id: 'pools', pseudonym, state: 'active', ...change } as unknown as WebhookEventData;
    expect(code(() => createWebhookEvent({ type: 'entitlement.granted', data, now }))).toBe('INVALID_ARGUMENT');
  });

  test('refuses an unknown type and a clock that is not epoch ms', () => {
    expect(code(() => createWebhookEvent({ type: 'citizen.moved' as never, data: { service_id: 'pools', pseudonym, state: 'active' }, now }))).toBe('INVALID_ARGUMENT');
    expect(code(() => createWebhookEvent({ type: 'entitlement.granted', data: { service_id: 'pools', pseudonym, state: 'active' }, now: () => Number.NaN }))).toBe('INVALID_ARGUMENT');
  });
});

describe('parseWebhookEvent', () => {
  const event = createWebhookEvent({ type: 'entitlement.suspended', data: { service_id: 'transport', pseudonym, tier: 'senior', state: 'suspended' }, now });
  const body = JSON.stringify(event);

  test('parses the body as text or bytes', () => {
    expect(parseWebhookEvent({ body })).toEqual(event);
    expect(parseWebhookEvent({ body: new TextEncoder().encode(body) })).toEqual(event);
  });

  test.each([
    ['not JSON', '{'],
    ['an array', '[]'],
    ['an extra top-level property', JSON.stringify({ ...event, citizen: { family_name: 'García' } })],
    ['an extra data property', JSON.stringify({ ...event, data: { ...event.data, postal_code: '33201' } })],
    ['an uppercase id', JSON.stringify({ ...event, id: event.id.toUpperCase() })],
    ['a non-UTC time', JSON.stringify({ ...event, created_at: '2026-01-01T12:30:00+01:00' })],
    ['more than 4 KiB', JSON.stringify({ ...event, pad: 'x'.repeat(5_000) })],
  ])('refuses %s (BODY_INVALID)', (_name, bad) => {
    expect(code(() => parseWebhookEvent({ body: bad }))).toBe('BODY_INVALID');
  });

  test('refuses bytes that are not UTF-8 (BODY_INVALID)', () => {
    expect(code(() => parseWebhookEvent({ body: new Uint8Array([0x7b, 0xff, 0x7d]) }))).toBe('BODY_INVALID');
  });
});
