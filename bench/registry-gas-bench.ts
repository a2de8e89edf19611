/**
 * Gas per status change of `StatusRegistry.updateStatuses` (issue #3 goal:
 * ≤ 1,000 gas per change at batch 1,000), measured in-process on Hardhat's
 * network (its default hardfork; EIP-2929/3529 storage pricing, unchanged
 * since London).
 *
 * For batch sizes 1, 100 and 1,000, in a 131,072-entry list (1,024 words):
 * - `distribution: 'random'`: distinct indices drawn uniformly (as issuers
 *   draw status indices), sorted by index before packing as the publisher
 *   does; `'clustered'`: distinct indices drawn inside one window of
 *   4 × batchSize consecutive entries (what sequentially assigned indices
 *   would give: a best case, not how Urbis assigns indices);
 * - `words: 'fresh'`: every touched word is zero before the batch (a new
 *   list per transaction: SSTORE zero → non-zero, 20,000 gas);
 *   `words: 'nonzero'`: every word of the list already holds a non-zero entry
 *   (SSTORE non-zero → non-zero, 2,900 gas).
 * The batch-size-1 rows are the naive cost (one transaction per change),
 * averaged over 50 transactions. Gas figures are whole transactions
 * (`receipt.gasUsed`: 21,000 base and calldata included) unless a field says
 * otherwise. `floor` gives what EVM storage pricing alone charges for the
 * words a batch touches, to compare with.
 *
 * Writes no files; returns a `RegistryGasReport` for `bench/run.ts` to print
 * and store.
 */
import type { HardhatEthersSigner } from '@nomicfoundation/hardhat-ethers/signers.js';
import { getBytes } from 'ethers';
import { deployStatusRegistry, type StatusRegistryContract } from '../contracts/test-support/contracts.js';
import { loadHardhat } from '../contracts/test-support/hardhat.js';
import { xorshift32 } from './bench-data.js';
import { ENTRIES_PER_WORD, MIN_LIST_SIZE, packDeltas, type Delta } from '../contracts/test-support/status-model.js';

export type GasDistribution = 'random' | 'clustered';
export type GasWordState = 'fresh' | 'nonzero';

export interface RegistryGasRow {
  batchSize: number;
  distribution: GasDistribution;
  words: GasWordState;
  /** Transactions measured; every other figure is their mean. */
  transactions: number;
  /** `gasUsed / batchSize`: what one change costs inside a batch of this size. */
  gasPerChange: number;
  /** `gasUsed` of one transaction. */
  totalGas: number;
  /** Intrinsic calldata gas of one transaction (16 per non-zero byte, 4 per zero byte). */
  calldataGas: number;
  /** Distinct storage words the batch touched. */
  wordsTouched: number;
  /** `(gasUsed - 21,000 - calldataGas) / wordsTouched`: execution gas per word touched. */
  executionGasPerWord: number;
}

export interface RegistryGasReport {
  hardfork: string;
  listSize: number;
  rows: RegistryGasRow[];
  /** One transaction per change (batch size 1, random indices), gas per change. */
  naive: Record<GasWordState, number>;
  goal: {
    description: string;
    gasPerChange: number;
    /** Batch 1,000, random indices, words already non-zero (the steady state of a list in use). */
    measuredNonzeroWords: number;
    /** Batch 1,000, random indices, fresh words (a new list). */
    measuredFreshWords: number;
    met: boolean;
  };
  /** Storage pricing alone for 1,000 random changes in 1,024 words (no calldata, event, or loop). */
  floor: {
    expectedWordsTouched: number;
    storageGasPerWordFresh: number;
    storageGasPerWordNonzero: number;
    gasPerChangeFresh: number;
    gasPerChangeNonzero: number;
  };
}

const LIST_SIZE = MIN_LIST_SIZE;
const WORDS = LIST_SIZE / ENTRIES_PER_WORD;
const BATCH_SIZES = [1, 100, 1000] as const;
const TRANSACTIONS: Record<number, number> = { 1: 50, 100: 10, 1000: 3 };
/** Entry 127 of every word is set in a "nonzero" list, and never drawn. */
const FILLER_OFFSET = ENTRIES_PER_WORD - 1;
const COLD_SLOAD = 2100;
const SSTORE_SET = 20_000;
const SSTORE_RESET = 2900;
const SEED = 0x0c17_5eed;

