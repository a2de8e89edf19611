import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { benchCore } from './core-bench.js';
import { benchIssuer, CLIENTS, CONFIGURATION_ID, COPIES, type EngineReport } from './issuer-bench.js';
import { benchRegistryGas } from './registry-gas-bench.js';
import { benchSnapshot } from './registry-snapshot-bench.js';
import { benchStatus } from './status-bench.js';
import { DISCLOSED_CLAIM_SETS } from './city-issuer-copies.js';
import { benchWallet } from './wallet-bench.js';
import { benchVerifier } from './verifier-bench.js';

/**
 * `npm run bench`: compiles with tsc (the code as it would ship, without a
 * dev loader's wrappers) and runs the benchmarks in one process (one core).
 * Writes `bench/results/core.json`, then `registry.json`, `issuer.json` and
 * `wallet.json`, and prints tables. Core goals are ratios to baselines
 * measured in alternating rounds of the same run (issue #2); nothing here
 * asserts a time.
 *
 * Name benchmarks to run only those: `npm run bench -- wallet` (any of
 * `core`, `registry`, `issuer`, `wallet`, `verifier`; default: all).
 */
const root = process.cwd(); // npm runs scripts from the package root
const log = (line: string): void => console.log(line);
const BENCHMARKS = ['core', 'registry', 'issuer', 'wallet', 'verifier'] as const;
const selected = process.argv.slice(2);
const unknown = selected.filter((name) => !(BENCHMARKS as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}: choose among ${BENCHMARKS.join(', ')}`);
  process.exit(2);
}
const wants = (name: (typeof BENCHMARKS)[number]): boolean => selected.length === 0 || selected.includes(name);
const machine = { node: process.version, platform: process.platform, arch: process.arch };
mkdirSync(join(root, 'bench', 'results'), { recursive: true });

if (wants('core')) {
  const core = await benchCore({ log });
  log('status lists: 1,000,000 entries × 2 bits…');
  const status = await benchStatus();
  const v = core.verify;
  const goals = {
    'verify ≥ 0.40 × raw ES256 verify (holder keys imported)': { goal: 0.4, measured: v['urbis, holder keys already imported']!.ratio },
    'verify ≥ 0.40 × raw ES256 verify (fresh holder key)': { goal: 0.4, measured: v['urbis, fresh holder key per presentation']!.ratio },
    'verify ≥ 3 × sd-jwt-js verify': { goal: 3, measured: v['urbis vs sd-jwt-js (crypto-nodejs, fresh holder keys)']!.ratio },
    'batch of 10 ≥ 0.5 × (10 raw ES256 signs)': { goal: 0.5, measured: core.issue.ratio },
  };
  const report = {
    generatedAt: new Date().toISOString(),
    machine,
    method: 'subject and baseline in alternating rounds; median of per-pair ratios; tsc-compiled code; one process',
    ...core,
    status,
    goals: Object.fromEntries(Object.entries(goals).map(([k, g]) => [k, { ...g, met: g.measured >= g.goal }])),
  };

  writeFileSync(join(root, 'bench', 'results', 'core.json'), `${JSON.stringify(report, null, 2)}\n`);

  console.log(`\nverification of a 2-disclosure dc+sd-jwt presentation with key binding (${core.presentationBytes} bytes)`);
  console.table(
    Object.fromEntries(
      Object.entries(v).map(([name, c]) => [name, { 'ops/s': c.subject.opsPerSecond, 'µs/op': c.subject.microsPerOp, baseline: c.baselineName, 'baseline ops/s': c.baseline.opsPerSecond, ratio: c.ratio }]),
    ),
  );
  console.log('issuance');
  console.table({
    'batch of 10 one-time copies': { 'batches/s': core.issue.subject.opsPerSecond, 'µs/batch': core.issue.subject.microsPerOp, baseline: core.issue.baselineName, 'baseline ops/s': core.issue.baseline.opsPerSecond, ratio: core.issue.ratio },
  });
  console.log('status check of one index in a 1,000,000-entry 2-bit list (1% revoked or suspended)');
  console.table(Object.fromEntries(status.map((r) => [r.name, { 'compressed bytes': r.compressedBytes, 'decode ms': r.decodeMs, 'µs per check': r.checkMicros, 'checks/s': r.checksPerSecond }])));
  console.log('goals');
  console.table(report.goals);
  console.log(`wrote ${join('bench', 'results', 'core.json')}`);

}

// Registry (issue #3): gas per status change; snapshots and delta sync.
if (wants('registry')) {
  log('\nregistry: gas per status change (in-process Hardhat)…');
  const gas = await benchRegistryGas();
  const snapshots = await benchSnapshot({ log });
  const registryReport = {
    generatedAt: new Date().toISOString(),
    machine,
    gas,
    snapshots,
    goals: {
      'gas per change ≤ 1,000 at batch 1,000 (random indices, list in use)': { goal: 1000, measured: gas.goal.measuredNonzeroWords, met: gas.goal.measuredNonzeroWords <= 1000 },
      ...snapshots.goals,
    },
  };
  writeFileSync(join(root, 'bench', 'results', 'registry.json'), `${JSON.stringify(registryReport, null, 2)}\n`);
  console.table(
    Object.fromEntries(gas.rows.map((r) => [`batch ${r.batchSize}, ${r.distribution}, ${r.words} words`, { 'gas/change': r.gasPerChange, 'words touched': r.wordsTouched, 'tx gas': r.totalGas }])),
  );
  console.log(`one transaction per change: ${gas.naive.nonzero} gas (words in use), ${gas.naive.fresh} gas (fresh words)`);
  console.log(
    `snapshot of ${snapshots.snapshot.lists} lists × ${snapshots.snapshot.entriesPerList} entries: ${snapshots.snapshot.bytesOnDisk} bytes on disk, load ${snapshots.snapshot.loadMsMedian} ms (median)`,
  );
  console.table(Object.fromEntries(snapshots.deltaSync.map((r) => [r.scenario, { changes: r.changes, 'bytes received': r.responseBytes, 'bytes sent': r.requestBytes, 'apply ms': r.applyMsMedian, 'sync ms': r.syncMsMedian }])));
  console.table(registryReport.goals);
  console.log(`wrote ${join('bench', 'results', 'registry.json')}`);

}

// Issuer: the Credential Endpoint over loopback HTTP, batches of 10 one-time copies, SQLite and PostgreSQL.
if (wants('issuer')) {
  log('\nissuer: credential endpoint, batches of 10 one-time copies (SQLite, then PostgreSQL)…');
  const issuer = await benchIssuer({ log });
  const issuerReport = { generatedAt: new Date().toISOString(), machine, ...issuer };
  writeFileSync(join(root, 'bench', 'results', 'issuer.json'), `${JSON.stringify(issuerReport, null, 2)}\n`);
  const measured = issuer.engines.filter((e): e is EngineReport => !('skipped' in e));
  for (const e of issuer.engines) if ('skipped' in e) console.log(`${e.engine}: skipped (${e.reason})`);
  console.log(`issuance of ${COPIES}-copy batches (${CONFIGURATION_ID}); server on CPU 0; clients in-process (same core) or in a separate process on CPU 1`);
  console.table(
    Object.fromEntries(
      (
        [
          ['batches/s, 1 client (whole loop)', (e) => e.sequential.batchesPerSecond],
          ['credential round-trip p50 ms, 1 client', (e) => e.sequential.credentialRoundTripMs.p50],
          ['nonce round-trip p50 ms, 1 client', (e) => e.sequential.nonceRoundTripMs.p50],
          ['client: sign 10 proofs, p50 ms', (e) => e.sequential.clientProofSigningMs.p50],
          ['in-process credential p50 ms', (e) => e.inProcess.credentialMs.p50],
          ['  of which: verify 10 proofs, p50 ms', (e) => e.inProcess.proofVerificationMs.p50],
          ['  of which: sign 10 copies, p50 ms', (e) => e.inProcess.batchSigningMs.p50],
          ['  of which: database and the rest, ms', (e) => e.inProcess.restMsMedian],
          ['HTTP overhead p50 ms', (e) => e.inProcess.httpOverheadMsMedian],
          [`batches/s, ${CLIENTS} clients in-process`, (e) => e.concurrent.batchesPerSecond],
          [`credential p50 ms, ${CLIENTS} clients in-process`, (e) => e.concurrent.credentialRoundTripMs.p50],
          [`credential p99 ms, ${CLIENTS} clients in-process`, (e) => e.concurrent.credentialRoundTripMs.p99],
          [`batches/s, ${CLIENTS} clients, other core`, (e) => e.concurrentSeparateClients.batchesPerSecond],
          [`credential p50 ms, ${CLIENTS} clients, other core`, (e) => e.concurrentSeparateClients.credentialRoundTripMs.p50],
          [`credential p99 ms, ${CLIENTS} clients, other core`, (e) => e.concurrentSeparateClients.credentialRoundTripMs.p99],
          [`failed requests, ${CLIENTS} clients`, (e) => e.concurrent.failedRequests + e.concurrentSeparateClients.failedRequests],
          ['bytes of one dc+sd-jwt copy', (e) => e.copyBytes],
          ['batches issued', (e) => e.batchesIssued],
        ] as [string, (e: EngineReport) => number][]
      ).map(([name, pick]) => [name, Object.fromEntries(measured.map((e) => [e.engine, pick(e)]))]),
    ),
  );
  console.table(issuer.goals);
  console.log(`wrote ${join('bench', 'results', 'issuer.json')} (${issuer.totalSeconds} s)`);
}

// Wallet (issue #5): one presentation from a stored copy, store unlock, presentation bytes and QR versions.
if (wants('wallet')) {
  log('\nwallet: presentations, store unlock, presentation sizes…');
  const wallet = await benchWallet({ log });
  const walletReport = { generatedAt: new Date().toISOString(), machine: { ...machine, loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(2))) }, method: 'per-operation medians with a baseline timed in between (same run); sizes exact; tsc-compiled code; one process', ...wallet };
  writeFileSync(join(root, 'bench', 'results', 'wallet.json'), `${JSON.stringify(walletReport, null, 2)}\n`);
  console.log(`one presentation from a stored copy (${wallet.timing.wallet.copies} copies in the wallet; request: ${wallet.timing.request.claims.map((c) => c.join('.')).join(', ')})`);
  console.table(
    Object.fromEntries(
      Object.entries(wallet.timing.present).map(([name, r]) => [name, { 'median ms': r.subject.medianMs, 'p95 ms': r.subject.p95Ms, baseline: r.baselineName, 'baseline ms': r.baseline.medianMs, '× baseline': r.ratio }]),
    ),
  );
  for (const [name, r] of Object.entries(wallet.timing.present)) {
    if (r.parts) console.log(`  ${name.slice(0, 40)}…: parse + load ${r.parts.parseAndLoadMs} ms, prepareConsent ${r.parts.prepareConsentMs} ms, presentWithConsent ${r.parts.presentWithConsentMs} ms (medians)`);
  }
  const u = wallet.timing.unlock;
  console.log(`store unlock (openWalletStore, scrypt N = 2^15): median ${u.subject.medianMs} ms, p95 ${u.subject.p95Ms} ms; ${u.baselineName}: ${u.baseline.medianMs} ms (× ${u.ratio})`);
  const cell = (bytes: number, version: number, saved: number | undefined): string =>
    `${bytes} B, ${version > 40 ? '> v40' : `v${version}`}-L${saved === undefined ? '' : ` (−${saved})`}`;
  for (const { format, steps, qrEncodingWhatIfs } of wallet.sizes.formats) {
    console.log(`${format}: presentation bytes (median), QR version at level L (largest sample), bytes saved by the step — by claims disclosed`);
    console.table(
      Object.fromEntries(
        steps.map((step) => [
          step.change.length > 70 ? `${step.change.slice(0, 69)}…` : step.change,
          Object.fromEntries(DISCLOSED_CLAIM_SETS.map(({ name, short }) => [short, cell(step.presentations[name]!.bytes.median, step.presentations[name]!.qr.versionAtL, step.savedBytes?.[name])])),
        ]),
      ),
    );
    console.table(Object.fromEntries(qrEncodingWhatIfs.map((w) => [w.encoding, Object.fromEntries(DISCLOSED_CLAIM_SETS.map(({ name, short }) => [short, w.versionAtL[name]]))])));
  }
  console.table(Object.fromEntries(Object.entries(wallet.goals).map(([k, g]) => [k, { measured: g.measured, met: g.met }])));
  console.log(`wrote ${join('bench', 'results', 'wallet.json')}`);
}

if (wants('verifier')) {
  log('\nverifier: terminal verification rate, snapshot, replay cache…');
  const verifier = await benchVerifier({ log });
  const v = verifier.verify;
  const [requestFlow, one, busy, library] = Object.values(v) as [typeof v[string], typeof v[string], typeof v[string], typeof v[string]];
  const goals = {
    'terminal verification ≥ 0.40 × raw ES256 verify (answers to requests)': { goal: '≥ 0.40', measured: requestFlow.ratio, met: requestFlow.ratio >= 0.4 },
    'terminal verification ≥ 0.40 × raw ES256 verify (scanner-only, one at a time)': { goal: '≥ 0.40', measured: one.ratio, met: one.ratio >= 0.4 },
    'terminal verification ≥ 0.40 × raw ES256 verify (scanner-only, busy gate)': { goal: '≥ 0.40', measured: busy.ratio, met: busy.ratio >= 0.4 },
    'terminal verification ≥ 3 × @sd-jwt/sd-jwt-vc verify': { goal: '≥ 3', measured: library.ratio, met: library.ratio >= 3 },
    'HTTP p99 < 5 ms at 50 requests/s (loopback, 20 s)': { goal: '< 5 ms', measured: verifier.http.p99Ms, met: verifier.http.p99Ms < 5 },
    'snapshot with 10M entries < 10 MB': { goal: '< 10 MB', measured: verifier.snapshot.heapBytes, met: verifier.snapshot.heapBytes < 10 * 1024 * 1024 },
    'snapshot with 10M entries loads < 50 ms': { goal: '< 50 ms', measured: verifier.snapshot.loadMs, met: verifier.snapshot.loadMs < 50 },
  };
  const report = {
    generatedAt: new Date().toISOString(),
    machine: { ...machine, loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(2))) },
    method: 'subject and baseline in alternating rounds; median of per-pair ratios; tsc-compiled code; one process',
    ...verifier,
    goals,
  };
  writeFileSync(join(root, 'bench', 'results', 'verifier.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.table(Object.fromEntries(Object.entries(v).map(([name, r]) => [name, { 'ops/s': r.subject.opsPerSecond, baseline: r.baselineName, 'baseline ops/s': r.baseline.opsPerSecond, ratio: r.ratio }])));
  console.log(`HTTP at 50/s for 20 s: p50 ${verifier.http.p50Ms} ms, p99 ${verifier.http.p99Ms} ms, max ${verifier.http.maxMs} ms, ${verifier.http.errors} errors of ${verifier.http.sent}`);
  console.log(`snapshot, 10M entries: load ${verifier.snapshot.loadMs} ms, ${(verifier.snapshot.heapBytes / 1e6).toFixed(2)} MB kept, file ${verifier.snapshot.fileBytes} B`);
  console.log(`replay cache, 1M entries: ${verifier.replayCache.bytesPerEntry} B/entry, reload ${verifier.replayCache.loadMs} ms`);
  console.table(Object.fromEntries(Object.entries(goals).map(([k, g]) => [k, { measured: g.measured, met: g.met }])));
  console.log(`wrote ${join('bench', 'results', 'verifier.json')}`);
}
