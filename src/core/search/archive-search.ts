import type { Database } from 'better-sqlite3';
import type { ArchiveQueries, SearchFilters } from './archive-query.js';
import { makeSnippet, matchPaper } from './paper-match.js';
import {
  type CompiledQuery,
  ftsMatch,
  type MatchMode,
  type ParsedQuery,
  type TermVocabulary,
} from './query-compiler.js';
import { rankHits } from './ranking.js';
import { papersByRowid } from './stored-papers.js';
import type { QueryRelaxation, SearchResult } from './types.js';

/** Above this many matches, bm25 over every posting is skipped: newest first within each tier. */
export const BROAD_MATCH = 2000;
/** Title-tier candidates ranked by how well the title fits, beyond the page asked for. */
const TITLE_CANDIDATES = 50;

/** What the compiler did to the words before they met the index: corrections, stop words. */
export function compileRelaxations(parsed: ParsedQuery, q: CompiledQuery): QueryRelaxation[] {
  const out: QueryRelaxation[] = [];
  for (const g of q.groups) {
    const to = g.alternatives[0];
    if (g.corrected && to !== undefined) out.push({ kind: 'corrected', from: g.word, to });
  }
  for (const word of parsed.dropped) out.push({ kind: 'stop-word-dropped', word });
  return out;
}

/**
 * One search over every paper: all words required; when no paper has them all (and there
 * is more than one), any of them, said so in `relaxations`. Ranked by `rankHits`.
 */
export function searchArchive(
  db: Database,
  archive: ArchiveQueries,
  vocab: TermVocabulary,
  input: { raw: string; parsed: ParsedQuery; q: CompiledQuery; filters: SearchFilters },
  paging: { page: number; pageSize: number },
): SearchResult {
  const { q, filters } = input;
  const { page, pageSize } = paging;
  const relaxations = compileRelaxations(input.parsed, q);
  let mode: MatchMode = 'all';
  let match = ftsMatch(q, mode);
  let total = match ? archive.count(match, filters) : 0;
  if (total === 0 && q.groups.length + q.phrases.length > 1) {
    mode = 'any';
    match = ftsMatch(q, mode);
    total = match ? archive.count(match, filters) : 0;
    const found = q.groups
      .filter((g) => g.alternatives.some((w) => vocab.has(w)))
      .map((g) => (g.corrected ? (g.alternatives[0] ?? g.word) : g.word));
    const words = [...q.groups.map((g) => g.word), ...q.phrases.map((p) => p.join(' '))];
    relaxations.unshift({ kind: 'any-term', words, found });
  }
  const empty = { hits: [], total, page, pageSize, pages: Math.ceil(total / pageSize) };
  if (!match || total === 0) return { ...empty, relaxations };
  const broad = total > BROAD_MATCH;
  const depth = page * pageSize;
  const titleMatch = mode === 'all' ? ftsMatch(q, 'all', 'title') : null;
  const titled = titleMatch
    ? archive.top(titleMatch, filters, Math.max(depth, TITLE_CANDIDATES), broad)
    : [];
  // Titles holding every word rank first: when they fill the page, the rest is never seen.
  const rest =
    titled.length >= depth ? [] : archive.top(match, filters, depth + titled.length, broad);
  const all = [...titled, ...rest];
  const titles = archive.titles(all.map((h) => h.rowid));
  const ranked = rankHits(all, titles, q, input.raw, (rowids) => archive.facts(rowids));
  const slice = ranked.slice((page - 1) * pageSize, page * pageSize);
  const papers = papersByRowid(
    db,
    slice.map((h) => h.rowid),
  );
  const hits = slice.flatMap((h) => {
    const paper = papers.get(h.rowid);
    if (!paper) return [];
    const snippet = makeSnippet(paper.abstract, q);
    const score = -h.bm25 + (h.fit ? 1000 : 0);
    return [{ paper, score, snippet, matchedTerms: matchPaper(paper, q).matchedTerms }];
  });
  return { ...empty, hits, relaxations };
}
