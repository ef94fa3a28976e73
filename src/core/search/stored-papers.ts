import type { Database, Statement } from 'better-sqlite3';
import type { Paper } from '../paper.js';
import { type PaperRow, rowToPaper } from '../store/paper-row-shapes.js';

/** Prepared once per connection: a search reads its page's papers on every call. */
const statements = new WeakMap<Database, Statement>();

/** Reads papers by rowid (the FTS5 archive's key); missing rows are left out. */
export function papersByRowid(db: Database, rowids: number[]): Map<number, Paper> {
  const out = new Map<number, Paper>();
  if (rowids.length === 0) return out;
  let byRowid = statements.get(db);
  if (!byRowid) {
    byRowid = db.prepare(
      'SELECT rowid, * FROM papers WHERE rowid IN (SELECT value FROM json_each(?))',
    );
    statements.set(db, byRowid);
  }
  const rows = byRowid.all(JSON.stringify(rowids)) as PaperRow[];
  for (const row of rows) out.set(row.rowid, rowToPaper(row));
  return out;
}

export function papersWhere(db: Database, where: string, ...params: unknown[]): Paper[] {
  const rows = db
    .prepare(`SELECT rowid, * FROM papers WHERE ${where}`)
    .all(...params) as PaperRow[];
  return rows.map(rowToPaper);
}
