/**
 * Issuer benchmark: the city issuer's Credential Endpoint under
 * load, through real HTTP on 127.0.0.1, once on a SQLite file and once on a
 * fresh PostgreSQL schema (skipped, with the reason, when PostgreSQL does not
 * answer).
 *
 * Per engine, one issuer is built in this process (`createIssuer` with
 * configuration overrides: temporary data folder, random secrets, no chain —
 * revocation is not measured here) and listens on a free port. Outside the
 * timing, {@link CITIZENS} citizens are enrolled and validated through the
 * services (enrolment, back-office decision by an admin), each gets an offer
 * at the counter, and each offer is redeemed over HTTP at `/oid4vci/token`
 * (one access token per client loop: a token authorizes many credential
 * requests). Every request then is the wallet's work for one batch: POST
 * `/oid4vci/nonce`, sign 10 key proofs with the fresh `c_nonce` (client
 * work, timed apart), POST `/oid4vci/credential` with the 10 proofs (the
 * round-trip timed as the server's latency) for `resident.dc+sd-jwt`.
 *
 * 1. Sequential: one loop, one request at a time — batches per second.
 * 2. In-process: `ctx.issuance.credential` called directly with a prepared
 *    body (no HTTP, no JSON schema), in rounds alternating with HTTP
 *    requests, and its parts measured apart: proof verification and batch
 *    signing, the rest being the database work.
 * 3. Concurrent: {@link CLIENTS} loops in flight for a fixed time — p50 and
 *    p99 of the credential round-trip (goal: p99 < 50 ms).
 *
 * Holder keys come from a pool of {@link KEY_POOL} pre-generated P-256 keys
 * taken in turn: four times the issuer's 1,024-entry public-key import cache,
 * so every proof key is a cache miss, as with fresh keys.
 *
 * The client runs in the same process, on the same core as the server, so
 * client work (fetch, proof signing) and server work share one CPU: the
 * figures are a lower bound of what a dedicated issuer core would do.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createNodeCrypto } from '../core/crypto/node-crypto.js';
import type { PrivateJwk } from '../core/crypto/ports.js';
import { issueCredentialBatch } from '../core/issuance/issue-credential.js';
import { loadIssuerConfig } from '../issuer/config/issuer-config.js';
import { createIssuer } from '../issuer/create-issuer.js';
import type { DatabaseLocation } from '../issuer/db/open-database.js';
import { dayOf } from '../issuer/enrolment/enrolment-service.js';
import { residentClaims, residentValidUntil } from '../issuer/issuance/credential-claims.js';
import { verifyProofJwts } from '../issuer/oid4vci/proof-jwt.js';
import { PRE_AUTHORIZED_CODE_GRANT_TYPE } from '../core/oid4vci/credential-offer.js';
import { enrolmentBody } from '../issuer/testing/city-data.js';
import { buildProofJwt, credentialRequestBody, requestCredential, requestNonce, requestToken, type HttpResult } from '../issuer/testing/oid4vci-test-client.js';

/** Copies per batch (the issuer's default `batch_size`). */
export const COPIES = 10;
/** Concurrent client loops of the latency measurement. */
export const CLIENTS = 16;
/** Citizens enrolled per engine: one access token per client loop (the token endpoint allows 20 a minute per client address). */
const CITIZENS = CLIENTS;
/** Pre-generated holder keys, taken in turn. */
const KEY_POOL = 4096;
/** The credential configuration requested. */
export const CONFIGURATION_ID = 'resident.dc+sd-jwt';
/** p99 goal of the credential endpoint at {@link CLIENTS} concurrent clients. */
export const P99_GOAL_MS = 50;

const SEQUENTIAL_WARMUP_MS = 1_000;
const SEQUENTIAL_MS = 5_000;
const CONCURRENT_WARMUP_MS = 1_500;
const CONCURRENT_MS = 15_000;
const IN_PROCESS_WARMUP = 20;
const IN_PROCESS_ROUNDS = 200;
/** Extra status lists registered (no chain here) so that the run never exhausts list 0 (131,072 entries, 90% usable). */
const EXTRA_STATUS_LISTS = 3;
const STATUS_LIST_SIZE = 131_072;

