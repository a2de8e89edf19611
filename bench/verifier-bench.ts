import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { digest, ES256 } from '@sd-jwt/crypto-nodejs';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { createNodeCompression } from '../core/status/node-compression.js';
import { signStatusListToken } from '../core/status/status-list-jwt.js';
import { buildStatusListTokenPayload } from '../core/status/token-status-list.js';
import { createCredentialKit } from '../core/test-kit/credential-kit.js';
import { createTrustedIssuerLookup } from '../core/trust/trusted-issuer.js';
import { createOutcomeCounters } from '../verifier/counters/outcome-counters.js';
import { parseServicePolicies } from '../verifier/policy/parse-service-policies.js';
import { measureTerminalHttp } from '../verifier/http/http-latency-bench.js';
import { openFileReplayCache } from '../verifier/replay/file-replay-cache.js';
import { measureReplayCache } from '../verifier/replay/replay-cache-bench.js';
import { createRequestIssuer } from '../verifier/requests/request-issuer.js';
import { measureSnapshot } from '../verifier/snapshot/snapshot-bench.js';
import type { TerminalSnapshot } from '../verifier/snapshot/terminal-snapshot.js';
import { createTerminal } from '../verifier/terminal/terminal.js';
import { compare, type Comparison } from './measure.js';

/** What `npm run bench -- verifier` measures (issue #6). */
export interface VerifierBenchResult {
  verify: Record<string, Comparison & { baselineName: string }>;
  http: Awaited<ReturnType<typeof measureTerminalHttp>>;
  snapshot: Awaited<ReturnType<typeof measureSnapshot>>;
  replayCache: Awaited<ReturnType<typeof measureReplayCache>>;
  presentationBytes: number;
}

const ROUNDS = 7;
const WARMUP = 2;
const OPS = 160;
/** Verifications in flight at once in the grouped run (a busy gate: their journal writes share one fdatasync). */
const IN_FLIGHT = 16;
const TERMINAL_ID = 'urbis:terminal:gijon-pool-1';

/**
 * The terminal's verification rate, as ratios to baselines measured in
 * alternating rounds of the same run: the whole terminal (`terminal.verify`:
 * scanner-only flow, pools policy, the durable file replay cache, counters)
 * against one raw node:crypto ES256 verify with an imported key, and
 * against `@sd-jwt/sd-jwt-vc`'s verify with key binding (its README wiring,
 * `@sd-jwt/crypto-nodejs`; its status list handed over from memory, which it
 * verifies and decodes per presentation). Each presentation comes from its own one-time
 * copy with its own holder key, as at a real gate. Then the HTTP API's
 * latency at a steady 50 requests/s for 20 s (each answer to its own
 * request, journal fsync'd), the snapshot with 10 million entries and the
 * replay cache with 1 million.
 */
