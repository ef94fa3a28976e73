import Database from 'better-sqlite3';
const db = new Database('/tmp/pb100k/paperboy.db', { readonly: true });
let t = performance.now();
const stmt = db.prepare('SELECT term FROM papers_words_vocab WHERE term > ? ORDER BY term LIMIT 1000').pluck();
let last = ''; let n = 0; let worst = 0; const set = new Set<string>();
for (;;) { const s = performance.now(); const rows = stmt.all(last) as string[]; worst = Math.max(worst, performance.now() - s); if (!rows.length) break; for (const r of rows) set.add(r); n += rows.length; last = rows[rows.length - 1]!; }
console.log('terms', n, 'ms', performance.now() - t, 'worst slice', worst, 'rss', process.memoryUsage().rss / 1e6);
