import type { Database } from 'better-sqlite3';
import { inWriteTransaction, statementsOf } from '../store/statements.js';
import type { TermVocabulary } from './query-compiler.js';

/** Bump when the archive's tables or tokenisation change: a mismatch rebuilds it. */
const ARCHIVE_VERSION = 2;

/**
 * The FTS5 archive over every stored paper, in the store's own file. Contentless
 * (the store holds the text) with contentless_delete so merged papers can be re-indexed.
 * `papers_titles` holds the titles alone: the title tier and title lookups read its short
 * doclists (4-6x less CPU than a `title :` filter over every column's postings).
 * `papers_words` is the unstemmed term list (fts5vocab) for prefix and typo candidates.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS papers_fts USING fts5(title, authors, abstract,
  content='', contentless_delete=1, tokenize="porter unicode61 remove_diacritics 2");
CREATE VIRTUAL TABLE IF NOT EXISTS papers_titles USING fts5(title,
  content='', contentless_delete=1, tokenize="porter unicode61 remove_diacritics 2");
CREATE VIRTUAL TABLE IF NOT EXISTS papers_words USING fts5(text,
  content='', contentless_delete=1, detail=none, tokenize="unicode61 remove_diacritics 2");
CREATE VIRTUAL TABLE IF NOT EXISTS papers_words_vocab USING fts5vocab(papers_words, 'row');
`;

const DROP = `
DROP TABLE IF EXISTS papers_words_vocab; DROP TABLE IF EXISTS papers_words;
DROP TABLE IF EXISTS papers_fts; DROP TABLE IF EXISTS papers_titles; DELETE FROM search_meta;`;

/** Column weights for bm25: title > authors > abstract. */
export const BM25_WEIGHTS = '10.0, 4.0, 1.0';

interface ArchiveState {
  version: number;
  /** Highest change_seq indexed. */
  syncedSeq: number;
  /** Highest rowid ever indexed: rows above it are new and need no delete first. */
  maxRowid: number;
}

function readState(db: Database): ArchiveState {
  const rows = statementsOf(db).get('SELECT key, value FROM search_meta').all() as Array<{
    key: string;
    value: string;
  }>;
  const value = (key: string, fallback: number) =>
    Number(rows.find((r) => r.key === key)?.value ?? fallback);
  return {
    version: value('version', 0),
    syncedSeq: value('synced_seq', -1),
    maxRowid: value('max_rowid', 0),
  };
}

function writeState(db: Database, { version, syncedSeq, maxRowid }: ArchiveState): void {
  const put = statementsOf(db).get('INSERT OR REPLACE INTO search_meta(key, value) VALUES (?, ?)');
  put.run('version', String(version));
  put.run('synced_seq', String(syncedSeq));
  put.run('max_rowid', String(maxRowid));
}

/** Creates the tables; an older layout is dropped, and with it its sync point. */
export function ensureArchive(db: Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const current = readState(db).version === ARCHIVE_VERSION;
  if (!current) db.exec(DROP);
  db.exec(SCHEMA);
  if (!current) writeState(db, { version: ARCHIVE_VERSION, syncedSeq: -1, maxRowid: 0 });
}

/** Each archive table, with the columns it is filled with from a papers row. */
const FILLS = [
  ['papers_fts', 'title, authors, abstract', 'title, authors, abstract'],
  ['papers_titles', 'title', 'title'],
  ['papers_words', 'text', "title || ' ' || authors || ' ' || abstract"],
] as const;

/** The store's last change_seq (-1 when empty): the archive is behind while it is above `archiveSyncedSeq`. */
export function lastChangeSeq(db: Database): number {
  return statementsOf(db)
    .get('SELECT coalesce(max(change_seq), -1) FROM papers')
    .pluck()
    .get() as number;
}

/** Highest change_seq the archive has indexed. */
export function archiveSyncedSeq(db: Database): number {
  const value = statementsOf(db)
    .get("SELECT value FROM search_meta WHERE key = 'synced_seq'")
    .pluck()
    .get() as string | undefined;
  return value === undefined ? -1 : Number(value);
}

