// One timing loop for the in-process benchmarks: warm up, then time each call; samples come back sorted.
export interface Timing {
  samples: Float64Array;
  elapsedMs: number;
  perSecond: number;
}

export async function timeCalls(fn: () => Promise<unknown>, iterations: number, warmup: number): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples = new Float64Array(iterations);
  const start = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    samples[i] = performance.now() - t0;
  }
  const elapsedMs = performance.now() - start;
  samples.sort();
  return { samples, elapsedMs, perSecond: (iterations / elapsedMs) * 1000 };
}
