import type { CorpusEntry } from './corpus.js';
import { seededRandom } from './corpus.js';

export interface BenchQuery {
  text: string;
  kind: string;
}

/** The fixed query set: words, pairs, prefixes, typos, phrases, surnames. */
export function benchQueries(entries: CorpusEntry[]): BenchQuery[] {
  const words = [
    'robot',
    'transformer',
    'galaxy',
    'diffusion',
    'reinforcement',
    'segmentation',
    'model',
    'quantum',
    'graph',
    'benchmark',
  ];
  const pairs = [
    'robot learning',
    'language model',
    'image segmentation',
    'dark matter',
    'graph neural',
    'reward model',
    'video generation',
    'speech recognition',
    'point cloud',
    'knowledge distillation',
  ];
  const prefixes = [
    'roboti',
    'transf',
    'diffus',
    'galax',
    'segment',
    'reinfor',
    'benchm',
    'halluc',
    'multimo',
    'quant',
  ];
  const typos = [
    'robtics',
    'transfomer',
    'difusion',
    'galxy',
    'segmentaton',
    'reinforcment',
    'benchmrk',
    'halucination',
    'multimodel',
    'quantm',
  ];
  const phrases = [
    '"large language models"',
    '"neural network"',
    '"point cloud"',
    '"dark matter"',
    '"reinforcement learning"',
  ];
  const counts = new Map<string, number>();
  for (const e of entries.slice(0, 20_000)) {
    for (const a of e.authors) {
      const surname = a.split(' ').at(-1);
      if (surname && surname.length > 2) counts.set(surname, (counts.get(surname) ?? 0) + 1);
    }
  }
  const surnames = [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([s]) => s);
  return [
    ...words.map((text) => ({ text: `${text} `, kind: 'word' })),
    ...pairs.map((text) => ({ text: `${text} `, kind: 'pair' })),
    ...prefixes.map((text) => ({ text, kind: 'prefix' })),
    ...typos.map((text) => ({ text: `${text} `, kind: 'typo' })),
    ...phrases.map((text) => ({ text, kind: 'phrase' })),
    ...surnames.map((text) => ({ text: `${text} `, kind: 'surname' })),
  ];
}

/** Title fragments (3–4 words from the middle) of seeded real papers, for `show`. */
export function fragmentsOf(entries: CorpusEntry[], count: number): string[] {
  const random = seededRandom(11);
  const out: string[] = [];
  while (out.length < count) {
    const e = entries[Math.floor(random() * Math.min(entries.length, 46_000))];
    const words = e?.title.split(' ') ?? [];
    if (words.length < 6) continue;
    const start = 1 + Math.floor(random() * (words.length - 5));
    out.push(words.slice(start, start + 3 + Math.floor(random() * 2)).join(' '));
  }
  return out;
}

/** Title beginnings (6–14 characters) for autocomplete. */
export function prefixesOf(entries: CorpusEntry[], count: number): string[] {
  const random = seededRandom(13);
  return Array.from({ length: count }, () => {
    const e = entries[Math.floor(random() * Math.min(entries.length, 46_000))];
    return (e?.title ?? 'robot').slice(0, 6 + Math.floor(random() * 9));
  });
}

export interface Stats {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface Latency {
  all: Stats;
  byKind: Record<string, Stats>;
  /** CPU time per query (this process): what a query costs, without waiting for a core. */
  cpu: Stats;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 100) /
    100;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}

/** Collects each query's wall and CPU time; percentiles over every run. */
class LatencyRecorder {
  private readonly all: number[] = [];
  private readonly cpu: number[] = [];
  private readonly byKind = new Map<string, number[]>();
  private start = 0;
  private startCpu: NodeJS.CpuUsage = { user: 0, system: 0 };

  begin(): void {
    this.start = performance.now();
    this.startCpu = process.cpuUsage();
  }

  end(kind: string): void {
    const used = process.cpuUsage(this.startCpu);
    const took = performance.now() - this.start;
    this.all.push(took);
    this.cpu.push((used.user + used.system) / 1000);
    this.byKind.set(kind, [...(this.byKind.get(kind) ?? []), took]);
  }

  result(): Latency {
    return {
      all: stats(this.all),
      byKind: Object.fromEntries([...this.byKind].map(([k, v]) => [k, stats(v)])),
      cpu: stats(this.cpu),
    };
  }
}

const ROUNDS = 3;

/** Each query three times; percentiles over every run. */
export function latency(queries: BenchQuery[], answer: (text: string) => number): Latency {
  const recorder = new LatencyRecorder();
  for (let round = 0; round < ROUNDS; round++) {
    for (const q of queries) {
      recorder.begin();
      answer(q.text);
      recorder.end(q.kind);
    }
  }
  return recorder.result();
}

/** `latency` for an answer that resolves later (the async command path, a networked store). */
export async function latencyAsync(
  queries: BenchQuery[],
  answer: (text: string) => Promise<unknown>,
): Promise<Latency> {
  const recorder = new LatencyRecorder();
  for (let round = 0; round < ROUNDS; round++) {
    for (const q of queries) {
      recorder.begin();
      await answer(q.text);
      recorder.end(q.kind);
    }
  }
  return recorder.result();
}
