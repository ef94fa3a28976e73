import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import lunr from 'lunr';
import { manualClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { openPaperSearch } from '../src/core/search/paper-search.js';
import { foldText } from '../src/core/search/text.js';
import { compileTopic } from '../src/core/search/topics.js';
import { SqliteStore, storeFile } from '../src/core/store/sqlite-store.js';
import { loadBenchRecords } from './corpus.js';
import { writeBenchResults } from './results.js';

/**
 * `npm run bench -- new-papers`: which engine should answer the questions about new papers
 * (digest topics, subscribe's preview)? Lunr over the new papers, as issue 16 proposed, or
 * the FTS5 archive that already holds them. Same papers, same compiled topics, one process
 * each after the other: build (CPU, blocking), memory held, time per topic, same answers.
 */
const SIZES = (process.env.BENCH_NEW_PAPERS ?? '3000,10000').split(',').map(Number);
const TOPICS = [
  'reinforcement learning',
  'robotics',
  'graph neural networks',
  'diffusion models',
  'language models',
  'computer vision',
  'speech recognition',
  'federated learning',
  'knowledge distillation',
  'quantum',
  'optimization',
  'causal inference',
  'time series',
  'anomaly detection',
  'black hole',
  'image segmentation',
  'object detection',
  'machine translation',
  'question answering',
  'dark matter',
];

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapMb = () => {
  gc();
  return process.memoryUsage().heapUsed / 1e6;
};
const cpuS = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return Math.round((u.user + u.system) / 1e4) / 100;
};
const round = (x: number) => Math.round(x * 100) / 100;

async function measure(n: number): Promise<Record<string, unknown>> {
  const records = await loadBenchRecords(n);
  const ids = records.map((r) => r.arxivId as string);
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-bench-new-'));
  const store = SqliteStore.open(storeFile(dir));
  const search = await openPaperSearch({
    store,
    dataDir: dir,
    clock: manualClock('2026-06-10T08:00:00Z'),
    logger: silentLogger(),
  });
  try {
    // FTS5: the archive is written with the papers (its share of the store's ingest).
    search.setLiveIndexing(false);
    store.upsertPapers(records, new Date('2026-06-10T08:00:00Z'));
    const ftsHeap0 = heapMb();
    const ftsCpu = process.cpuUsage();
    await search.refresh();
    const ftsBuildCpuS = cpuS(ftsCpu);
    search.setLiveIndexing(true);
    const ftsHeapMb = round(heapMb() - ftsHeap0);
    const vocab = {
      has: () => true,
      docFreq: () => new Map<string, number>(),
      withPrefix: () => [],
    };
    // Lunr: one index over the same papers (fields and boosts as the design card says).
    const lunrHeap0 = heapMb();
    const lunrCpu = process.cpuUsage();
    const idx = lunr(function () {
      this.ref('id');
      this.field('title', { boost: 10 });
      this.field('authors', { boost: 4 });
      this.field('abstract');
      for (const r of records)
        this.add({
          id: r.arxivId,
          title: foldText(r.title),
          authors: foldText(r.authors.join(' ')),
          abstract: foldText(r.abstract),
        });
    });
    const lunrBuildCpuS = cpuS(lunrCpu);
    const lunrHeapMb = round(heapMb() - lunrHeap0);
    let t = performance.now();
    const json = JSON.stringify(idx);
    const loaded = lunr.Index.load(JSON.parse(json));
    const lunrReloadMs = Math.round(performance.now() - t);

    const lunrMatch = (topic: string) => {
      const q = compileTopic(topic, vocab);
      return loaded.query((query) => {
        for (const g of q.groups)
          query.term(g.word, { presence: lunr.Query.presence.REQUIRED, usePipeline: true });
      });
    };
    let agree = 0;
    for (const topic of TOPICS) {
      const a = new Set(search.matchTopic(topic, ids).map((m) => m.paperId));
      const b = lunrMatch(topic).map((r) => r.ref);
      if (a.size === b.length && b.every((id) => a.has(id))) agree++;
    }
    t = performance.now();
    for (const topic of TOPICS) search.matchTopic(topic, ids);
    const ftsPerTopicMs = round((performance.now() - t) / TOPICS.length);
    t = performance.now();
    for (const topic of TOPICS) lunrMatch(topic);
    const lunrPerTopicMs = round((performance.now() - t) / TOPICS.length);
    return {
      newPapers: n,
      ftsBuildCpuS,
      lunrBuildCpuS,
      ftsHeapMb,
      lunrHeapMb,
      lunrJsonMb: round(json.length / 1e6),
      lunrReloadMs,
      ftsPerTopicMs,
      lunrPerTopicMs,
      topicsWithSamePapers: `${agree}/${TOPICS.length}`,
    };
  } finally {
    await search.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const rows: Record<string, unknown>[] = [];
  for (const n of SIZES) rows.push(await measure(n));
  console.table(rows);
  writeBenchResults('new-papers', { machine: `node ${process.version}`, rows });
}
