import { manualClock } from './src/core/clock.js';
import { silentLogger } from './src/core/logger.js';
import { openPaperSearch } from './src/core/search/paper-search.js';
import { SqliteStore, storeFile } from './src/core/store/sqlite-store.js';
const store = SqliteStore.open(storeFile('/tmp/pb100k'));
const search = await openPaperSearch({ store, dataDir: null, clock: manualClock('2026-07-31T12:00:00.000Z'), logger: silentLogger() });
const db = store.db;
const time = (label: string, fn: () => unknown) => { fn(); const t = performance.now(); let r; for (let i = 0; i < 5; i++) r = fn(); console.log(label, ((performance.now() - t) / 5).toFixed(2), typeof r === 'number' ? r : Array.isArray(r) ? r.length : ''); };
for (const m of ['("graph") AND ("neural")', '("segmentation" OR "segmentations")', '("model")', '"neural network"']) {
  time(`count ${m}`, () => db.prepare('SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?').pluck().get(m));
  time(`title top bm25 ${m}`, () => db.prepare('SELECT rowid, bm25(papers_fts,10,4,1) b FROM papers_fts WHERE papers_fts MATCH ? ORDER BY b LIMIT 100').all(`title : (${m})`));
  time(`top bm25 ${m}`, () => db.prepare('SELECT rowid, bm25(papers_fts,10,4,1) b FROM papers_fts WHERE papers_fts MATCH ? ORDER BY b LIMIT 10').all(m));
  time(`newest ${m}`, () => db.prepare('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid DESC LIMIT 100').all(m));
  time(`title newest ${m}`, () => db.prepare('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid DESC LIMIT 100').all(`title : (${m})`));
}
time('search graph neural', () => search.search('graph neural ').total);
time('search segmentaton', () => search.search('segmentaton ').total);
time('search model', () => search.search('model ').total);
