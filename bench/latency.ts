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

/** One command kind's samples: end to end through the platform, and in-process only. */
export interface CommandSamples {
  e2e: number[];
  floor: number[];
}

/** Two table rows per command kind: end to end, then in-process. */
export function perCommandRows(
  byKind: Map<string, CommandSamples>,
): Array<[string, LatencySummary]> {
  return [...byKind].flatMap(
    ([kind, entry]): Array<[string, LatencySummary]> => [
      [`  ${kind}: end to end`, latencySummary(entry.e2e)],
      [`  ${kind}: in-process`, latencySummary(entry.floor)],
    ],
  );
}

/** The per-command figures as stored in bench/results.json. */
export function perCommandResults(
  byKind: Map<string, CommandSamples>,
): Record<string, { endToEndMs: LatencySummary; inProcessMs: LatencySummary }> {
  return Object.fromEntries(
    [...byKind].map(([kind, entry]) => [
      kind,
      { endToEndMs: latencySummary(entry.e2e), inProcessMs: latencySummary(entry.floor) },
    ]),
  );
}

/** Prints a p50/p95/max table, then whether the end-to-end p95 met its target. */
export function printLatencyTable(
  title: string,
  rows: Array<[string, LatencySummary]>,
  endToEnd: LatencySummary,
  targetP95Ms: number,
): void {
  const out = process.stdout;
  out.write(`${title}\n`);
  out.write(
    `${'path'.padEnd(36)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)}\n`,
  );
  for (const [name, s] of rows) {
    out.write(
      `${name.padEnd(36)} ${String(s.p50).padStart(8)} ${String(s.p95).padStart(8)} ${String(s.max).padStart(8)}\n`,
    );
  }
  out.write(`target p95 ≤ ${targetP95Ms} ms: ${endToEnd.p95 <= targetP95Ms ? 'met' : 'NOT met'}\n`);
}