const POSTGRES_URL = process.env['URBIS_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Percentiles of a sample of times, milliseconds. */
export interface Percentiles {
  samples: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface EngineReport {
  engine: 'sqlite' | 'postgres';
  citizens: number;
  /** Bytes of one dc+sd-jwt copy (ResidentCredential: SD-JWT with its disclosures, no key binding). */
  copyBytes: number;
  /** The smallest and largest copy of that batch (decoy digests and index digits vary). */
  copyBytesInBatch: { min: number; max: number };
  /** Bytes of the Credential Response body of one batch. */
  batchResponseBytes: number;
  /** Batches issued in this engine's section (warm-up included). */
  batchesIssued: number;
  /** `internal-error` events in the issuer's operator log (problem code, or the error's name), by kind. */
  issuerInternalErrors: Record<string, number>;
  /** After the run: `issued_copies` rows vs the sum of the lists' `allocated` counters (equal unless an update was lost). */
  statusAllocation: { copiesRecorded: number; allocatedCounter: number; consistent: boolean };
  sequential: {
    durationMs: number;
    batches: number;
    /** Whole loops (nonce + proof signing + credential) per second. */
    batchesPerSecond: number;
    /** Credential round-trips per second of round-trip time (1000 / mean): the rate without the client's other work. */
    credentialOnlyBatchesPerSecond: number;
    credentialRoundTripMs: Percentiles;
    nonceRoundTripMs: Percentiles;
    /** Client: signing the 10 key proofs of one request. */
    clientProofSigningMs: Percentiles;
    /** Requests that did not give 10 copies (not in the times; the loop went on with a fresh nonce). */
    failedRequests: number;
    failures: Record<string, number>;
  };
  concurrent: {
    clients: number;
    durationMs: number;
    batches: number;
    batchesPerSecond: number;
    credentialRoundTripMs: Percentiles;
    nonceRoundTripMs: Percentiles;
    clientProofSigningMs: Percentiles;
    /** Requests that did not give 10 copies (not in the times; the loop went on with a fresh nonce). */
    failedRequests: number;
    failures: Record<string, number>;
  };
  /** The same load from a separate process (on another core when `taskset` and a second core exist): the server has its core to itself. The goal is judged here. */
  concurrentSeparateClients: EngineReport['concurrent'] & { clientCpu: string; p99GoalMs: number; p99GoalMet: boolean };
  inProcess: {
    rounds: number;
    /** The credential round-trip over HTTP (sequential), in the same alternating rounds. */
    httpCredentialRoundTripMs: Percentiles;
    /** `ctx.issuance.credential` with a prepared body (no HTTP, no body parsing or schema check). */
    credentialMs: Percentiles;
    /** `verifyProofJwts` of the 10 proofs alone (fresh key-import cache, nonce check stubbed). */
    proofVerificationMs: Percentiles;
    /** `issueCredentialBatch` of 10 copies alone (the issuer's claims and signing key). */
    batchSigningMs: Percentiles;
    /** Calls that threw and HTTP requests that failed (not in the times). */
    failedCalls: number;
    failures: Record<string, number>;
    /** Median credential − median verification − median signing: database reads and the issuance transaction (batch row, status allocation, copies, audit). */
    restMsMedian: number;
    /** Median HTTP credential round-trip − median in-process call, same rounds: Express, JSON, schema check, loopback, fetch. */
    httpOverheadMsMedian: number;
  };
}

export type EngineOutcome = EngineReport | { engine: 'postgres'; skipped: true; reason: string };

/** A goal and what was measured (`null` when the engine was skipped). */
export interface IssuerGoal {
  goal: number;
  measured: number | null;
  met: boolean | null;
  skipped?: string;
}

export interface IssuerBenchReport {
  method: string;
  setup: Record<string, string | number>;
  engines: EngineOutcome[];
  goals: Record<string, IssuerGoal>;
  /** The machine's 1-minute load average before and after the section (other processes share its cores). */
  loadAverage1m: { start: number; end: number };
  /** Wall-clock time of the whole section, seconds. */
  totalSeconds: number;
}

/** Runs the issuer benchmark on SQLite, then on PostgreSQL (or records why not). */
export async function benchIssuer({ log }: { log: (line: string) => void }): Promise<IssuerBenchReport> {
  const started = performance.now();
  const loadAtStart = round(loadavg()[0]!, 2);
  log(`issuer: generating ${KEY_POOL} holder keys…`);
  const pool = new HolderKeyPool(Array.from({ length: KEY_POOL }, holderKey));

  const engines: EngineOutcome[] = [];
  log('issuer [sqlite]: enrolling citizens, redeeming offers…');
  engines.push(await withEngine({ engine: 'sqlite' }, (location) => benchEngine({ location, pool, log })));

  const probe = await probePostgres();
  if (!probe.ok) {
    log(`issuer [postgres]: skipped (${probe.reason})`);
    engines.push({ engine: 'postgres', skipped: true, reason: `PostgreSQL at ${redact(POSTGRES_URL)} did not answer: ${probe.reason}` });
  } else {
    log('issuer [postgres]: enrolling citizens, redeeming offers…');
    engines.push(await withEngine({ engine: 'postgres' }, (location) => benchEngine({ location, pool, log })));
  }

  return {
    method:
      `the issuer (Express over loopback HTTP) runs in the bench process on one core (CPU 0); its clients (global fetch) run first in the same process, sharing that core (client work inflates server latency), then in a separate process on CPU 1 (taskset), as remote wallets would; the p99 goal is judged on the second; ` +
      `each request = POST /oid4vci/nonce, then ${COPIES} ES256 key proofs signed with the fresh c_nonce (client time, reported apart), then POST /oid4vci/credential with ${COPIES} proofs (round-trip timed as server latency); ` +
      `sequential: 1 loop for ${SEQUENTIAL_MS / 1000} s after ${SEQUENTIAL_WARMUP_MS / 1000} s warm-up; concurrent (both runs): ${CLIENTS} closed loops with no think time, requests started in a ${CONCURRENT_MS / 1000} s window after ${CONCURRENT_WARMUP_MS / 1000} s warm-up; ` +
      `in-process: ctx.issuance.credential with a prepared body, in ${IN_PROCESS_ROUNDS} rounds (after ${IN_PROCESS_WARMUP}) alternating with one HTTP request each, medians; ` +
      `PostgreSQL runs in its own processes, not pinned to the bench core; ` +
      `holder keys from a pool of ${KEY_POOL} taken in turn (every proof key misses the issuer's 1,024-key import cache); no chain; tsc-compiled code`,
    setup: {
      citizens: CITIZENS,
      copiesPerBatch: COPIES,
      credentialConfiguration: CONFIGURATION_ID,
      statusLists: `${1 + EXTRA_STATUS_LISTS} × ${STATUS_LIST_SIZE} entries (random indices, 90% fill limit)`,
      passwordCostLn: 10,
      sqlite: 'file in a temporary folder, WAL, synchronous=NORMAL (the issuer\'s settings)',
      postgres: `${redact(POSTGRES_URL)}, a fresh schema dropped afterwards, pool of 10 connections (the issuer's settings)`,
    },
    engines,
    goals: Object.fromEntries(
      engines.map((e): [string, IssuerGoal] => [
        `credential endpoint p99 < ${P99_GOAL_MS} ms at ${CLIENTS} concurrent clients [${e.engine}]`,
        'skipped' in e
          ? { goal: P99_GOAL_MS, measured: null, met: null, skipped: e.reason }
          : { goal: P99_GOAL_MS, measured: e.concurrentSeparateClients.credentialRoundTripMs.p99, met: e.concurrentSeparateClients.p99GoalMet },
      ]),
    ),
    loadAverage1m: { start: loadAtStart, end: round(loadavg()[0]!, 2) },
    totalSeconds: round((performance.now() - started) / 1000, 1),
  };
}

const benchCrypto = createNodeCrypto();

/** A fresh P-256 holder key as a private JWK (core's generator, which encodes the JWK in the key generation job). */
export function holderKey(): PrivateJwk {
  return benchCrypto.generateKeyPair().privateJwk;
}

/** Holder keys taken in turn; ten consecutive keys are always distinct. */
export class HolderKeyPool {
  #next = 0;
  constructor(readonly keys: readonly PrivateJwk[]) {}
  take(count: number): PrivateJwk[] {
    const out: PrivateJwk[] = [];
    for (let i = 0; i < count; i++) {
      out.push(this.keys[this.#next]!);
      this.#next = (this.#next + 1) % this.keys.length;
    }
    return out;
  }
}

/** A fresh database location for `engine`, removed after `run`. */
async function withEngine<T>({ engine }: { engine: 'sqlite' | 'postgres' }, run: (location: DatabaseLocation & { dir: string }) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'urbis-issuer-bench-'));
  if (engine === 'sqlite') {
    try {
      return await run({ engine: 'sqlite', path: join(dir, 'issuer.sqlite'), dir });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const schema = `urbis_bench_${randomBytes(6).toString('hex')}`;
  await pgStatement(`create schema ${schema}`);
  try {
    return await run({ engine: 'postgres', url: POSTGRES_URL, schema, dir });
  } finally {
    await pgStatement(`drop schema if exists ${schema} cascade`);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function pgStatement(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function probePostgres(): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await pgStatement('select 1');
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message || error.name : String(error) };
  }
}

/** The URL without a password. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** One client's request: nonce, proofs, credential; a failure is what the wallet saw (HTTP status and problem code). */
type RequestOutcome =
  | { ok: true; startedAt: number; nonceMs: number; signMs: number; credentialMs: number; answer: HttpResult }
  | { ok: false; startedAt: number; failure: string };

async function oneRequest({ issuerUrl, accessToken, pool }: { issuerUrl: string; accessToken: string; pool: HolderKeyPool }): Promise<RequestOutcome> {
  const startedAt = performance.now();
  const nonceAnswer = await requestNonce({ issuerUrl });
  const t1 = performance.now();
  const cNonce = nonceAnswer.body?.['c_nonce'];
  if (nonceAnswer.status !== 200 || typeof cNonce !== 'string') return { ok: false, startedAt, failure: `nonce: HTTP ${nonceAnswer.status} ${String(nonceAnswer.body?.['code'] ?? '')}` };
  const iat = Math.floor(Date.now() / 1000);
  const proofJwts = pool.take(COPIES).map((privateJwk) => buildProofJwt({ privateJwk, audience: issuerUrl, nonce: cNonce, iat }));
  const body = credentialRequestBody({ credentialConfigurationId: CONFIGURATION_ID, proofJwts });
  const t2 = performance.now();
  const answer = await requestCredential({ issuerUrl, accessToken, body });
  const t3 = performance.now();
  const credentials = answer.body?.['credentials'];
  if (answer.status !== 200 || !Array.isArray(credentials) || credentials.length !== COPIES) return { ok: false, startedAt, failure: `credential: HTTP ${answer.status} ${String(answer.body?.['code'] ?? '')}` };
  return { ok: true, startedAt, nonceMs: t1 - startedAt, signMs: t2 - t1, credentialMs: t3 - t2, answer };
}

/** An error thrown in-process, as a short cause: the problem code, or the database's error code and constraint. */
function describeError(error: unknown): string {
  const e = error as { code?: unknown; constraint?: unknown; name?: unknown };
  if (typeof e?.code === 'string') return typeof e.constraint === 'string' ? `${e.code} ${e.constraint}` : e.code;
  return typeof e?.name === 'string' ? e.name : 'unknown error';
}

/** Failed requests of a phase, by what the wallet saw. */
class Failures {
  readonly byCause: Record<string, number> = {};
  count = 0;
  add(failure: string): void {
    this.byCause[failure] = (this.byCause[failure] ?? 0) + 1;
    this.count++;
  }
  /** Throws when more than 5% of `attempts` failed: the figures would mean little. */
  check(phase: string, attempts: number): void {
    if (this.count > 0.05 * attempts) throw new Error(`issuer bench, ${phase}: ${this.count} of ${attempts} requests failed: ${JSON.stringify(this.byCause)}`);
  }
}

async function benchEngine({ location, pool, log }: { location: DatabaseLocation & { dir: string }; pool: HolderKeyPool; log: (line: string) => void }): Promise<EngineReport> {
  const { dir, ...database } = location;
  const engine = database.engine;
  const port = await freePort();
  const issuerUrl = `http://127.0.0.1:${port}`;
  const config = loadIssuerConfig({
    env: {},
    overrides: {
      port,
      host: '127.0.0.1',
      issuerUrl,
      dataDir: dir,
      secrets: { documentKey: randomBytes(32), keySealingKey: randomBytes(32), offerKey: randomBytes(32), pseudonymSecret: randomBytes(32) },
      passwordCostLn: 10,
      database,
    },
  });
  const internalErrors: Record<string, number> = {};
  const issuer = await createIssuer({
    config,
    log: (entry) => {
      if (entry.event !== 'internal-error') return;
      const key = entry.code ?? JSON.stringify(entry.detail ?? {});
      internalErrors[key] = (internalErrors[key] ?? 0) + 1;
    },
  });
  try {
    for (let listId = 1; listId <= EXTRA_STATUS_LISTS; listId++) await issuer.statusLists.register({ listId, uri: `${issuerUrl}/status/${listId}`, size: STATUS_LIST_SIZE });
    const { url } = await issuer.start();
    if (url !== issuerUrl) throw new Error(`the issuer listens on ${url}, not ${issuerUrl}`);

    // Citizens enrolled and validated in-process; offers redeemed over HTTP.
    const admin = await issuer.staff.create({ username: 'bench-admin', password: `bench-${randomBytes(12).toString('hex')}`, role: 'admin' });
    const tokens: string[] = [];
    for (let i = 0; i < CITIZENS; i++) {
      const { application } = await issuer.enrolment.enrol(enrolmentBody());
      await issuer.backOffice.decide({ staff: admin, reference: application.reference, decision: 'validate' });
      const offer = await issuer.backOffice.offerAtCounter({ staff: admin, reference: application.reference });
      const grant = offer.offer.grants?.[PRE_AUTHORIZED_CODE_GRANT_TYPE];
      if (grant === undefined) throw new Error('the offer has no pre-authorized code grant');
      const token = await requestToken({ issuerUrl, preAuthorizedCode: grant['pre-authorized_code'], txCode: offer.txCode });
      const accessToken = token.body?.['access_token'];
      if (token.status !== 200 || typeof accessToken !== 'string') throw new Error(`token: HTTP ${token.status} ${token.text.slice(0, 200)}`);
      tokens.push(accessToken);
    }
    let batchesIssued = 0;

    // One batch, for sizes.
    const first = await oneRequest({ issuerUrl, accessToken: tokens[0]!, pool });
    if (!first.ok) throw new Error(`issuer bench, first request: ${first.failure}`);
    batchesIssued++;
    const copySizes = (first.answer.body!['credentials'] as { credential: string }[]).map((c) => Buffer.byteLength(c.credential, 'utf8'));
    const copyBytes = copySizes[0]!;
    const batchResponseBytes = Buffer.byteLength(first.answer.text, 'utf8');

    // 1. Sequential.
    log(`issuer [${engine}]: sequential requests (${SEQUENTIAL_MS / 1000} s)…`);
    const seq = { nonce: [] as number[], sign: [] as number[], credential: [] as number[], failures: new Failures() };
    const seqWarmupEnd = performance.now() + SEQUENTIAL_WARMUP_MS;
    while (performance.now() < seqWarmupEnd) {
      const r = await oneRequest({ issuerUrl, accessToken: tokens[0]!, pool });
      if (r.ok) batchesIssued++;
    }
    const seqStart = performance.now();
    const seqEnd = seqStart + SEQUENTIAL_MS;
    while (performance.now() < seqEnd) {
      const r = await oneRequest({ issuerUrl, accessToken: tokens[0]!, pool });
      if (!r.ok) {
        seq.failures.add(r.failure);
        continue;
      }
      batchesIssued++;
      seq.nonce.push(r.nonceMs);
      seq.sign.push(r.signMs);
      seq.credential.push(r.credentialMs);
    }
    const seqDuration = performance.now() - seqStart;
    seq.failures.check(`${engine} sequential`, seq.credential.length + seq.failures.count);
    const seqCredential = percentiles(seq.credential);

    // 2. In-process, in alternating rounds with HTTP requests (so that drift moves both alike):
    //    the service call with a prepared body, then its parts apart.
    log(`issuer [${engine}]: in-process credential calls alternating with HTTP requests (${IN_PROCESS_ROUNDS} rounds)…`);
    const citizenId = (await issuer.offers.authorize(tokens[0]!)).citizenId;
    const citizen = await issuer.citizens.citizen(citizenId);
    const signingKey = await issuer.keys.activeSigningKey();
    const statusListUri = (await issuer.statusLists.list(0)).uri;
    const verifierCrypto = createNodeCrypto();
    const inProc = { http: [] as number[], credential: [] as number[], verify: [] as number[], sign: [] as number[], failures: new Failures() };
    for (let round = 0; round < IN_PROCESS_WARMUP + IN_PROCESS_ROUNDS; round++) {
      const overHttp = await oneRequest({ issuerUrl, accessToken: tokens[0]!, pool });
      if (!overHttp.ok) {
        inProc.failures.add(overHttp.failure);
        continue;
      }
      batchesIssued++;
      const cNonce = await issuer.issuance.nonce();
      const iat = Math.floor(Date.now() / 1000);
      const holderKeys = pool.take(COPIES);
      const proofJwts = holderKeys.map((privateJwk) => buildProofJwt({ privateJwk, audience: issuerUrl, nonce: cNonce, iat }));
      const body = credentialRequestBody({ credentialConfigurationId: CONFIGURATION_ID, proofJwts });
      const t0 = performance.now();
      const result = await issuer.issuance.credential({ accessToken: tokens[0]!, body }).catch((error: unknown) => describeError(error));
      const t1 = performance.now();
      if (typeof result === 'string' || result.status !== 200 || result.credentials.length !== COPIES) {
        inProc.failures.add(typeof result === 'string' ? result : `status ${result.status}`);
        continue;
      }
      batchesIssued++;

      // Proof verification alone, on the next 10 pool keys (not yet in this verifier's import cache).
      const otherProofs = pool.take(COPIES).map((privateJwk) => buildProofJwt({ privateJwk, audience: issuerUrl, nonce: cNonce, iat }));
      const t2 = performance.now();
      const publicKeys = await verifyProofJwts({ proofs: otherProofs, audience: issuerUrl, crypto: verifierCrypto, now: iat, expectedNonce: cNonce });
      const t3 = performance.now();

      // Batch signing alone: what the issuer signs inside its transaction.
      const today = dayOf(Date.now());
      const validFrom = Math.floor(Date.parse(`${today}T00:00:00Z`) / 1000);
      const claims = residentClaims({ citizen, municipality: config.municipality, today });
      const validUntil = residentValidUntil({ birthdate: citizen.birthdate, today, validityDays: config.validityDays });
      const t4 = performance.now();
      await issueCredentialBatch({
        format: 'dc+sd-jwt',
        type: 'ResidentCredential',
        claims: claims as never,
        issuer: { id: config.did, signingKey },
        statusListUri,
        validFrom,
        validUntil,
        issuedAt: iat,
        crypto: { hash: issuer.crypto.hash, hashBase64url: issuer.crypto.hashBase64url, randomBytes: issuer.crypto.randomBytes },
        copies: publicKeys.map((holderPublicJwk, k) => ({ holderPublicJwk, statusIndex: round * COPIES + k })),
      });
      const t5 = performance.now();
      if (round < IN_PROCESS_WARMUP) continue;
      inProc.http.push(overHttp.credentialMs);
      inProc.credential.push(t1 - t0);
      inProc.verify.push(t3 - t2);
      inProc.sign.push(t5 - t4);
    }
    inProc.failures.check(`${engine} in-process`, 2 * (IN_PROCESS_WARMUP + IN_PROCESS_ROUNDS));
    const inProcCredential = percentiles(inProc.credential);
    const verification = percentiles(inProc.verify);
    const signing = percentiles(inProc.sign);
    const interleavedHttp = percentiles(inProc.http);

    // 3. Concurrent: CLIENTS loops; requests started inside the window count. First with the clients in this
    // process (on the server's core), then in a separate process on another core, as remote wallets would be.
    log(`issuer [${engine}]: ${CLIENTS} concurrent clients in this process (${CONCURRENT_MS / 1000} s)…`);
    const conc = await runConcurrentClients({ issuerUrl, tokens: tokens.slice(0, CLIENTS), pool, warmupMs: CONCURRENT_WARMUP_MS, windowMs: CONCURRENT_MS });
    batchesIssued += conc.batchesIssued;
    const concDuration = conc.durationMs;
    const concCredential = percentiles(conc.credential);
    log(`issuer [${engine}]: ${CLIENTS} concurrent clients in a separate process (${CONCURRENT_MS / 1000} s)…`);
    const separate = await runClientsInSeparateProcess({ issuerUrl, tokens: tokens.slice(0, CLIENTS) });
    batchesIssued += separate.batchesIssued;
    const separateCredential = percentiles(separate.credential);

    // Status allocation bookkeeping: copies recorded vs the lists' `allocated` counters.
    const copiesRecorded = Number((await issuer.db.selectFrom('issued_copies').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const allocatedCounter = (await issuer.statusLists.lists()).reduce((sum, l) => sum + l.allocated, 0);
    return {
      engine,
      citizens: CITIZENS,
      copyBytes,
      copyBytesInBatch: { min: Math.min(...copySizes), max: Math.max(...copySizes) },
      batchResponseBytes,
      batchesIssued,
      issuerInternalErrors: internalErrors,
      statusAllocation: { copiesRecorded, allocatedCounter, consistent: copiesRecorded === allocatedCounter },
      sequential: {
        durationMs: round(seqDuration, 0),
        batches: seq.credential.length,
        batchesPerSecond: round((seq.credential.length / seqDuration) * 1000, 1),
        credentialOnlyBatchesPerSecond: round(1000 / seqCredential.mean, 1),
        credentialRoundTripMs: seqCredential,
        nonceRoundTripMs: percentiles(seq.nonce),
        clientProofSigningMs: percentiles(seq.sign),
        failedRequests: seq.failures.count,
        failures: seq.failures.byCause,
      },
      concurrent: {
        clients: CLIENTS,
        durationMs: round(concDuration, 0),
        batches: conc.credential.length,
        batchesPerSecond: round((conc.credential.length / concDuration) * 1000, 1),
        credentialRoundTripMs: concCredential,
        nonceRoundTripMs: percentiles(conc.nonce),
        clientProofSigningMs: percentiles(conc.sign),
        failedRequests: conc.failures.count,
        failures: conc.failures.byCause,
      },
      concurrentSeparateClients: {
        clients: CLIENTS,
        clientCpu: separate.clientCpu,
        durationMs: round(separate.durationMs, 0),
        batches: separate.credential.length,
        batchesPerSecond: round((separate.credential.length / separate.durationMs) * 1000, 1),
        credentialRoundTripMs: separateCredential,
        nonceRoundTripMs: percentiles(separate.nonce),
        clientProofSigningMs: percentiles(separate.sign),
        failedRequests: separate.failures.count,
        failures: separate.failures.byCause,
        p99GoalMs: P99_GOAL_MS,
        p99GoalMet: separateCredential.p99 < P99_GOAL_MS,
      },
      inProcess: {
        rounds: IN_PROCESS_ROUNDS,
        httpCredentialRoundTripMs: interleavedHttp,
        credentialMs: inProcCredential,
        proofVerificationMs: verification,
        batchSigningMs: signing,
        failedCalls: inProc.failures.count,
        failures: inProc.failures.byCause,
        restMsMedian: round(inProcCredential.p50 - verification.p50 - signing.p50, 3),
        httpOverheadMsMedian: round(interleavedHttp.p50 - inProcCredential.p50, 3),
      },
    };
  } finally {
    await issuer.stop();
  }
}

/** What a run of concurrent client loops measured. */
export interface ConcurrentRun {
  nonce: number[];
  sign: number[];
  credential: number[];
  failures: { count: number; byCause: Record<string, number> };
  batchesIssued: number;
  durationMs: number;
}

/** `clients` loops (one access token each) of nonce + proofs + credential; requests started inside the window count. */
export async function runConcurrentClients({ issuerUrl, tokens, pool, warmupMs, windowMs }: { issuerUrl: string; tokens: readonly string[]; pool: HolderKeyPool; warmupMs: number; windowMs: number }): Promise<ConcurrentRun> {
  const run = { nonce: [] as number[], sign: [] as number[], credential: [] as number[], failures: new Failures(), batchesIssued: 0 };
  const windowStart = performance.now() + warmupMs;
  const windowEnd = windowStart + windowMs;
  let lastCompletion = windowStart;
  await Promise.all(
    tokens.map(async (accessToken) => {
      while (performance.now() < windowEnd && run.failures.count < 500) {
        const r = await oneRequest({ issuerUrl, accessToken, pool });
        if (r.ok) run.batchesIssued++;
        if (r.startedAt < windowStart) continue;
        if (!r.ok) {
          run.failures.add(r.failure);
          continue;
        }
        run.nonce.push(r.nonceMs);
        run.sign.push(r.signMs);
        run.credential.push(r.credentialMs);
        lastCompletion = Math.max(lastCompletion, performance.now());
      }
    }),
  );
  run.failures.check('concurrent', run.credential.length + run.failures.count);
  return { ...run, failures: { count: run.failures.count, byCause: run.failures.byCause }, durationMs: lastCompletion - windowStart };
}

/**
 * Runs {@link runConcurrentClients} in a child process (`issuer-load-client.js`), pinned to CPU 1 with
 * `taskset` when there is a second core, while this process (the server) stays on CPU 0.
 */
async function runClientsInSeparateProcess({ issuerUrl, tokens }: { issuerUrl: string; tokens: readonly string[] }): Promise<ConcurrentRun & { clientCpu: string }> {
  const script = fileURLToPath(new URL('./issuer-load-client.js', import.meta.url));
  const input = JSON.stringify({ issuerUrl, tokens, warmupMs: CONCURRENT_WARMUP_MS, windowMs: CONCURRENT_MS });
  const pinned = cpus().length >= 2 && spawnSync('taskset', ['--version']).status === 0;
  const [command, args] = pinned ? ['taskset', ['-c', '1', process.execPath, script]] : [process.execPath, [script]];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`issuer load client exited with ${code}`))));
    child.stdin.end(input);
  });
  return { ...(JSON.parse(output) as ConcurrentRun), clientCpu: pinned ? 'separate process on CPU 1 (taskset)' : 'separate process, not pinned' };
}

/** Nearest-rank percentiles, milliseconds rounded to µs. */
export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { samples: 0, mean: NaN, p50: NaN, p90: NaN, p99: NaN, max: NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  return { samples: sorted.length, mean: round(mean, 3), p50: round(at(0.5), 3), p90: round(at(0.9), 3), p99: round(at(0.99), 3), max: round(sorted.at(-1)!, 3) };
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
