import { PaperboyError } from '../../errors.js';
import type { Db } from './db.js';
import { sqlState } from './failures.js';

/**
 * The full-text archive's schema on PostgreSQL (column, configurations, term list and its
 * triggers) and building it once per version; the queries over it are in full-text.ts.
 */
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
