import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deflateSync } from 'node:zlib';
import type { UrbisErrorCode } from '../../core/errors/urbis-error.js';
import { blockGlobalFetch } from '../snapshot/testing/offline-network.js';
import type { TerminalVerdict } from '../terminal/terminal.js';
import { loopbackRequest, type LoopbackResponse } from '../testing/loopback-http.js';
import type { NegativeCaseInput, WiredAnswer } from '../testing/negative-case.js';
import { describeNegativeSuite } from '../testing/negative-suite.js';
import { createTerminalFixture, type TerminalFixture } from '../testing/terminal-fixture.js';
import type { ProblemBody } from './problem-details.js';
import { startTerminalServer, type TerminalServer } from './start-terminal-server.js';

/** A verification over HTTP: text as `text/plain`, bytes as `application/octet-stream`, the service as `?service=`. */
function post(server: TerminalServer, { presentation, serviceId }: NegativeCaseInput): Promise<LoopbackResponse> {
  const query = serviceId === undefined ? '' : `?service=${encodeURIComponent(serviceId)}`;
  const type = typeof presentation === 'string' ? 'text/plain; charset=utf-8' : 'application/octet-stream';
  return loopbackRequest({ url: `${server.url}/presentations/verify${query}`, method: 'POST', headers: { 'content-type': type }, body: presentation });
}

/** What the client sees: a 200 verdict, or a problem and its code. */
function answerOf(response: LoopbackResponse): WiredAnswer {
  if (response.status === 200) {
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const verdict = JSON.parse(response.text) as TerminalVerdict;
    return { kind: 'verdict', ok: verdict.ok, codes: verdict.ok ? [] : verdict.failures.map((f) => f.code), verdict, status: 200, text: response.text };
  }
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(response.text) as ProblemBody;
  expect(problem.status).toBe(response.status);
  return { kind: 'problem', ok: false, codes: [problem.code], status: response.status, text: response.text };
}

/** The negative suite, wiring 2: the terminal's local HTTP API on loopback, reached with node:http (fetch is blocked). */
describeNegativeSuite({
  title: 'terminal negative suite, over HTTP',
  wire: async (fixture) => {
    const server = await startTerminalServer({ terminal: fixture.terminal });
    return {
      async newRequest({ serviceId }) {
        const response = await loopbackRequest({ url: `${server.url}/request?service=${encodeURIComponent(serviceId)}` });
        if (response.status !== 200) throw new Error(`GET /request answered ${response.status}`);
        return JSON.parse(response.text) as { link: string; serviceId: string };
      },
      verify: async (input) => answerOf(await post(server, input)),
      close: () => server.close(),
    };
  },
});

