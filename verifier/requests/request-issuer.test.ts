import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { base64urlDecode } from '../../core/encoding/base64url.js';
import { dcqlQueryFor } from '../policy/dcql-query-for.js';
import { parseServicePolicies } from '../policy/parse-service-policies.js';
import { createRequestIssuer } from './request-issuer.js';

const policies = parseServicePolicies(readFileSync(new URL('../policy/fixtures/gijon-policies.json', import.meta.url), 'utf8'));
const pools = policies.get('pools')!;
const terminalId = 'urbis:terminal:gijon-pool-1';

/** A clock the test moves. */
function clock(start = 1_790_000_000) {
  let t = start;
  return { now: () => t, advance: (s: number) => (t += s) };
}

describe('createRequestIssuer', () => {
  it('a new request: fresh 128-bit nonce, the terminal id as client_id, the policy query, the link, an expiry', () => {
    const time = clock();
    const requests = createRequestIssuer({ terminalId, now: time.now });
    const request = requests.newRequest({ policy: pools });
    expect(request).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      nonce: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      clientId: terminalId,
      serviceId: 'pools',
      policy: pools,
      dcqlQuery: dcqlQueryFor(pools),
      link: expect.stringMatching(/^openid4vp:\/\/\?client_id=/),
      createdAt: time.now(),
      expiresAt: time.now() + 120,
    });
    expect(base64urlDecode(request.nonce)).toHaveLength(16);
    expect(request.id).not.toBe(request.nonce);
    expect(Object.isFrozen(request)).toBe(true);
    expect(Object.isFrozen(request.dcqlQuery.credentials[0])).toBe(true);

    const url = new URL(request.link);
    expect([...url.searchParams.keys()]).toEqual(['client_id', 'nonce', 'response_type', 'dcql_query']);
    expect(url.searchParams.get('client_id')).toBe(terminalId);
    expect(url.searchParams.get('nonce')).toBe(request.nonce);
    expect(url.searchParams.get('response_type')).toBe('vp_token');
    expect(JSON.parse(url.searchParams.get('dcql_query')!)).toEqual(dcqlQueryFor(pools));
  });

  it('every nonce differs (node:crypto by default)', () => {
    const requests = createRequestIssuer({ terminalId });
    const nonces = new Set(Array.from({ length: 500 }, () => requests.newRequest({ policy: pools }).nonce));
    expect(nonces.size).toBe(500);
  });

  it('take hands a request back once; a second take, or a nonce never issued, gets nothing', () => {
    const requests = createRequestIssuer({ terminalId });
    const a = requests.newRequest({ policy: pools });
    const b = requests.newRequest({ policy: policies.get('library')! });
    expect(requests.take({ nonce: b.nonce })).toBe(b);
    expect(requests.take({ nonce: b.nonce })).toBeUndefined();
    expect(requests.take({ nonce: 'AAAAAAAAAAAAAAAAAAAAAA' })).toBeUndefined();
    expect(requests.take({ nonce: 42 as unknown as string })).toBeUndefined();
    expect(requests.take({ nonce: a.nonce })).toBe(a);
    expect(requests.stats()).toEqual({ pending: 0, issued: 2, taken: 2, expired: 0, evicted: 0, unknown: 3 });
  });

  it('expired requests are gone: from expiresAt on, whether swept or taken', () => {
    const time = clock();
    const requests = createRequestIssuer({ terminalId, ttlSeconds: 60, now: time.now });
    const first = requests.newRequest({ policy: pools });
    time.advance(59);
    expect(requests.take({ nonce: first.nonce })).toBe(first);
    const second = requests.newRequest({ policy: pools });
    time.advance(60);
    expect(requests.take({ nonce: second.nonce })).toBeUndefined();
    expect(requests.stats()).toMatchObject({ taken: 1, expired: 1, unknown: 0 });
    // Swept by the next request.
    const third = requests.newRequest({ policy: pools });
    time.advance(61);
    requests.newRequest({ policy: pools });
    expect(requests.stats()).toMatchObject({ pending: 1, expired: 2 });
    expect(requests.take({ nonce: third.nonce })).toBeUndefined();
  });

  it('an expired request behind a fresh one (the clock went back) is refused at take', () => {
    const time = clock();
    const requests = createRequestIssuer({ terminalId, ttlSeconds: 60, now: time.now });
    time.advance(100);
    const fresh = requests.newRequest({ policy: pools });
    time.advance(-100);
    const old = requests.newRequest({ policy: pools });
    time.advance(100);
    expect(requests.take({ nonce: old.nonce })).toBeUndefined();
    expect(requests.take({ nonce: fresh.nonce })).toBe(fresh);
  });

  it('bounded memory: beyond capacity the oldest pending requests are dropped', () => {
    const requests = createRequestIssuer({ terminalId, capacity: 3 });
    const issued = Array.from({ length: 5 }, () => requests.newRequest({ policy: pools }));
    expect(requests.stats()).toMatchObject({ pending: 3, issued: 5, evicted: 2 });
    expect(requests.take({ nonce: issued[0]!.nonce })).toBeUndefined();
    expect(requests.take({ nonce: issued[1]!.nonce })).toBeUndefined();
    for (const request of issued.slice(2)) expect(requests.take({ nonce: request.nonce })).toBe(request);
  });

  it('expired requests are swept before any valid one is evicted', () => {
    const time = clock();
    const requests = createRequestIssuer({ terminalId, capacity: 2, ttlSeconds: 10, now: time.now });
    requests.newRequest({ policy: pools });
    time.advance(5);
    const kept = requests.newRequest({ policy: pools });
    time.advance(5);
    requests.newRequest({ policy: pools });
    expect(requests.stats()).toMatchObject({ pending: 2, expired: 1, evicted: 0 });
    expect(requests.take({ nonce: kept.nonce })).toBe(kept);
  });

  it('keeps nothing personal: a pending request is configuration, a nonce and times', () => {
    const request = createRequestIssuer({ terminalId }).newRequest({ policy: pools });
    expect(Object.keys(request).sort()).toEqual(['clientId', 'createdAt', 'dcqlQuery', 'expiresAt', 'id', 'link', 'nonce', 'policy', 'serviceId']);
  });

  it('caches the query per policy: one object shared by its requests', () => {
    const requests = createRequestIssuer({ terminalId });
    expect(requests.newRequest({ policy: pools }).dcqlQuery).toBe(requests.newRequest({ policy: pools }).dcqlQuery);
  });

  it('refuses a random source that repeats a pending nonce', () => {
    const requests = createRequestIssuer({ terminalId, randomBytes: (n) => new Uint8Array(n) });
    requests.newRequest({ policy: pools });
    expect(() => requests.newRequest({ policy: pools })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it.each<[string, Record<string, unknown>]>([
    ['a bare terminal id', { terminalId: 'gijon-pool-1' }],
    ['an https client id', { terminalId: 'https://pool.gijon.example' }],
    ['an empty terminal id', { terminalId: 'urbis:terminal:' }],
    ['a terminal id with a space', { terminalId: 'urbis:terminal:pool 1' }],
    ['ttlSeconds 0', { terminalId, ttlSeconds: 0 }],
    ['ttlSeconds in milliseconds', { terminalId, ttlSeconds: 120_000 }],
    ['a fractional ttlSeconds', { terminalId, ttlSeconds: 1.5 }],
    ['capacity 0', { terminalId, capacity: 0 }],
    ['an unbounded capacity', { terminalId, capacity: Number.POSITIVE_INFINITY }],
  ])('refuses %s with CONFIG_INVALID', (_name, options) => {
    expect(() => createRequestIssuer(options as never)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it('takes urn:urbis:terminal:<id> as well', () => {
    expect(createRequestIssuer({ terminalId: 'urn:urbis:terminal:gijon-bus-12' }).newRequest({ policy: pools }).clientId).toBe('urn:urbis:terminal:gijon-bus-12');
  });
});
