import { PaperboyError } from '../../errors.js';
import type { Paper } from '../../paper.js';
import type { ArchiveHit, HitFacts, SearchFilters } from '../../search/archive-query.js';
import type { CompiledQuery, MatchMode } from '../../search/query-compiler.js';
import { rowToPaper } from '../paper-rows.js';
import type { Db, Param } from './db.js';
import { sqlState } from './failures.js';
import { type PgPaperRow, toRow } from './paper-table.js';

/** Bump when the archive's column, configuration or index change: an older one is rebuilt. */
export const PG_ARCHIVE_VERSION = 3;
/**
 * The oldest archive version whose search queries read this one (the `search_vector` column,
 * the `paperboy` configuration, `search_words`): during a rolling deploy an older instance
 * searches a newer archive it can read instead of rebuilding it as its own older version.
 * Raise it to PG_ARCHIVE_VERSION when a change breaks the older queries.
 */
const PG_ARCHIVE_READABLE_FROM = 2;

/**
 * The characters of each field that are indexed: a tsvector holds at most 1 MB, and one
 * paper over it (a data dump in a feed item's summary) would fail its whole batch's INSERT.
 * Far above real papers (arXiv abstracts stop at 1,920 characters; a 3,000-author list is
 * about 60,000), and low enough that even one-letter words in 4-byte characters stay under.
 */
const INDEXED_CHARS = { title: 2_000, authors: 80_000, abstract: 40_000 } as const;

/** Advisory lock key for building the archive: instances starting together build it once. */
const ARCHIVE_LOCK = 7_305_118_460_219;

/**
 * Full-text search over every paper on PostgreSQL: a stored generated `tsvector` (title
 * weight A, authors B, abstract C) with a GIN index. The `paperboy` configuration folds
 * diacritics (unaccent: José = Jose, as FTS5's remove_diacritics) and stems with Snowball's
 * English stemmer without a stop list (FTS5's porter keeps stop words too; the query side
 * drops its own). Kept apart from the numbered migrations, as the SQLite archive is.
 */
const BUILD = `
DROP TEXT SEARCH CONFIGURATION IF EXISTS paperboy CASCADE;
DROP TEXT SEARCH DICTIONARY IF EXISTS paperboy_stem;
DROP FUNCTION IF EXISTS paperboy_plain(text) CASCADE;
-- ASCII punctuation becomes a space before PostgreSQL's parser sees the text, so "3D/4D",
-- "13+1" and "Fusion:A" are words as the query side splits them (runs of letters and
-- digits), not file names or numbers no query word matches. (Byte ranges: any locale.)
CREATE FUNCTION paperboy_plain(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
  $$ SELECT regexp_replace($1, '[\\x01-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]+', ' ', 'g') $$;
CREATE TEXT SEARCH DICTIONARY paperboy_stem (TEMPLATE = snowball, Language = english);
CREATE TEXT SEARCH CONFIGURATION paperboy (COPY = english);
ALTER TEXT SEARCH CONFIGURATION paperboy
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart WITH paperboy_stem;
ALTER TEXT SEARCH CONFIGURATION paperboy
  ALTER MAPPING FOR word, hword, hword_part WITH unaccent, paperboy_stem;
ALTER TABLE papers ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('paperboy'::regconfig,
    paperboy_plain(left(title, ${INDEXED_CHARS.title}))), 'A') ||
  setweight(to_tsvector('paperboy'::regconfig,
    paperboy_plain(left(authors, ${INDEXED_CHARS.authors}))), 'B') ||
  setweight(to_tsvector('paperboy'::regconfig,
    paperboy_plain(left(abstract, ${INDEXED_CHARS.abstract}))), 'C')) STORED;
CREATE INDEX papers_search ON papers USING GIN (search_vector);

-- The unstemmed term list with document counts (FTS5's fts5vocab on the SQLite side), for
-- prefix and typo candidates; kept by a trigger, so every writer keeps it whole.
DROP TRIGGER IF EXISTS papers_words ON papers;
DROP TRIGGER IF EXISTS papers_words_insert ON papers;
DROP TRIGGER IF EXISTS papers_words_update ON papers;
DROP TRIGGER IF EXISTS papers_words_delete ON papers;
DROP FUNCTION IF EXISTS paperboy_count_words();
DROP FUNCTION IF EXISTS paperboy_words_of(text, text, text);
DROP TABLE IF EXISTS search_words;
DROP TEXT SEARCH CONFIGURATION IF EXISTS paperboy_words;
CREATE TEXT SEARCH CONFIGURATION paperboy_words (COPY = simple);
-- Hyphenated words count as their parts, as FTS5's unicode61 splits them.
ALTER TEXT SEARCH CONFIGURATION paperboy_words DROP MAPPING FOR asciihword, hword;
ALTER TEXT SEARCH CONFIGURATION paperboy_words
  ALTER MAPPING FOR word, hword_part WITH unaccent, simple;
CREATE TABLE search_words (word TEXT COLLATE "C" PRIMARY KEY, docs INTEGER NOT NULL);
CREATE FUNCTION paperboy_words_of(title text, authors text, abstract text) RETURNS text[]
  LANGUAGE sql IMMUTABLE AS $$
  SELECT tsvector_to_array(to_tsvector('paperboy_words'::regconfig,
    paperboy_plain(left(title, ${INDEXED_CHARS.title}) || ' ' ||
      left(authors, ${INDEXED_CHARS.authors}) || ' ' || left(abstract, ${INDEXED_CHARS.abstract})))) $$;
-- Statement-level, over the statement's transition tables: a batch of 2,000 new papers is
-- one upsert per distinct word. (Row by row, a common word's row was rewritten once per
-- paper in one transaction, and each rewrite walked the versions before it: 72 ms a paper.)
CREATE FUNCTION paperboy_count_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO search_words AS s (word, docs)
      SELECT w, count(*) FROM new_rows, unnest(paperboy_words_of(title, authors, abstract)) AS w
      GROUP BY w
    ON CONFLICT (word) DO UPDATE SET docs = s.docs + excluded.docs;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE search_words AS s SET docs = s.docs - gone.n
    FROM (SELECT w, count(*) AS n FROM old_rows,
            unnest(paperboy_words_of(title, authors, abstract)) AS w GROUP BY w) AS gone
    WHERE s.word = gone.w;
  ELSE
    -- One net change a word: a word one paper gains and another loses is one row.
    WITH changed AS (
      SELECT paperboy_words_of(o.title, o.authors, o.abstract) AS before,
             paperboy_words_of(n.title, n.authors, n.abstract) AS after
      FROM old_rows AS o JOIN new_rows AS n USING (rowid)
      WHERE (o.title, o.authors, o.abstract) IS DISTINCT FROM (n.title, n.authors, n.abstract))
    INSERT INTO search_words AS s (word, docs)
      SELECT w, sum(delta) FROM (
        SELECT w, 1 AS delta FROM changed, unnest(after) AS w WHERE NOT w = ANY(before)
        UNION ALL
        SELECT w, -1 FROM changed, unnest(before) AS w WHERE NOT w = ANY(after)
      ) AS d GROUP BY w HAVING sum(delta) <> 0
    ON CONFLICT (word) DO UPDATE SET docs = s.docs + excluded.docs;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER papers_words_insert AFTER INSERT ON papers
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION paperboy_count_words();
CREATE TRIGGER papers_words_update AFTER UPDATE ON papers
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION paperboy_count_words();
CREATE TRIGGER papers_words_delete AFTER DELETE ON papers
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION paperboy_count_words();
INSERT INTO search_words (word, docs)
  SELECT w, count(*) FROM papers, unnest(paperboy_words_of(title, authors, abstract)) AS w
  GROUP BY w;
`;

