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
