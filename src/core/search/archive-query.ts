import type { Database, Statement } from 'better-sqlite3';
import { BM25_WEIGHTS } from './archive.js';
import type { SideHit } from './window-index.js';

export interface SearchFilters {
  /** `YYYY-MM-DD`: published (else first seen) on or after. */
  since: string | null;
  /** Folded text an author name must contain. */
  author: string | null;
  /** Papers first seen at or after (ISO instant), for subscriptions. */
  firstSeenSince?: string | null;
}

/** Archive queries over FTS5; the window's rowids are left to the Lunr side. */
export class ArchiveQueries {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  private prepare(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  private where(
    match: string,
    f: SearchFilters,
    excludeWindow: boolean,
  ): { sql: string; params: unknown[] } {
    const params: unknown[] = [match];
    const joined = f.since !== null || f.author !== null || Boolean(f.firstSeenSince);
    let sql = `FROM papers_fts f${joined ? ' JOIN papers p ON p.rowid = f.rowid' : ''} WHERE papers_fts MATCH ?`;
    if (excludeWindow) sql += ' AND f.rowid NOT IN (SELECT rowid FROM temp.search_window_ids)';
    if (f.since !== null) {
      // A paper whose date is unknown is never "since" anything.
      sql += ' AND p.published_at >= ?';
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
   * Best `limit` archive hits outside the window, bm25-ranked (title > authors > abstract).
   * An explicit bm25() measured 2–3× faster here than ORDER BY the configured `rank`.
   */
  top(match: string, f: SearchFilters, limit: number): SideHit[] {
    const { sql, params } = this.where(match, f, true);
    const rows = this.prepare(
      `SELECT f.rowid AS rowid, bm25(papers_fts, ${BM25_WEIGHTS}) AS rank ${sql} ORDER BY rank LIMIT ?`,
    ).all(...params, limit) as Array<{ rowid: number; rank: number }>;
    return rows.map((r) => ({ rowid: r.rowid, score: -r.rank }));
  }

  /**
   * Newest first, no scoring: for a match so broad (a word in most papers) that bm25 over
   * every posting costs tens of ms and says little. Title matches come first.
   */
  newest(titleMatch: string | null, match: string, f: SearchFilters, limit: number): SideHit[] {
    const out: SideHit[] = [];
    const seen = new Set<number>();
    for (const m of titleMatch ? [titleMatch, match] : [match]) {
      if (out.length >= limit) break;
      const { sql, params } = this.where(m, f, true);
      const rows = this.prepare(`SELECT f.rowid AS rowid ${sql} ORDER BY f.rowid DESC LIMIT ?`)
        .pluck()
        .all(...params, limit) as number[];
      for (const rowid of rows) {
        if (out.length >= limit || seen.has(rowid)) continue;
        seen.add(rowid);
        // Title tier first, then the rest; within each, newer first.
        out.push({ rowid, score: (m === titleMatch ? 2 : 1) - out.length / (limit + 1) / 2 });
      }
    }
    return out;
  }

  count(match: string, f: SearchFilters, excludeWindow = true): number {
    const { sql, params } = this.where(match, f, excludeWindow);
    return this.prepare(`SELECT count(*) ${sql}`)
      .pluck()
      .get(...params) as number;
  }

  /** Day each paper counts as from, for recency. */
  days(rowids: number[]): Map<number, string> {
    const rows = this.prepare(
      'SELECT rowid, coalesce(published_at, substr(first_seen_at, 1, 10)) AS day FROM papers WHERE rowid IN (SELECT value FROM json_each(?))',
    ).all(JSON.stringify(rowids)) as Array<{ rowid: number; day: string }>;
    return new Map(rows.map((r) => [r.rowid, r.day]));
  }
}

export interface RankedHit {
  rowid: number;
  score: number;
  day: string;
}

const RRF_K = 60;
/** Small enough to reorder near-ties only, not to bury a better match. */
const RECENCY_WEIGHT = 0.0005;
const RECENCY_DAYS = 30;

/**
 * How many hits each side must offer so page `need` is exact: the recency boost can lift
 * a hit at most this many ranks, so deeper hits can never reach the page.
 */
export function candidatesFor(need: number): number {
  return need + Math.ceil(RECENCY_WEIGHT * (RRF_K + need) ** 2) + 1;
}

/** Reciprocal rank fusion of every list (each side's hits, each side's title-sequence hits) plus a recency boost; ties → newer first. */
export function fuse(
  sides: SideHit[][],
  dayOf: (rowid: number) => string | undefined,
  now: Date,
): RankedHit[] {
  const merged = new Map<number, RankedHit>();
  for (const hits of sides) {
    hits.forEach((hit, i) => {
      const rrf = 1 / (RRF_K + i + 1);
      const prev = merged.get(hit.rowid);
      if (prev) prev.score += rrf;
      else merged.set(hit.rowid, { rowid: hit.rowid, score: rrf, day: dayOf(hit.rowid) ?? '' });
    });
  }
  const today = now.getTime();
  for (const hit of merged.values()) {
    const t = Date.parse(hit.day);
    const age = Number.isNaN(t) ? 365 : Math.max(0, (today - t) / 86_400_000);
    hit.score += RECENCY_WEIGHT * Math.exp(-age / RECENCY_DAYS);
  }
  return [...merged.values()].sort(
    (a, b) => b.score - a.score || b.day.localeCompare(a.day) || b.rowid - a.rowid,
  );
}
