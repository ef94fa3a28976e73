import { manualClock } from './src/core/clock.js';
import { silentLogger } from './src/core/logger.js';
import { openPaperSearch } from './src/core/search/paper-search.js';
import { SqliteStore, storeFile } from './src/core/store/sqlite-store.js';
import { loadBenchCorpus } from './bench/corpus.js';
import { benchQueries } from './bench/search-queries.js';
const store = SqliteStore.open(storeFile('/tmp/pb100k'));
const search = await openPaperSearch({ store, dataDir: null, clock: manualClock('2026-07-31T12:00:00.000Z'), logger: silentLogger() });
const queries = benchQueries((await loadBenchCorpus(100_000)).slice(0, 20000));
await search.refresh();
while (!(search as any).known.ready) await new Promise((r) => setTimeout(r, 50));
for (const q of queries) search.search(q.text);
const rows: Array<[number, string]> = [];
for (const q of queries) { const c = process.cpuUsage(); for (let i = 0; i < 3; i++) search.search(q.text); const d = process.cpuUsage(c); rows.push([(d.user + d.system) / 3000, q.text]); }
rows.sort((a, b) => a[0] - b[0]);
console.log('cpu ms p50', rows[Math.floor(rows.length * 0.5)]![0].toFixed(2), 'p95', rows[Math.floor(rows.length * 0.95)]![0].toFixed(2));
console.log(rows.slice(-10).map(([t, q]) => `${t.toFixed(2)} ${q}`).join('\n'));
