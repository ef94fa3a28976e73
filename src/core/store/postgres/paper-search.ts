import { isPaperboyError, PaperboyError } from '../../errors.js';
import { normaliseTitle, type Paper, parseArxivId } from '../../paper.js';
import {
  type CompiledQuery,
  expandQuery,
  isEmptyQuery,
  parseQuery,
  queryTerms,
} from '../../search/query-compiler.js';
import { answer, closestTitles, LOOSE_CANDIDATES, MAX_CHOICES } from '../../search/resolve.js';
import { tokenise } from '../../search/text.js';
import type {
  PaperSearch,
  Resolution,
  SearchOptions,
  SearchResult,
  TopicMatch,
} from '../../search/types.js';
import { rowToPaper } from '../paper-row-shapes.js';
import { searchPostgres } from './archive-search.js';
import type { Db, Param } from './db.js';
import { failureHint, failureOf } from './failures.js';
import { buildTsQuery, PgArchive } from './full-text.js';
import { ensurePgArchive } from './full-text-build.js';
import { type PgPaperRow, toRow } from './paper-table.js';
import { loadVocabulary } from './term-vocabulary.js';

/** As the SQLite TopicMatcher: a group found in the title counts more than one in the body. */
const TITLE_SCORE = 3;
const BODY_SCORE = 1;
const PHRASE_SCORE = 3;
const NO_FILTERS = { since: null, author: null } as const;

function storeFault(error: unknown): PaperboyError {
  if (isPaperboyError(error)) return error;
  return new PaperboyError('STORE_FAILED', 'Search could not read the paper index. Try again.', {
    cause: error,
  });
}

/**
 * The commands' PaperSearch over PostgreSQL full text, the same steps as the SQLite search
 * (src/core/search) on the archive kept by `full-text.ts`. The tsvector is a generated
 * column and the term list a trigger's, so every instance's search sees a paper as soon as
 * any instance's write commits: `refresh` has nothing to catch up.
 */
export class PostgresPaperSearch implements PaperSearch {
  private readonly archive: PgArchive;

  private constructor(private readonly db: Db) {
    this.archive = new PgArchive(db);
  }

  /**
   * Creates the archive (column, index, term list) when missing, under an advisory lock.
   * `where` (`host:port/database`) names the database in a start-up failure.
   */
  static async open(db: Db, where = 'the PostgreSQL database'): Promise<PostgresPaperSearch> {
    try {
      await ensurePgArchive(db, where);
    } catch (error) {
      if (isPaperboyError(error)) throw error;
      throw new PaperboyError(
        'STORE_FAILED',
        `Cannot build the full-text search archive in ${where} (${failureOf(error)}): ${failureHint(error)}.`,
        { cause: error },
      );
    }
    return new PostgresPaperSearch(db);
  }

  private async papers(where: string, params: Param[]): Promise<Paper[]> {
    const rows = await this.db.rows<PgPaperRow>(`SELECT * FROM papers WHERE ${where}`, params);
    return rows.map((r) => rowToPaper(toRow(r)));
  }

  private async compile(text: string, topic = false): Promise<CompiledQuery> {
    const parsed = topic
      ? { ...parseQuery(`${text} `), lastIsPrefix: false }
      : parseQuery(text.slice(0, 300));
    return expandQuery(parsed, await loadVocabulary(this.db, parsed));
  }

