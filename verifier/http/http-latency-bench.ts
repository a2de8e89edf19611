import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { TerminalVerdict } from '../terminal/terminal.js';
import { loopbackRequest } from '../testing/loopback-http.js';
import { createTerminalFixture } from '../testing/terminal-fixture.js';
import { startTerminalServer } from './start-terminal-server.js';

/** The figures of {@link measureTerminalHttp}. */
export interface TerminalHttpMeasurement {
  /** Requests sent in the measured window (`rate × seconds`). */
  sent: number;
  /** Latency of `POST /presentations/verify`, from the request's first byte to the answer's last, in milliseconds. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Answers that were not a 200 verdict with `ok: true`, and requests that failed. */
  errors: number;
  /** The schedule asked for. */
  rate: number;
  seconds: number;
  /** How late the client sent, behind its schedule (p99 and max, ms): large values mean the process could not keep up. */
  scheduleLagP99Ms: number;
  scheduleLagMaxMs: number;
  /** Honest presentations sent before the window (JIT, key caches), not measured. */
  warmup: number;
}

const WARMUP = 50;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

/**
 * Measures the terminal's HTTP API under a steady open-loop load (issue 6's
 * benchmark: "HTTP p50/p99 at a steady 50 requests/s for 20 s on
 * loopback", goal p99 < 5 ms). Starts a fixture terminal (real snapshot,
 * file replay cache with its fsync'd journal, file counters, Gijón
 * policies) and its server on 127.0.0.1; builds beforehand `rate × seconds`
 * honest presentations, each from a fresh one-time credential and holder
 * key, answering its own pending request (made with the terminal's request
 * issuer: the request QR's layout is not part of what is measured), so none
 * is a replay; then POSTs them as `text/plain` on a fixed schedule, each at
 * its time whether or not the previous answer has come (open loop), through
 * a keep-alive `node:http` agent, and times each. Client and server share
 * this process (and its core, under `taskset -c 0`): the client's own work
 * is in the figures. Closes everything after.
 *
 * @throws UrbisError `INVALID_ARGUMENT` unless `rate` is 1..1000 per second and `seconds` 1..600.
 * @example
 * ```ts
 * const { p50Ms, p99Ms } = await measureTerminalHttp({ rate: 50, seconds: 20 });
 * console.log(`p99 ${p99Ms} ms (goal < 5 ms)`);
 * ```
 */
export async function measureTerminalHttp({ rate = 50, seconds = 20, parentDir }: { rate?: number; seconds?: number; parentDir?: string } = {}): Promise<TerminalHttpMeasurement> {
  if (!Number.isFinite(rate) || rate < 1 || rate > 1000) throw new UrbisError('INVALID_ARGUMENT', 'rate is 1 to 1000 requests per second');
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 600) throw new UrbisError('INVALID_ARGUMENT', 'seconds is 1 to 600');
  const sent = Math.round(rate * seconds);
  const fixture = await createTerminalFixture({ requestCapacity: Math.min(1_000_000, sent + WARMUP + 16), ...(parentDir === undefined ? {} : { parentDir }) });
  const server = await startTerminalServer({ terminal: fixture.terminal });
  const agent = new Agent({ keepAlive: true });
  try {
    const pools = fixture.terminal.services().find((policy) => policy.serviceId === 'pools');
    if (pools === undefined) throw new UrbisError('CONFIG_INVALID', 'the fixture has no pools policy');
    const presentations: string[] = [];
    for (let i = 0; i < sent + WARMUP; i++) {
      const { nonce } = fixture.requests.newRequest({ policy: pools });
      const { credential, holder } = await fixture.issue();
      presentations.push(await fixture.kit.present({ credential, holder, claims: [['service_id'], ['tier']], nonce, audience: fixture.terminalId, iat: fixture.now }));
    }
    const url = `${server.url}/presentations/verify`;
    const post = async (presentation: string): Promise<{ ms: number; ok: boolean }> => {
      const start = performance.now();
      try {
        const response = await loopbackRequest({ url, method: 'POST', headers: { 'content-type': 'text/plain' }, body: presentation, agent });
        const ms = performance.now() - start;
        return { ms, ok: response.status === 200 && (JSON.parse(response.text) as TerminalVerdict).ok };
      } catch {
        return { ms: performance.now() - start, ok: false };
      }
    };

    let errors = 0;
    for (const presentation of presentations.splice(0, WARMUP)) if (!(await post(presentation)).ok) errors++;
    if (errors > 0) throw new UrbisError('STATE_CONFLICT', `${errors} warm-up presentations were not accepted`);

    const interval = 1000 / rate;
    const lags: number[] = [];
    const pending: Promise<{ ms: number; ok: boolean }>[] = [];
    const t0 = performance.now() + 5;
    for (let i = 0; i < sent; i++) {
      const due = t0 + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      lags.push(Math.max(0, performance.now() - due));
      pending.push(post(presentations[i]!));
    }
    const results = await Promise.all(pending);
    const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
    const sortedLags = lags.sort((a, b) => a - b);
    errors = results.filter((r) => !r.ok).length;
    return {
      sent,
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
      maxMs: round(latencies[latencies.length - 1] ?? Number.NaN),
      errors,
      rate,
      seconds,
      scheduleLagP99Ms: round(percentile(sortedLags, 99)),
      scheduleLagMaxMs: round(sortedLags[sortedLags.length - 1] ?? Number.NaN),
      warmup: WARMUP,
    };
  } finally {
    agent.destroy();
    await server.close();
    await fixture.close();
  }
}
