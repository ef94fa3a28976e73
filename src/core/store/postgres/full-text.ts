import type { Paper } from '../../paper.js';
import type { ArchiveHit, HitFacts, SearchFilters } from '../../search/archive-query.js';
import type { CompiledQuery, MatchMode } from '../../search/query-compiler.js';
import { rowToPaper } from '../paper-row-shapes.js';
import type { Db, Param } from './db.js';
import { type PgPaperRow, toRow } from './paper-table.js';

/** ts_rank_cd weights {D, C, B, A}: title > authors > abstract, as the FTS5 bm25 weights 10:4:1. */
const RANK_WEIGHTS = "'{0, 0.1, 0.4, 1.0}'";

/**
 * A tsquery as SQL built from the compiled query: structure (AND, OR, NOT, phrase) from this
 * function, every word a bound parameter through plainto_tsquery/phraseto_tsquery, so no
 * user text is ever parsed as tsquery syntax (`:*`, `!`, `&`, `'` stay plain characters).
 */
export interface TsQuery {
  /** What a match must hold; its words' order and weight are ranked. */
  positive: string;
  /** Words none of which a match may hold (anywhere), or null. */
  excluded: string | null;
  params: string[];
}

export function buildTsQuery(q: CompiledQuery, mode: MatchMode, firstParam = 1): TsQuery | null {
  const params: string[] = [];
  const word = (text: string) => {
    params.push(text);
    return `plainto_tsquery('paperboy', $${firstParam + params.length - 1})`;
  };
  const phrase = (words: string[]) => {
    params.push(words.join(' '));
    return `phraseto_tsquery('paperboy', $${firstParam + params.length - 1})`;
  };
  const parts = [
    ...q.groups.map((g) => `(${g.alternatives.map(word).join(' || ')})`),
    ...q.phrases.map(phrase),
  ];
  if (parts.length === 0) return null;
  const positive = `(${parts.join(mode === 'all' ? ' && ' : ' || ')})`;
  const excluded = q.excluded.length > 0 ? `(${q.excluded.map(word).join(' || ')})` : null;
  return { positive, excluded, params };
}

/** Search queries over the archive, shaped as the SQLite ArchiveQueries. */
export class PgArchive {
  constructor(private readonly db: Db) {}

  private where(
    q: CompiledQuery,
    mode: MatchMode,
    f: SearchFilters,
    column?: 'title',
  ): { sql: string; rank: string; params: Param[] } | null {
    const ts = buildTsQuery(q, mode);
    if (!ts) return null;
    const params: Param[] = [...ts.params];
    const query = ts.excluded ? `(${ts.positive} && !!${ts.excluded})` : ts.positive;
    // A query whose words all stem to nothing matches nothing (and would only log a notice).
    let sql = `FROM papers p WHERE numnode(${ts.positive}) > 0 AND p.search_vector @@ ${query}`;
    // The title alone must hold the words; the index still narrows by the whole vector first.
    if (column === 'title') sql += ` AND ts_filter(p.search_vector, '{a}') @@ ${ts.positive}`;
    if (f.since !== null) {
      params.push(f.since);
      sql += ` AND p.published_at >= $${params.length}`;
    }
    if (f.author !== null) {
      params.push(f.author);
      sql += ` AND position($${params.length} in lower(unaccent(p.authors))) > 0`;
    }
    if (f.firstSeenSince) {
      params.push(f.firstSeenSince);
      sql += ` AND p.first_seen_at >= $${params.length}`;
    }
    return { sql, rank: `ts_rank_cd(${RANK_WEIGHTS}, p.search_vector, ${ts.positive}, 1)`, params };
  }

  /**
   * The best `limit` matches by rank (title > authors > abstract), or the newest `limit` for
   * a broad match. `bm25` is the negated rank: lower is better, as FTS5's bm25.
   */
  async top(
    q: CompiledQuery,
    mode: MatchMode,
    f: SearchFilters,
    limit: number,
    options: { newestFirst?: boolean; column?: 'title' } = {},
  ): Promise<ArchiveHit[]> {
    const where = this.where(q, mode, f, options.column);
    if (!where) return [];
    const params = [...where.params, limit];
    const sql = options.newestFirst
      ? `SELECT p.rowid, 0 AS rank ${where.sql} ORDER BY p.rowid DESC LIMIT $${params.length}`
      : `SELECT p.rowid, ${where.rank} AS rank ${where.sql}
         ORDER BY rank DESC, p.rowid DESC LIMIT $${params.length}`;
    const rows = await this.db.rows<{ rowid: string; rank: number }>(sql, params);
    return rows.map((r) => ({ rowid: Number(r.rowid), bm25: r.rank === 0 ? 0 : -r.rank }));
  }

  async count(q: CompiledQuery, mode: MatchMode, f: SearchFilters): Promise<number> {
    const where = this.where(q, mode, f);
    if (!where) return 0;
    const [row] = await this.db.rows<{ n: number }>(
      `SELECT count(*)::int AS n ${where.sql}`,
      where.params,
    );
    return row?.n ?? 0;
  }

  async titles(rowids: number[]): Promise<Map<number, string>> {
    const rows = await this.db.rows<{ rowid: string; title: string }>(
      'SELECT rowid, title FROM papers WHERE rowid = ANY($1::bigint[])',
      [rowids.map(String)],
    );
    return new Map(rows.map((r) => [Number(r.rowid), r.title]));
  }

  /** Upvotes and day (published, else first seen), for tie-breaks. */
  async facts(rowids: number[]): Promise<Map<number, HitFacts>> {
    const rows = await this.db.rows<HitFacts & { rowid: string }>(
      `SELECT rowid, upvotes, coalesce(published_at, substr(first_seen_at, 1, 10)) AS day
       FROM papers WHERE rowid = ANY($1::bigint[])`,
      [rowids.map(String)],
    );
    return new Map(rows.map((r) => [Number(r.rowid), { upvotes: r.upvotes, day: r.day }]));
  }

  async papers(rowids: number[]): Promise<Map<number, Paper>> {
    const rows = await this.db.rows<PgPaperRow>(
      'SELECT * FROM papers WHERE rowid = ANY($1::bigint[])',
      [rowids.map(String)],
    );
    return new Map(rows.map((r) => [Number(r.rowid), rowToPaper(toRow(r))]));
  }
}
