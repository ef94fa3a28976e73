import { clampInt, type SearchFilters, searchFilters } from '../../search/archive-query.js';
import {
  anyTermRelaxation,
  BROAD_MATCH,
  compileRelaxations,
  pageHits,
} from '../../search/archive-search.js';
import {
  type CompiledQuery,
  expandQuery,
  isEmptyQuery,
  type MatchMode,
  type ParsedQuery,
  parseQuery,
  type TermVocabulary,
} from '../../search/query-compiler.js';
import { rankHits } from '../../search/ranking.js';
import type { SearchOptions, SearchResult } from '../../search/types.js';
import type { Db } from './db.js';
import { PgArchive } from './full-text.js';
import { loadVocabulary } from './term-vocabulary.js';

/** As the SQLite search (its TITLE_CANDIDATES): title-tier candidates beyond the page. */
const TITLE_CANDIDATES = 50;

/**
 * One search over every paper on PostgreSQL, step for step the SQLite `searchArchive`: all
 * words required, else any of them (said so in `relaxations`); titles holding every word
 * first; then `rankHits` (title fit, rank, upvotes, day) from the shared ranking code.
 */
export async function searchPgArchive(
  archive: PgArchive,
  vocab: TermVocabulary,
  input: { raw: string; parsed: ParsedQuery; q: CompiledQuery; filters: SearchFilters },
  paging: { page: number; pageSize: number },
): Promise<SearchResult> {
  const { q, filters } = input;
  const { page, pageSize } = paging;
  const relaxations = compileRelaxations(input.parsed, q);
  let mode: MatchMode = 'all';
  let total = await archive.count(q, mode, filters);
  if (total === 0 && q.groups.length + q.phrases.length > 1) {
    mode = 'any';
    total = await archive.count(q, mode, filters);
    relaxations.unshift(anyTermRelaxation(q, vocab));
  }
  const empty = { hits: [], total, page, pageSize, pages: Math.ceil(total / pageSize) };
  if (total === 0) return { ...empty, relaxations };
  const newestFirst = total > BROAD_MATCH;
  const depth = page * pageSize;
  const titled =
    mode === 'all'
      ? await archive.top(q, 'all', filters, Math.max(depth, TITLE_CANDIDATES), {
          newestFirst,
          column: 'title',
        })
      : [];
  const rest =
    titled.length >= depth
      ? []
      : await archive.top(q, mode, filters, depth + titled.length, { newestFirst });
  const all = [...titled, ...rest];
  const rowids = all.map((h) => h.rowid);
  // The shared ranking asks for tie-break facts synchronously: read them for every hit.
  const [titles, facts] = await Promise.all([archive.titles(rowids), archive.facts(rowids)]);
  const ranked = rankHits(all, titles, q, input.raw, () => facts);
  const slice = ranked.slice((page - 1) * pageSize, page * pageSize);
  const papers = await archive.papers(slice.map((h) => h.rowid));
  return { ...empty, hits: pageHits(slice, papers, q, mode), relaxations };
}

/** `search` as PaperSearch answers it (paging and filters checked the same way), on PostgreSQL. */
export async function searchPostgres(
  db: Db,
  query: string,
  options: SearchOptions = {},
): Promise<SearchResult> {
  const page = clampInt(options?.page, 1, 1, 10_000);
  const pageSize = clampInt(options?.pageSize, 10, 1, 100);
  const parsed = parseQuery(query);
  const vocab = await loadVocabulary(db, parsed);
  const q = expandQuery(parsed, vocab);
  if (isEmptyQuery(q)) return { hits: [], total: 0, page, pageSize, pages: 0 };
  const input = { raw: String(query ?? ''), parsed, q, filters: searchFilters(options ?? {}) };
  return searchPgArchive(new PgArchive(db), vocab, input, { page, pageSize });
}
