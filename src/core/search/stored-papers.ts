import type { Database } from 'better-sqlite3';
import type { Paper } from '../paper.js';
import { type PaperRow, rowToPaper } from '../store/paper-row-shapes.js';
import { statementsOf } from '../store/statements.js';

/** Reads papers by rowid (the FTS5 archive's key); missing rows are left out. */
export function papersByRowid(db: Database, rowids: number[]): Map<number, Paper> {
  const out = new Map<number, Paper>();
  if (rowids.length === 0) return out;
  const rows = statementsOf(db)
    .get('SELECT rowid, * FROM papers WHERE rowid IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(rowids)) as PaperRow[];
  for (const row of rows) out.set(row.rowid, rowToPaper(row));
  return out;
}

export function papersWhere(db: Database, where: string, ...params: unknown[]): Paper[] {
  const rows = statementsOf(db)
    .get(`SELECT rowid, * FROM papers WHERE ${where}`)
    .all(...params) as PaperRow[];
  return rows.map(rowToPaper);
}
