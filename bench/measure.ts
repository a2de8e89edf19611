/**
 * Timing for benchmarks: every figure comes from the same process and the
 * same run as its baseline (see {@link compare}).
 */

/** A median rate over rounds of a fixed number of operations. */
export interface Measurement {
  opsPerSecond: number;
  microsPerOp: number;
  rounds: number;
  opsPerRound: number;
}

/** A subject measured against a baseline in alternating rounds. */
export interface Comparison {
  subject: Measurement;
  baseline: Measurement;
  /** Median over rounds of (subject rate / baseline rate) in the same pair of rounds. */
  ratio: number;
}

/**
 * Measures a subject and a baseline in alternating rounds (baseline,
 * subject, baseline, subject, …) and takes the median of per-pair ratios, so
 * that a machine whose speed drifts during the run (other processes, CPU
 * frequency) moves both sides of each ratio alike.
 */
export async function compare({
  subject,
  baseline,
  subjectOpsPerRound,
  baselineOpsPerRound,
  rounds = 9,
  warmupRounds = 2,
}: {
  subject: (i: number) => unknown;
  baseline: (i: number) => unknown;
  subjectOpsPerRound: number;
  baselineOpsPerRound: number;
  rounds?: number;
  warmupRounds?: number;
}): Promise<Comparison> {
  const timeRound = async (run: (i: number) => unknown, ops: number, start: number): Promise<number> => {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < ops; k++) {
      const out = run(start + k);
      if (out instanceof Promise) await out;
    }
    return ops / (Number(process.hrtime.bigint() - t0) / 1e9);
  };
  const subjectRates: number[] = [];
  const baselineRates: number[] = [];
  const ratios: number[] = [];
  let si = 0;
  let bi = 0;
  for (let r = 0; r < warmupRounds + rounds; r++) {
    const b = await timeRound(baseline, baselineOpsPerRound, bi);
    bi += baselineOpsPerRound;
    const s = await timeRound(subject, subjectOpsPerRound, si);
    si += subjectOpsPerRound;
    if (r < warmupRounds) continue;
    subjectRates.push(s);
    baselineRates.push(b);
    ratios.push(s / b);
  }
  const asMeasurement = (rates: number[], ops: number): Measurement => {
    const m = median(rates);
    return { opsPerSecond: Math.round(m), microsPerOp: Number((1e6 / m).toFixed(2)), rounds, opsPerRound: ops };
  };
  return {
    subject: asMeasurement(subjectRates, subjectOpsPerRound),
    baseline: asMeasurement(baselineRates, baselineOpsPerRound),
    ratio: Number(median(ratios).toFixed(3)),
  };
}

/** The median: the middle value, or the mean of the two middle values. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Per-operation times of a subject, with a baseline timed in between (see {@link latencies}). */
export interface LatencyReport {
  /** Median and 95th percentile of one subject operation, ms. */
  subject: { medianMs: number; p95Ms: number; samples: number };
  /** Median time of one baseline operation, ms (from rounds of `baselineOpsPerRound`). */
  baseline: { medianMs: number; rounds: number; opsPerRound: number };
  /** Subject median / baseline median: how many baseline operations one subject operation costs. */
  ratio: number;
}

/**
 * Times `subject` one call at a time, and before every `every` calls a
 * round of `baselineOpsPerRound` baseline calls, so both see the same
 * machine state. `prepare` runs untimed before each subject call (resetting
 * state a call consumes). The first `warmup` subject calls and the baseline
 * rounds among them are not counted.
 */
export async function latencies({
  subject,
  baseline,
  prepare,
  samples,
  warmup = 5,
  every = 10,
  baselineOpsPerRound = 100,
}: {
  subject: (i: number) => unknown;
  baseline: () => unknown;
  prepare?: (i: number) => unknown;
  samples: number;
  warmup?: number;
  every?: number;
  baselineOpsPerRound?: number;
}): Promise<LatencyReport> {
  const subjectMs: number[] = [];
  const baselineMs: number[] = [];
  for (let i = 0; i < warmup + samples; i++) {
    if (i % every === 0) {
      const t0 = process.hrtime.bigint();
      for (let k = 0; k < baselineOpsPerRound; k++) {
        const out = baseline();
        if (out instanceof Promise) await out;
      }
      const perOp = Number(process.hrtime.bigint() - t0) / 1e6 / baselineOpsPerRound;
      if (i >= warmup) baselineMs.push(perOp);
    }
    if (prepare !== undefined) {
      const ready = prepare(i);
      if (ready instanceof Promise) await ready;
    }
    const t0 = process.hrtime.bigint();
    const out = subject(i);
    if (out instanceof Promise) await out;
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (i >= warmup) subjectMs.push(ms);
  }
  const subjectMedian = median(subjectMs);
  const baselineMedian = median(baselineMs);
  return {
    subject: { medianMs: round3(subjectMedian), p95Ms: round3(percentile(subjectMs, 0.95)), samples },
    baseline: { medianMs: Number(baselineMedian.toFixed(4)), rounds: baselineMs.length, opsPerRound: baselineOpsPerRound },
    ratio: Number((subjectMedian / baselineMedian).toFixed(1)),
  };
}

/** The `q` quantile (0–1) by the nearest-rank method. */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function round3(value: number): number {
  return Number(value.toFixed(3));
}
