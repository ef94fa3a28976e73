import { existsSync, mkdirSync } from 'node:fs';
import { manualClock } from './src/core/clock.js';
import { silentLogger } from './src/core/logger.js';
import { openPaperSearch } from './src/core/search/paper-search.js';
import { SqliteStore, storeFile } from './src/core/store/sqlite-store.js';
import { loadBenchCorpus, loadBenchRecords } from './bench/corpus.js';
import { benchQueries, latency } from './bench/search-queries.js';
const dir = '/tmp/pb100k';
const fresh = !existsSync(dir);
mkdirSync(dir, { recursive: true });
const clock = manualClock('2026-07-31T12:00:00.000Z');
const store = SqliteStore.open(storeFile(dir));
const search = await openPaperSearch({ store, dataDir: dir, clock, logger: silentLogger() });
if (fresh) {
  search.setLiveIndexing(false);
  const records = await loadBenchRecords(100_000);
  for (let i = 0; i < records.length; i += 5000) store.upsertPapers(records.slice(i, i + 5000), clock.now());
  search.setLiveIndexing(true);
  await search.refresh();
}
const entries = await loadBenchCorpus(100_000);
const queries = benchQueries(entries);
for (const q of queries.slice(0, 10)) search.search(q.text);
const l = latency(queries, (q) => search.search(q).total);
console.log(l.all, l.byKind);
const slow = queries.map((q) => { const t = performance.now(); search.search(q.text); return [performance.now() - t, q.text] as const; }).sort((a, b) => b[0] - a[0]).slice(0, 8);
console.log(slow);
await search.close(); store.close();
