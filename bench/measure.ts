/**
 * A small, honest timer: warm up, then run rounds of a fixed number of
 * operations and report the median rate. Every figure in a benchmark comes
 * from the same process and the same run as its baseline.
 */
export interface Measurement {
  opsPerSecond: number;
  microsPerOp: number;
  rounds: number;
  opsPerRound: number;
}

export async function measure({
  run,
  opsPerRound,
  rounds = 7,
  warmupRounds = 2,
}: {
  /** Runs one operation; `i` counts operations across the whole measurement. */
  run: (i: number) => unknown;
  opsPerRound: number;
  rounds?: number;
  warmupRounds?: number;
}): Promise<Measurement> {
  let i = 0;
  const rates: number[] = [];
  for (let r = 0; r < warmupRounds + rounds; r++) {
    const start = process.hrtime.bigint();
    for (let k = 0; k < opsPerRound; k++) {
      const out = run(i++);
      if (out instanceof Promise) await out;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (r >= warmupRounds) rates.push(opsPerRound / seconds);
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)]!;
  return { opsPerSecond: Math.round(median), microsPerOp: Number((1e6 / median).toFixed(2)), rounds, opsPerRound };
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
  const median = (values: number[]): number => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
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