export async function benchVerifier({ log }: { log: (line: string) => void }): Promise<VerifierBenchResult> {
  const kit = createCredentialKit({ now: Math.floor(Date.now() / 1000) });
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const data = Buffer.from('x'.repeat(1200));
  const signature = nodeSign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const rawVerify = (): boolean => nodeVerify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);

  const pool = (ROUNDS + WARMUP) * OPS * 3;
  log(`verifier: preparing ${pool} one-time copies and presentations…`);
  const presentations: string[] = [];
  for (let i = 0; i < pool; i++) {
    const holder = kit.newHolder();
    const credential = await kit.issue({ format: 'dc+sd-jwt', type: 'ServiceEntitlementCredential', holder, statusIndex: i });
    presentations.push(await kit.present({ credential, holder, claims: [['service_id'], ['tier']], nonce: `scanner-nonce-${String(i).padStart(8, '0')}`, audience: TERMINAL_ID }));
  }

  const dir = await mkdtemp(join(tmpdir(), 'urbis-verifier-bench-'));
  const replayCache = await openFileReplayCache({ path: join(dir, 'replay.journal') });
  const policies = parseServicePolicies(readFileSync(new URL('../../verifier/policy/fixtures/gijon-policies.json', import.meta.url), 'utf8'));
  const pools = policies.get('pools')!;
  const requests = createRequestIssuer({ terminalId: TERMINAL_ID, capacity: pool, ttlSeconds: 3_600, now: () => kit.now });
  const terminal = createTerminal({
    terminalId: TERMINAL_ID,
    policies,
    snapshot: { ports: { status: kit.status, trust: createTrustedIssuerLookup(kit.trustedIssuers) }, health: () => ({ loaded: true, ageSeconds: 60 }) as ReturnType<TerminalSnapshot['health']> },
    replayCache,
    requests,
    counters: await createOutcomeCounters(),
    crypto: kit.crypto,
    scannerServiceId: 'pools',
    now: () => kit.now,
  });
  // Flow (a): answers to the terminal's own requests (the pending nonce is the replay guard; the journal is written behind).
  log(`verifier: preparing ${pool} answers to requests…`);
  const answers: string[] = [];
  for (let i = 0; i < pool; i++) {
    const holder = kit.newHolder();
    const credential = await kit.issue({ format: 'dc+sd-jwt', type: 'ServiceEntitlementCredential', holder, statusIndex: pool + i });
    const { nonce } = requests.newRequest({ policy: pools });
    answers.push(await kit.present({ credential, holder, claims: [['service_id'], ['tier']], nonce, audience: TERMINAL_ID }));
  }
  let nextAnswer = 0;
  const answer = async (): Promise<void> => {
    const verdict = await terminal.verify({ presentation: answers[nextAnswer++]! });
    if (!verdict.ok) throw new Error(`benchmark answer rejected: ${verdict.failures.map((f) => f.code).join(', ')}`);
  };
  // Flow (b): scanner-only presentations (the replay journal is the guard: each acceptance waits for fdatasync).
  let next = 0;
  const one = async (): Promise<void> => {
    const verdict = await terminal.verify({ presentation: presentations[next++]! });
    if (!verdict.ok) throw new Error(`benchmark presentation rejected: ${verdict.failures.map((f) => f.code).join(', ')}`);
  };
  const grouped = async (i: number): Promise<void> => {
    if (i % IN_FLIGHT === 0) await Promise.all(Array.from({ length: IN_FLIGHT }, one));
  };

  // The library fetches the status list per verification: hand it the issuer's signed list from memory (no network).
  const statusListToken = await signStatusListToken({
    payload: buildStatusListTokenPayload({ sub: kit.statusListUri, iat: kit.now - 60, iss: kit.issuer.id, list: kit.statusList, compression: createNodeCompression() }),
    signingKey: kit.issuer.signingKey,
    kid: kit.issuer.kid,
  });
  const library = new SDJwtVcInstance({
    statusListFetcher: async () => statusListToken,
    hasher: digest,
    verifier: await ES256.getVerifier(kit.issuer.keyPair.publicJwk),
    kbVerifier: async (d, sig, payload) => (await ES256.getVerifier(payload.cnf!.jwk))(d, sig),
  });
  let libraryNext = 0;
  const libraryVerify = async (): Promise<void> => {
    const presentation = presentations[libraryNext++ % presentations.length]!;
    const nonce = /"nonce":"([^"]+)"/.exec(Buffer.from(presentation.split('~').at(-1)!.split('.')[1]!, 'base64url').toString('utf8'))![1]!;
    await library.verify(presentation, { keyBindingNonce: nonce, currentDate: kit.now });
  };

  const opts = { rounds: ROUNDS, warmupRounds: WARMUP };
  log('verifier: terminal (answers to its requests) vs node:crypto ES256 verify…');
  const requestFlow = await compare({ subject: answer, baseline: rawVerify, subjectOpsPerRound: OPS, baselineOpsPerRound: 2 * OPS, ...opts });
  log('verifier: terminal (scanner-only, one at a time, each remembered durably) vs node:crypto ES256 verify…');
  const sequential = await compare({ subject: one, baseline: rawVerify, subjectOpsPerRound: OPS, baselineOpsPerRound: 2 * OPS, ...opts });
  log(`verifier: terminal (scanner-only, ${IN_FLIGHT} in flight) vs node:crypto ES256 verify…`);
  const busy = await compare({ subject: grouped, baseline: rawVerify, subjectOpsPerRound: OPS, baselineOpsPerRound: 2 * OPS, ...opts });
  log('verifier: terminal (answers to its requests) vs @sd-jwt/sd-jwt-vc verify…');
  nextAnswer = 0;
  const answersAgain = answers.splice(0);
  for (let i = 0; i < answersAgain.length; i++) {
    const holder = kit.newHolder();
    const credential = await kit.issue({ format: 'dc+sd-jwt', type: 'ServiceEntitlementCredential', holder, statusIndex: 2 * pool + i });
    const { nonce } = requests.newRequest({ policy: pools });
    answers.push(await kit.present({ credential, holder, claims: [['service_id'], ['tier']], nonce, audience: TERMINAL_ID }));
  }
  const vsLibrary = await compare({ subject: answer, baseline: libraryVerify, subjectOpsPerRound: OPS, baselineOpsPerRound: 40, ...opts });
  await replayCache.close();
  await rm(dir, { recursive: true, force: true });

  log('verifier: HTTP API at a steady 50 requests/s for 20 s on loopback…');
  const http = await measureTerminalHttp({ rate: 50, seconds: 20 });
  log('verifier: snapshot with 10 million status entries…');
  const snapshot = await measureSnapshot({ entries: 10_000_000 });
  log('verifier: replay cache with 1 million entries…');
  const replay = await measureReplayCache({ entries: 1_000_000 });
  const raw = 'node:crypto ES256 verify (imported key)';
  return {
    verify: {
      'terminal, answers to its own requests (flow a)': { ...requestFlow, baselineName: raw },
      'terminal, scanner-only, one at a time (each fdatasync-ed before it answers)': { ...sequential, baselineName: raw },
      [`terminal, scanner-only, ${IN_FLIGHT} in flight (journal writes grouped)`]: { ...busy, baselineName: raw },
      'terminal (flow a) vs @sd-jwt/sd-jwt-vc': { ...vsLibrary, baselineName: '@sd-jwt/sd-jwt-vc 0.19 verify with key binding (@sd-jwt/crypto-nodejs)' },
    },
    http,
    snapshot,
    replayCache: replay,
    presentationBytes: Math.round(presentations.reduce((n, p) => n + p.length, 0) / presentations.length),
  };
}
