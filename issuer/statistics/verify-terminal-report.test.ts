import { createNodeCrypto } from '../../core/crypto/node-crypto.js';
import { base64urlEncodeString } from '../../core/encoding/base64url.js';
import { signCompactJws } from '../../core/jose/compact-jws.js';
import { TERMINAL_REPORT_TYP } from './terminal-report.js';
import { verifyTerminalReport } from './verify-terminal-report.js';

const crypto = createNodeCrypto();
const terminal = crypto.generateKeyPair();
const stranger = crypto.generateKeyPair();
const TERMINAL_ID = 'urbis:terminal:gijon-pool-1';
const ISSUER = 'http://127.0.0.1:4001';
const NOW = Date.UTC(2026, 8, 21, 10, 30);
const IAT = Math.floor(NOW / 1000);
const DAYS = [{ day: '2026-09-21', services: { pools: { accepted: 3, rejected: 1, rejectedByCode: { KB_REPLAYED: 1 } } } }];

async function report({ header = {}, payload = {}, key = terminal.privateJwk }: { header?: Record<string, unknown>; payload?: Record<string, unknown>; key?: typeof terminal.privateJwk } = {}): Promise<string> {
  return signCompactJws({ header: { typ: TERMINAL_REPORT_TYP, ...header }, payload: { iss: TERMINAL_ID, aud: ISSUER, iat: IAT, days: DAYS, ...payload }, signingKey: await crypto.signingKeyFromJwk({ privateJwk: key }) });
}

const verify = (jwt: unknown, now = NOW) => verifyTerminalReport({ jwt, terminalKeys: { [TERMINAL_ID]: terminal.publicJwk }, audience: ISSUER, verifySignature: crypto.verifySignature, now });

describe('verifyTerminalReport', () => {
  test('a report of a known terminal, for this issuer, fresh: its days', async () => {
    expect(await verify(await report())).toEqual({ iss: TERMINAL_ID, aud: ISSUER, iat: IAT, days: DAYS });
  });

  test('freshness bounds are inclusive: 300 s old, 60 s ahead', async () => {
    await expect(verify(await report({ payload: { iat: IAT - 300 } }))).resolves.toMatchObject({ iat: IAT - 300 });
    await expect(verify(await report({ payload: { iat: IAT + 60 } }))).resolves.toMatchObject({ iat: IAT + 60 });
  });

  const cases: [string, () => Promise<unknown>, string][] = [
    ['not a string', async () => 42, 'JWS_MALFORMED'],
    ['two parts', async () => 'a.b', 'JWS_MALFORMED'],
    ['truncated', async () => (await report()).slice(0, 40), 'JWS_MALFORMED'],
    ['oversized', async () => `${'a'.repeat(70_000)}.b.c`, 'INPUT_TOO_LARGE'],
    ['an unknown terminal', async () => report({ payload: { iss: 'urbis:terminal:elsewhere' } }), 'REPORT_TERMINAL_UNKNOWN'],
    ['no iss', async () => report({ payload: { iss: undefined } }), 'REPORT_TERMINAL_UNKNOWN'],
    ['__proto__ as iss', async () => report({ payload: { iss: '__proto__' } }), 'REPORT_TERMINAL_UNKNOWN'],
    ['signed by another key', async () => report({ key: stranger.privateJwk }), 'SIGNATURE_INVALID'],
    ['a signature of another report', async () => { const [h, p] = (await report()).split('.'); const [, , s] = (await report({ payload: { days: [] } })).split('.'); return `${h}.${p}.${s}`; }, 'SIGNATURE_INVALID'],
    ['alg none', async () => `${base64urlEncodeString(JSON.stringify({ alg: 'none', typ: TERMINAL_REPORT_TYP }))}.${(await report()).split('.')[1]}.`, 'ALG_NONE'],
    ['alg HS256', async () => `${base64urlEncodeString(JSON.stringify({ alg: 'HS256', typ: TERMINAL_REPORT_TYP }))}.${(await report()).split('.')[1]}.AAAA`, 'ALG_HMAC'],
    ['another typ', async () => report({ header: { typ: 'JWT' } }), 'TYP_INVALID'],
    ['a key in the header', async () => report({ header: { jwk: stranger.publicJwk } }), 'HEADER_EMBEDDED_KEY'],
    ['another audience', async () => report({ payload: { aud: 'http://127.0.0.1:4002' } }), 'REPORT_AUD_INVALID'],
    ['an audience array', async () => report({ payload: { aud: [ISSUER] } }), 'REPORT_AUD_INVALID'],
    ['stale (301 s)', async () => report({ payload: { iat: IAT - 301 } }), 'REPORT_STALE'],
    ['in the future (61 s)', async () => report({ payload: { iat: IAT + 61 } }), 'REPORT_STALE'],
    ['iat not a number', async () => report({ payload: { iat: String(IAT) } }), 'REPORT_STALE'],
    ['an extra member (a nonce)', async () => report({ payload: { nonce: 'abc' } }), 'SCHEMA_INVALID'],
    ['a personal field in a service', async () => report({ payload: { days: [{ day: '2026-09-21', services: { pools: { accepted: 1, rejected: 0, rejectedByCode: {}, pseudonym: 'q3Jx' } } }] } }), 'SCHEMA_INVALID'],
    ['a time of day', async () => report({ payload: { days: [{ day: '2026-09-21T10:00', services: {} }] } }), 'SCHEMA_INVALID'],
    ['a day that does not exist', async () => report({ payload: { days: [{ day: '2026-02-30', services: {} }] } }), 'SCHEMA_INVALID'],
    ['a day twice', async () => report({ payload: { days: [DAYS[0], DAYS[0]] } }), 'SCHEMA_INVALID'],
    ['an unknown code', async () => report({ payload: { days: [{ day: '2026-09-21', services: { pools: { accepted: 0, rejected: 1, rejectedByCode: { ANA_GARCIA: 1 } } } }] } }), 'SCHEMA_INVALID'],
    ['a negative count', async () => report({ payload: { days: [{ day: '2026-09-21', services: { pools: { accepted: -1, rejected: 0, rejectedByCode: {} } } }] } }), 'SCHEMA_INVALID'],
    ['a service id that is not a slug', async () => report({ payload: { days: [{ day: '2026-09-21', services: { 'Ana García': { accepted: 1, rejected: 0, rejectedByCode: {} } } }] } }), 'SCHEMA_INVALID'],
    ['too many days', async () => report({ payload: { days: Array.from({ length: 63 }, (_v, i) => ({ day: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10), services: {} })) } }), 'SCHEMA_INVALID'],
  ];
  test.each(cases)('refuses %s (%s)', async (_name, make, code) => {
    const problem = await verify(await make()).then(() => undefined, (error: { code?: unknown; message?: string }) => error);
    expect(problem?.code).toBe(code);
    expect(problem?.message).not.toMatch(/elsewhere|4002|abc|q3Jx|ANA_GARCIA|García/);
  });
});
