import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchCore } from './core-bench.js';

/**
 * `npm run bench`: compiles with tsc (the code as it would ship, without a
 * dev loader's wrappers) and runs the benchmarks in one process (one core), writes
 * `bench/results/core.json` and prints a table. Goals are ratios against
 * baselines measured in the same run (issue #2); nothing here asserts time.
 */
const root = process.cwd(); // npm runs scripts from the package root
const log = (line: string): void => console.log(line);

const core = await benchCore({ log });

const goals = {
  verifyVsRawEs256: { goal: 0.4, measured: core.verify['urbis: fresh holder key per presentation']!.ratioToRawVerify },
  verifyVsRawEs256KeysImported: { goal: 0.4, measured: core.verify['urbis: holder keys already imported']!.ratioToRawVerify },
  verifyVsSdJwtJs: { goal: 3, measured: core.verify['urbis: fresh holder key per presentation']!.ratioToLibrary! },
  issueBatchVsTenRawSigns: { goal: 0.5, measured: core.issue.ratioToTenRawSigns },
};
const report = {
  generatedAt: new Date().toISOString(),
  machine: { node: process.version, platform: process.platform, arch: process.arch },
  ...core,
  goals: Object.fromEntries(Object.entries(goals).map(([k, v]) => [k, { ...v, met: v.measured >= v.goal }])),
};

mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'core.json'), `${JSON.stringify(report, null, 2)}\n`);

console.log('\nverification (2-disclosure dc+sd-jwt with key binding)');
console.table(
  Object.fromEntries(
    Object.entries(core.verify).map(([name, m]) => [name, { 'ops/s': m.opsPerSecond, 'µs/op': m.microsPerOp, '× raw ES256 verify': m.ratioToRawVerify, '× sd-jwt-js': m.ratioToLibrary ?? '' }]),
  ),
);
console.log('issuance');
console.table({ 'batch of 10 one-time copies': { 'batches/s': core.issue.opsPerSecond, 'µs/batch': core.issue.microsPerOp, '× (10 raw ES256 signs)': core.issue.ratioToTenRawSigns } });
console.log('goals');
console.table(report.goals);
console.log(`wrote ${join('bench', 'results', 'core.json')}`);