describe('terminal negative suite, HTTP only: refused before the terminal runs', () => {
  let fixture: TerminalFixture;
  let server: TerminalServer;
  let blocked: ReturnType<typeof blockGlobalFetch>;
  const verifyUrl = () => `${server.url}/presentations/verify`;
  /** Everything the terminal would change by verifying: counts, replay entries, requests taken. */
  const traces = () => ({ counts: fixture.counters.snapshot(), replay: fixture.replayCache.size(), requests: fixture.requests.stats() });
  const problem = (response: LoopbackResponse, status: number, code: UrbisErrorCode): void => {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(response.text)).toMatchObject({ type: `https://urbis.city/problems/${code.toLowerCase().replace(/_/g, '-')}`, status, code });
  };
  /** An honest answer to a fresh request. */
  const honest = async (): Promise<string> => {
    const request = await fixture.terminal.newRequest({ serviceId: 'pools' });
    const { credential, holder } = await fixture.issue();
    return fixture.answer({ request, credential, holder });
  };

  beforeAll(async () => {
    blocked = blockGlobalFetch();
    fixture = await createTerminalFixture();
    server = await startTerminalServer({ terminal: fixture.terminal });
  });
  afterAll(async () => {
    blocked.restore();
    await server.close();
    await fixture.close();
  });

  it('a 70 KiB body → 413 INPUT_TOO_LARGE by its Content-Length, and the terminal never saw it (counts, replay cache, requests unchanged)', async () => {
    const presentation = await honest();
    const padded = presentation + ' '.repeat(70 * 1024);
    const before = traces();
    for (const type of ['text/plain', 'application/octet-stream', 'application/json']) {
      const body = type === 'application/json' ? JSON.stringify({ presentation: padded }) : padded;
      problem(await loopbackRequest({ url: verifyUrl(), method: 'POST', headers: { 'content-type': type }, body }), 413, 'INPUT_TOO_LARGE');
    }
    expect(traces()).toEqual(before);
    // The request it answered is still pending: the same answer, small enough, is accepted.
    expect(answerOf(await post(server, { presentation }))).toMatchObject({ ok: true });
  });

  it('a chunked body without Content-Length is cut at 64 KiB while read → 413, the terminal untouched', async () => {
    const before = traces();
    const chunks = Array.from({ length: 70 }, () => 'A'.repeat(1024));
    problem(await loopbackRequest({ url: verifyUrl(), method: 'POST', headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' }, body: chunks }), 413, 'INPUT_TOO_LARGE');
    expect(traces()).toEqual(before);
  });

  it('a gzip body is not inflated (no bombs through Content-Encoding) → 415 CONTENT_TYPE_UNSUPPORTED', async () => {
    const before = traces();
    const bomb = deflateSync(Buffer.alloc(1024 * 1024, 0x41));
    problem(await loopbackRequest({ url: verifyUrl(), method: 'POST', headers: { 'content-type': 'text/plain', 'content-encoding': 'deflate' }, body: bomb }), 415, 'CONTENT_TYPE_UNSUPPORTED');
    expect(traces()).toEqual(before);
  });

  it.each([
    ['text/html', 'text/html'],
    ['multipart/form-data', 'multipart/form-data; boundary=x'],
    ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded'],
    ['text/plain in latin-1', 'text/plain; charset=iso-8859-1'],
  ])('a %s body → 415 CONTENT_TYPE_UNSUPPORTED', async (_label, type) => {
    const before = traces();
    problem(await loopbackRequest({ url: verifyUrl(), method: 'POST', headers: { 'content-type': type }, body: await honest() }), 415, 'CONTENT_TYPE_UNSUPPORTED');
    expect(traces().counts).toEqual(before.counts);
  });

  it('a body without a content type → 415; no body at all → 400 BODY_INVALID', async () => {
    problem(await loopbackRequest({ url: verifyUrl(), method: 'POST', body: 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln~' }), 415, 'CONTENT_TYPE_UNSUPPORTED');
    problem(await loopbackRequest({ url: verifyUrl(), method: 'POST', headers: { 'content-type': 'text/plain' } }), 400, 'BODY_INVALID');
    problem(await loopbackRequest({ url: verifyUrl(), method: 'POST', headers: { 'content-type': 'text/plain' }, body: '   ' }), 400, 'BODY_INVALID');
  });

  it('malformed JSON → 400 JSON_INVALID, without echoing the body', async () => {
    const secret = 'Ejemplo-Prueba-9f2c';
    const response = await loopbackRequest({ url: verifyUrl(), method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"presentation": "${secret}` });
    problem(response, 400, 'JSON_INVALID');
    expect(response.text).not.toContain(secret);
  });

  it.each([
    ['an array', '["eyJ"]'],
    ['no presentation', '{"service":"pools"}'],
    ['a presentation that is not a string', '{"presentation":{"vp_token":1}}'],
    ['an unknown member', '{"presentation":"eyJ~","nonce":"x"}'],
    ['a service that is not a string', '{"presentation":"eyJ~","service":["pools"]}'],
  ])('a JSON body with %s → 400 BODY_INVALID', async (_label, body) => {
    problem(await loopbackRequest({ url: verifyUrl(), method: 'POST', headers: { 'content-type': 'application/json' }, body }), 400, 'BODY_INVALID');
  });

  it('JSON { presentation, service } is verified like text; ?service= too; two different services → 400 BODY_INVALID', async () => {
    const viaJson = await loopbackRequest({ url: verifyUrl(), method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ presentation: await honest(), service: 'pools' }) });
    expect(answerOf(viaJson)).toMatchObject({ ok: true, verdict: { serviceId: 'pools', flow: 'request' } });
    const viaQuery = await loopbackRequest({ url: `${verifyUrl()}?service=pools`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ presentation: await honest() }) });
    expect(answerOf(viaQuery)).toMatchObject({ ok: true });
    const both = await loopbackRequest({ url: `${verifyUrl()}?service=library`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ presentation: await honest(), service: 'pools' }) });
    problem(both, 400, 'BODY_INVALID');
    problem(await loopbackRequest({ url: `${verifyUrl()}?service=pools&service=library`, method: 'POST', headers: { 'content-type': 'text/plain' }, body: await honest() }), 400, 'INVALID_ARGUMENT');
  });

  it('a rejected presentation is a 200 verdict, not an HTTP error', async () => {
    const answer = answerOf(await post(server, { presentation: 'not-a-presentation~' }));
    expect(answer).toMatchObject({ kind: 'verdict', status: 200, ok: false });
  });

  it('offline: nothing tried the network', () => {
    expect(blocked.attempts).toEqual([]);
    expect(fixture.network.attempts).toEqual([]);
  });
});
