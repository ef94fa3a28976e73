import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { extractiveAnswer } from '../src/core/answer/extractive.js';
import { retrieve } from '../src/core/answer/retrieve.js';
import { SimilarPapers } from '../src/core/answer/similar.js';
import { manualClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { openPaperSearch } from '../src/core/search/paper-search.js';
import { asyncSearch } from '../src/core/store/async-search.js';
import { SqliteStore, storeFile } from '../src/core/store/sqlite-store.js';
import { type CorpusEntry, loadBenchCorpus, loadBenchRecords, seededRandom } from './corpus.js';
import { writeBenchResults } from './results.js';
import { benchQueries, latency, latencyAsync } from './search-queries.js';

const NOW = '2026-07-31T12:00:00.000Z';
const N = Number(process.env.BENCH_ASK_SIZE ?? 100_000);
const STEMS = ['how does', 'what is known about', 'which methods improve', 'why does'];

/** Questions made from real titles: a question word, then 3–6 of the title's words. */
function questionsOf(entries: CorpusEntry[], count: number): string[] {
  const random = seededRandom(29);
  return Array.from({ length: count }, (_, i) => {
    const e = entries[Math.floor(random() * Math.min(entries.length, 46_000))];
    const words = (e?.title ?? 'robot learning').split(/\s+/);
    const start = Math.floor(random() * Math.max(1, words.length - 3));
    const take = words.slice(start, start + 3 + Math.floor(random() * 4)).join(' ');
    return `${STEMS[i % STEMS.length]} ${take}?`;
  });
}

/** `npm run bench -- ask`: extractive ask and similar at N papers, beside search in the same run. */
export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-bench-ask-'));
  try {
    const entries = await loadBenchCorpus(N);
    const records = await loadBenchRecords(N);
    const clock = manualClock(NOW);
    const store = SqliteStore.open(storeFile(dir));
    const logger = silentLogger();
    const search = await openPaperSearch({
      store,
      dataDir: dir,
      clock,
      logger,
    });
    search.setLiveIndexing(false);
    for (let i = 0; i < records.length; i += 5000)
      store.upsertPapers(records.slice(i, i + 5000), clock.now());
    await search.refresh();
    search.setLiveIndexing(true);
    const similar = new SimilarPapers(store.db);

    const questions = questionsOf(entries, 100);
    let answered = 0;
    // The extractive path of `ask` (no model configured): retrieval, then sentence ranking.
    const askOnce = async (q: string) => {
      const answer = extractiveAnswer(
        q,
        await retrieve(asyncSearch(search), q, [], (words) => similar.commonWords(words)),
      );
      if (answer.answered) answered++;
      return answer.sentences.length;
    };
    for (const q of questions.slice(0, 10)) await askOnce(q); // warm statements
    answered = 0;
    const ask = (
      await latencyAsync(
        questions.map((text) => ({ text, kind: 'question' })),
        askOnce,
      )
    ).all;

    const random = seededRandom(31);
    const ids = Array.from(
      { length: 100 },
      () => entries[Math.floor(random() * entries.length)]?.id ?? '',
    );
    const byId = new Map(store.getPapers(ids).map((p) => [p.id, p]));
    const papers = [...byId.values()];
    let neighbours = 0;
    for (const p of papers.slice(0, 10)) similar.similar(p);
    const similarStats = latency(
      papers.map((p) => ({ text: p.id, kind: 'paper' })),
      (id) => {
        const paper = byId.get(id);
        const found = paper ? similar.similar(paper).length : 0;
        neighbours += found;
        return found;
      },
    ).all;

    const searchStats = latency(benchQueries(entries), (q) => search.search(q).total).all;
    await search.close();
    store.close();

    const figures = {
      papers: N,
      // Percentiles on a shared machine mean little without its load: compare with search's.
      loadAverage1m: Math.round((loadavg()[0] ?? 0) * 10) / 10,
      askP95Ms: ask.p95,
      ask,
      askAnsweredShare: Math.round((answered / (questions.length * 3)) * 100) / 100,
      similarP95Ms: similarStats.p95,
      similar: similarStats,
      similarMeanNeighbours: Math.round((neighbours / (papers.length * 3)) * 10) / 10,
      searchP95Ms: searchStats.p95,
      search: searchStats,
    };
    console.log(`ask bench at ${N} papers (extractive, no model)`);
    console.table({
      ask: ask,
      similar: similarStats,
      search: searchStats,
    });
    console.log(figures);
    if (process.env.BENCH_ASK_SIZE === undefined) writeBenchResults('ask', figures);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