/** ts_rank_cd weights {D, C, B, A}: title > authors > abstract, as the FTS5 bm25 weights 10:4:1. */
const RANK_WEIGHTS = "'{0, 0.1, 0.4, 1.0}'";

/**
 * Creates (or, after a version change, rebuilds) the archive. The CASCADE drop of the
 * configuration also drops the column and index that use it. An archive built by a newer
 * Paperboy is used as it is when this version's queries read it, and refused otherwise:
 * never rebuilt as an older version under the newer instances' feet. `where` names the
 * database in errors.
 */
export async function ensurePgArchive(db: Db, where = 'the PostgreSQL database'): Promise<void> {
  await db.atomic(async (tx) => {
    await tx.rows('SELECT pg_advisory_xact_lock($1)', [ARCHIVE_LOCK]);
    await tx.run(
      'CREATE TABLE IF NOT EXISTS search_meta (key TEXT COLLATE "C" PRIMARY KEY, value TEXT NOT NULL)',
    );
    const meta = new Map(
      (await tx.rows<{ key: string; value: string }>('SELECT key, value FROM search_meta')).map(
        (r) => [r.key, Number(r.value)],
      ),
    );
    const version = meta.get('version') ?? 0;
    if (version === PG_ARCHIVE_VERSION) return;
    if (version > PG_ARCHIVE_VERSION) {
      if ((meta.get('readable_from') ?? version) <= PG_ARCHIVE_VERSION) return;
      throw new PaperboyError(
        'STORE_TOO_NEW',
        `The full-text archive in ${where} was built by a newer Paperboy (archive version ` +
          `${version}; this one builds ${PG_ARCHIVE_VERSION}) and this version cannot search it: ` +
          'upgrade this instance. The archive was left as it is.',
      );
    }
    await createUnaccent(tx, where);
    await tx.run(BUILD);
    await tx.run(
      `INSERT INTO search_meta (key, value) VALUES ('version', $1), ('readable_from', $2)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [String(PG_ARCHIVE_VERSION), String(PG_ARCHIVE_READABLE_FROM)],
    );
  });
}

/**
 * The unaccent extension, which creating needs more than owning Paperboy's tables: on a
 * managed server an administrator may have to create it once (IF NOT EXISTS skips it then).
 */
async function createUnaccent(tx: Db, where: string): Promise<void> {
  try {
    await tx.run('CREATE EXTENSION IF NOT EXISTS unaccent');
  } catch (error) {
    if (sqlState(error) !== '42501') throw error;
    throw new PaperboyError(
      'STORE_FAILED',
      `Paperboy's search needs the PostgreSQL extension unaccent in ${where}, and this role may ` +
        'not create it: ask an administrator to run CREATE EXTENSION unaccent; in that database ' +
        'once, then start Paperboy again.',
      { cause: error },
    );
  }
}

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