/**
 * Indexes rows changed after the archive's sync point, oldest change first, at most
 * `maxRows` of them (a slice, so catch-up never holds the event loop long). Returns rows
 * indexed; 0 when caught up.
 */
export function syncArchive(db: Database, maxRows = Number.POSITIVE_INFINITY): number {
  const sql = statementsOf(db);
  return inWriteTransaction(db, () => {
    const { syncedSeq: from, maxRowid } = readState(db);
    const top = lastChangeSeq(db);
    if (top <= from) return 0;
    const sliceEnd = Number.isFinite(maxRows)
      ? (sql
          .get(
            'SELECT change_seq FROM papers WHERE change_seq > ? ORDER BY change_seq LIMIT 1 OFFSET ?',
          )
          .pluck()
          .get(from, Math.max(0, maxRows - 1)) as number | undefined)
      : undefined;
    const upTo = sliceEnd ?? top;
    const range = 'FROM papers WHERE change_seq > ? AND change_seq <= ?';
    let added = 0; // the same rows go into every table
    for (const [table, columns, values] of FILLS) {
      // Rows at or below max_rowid may already be indexed (a merge updates in place).
      sql
        .get(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid ${range} AND rowid <= ?)`)
        .run(from, upTo, maxRowid);
      added = sql
        .get(`INSERT INTO ${table}(rowid, ${columns}) SELECT rowid, ${values} ${range}`)
        .run(from, upTo).changes;
    }
    const lastRowid = sql.get(`SELECT max(rowid) ${range}`).pluck().get(from, upTo) as
      | number
      | null;
    writeState(db, {
      version: ARCHIVE_VERSION,
      syncedSeq: upTo,
      maxRowid: Math.max(maxRowid, lastRowid ?? 0),
    });
    return added;
  });
}

/** The archive's unstemmed term list, as the query compiler wants it. */
export function archiveVocabulary(
  db: Database,
  known?: { readonly ready: boolean; has(word: string): boolean },
): TermVocabulary {
  // fts5vocab counts a term's documents by reading its whole doclist (~1 ms for "model" at
  // 100k); whether the word exists at all is the first row of a MATCH.
  const exists = db
    .prepare('SELECT 1 FROM papers_words WHERE papers_words MATCH ? LIMIT 1')
    .pluck();
  const one = db.prepare('SELECT 1 FROM papers_words_vocab WHERE term = ?').pluck();
  // One statement for a whole candidate list (a typo's ~500 edits): no round trip per word.
  const many = db.prepare(
    'SELECT term AS word, doc AS docs FROM papers_words_vocab WHERE term IN (SELECT value FROM json_each(?))',
  );
  const range = db.prepare(
    'SELECT term AS word, doc AS docs FROM papers_words_vocab WHERE term >= ? AND term < ? LIMIT ?',
  );
  return {
    has(word) {
      if (word.length === 0) return false;
      if (known?.ready) return known.has(word);
      // A MATCH is the quickest probe, but FTS5 may split a non-ASCII word our tokeniser
      // keeps whole, and a phrase is refused without positions: those go to the vocabulary.
      if (/^[a-z0-9]+$/.test(word)) return exists.get(`"${word}"`) !== undefined;
      return one.get(word) !== undefined;
    },
    docFreq(words) {
      const out = new Map<string, number>();
      const probe = known?.ready ? words.filter((w) => known.has(w)) : words;
      if (probe.length === 0) return out;
      const rows = many.all(JSON.stringify(probe)) as Array<{ word: string; docs: number }>;
      for (const r of rows) out.set(r.word, r.docs);
      return out;
    },
    withPrefix(prefix, limit) {
      return range.all(prefix, `${prefix}\u{10FFFF}`, limit) as Array<{
        word: string;
        docs: number;
      }>;
    },
  };
}
