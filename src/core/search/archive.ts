import type { Database, Statement } from 'better-sqlite3';
import type { KnownTerms } from './known-terms.js';
import type { TermVocabulary } from './query-compiler.js';

/** Bump when the archive's tables or tokenisation change: a mismatch rebuilds it. */
export const ARCHIVE_VERSION = 2;

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
  const rows = db.prepare('SELECT key, value FROM search_meta').all() as Array<{
    key: string;
    value: string;
  }>;
  const map = new Map(rows.map((r) => [r.key, Number(r.value)]));
  return {
    version: map.get('version') ?? 0,
    syncedSeq: map.get('synced_seq') ?? -1,
    maxRowid: map.get('max_rowid') ?? 0,
  };
}

function writeState(db: Database, state: ArchiveState): void {
  const put = db.prepare('INSERT OR REPLACE INTO search_meta(key, value) VALUES (?, ?)');
  put.run('version', String(state.version));
  put.run('synced_seq', String(state.syncedSeq));
  put.run('max_rowid', String(state.maxRowid));
}

/** Creates the tables; an older layout is dropped, and with it its sync point. */
export function ensureArchive(db: Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const current = readState(db).version === ARCHIVE_VERSION;
  if (!current) db.exec(DROP);
  db.exec(SCHEMA);
  if (!current) writeState(db, { version: ARCHIVE_VERSION, syncedSeq: -1, maxRowid: 0 });
}

const TABLES = ['papers_fts', 'papers_titles', 'papers_words'];
const WORDS_TEXT = "title || ' ' || authors || ' ' || abstract";

/**
 * Indexes rows changed after the archive's sync point, oldest change first, at most
 * `maxRows` of them (a slice, so catch-up never holds the event loop long). Run inside the
 * caller's transaction or wraps its own. Returns rows indexed; 0 when caught up.
 */
export function syncArchive(db: Database, maxRows = Number.POSITIVE_INFINITY): number {
  const run = db.transaction((): number => {
    const state = readState(db);
    const top = db.prepare('SELECT max(change_seq) FROM papers').pluck().get() as number | null;
    if (top === null || top <= state.syncedSeq) return 0;
    const from = state.syncedSeq;
    const upTo = Number.isFinite(maxRows)
      ? ((db
          .prepare(
            'SELECT change_seq FROM papers WHERE change_seq > ? ORDER BY change_seq LIMIT 1 OFFSET ?',
          )
          .pluck()
          .get(from, Math.max(0, maxRows - 1)) as number | undefined) ?? top)
      : top;
    const range = 'FROM papers WHERE change_seq > ? AND change_seq <= ?';
    // Rows at or below max_rowid may already be indexed (a merge updates in place).
    for (const table of TABLES)
      db.prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid ${range} AND rowid <= ?)`).run(
        from,
        upTo,
        state.maxRowid,
      );
    const added = db
      .prepare(
        `INSERT INTO papers_fts(rowid, title, authors, abstract) SELECT rowid, title, authors, abstract ${range}`,
      )
      .run(from, upTo).changes;
    db.prepare(`INSERT INTO papers_titles(rowid, title) SELECT rowid, title ${range}`).run(
      from,
      upTo,
    );
    db.prepare(`INSERT INTO papers_words(rowid, text) SELECT rowid, ${WORDS_TEXT} ${range}`).run(
      from,
      upTo,
    );
    const maxRowid = db.prepare(`SELECT max(rowid) ${range}`).pluck().get(from, upTo) as number;
    writeState(db, {
      version: ARCHIVE_VERSION,
      syncedSeq: upTo,
      maxRowid: Math.max(state.maxRowid, maxRowid ?? 0),
    });
    return added;
  });
  // IMMEDIATE: a read that upgrades to a write would not wait on another writer's lock.
  return run.immediate();
}

/**
 * Empties and refills the archive from the store in one transaction. IMMEDIATE: its first
 * statement reads before it writes, and a deferred read never waits on busy_timeout to
 * become a write (SQLITE_BUSY beside another writer, seen in the loop bench).
 */
export function rebuildArchive(db: Database): number {
  const run = db.transaction((): number => {
    for (const table of TABLES) db.exec(`INSERT INTO ${table}(${table}) VALUES('delete-all')`);
    writeState(db, { version: ARCHIVE_VERSION, syncedSeq: -1, maxRowid: 0 });
    const n = syncArchive(db);
    for (const table of TABLES) db.exec(`INSERT INTO ${table}(${table}) VALUES('optimize')`);
    return n;
  });
  return run.immediate();
}

/** Prepared once per connection: every search asks whether the archive is behind. */
const syncedSeqOf = new WeakMap<Database, Statement>();

/** Highest change_seq the archive has indexed. */
export function archiveSyncedSeq(db: Database): number {
  let stmt = syncedSeqOf.get(db);
  if (!stmt) {
    stmt = db.prepare("SELECT value FROM search_meta WHERE key = 'synced_seq'").pluck();
    syncedSeqOf.set(db, stmt);
  }
  const value = stmt.get() as string | undefined;
  return value === undefined ? -1 : Number(value);
}

/** The archive's unstemmed term list, as the query compiler wants it. */
export function archiveVocabulary(db: Database, known?: KnownTerms): TermVocabulary {
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