export async function benchRegistryGas(): Promise<RegistryGasReport> {
  const hre = await loadHardhat();
  const [admin, issuer] = await hre.ethers.getSigners();
  if (admin === undefined || issuer === undefined) throw new Error('Hardhat has no signers');
  const registry = await deployStatusRegistry(hre, admin);
  const next = xorshift32(SEED);
  const random = (): number => next() / 2 ** 32;
  const rows: RegistryGasRow[] = [];

  const newList = async (): Promise<number> => {
    const id = Number(await registry.listCount());
    await (await registry.createList(issuer.address, LIST_SIZE)).wait();
    return id;
  };

  for (const distribution of ['random', 'clustered'] as const) {
    for (const words of ['fresh', 'nonzero'] as const) {
      // One pre-filled list serves every batch of a "nonzero" series; indices are never reused.
      const filled = words === 'nonzero' ? await prefilledList(registry, issuer, await newList()) : undefined;
      const used = new Set<number>();
      for (const batchSize of BATCH_SIZES) {
        const samples: { gas: number; calldata: number; words: number }[] = [];
        for (let t = 0; t < TRANSACTIONS[batchSize]!; t++) {
          const list = filled?.list ?? (await newList());
          const sequence = filled ? filled.sequence++ : 0;
          const indices = distribution === 'random' ? randomIndices(random, batchSize, used) : clusteredIndices(random, batchSize, used);
          const deltas: Delta[] = indices.map((index) => ({ index, value: 1 + Math.floor(random() * 2) }));
          const tx = await registry.connect(issuer).updateStatuses(list, sequence, packDeltas(deltas), { gasLimit: 16_000_000 });
          const receipt = await tx.wait();
          if (receipt === null || receipt.status !== 1) throw new Error('updateStatuses failed');
          samples.push({ gas: Number(receipt.gasUsed), calldata: calldataGas(tx.data), words: new Set(indices.map((i) => Math.floor(i / ENTRIES_PER_WORD))).size });
        }
        const gas = mean(samples.map((s) => s.gas));
        const calldata = mean(samples.map((s) => s.calldata));
        const touched = mean(samples.map((s) => s.words));
        rows.push({
          batchSize,
          distribution,
          words,
          transactions: samples.length,
          gasPerChange: round(gas / batchSize),
          totalGas: round(gas),
          calldataGas: round(calldata),
          wordsTouched: round(touched, 1),
          executionGasPerWord: round((gas - 21_000 - calldata) / touched),
        });
      }
    }
  }

  const row = (batchSize: number, distribution: GasDistribution, words: GasWordState): RegistryGasRow =>
    rows.find((r) => r.batchSize === batchSize && r.distribution === distribution && r.words === words)!;
  const expectedWords = WORDS * (1 - (1 - 1 / WORDS) ** 1000);
  const goal = 1000;
  return {
    hardfork: 'hardfork' in hre.network.config ? hre.network.config.hardfork : 'unknown',
    listSize: LIST_SIZE,
    rows,
    naive: { fresh: row(1, 'random', 'fresh').gasPerChange, nonzero: row(1, 'random', 'nonzero').gasPerChange },
    goal: {
      description: '≤ 1,000 gas per change at batch 1,000 (random indices)',
      gasPerChange: goal,
      measuredNonzeroWords: row(1000, 'random', 'nonzero').gasPerChange,
      measuredFreshWords: row(1000, 'random', 'fresh').gasPerChange,
      met: row(1000, 'random', 'nonzero').gasPerChange <= goal && row(1000, 'random', 'fresh').gasPerChange <= goal,
    },
    floor: {
      expectedWordsTouched: round(expectedWords, 1),
      storageGasPerWordFresh: COLD_SLOAD + SSTORE_SET,
      storageGasPerWordNonzero: COLD_SLOAD + SSTORE_RESET,
      gasPerChangeFresh: round((expectedWords * (COLD_SLOAD + SSTORE_SET)) / 1000),
      gasPerChangeNonzero: round((expectedWords * (COLD_SLOAD + SSTORE_RESET)) / 1000),
    },
  };
}

/** Sets entry 127 of every word (suspended), in batches under the per-transaction gas cap. */
async function prefilledList(
  registry: StatusRegistryContract,
  issuer: HardhatEthersSigner,
  list: number,
): Promise<{ list: number; sequence: number }> {
  let sequence = 0;
  const perBatch = 256;
  for (let first = 0; first < WORDS; first += perBatch) {
    const deltas = Array.from({ length: Math.min(perBatch, WORDS - first) }, (_, k) => ({ index: (first + k) * ENTRIES_PER_WORD + FILLER_OFFSET, value: 2 }));
    await (await registry.connect(issuer).updateStatuses(list, sequence++, packDeltas(deltas), { gasLimit: 16_000_000 })).wait();
  }
  return { list, sequence };
}

function randomIndices(random: () => number, n: number, used: Set<number>): number[] {
  const picked = new Set<number>();
  while (picked.size < n) {
    const index = Math.floor(random() * LIST_SIZE);
    if (index % ENTRIES_PER_WORD === FILLER_OFFSET || used.has(index)) continue;
    picked.add(index);
  }
  for (const index of picked) used.add(index);
  return [...picked].sort((a, b) => a - b);
}

function clusteredIndices(random: () => number, n: number, used: Set<number>): number[] {
  const window = Math.min(LIST_SIZE, n * 4);
  for (;;) {
    const start = Math.floor(random() * (WORDS - window / ENTRIES_PER_WORD + 1)) * ENTRIES_PER_WORD;
    const free: number[] = [];
    for (let i = start; i < start + window; i++) if (i % ENTRIES_PER_WORD !== FILLER_OFFSET && !used.has(i)) free.push(i);
    if (free.length < n) continue;
    // Partial Fisher–Yates: n distinct entries of the window.
    for (let k = 0; k < n; k++) {
      const j = k + Math.floor(random() * (free.length - k));
      [free[k], free[j]] = [free[j]!, free[k]!];
    }
    const picked = free.slice(0, n).sort((a, b) => a - b);
    for (const index of picked) used.add(index);
    return picked;
  }
}

function calldataGas(data: string): number {
  let gas = 0;
  for (const byte of getBytes(data)) gas += byte === 0 ? 4 : 16;
  return gas;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function round(x: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

