import type { Database, Statement } from 'better-sqlite3';
import type { Paper } from '../paper.js';
import { type StatementCache, statementsOf } from '../store/statements.js';
import { BM25_WEIGHTS } from './archive.js';
import { type CompiledQuery, ftsMatch, type MatchMode } from './query-compiler.js';
import { papersByRowid } from './stored-papers.js';
import { foldText } from './text.js';

export interface SearchFilters {
  /** `YYYY-MM-DD`: published (else first seen) on or after. */
  since: string | null;
  /** Folded text an author name must contain. */
  author: string | null;
  /** Papers first seen at or after (ISO instant), for subscriptions. */
  firstSeenSince?: string | null;
}

export function clampInt(value: unknown, fallback: number, min: number, max: number): number {
  const n = Math.floor(Number(value));
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

/** The structured options of a search, checked: a bad `since` or `author` is ignored. */
export function searchFilters(options: { since?: unknown; author?: unknown }): SearchFilters {
  const since =
    typeof options.since === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(options.since)
      ? options.since
      : null;
  const author =
    typeof options.author === 'string' ? foldText(options.author).trim().slice(0, 200) : '';
  return { since, author: author || null };
}

/** One FTS5 match: `bm25` is FTS5's (lower is better); 0 when ranked newest first. */
export interface ArchiveHit {
  rowid: number;
  bm25: number;
}

export type TitledHit = ArchiveHit & { title: string };

/** What ranking reads of a matched paper to break ties. */
export interface HitFacts {
  upvotes: number | null;
  /** published_at, else the day first seen. */
  day: string;
}

/** The full index, or the titles' own (short doclists: a title tier costs a fifth). */
export type FtsTable = 'papers_fts' | 'papers_titles';

const bm25Of: Record<FtsTable, string> = {
  papers_fts: `bm25(papers_fts, ${BM25_WEIGHTS})`,
  papers_titles: 'bm25(papers_titles)',
};

/**
 * Where to find titles holding the query: the titles' index, unless a word is excluded (it
 * must be absent from the whole paper, which only the full index knows).
 */
export function titleQuery(
  q: CompiledQuery,
  mode: MatchMode,
): { table: FtsTable; match: string | null } {
  return q.excluded.length === 0
    ? { table: 'papers_titles', match: ftsMatch(q, mode) }
    : { table: 'papers_fts', match: ftsMatch(q, mode, 'title') };
}

/** Queries over the FTS5 archive. */
export class ArchiveQueries {
  private readonly statements: StatementCache;

  constructor(private readonly db: Database) {
    this.statements = statementsOf(db);
  }

  private prepare(sql: string): Statement {
    return this.statements.get(sql);
  }

  private where(
    match: string,
    f: SearchFilters,
    table: FtsTable,
  ): { sql: string; params: unknown[] } {
    const params: unknown[] = [match];
    const joined = f.since !== null || f.author !== null || Boolean(f.firstSeenSince);
    let sql = `FROM ${table} f${joined ? ' JOIN papers p ON p.rowid = f.rowid' : ''} WHERE ${table} MATCH ?`;
    if (f.since !== null) {
      // The one date a paper shows (`paperDate`: published, else listed by a feed); a paper
      // whose date is unknown is never "since" anything.
      sql += ' AND coalesce(p.published_at, p.feed_date) >= ?';
      params.push(f.since);
    }
    if (f.author !== null) {
      sql += ' AND instr(search_fold(p.authors), ?) > 0';
      params.push(f.author);
    }
    if (f.firstSeenSince) {
      sql += ' AND p.first_seen_at >= ?';
      params.push(f.firstSeenSince);
    }
    return { sql, params };
  }

  /**
   * The best `limit` matches by bm25 (title > authors > abstract), or, for a match so broad
   * that bm25 over every posting costs tens of ms and says little, the newest `limit`; with
   * their titles (read in the same statement: ranking reads them all). An explicit bm25()
   * measured 2–3× faster here than ORDER BY the configured `rank`.
   */
  top(
    match: string,
    f: SearchFilters,
    limit: number,
    newestFirst: boolean,
    table: FtsTable = 'papers_fts',
  ): TitledHit[] {
    const { sql, params } = this.where(match, f, table);
    const select = newestFirst
      ? `SELECT f.rowid AS rowid, 0 AS bm25 ${sql} ORDER BY f.rowid DESC LIMIT ?`
      : `SELECT f.rowid AS rowid, ${bm25Of[table]} AS bm25 ${sql} ORDER BY bm25 LIMIT ?`;
    return this.prepare(
      // Titles sit before the abstract in a row: reading them never touches overflow pages.
      `SELECT h.rowid AS rowid, h.bm25 AS bm25, p.title AS title FROM (${select}) h JOIN papers p ON p.rowid = h.rowid`,
    ).all(...params, limit) as TitledHit[];
  }

  /** Matches, counted up to `limit` when given. */
  count(match: string, f: SearchFilters, limit?: number): number {
    const { sql, params } = this.where(match, f, 'papers_fts');
    if (limit === undefined)
      return this.prepare(`SELECT count(*) ${sql}`)
        .pluck()
        .get(...params) as number;
    return this.prepare(`SELECT count(*) FROM (SELECT 1 ${sql} LIMIT ?)`)
      .pluck()
      .get(...params, limit) as number;
  }

  /** The papers themselves (a page's, a lookup's); missing rows are left out. */
  papers(rowids: number[]): Map<number, Paper> {
    return papersByRowid(this.db, rowids);
  }

  /** Upvotes and day, for tie-breaks only: they sit after the abstract, so each costs a long read. */
  facts(rowids: number[]): Map<number, HitFacts> {
    const rows = this.prepare(
      // The day shown (`paperDate`), never the import day; unknown sorts as oldest ('' < any day).
      "SELECT rowid, upvotes, coalesce(published_at, feed_date, '') AS day FROM papers WHERE rowid IN (SELECT value FROM json_each(?))",
    ).all(JSON.stringify(rowids)) as Array<HitFacts & { rowid: number }>;
    return new Map(rows.map((r) => [r.rowid, r]));
  }
}
