import { describe, expect, it } from '@jest/globals';
import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { decodeCompactJws } from '../../core/jose/compact-jws.js';
import type { OutcomeCountsSnapshot } from '../counters/outcome-counts.js';
import { openDailyCountsLedger } from './daily-counts-ledger.js';
import { TERMINAL_REPORT_TYP } from './terminal-report.js';
import { createTerminalReporter } from './terminal-reporter.js';

const crypto = createNodeCrypto();
const NOW = Date.UTC(2026, 8, 21, 10) / 1000;
const ISSUER = 'http://127.0.0.1:4001';

/** The issuer's side of the wire, in memory: records what arrives and answers like the issuer would. */
function issuerDouble(answer: (body: string) => { status: number; body: unknown } | 'network-error') {
  const received: string[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    expect(url).toBe(`${ISSUER}/terminal-reports`);
    expect((init.headers as Record<string, string>)['content-type']).toBe('application/jwt');
    received.push(String(init.body));
    const a = answer(String(init.body));
    if (a === 'network-error') throw new TypeError('fetch failed');
    return new Response(JSON.stringify(a.body), { status: a.status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, received };
}

async function setup(answer: Parameters<typeof issuerDouble>[0]) {
  let accepted = 2;
  const counters = { snapshot: (): OutcomeCountsSnapshot => ({ format: 'urbis-terminal-outcome-counts', version: 1, since: NOW - 100, services: { pools: { accepted, rejected: 0, rejectedByCode: {} } } }) };
  const keys = crypto.generateKeyPair();
  const signingKey = await crypto.signingKeyFromJwk({ privateJwk: keys.privateJwk, kid: 'urbis-terminal-snapshot:x' });
  const issuer = issuerDouble(answer);
  const reporter = createTerminalReporter({ terminalId: 'urbis:terminal:gijon-pool-1', issuerUrl: ISSUER, counters, ledger: await openDailyCountsLedger(), signingKey, fetch: issuer.fetch, now: () => NOW });
  return { reporter, issuer, keys, count: (n: number) => (accepted = n) };
}

describe('createTerminalReporter', () => {
  it('signs the unsent days (ES256, typ, iss, aud, iat, counts only) and sends them once', async () => {
    const { reporter, issuer, keys } = await setup(() => ({ status: 200, body: { terminalId: 'urbis:terminal:gijon-pool-1', applied: 1, ignored: 0 } }));
    expect(await reporter.report()).toEqual({ sent: true, days: 1, applied: 1, ignored: 0 });
    const jws = decodeCompactJws(issuer.received[0]!);
    expect(jws.header).toEqual({ alg: 'ES256', typ: TERMINAL_REPORT_TYP, kid: 'urbis-terminal-snapshot:x' });
    expect(jws.payload).toEqual({ iss: 'urbis:terminal:gijon-pool-1', aud: ISSUER, iat: NOW, days: [{ day: '2026-09-21', services: { pools: { accepted: 2, rejected: 0, rejectedByCode: {} } } }] });
    expect(await crypto.verifySignature({ alg: 'ES256', publicJwk: keys.publicJwk, signingInput: jws.signingInput, signature: jws.signature })).toBe(true);
    expect(await reporter.report()).toEqual({ sent: false, reason: 'nothing-new' });
    expect(issuer.received).toHaveLength(1);
  });

  it('a refused or unreachable report keeps the days for the next attempt, with the code', async () => {
    let mode: 'refuse' | 'down' | 'ok' = 'refuse';
    const { reporter, issuer, count } = await setup(() => (mode === 'down' ? 'network-error' : mode === 'refuse' ? { status: 401, body: { code: 'REPORT_TERMINAL_UNKNOWN' } } : { status: 200, body: { applied: 1, ignored: 0 } }));
    expect(await reporter.report()).toEqual({ sent: false, code: 'REPORT_TERMINAL_UNKNOWN' });
    mode = 'down';
    expect(await reporter.report()).toEqual({ sent: false, code: 'ISSUER_UNREACHABLE' });
    mode = 'ok';
    count(3);
    expect(await reporter.report()).toEqual({ sent: true, days: 1, applied: 1, ignored: 0 });
    expect(decodeCompactJws(issuer.received[2]!).payload['days']).toEqual([{ day: '2026-09-21', services: { pools: { accepted: 3, rejected: 0, rejectedByCode: {} } } }]);
  });

  it('an answer that is not the issuer\'s receipt is ISSUER_UNREACHABLE; on demand (all) re-sends every day', async () => {
    let body: unknown = { nothing: true };
    const { reporter, issuer } = await setup(() => ({ status: 200, body }));
    expect(await reporter.report()).toEqual({ sent: false, code: 'ISSUER_UNREACHABLE' });
    body = { applied: 1, ignored: 0 };
    expect(await reporter.report()).toMatchObject({ sent: true });
    expect(await reporter.report({ all: true })).toMatchObject({ sent: true, days: 1 });
    expect(issuer.received).toHaveLength(3);
  });
});
