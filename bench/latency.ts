export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of latency samples (ms), rounded to `decimals`. */
export function latencySummary(samples: number[], decimals = 2): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const scale = 10 ** decimals;
  const at = (q: number) =>
    Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * scale) /
    scale;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}