  /** Titles holding the compiled words (`all`/`any`), best ranked first. */
  private async titleMatches(q: CompiledQuery, mode: 'all' | 'any', limit: number) {
    const hits = await this.archive.top(q, mode, NO_FILTERS, limit, { column: 'title' });
    const papers = await this.archive.papers(hits.map((h) => h.rowid));
    return hits.map((h) => papers.get(h.rowid)).filter((p): p is Paper => p !== undefined);
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchResult> {
    try {
      return await searchPostgres(this.db, query, options);
    } catch (error) {
      throw storeFault(error);
    }
  }

  /** `show`: exact id / URL, exact title, title fragment, title words, closest titles. */
  async resolve(input: string): Promise<Resolution> {
    try {
      const text = String(input ?? '')
        .slice(0, 1000)
        .trim();
      if (!text) return { kind: 'none' };
      if (/^t:[0-9a-f]{16}$/.test(text)) return answer(await this.papers('id = $1', [text]));
      const id = parseArxivId(text);
      if (id)
        return answer(
          (await this.papers('id = $1 OR arxiv_id = $1 ORDER BY rowid LIMIT 2', [id.id])).slice(
            0,
            1,
          ),
        );
      const key = normaliseTitle(text);
      if (!key) return { kind: 'none' };
      const exact = await this.papers('title_key = $1 ORDER BY rowid LIMIT $2', [key, MAX_CHOICES]);
      if (exact.length > 0) return answer(exact);
      const tokens = tokenise(text).slice(0, 24);
      if (tokens.length === 0) return { kind: 'none' };
      const fragment = await this.papers(
        // The whole vector first, so the GIN index finds the candidates; then the title alone.
        `search_vector @@ phraseto_tsquery('paperboy', $1)
         AND ts_filter(search_vector, '{a}') @@ phraseto_tsquery('paperboy', $1)
         AND numnode(phraseto_tsquery('paperboy', $1)) > 0 ORDER BY rowid DESC LIMIT $2`,
        [tokens.join(' '), MAX_CHOICES],
      );
      if (fragment.length > 0) return answer(fragment);
      const compiled = await this.compile(text);
      if (isEmptyQuery(compiled)) return { kind: 'none' };
      const words = await this.titleMatches(compiled, 'all', MAX_CHOICES);
      if (words.length > 0) return answer(words);
      const loose = await this.titleMatches(compiled, 'any', LOOSE_CANDIDATES);
      return closestTitles(loose, compiled, tokens);
    } catch (error) {
      throw storeFault(error);
    }
  }

  /** Autocomplete: titles starting with the text, then titles holding its words. */
  async suggest(
    prefix: string,
    limit = MAX_CHOICES,
  ): Promise<Array<{ id: string; title: string }>> {
    try {
      const n = Math.max(1, Math.min(MAX_CHOICES, Math.floor(Number(limit)) || MAX_CHOICES));
      const key = normaliseTitle(String(prefix ?? '').slice(0, 300));
      if (!key) return [];
      const out = new Map<string, string>();
      const starts = await this.db.rows<{ id: string; title: string }>(
        `SELECT id, title FROM papers WHERE title_key >= $1 AND title_key < $2
         ORDER BY title_key COLLATE "C" LIMIT $3`,
        [key, `${key}\u{10FFFF}`, n],
      );
      for (const s of starts) out.set(s.id, s.title);
      if (out.size < n) {
        const compiled = await this.compile(String(prefix));
        if (!isEmptyQuery(compiled))
          for (const p of await this.titleMatches(compiled, 'all', n)) {
            if (out.size >= n) break;
            out.set(p.id, p.title);
          }
      }
      return [...out].map(([id, title]) => ({ id, title }));
    } catch (error) {
      throw storeFault(error);
    }
  }

  /** The digest's matcher: every group (and phrase) required, title hits scored higher. */
  async matchTopic(topic: string, paperIds: string[]): Promise<TopicMatch[]> {
    try {
      if (paperIds.length === 0) return [];
      const q = await this.compile(String(topic ?? ''), true);
      const ts = buildTsQuery(q, 'all', 2);
      if (!ts || isEmptyQuery(q)) return [];
      const params: Param[] = [paperIds.map(String), ...ts.params];
      const query = ts.excluded ? `(${ts.positive} && !!${ts.excluded})` : ts.positive;
      // One title test per group, as the SQLite matcher's per-word title MATCH.
      const titleTests = q.groups.map((g) => {
        const alternatives = g.alternatives.map((w) => {
          params.push(w);
          return `plainto_tsquery('paperboy', $${params.length})`;
        });
        return `(ts_filter(search_vector, '{a}') @@ (${alternatives.join(' || ')}))::int`;
      });
      const titled = titleTests.length > 0 ? titleTests.join(' + ') : '0';
      const rows = await this.db.rows<{ id: string; titled: number }>(
        `SELECT id, ${titled} AS titled FROM papers
         WHERE id = ANY($1) AND numnode(${ts.positive}) > 0 AND search_vector @@ ${query}`,
        params,
      );
      const matchedTerms = queryTerms(q);
      const base = q.groups.length * BODY_SCORE + q.phrases.length * PHRASE_SCORE;
      return rows
        .map((r) => ({
          paperId: r.id,
          score: base + Number(r.titled) * (TITLE_SCORE - BODY_SCORE),
          matchedTerms: [...matchedTerms],
        }))
        .sort((a, b) => b.score - a.score || a.paperId.localeCompare(b.paperId));
    } catch (error) {
      throw storeFault(error);
    }
  }

  async countTopicMatches(topic: string, since: Date): Promise<number> {
    try {
      if (Number.isNaN(since.getTime())) return 0;
      const q = await this.compile(String(topic ?? ''), true);
      if (isEmptyQuery(q)) return 0;
      return await this.archive.count(q, 'all', {
        ...NO_FILTERS,
        firstSeenSince: since.toISOString(),
      });
    } catch (error) {
      throw storeFault(error);
    }
  }

  /** Nothing to catch up: the archive is kept by the database on every write. */
  async refresh(): Promise<void> {}

  /** The store owns the connections. */
  async close(): Promise<void> {}
}
