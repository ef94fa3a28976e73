import type { Paper } from '../paper.js';
import { type ArchiveQueries, type SearchFilters, titleQuery } from './archive-query.js';
import { makeSnippet, matchPaper } from './paper-match.js';
import {
  type CompiledQuery,
  ftsMatch,
  type MatchMode,
  type ParsedQuery,
  queryTerms,
  type TermVocabulary,
} from './query-compiler.js';
import { type Ranked, rankHits } from './ranking.js';
import type { QueryRelaxation, SearchHit, SearchResult } from './types.js';

/**
 * Above this many matches, bm25 over every posting is skipped (newest first within each tier)
 * and the count stops.
 */
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

/** No paper held every term: papers holding any are shown, with the words the index has. */
export function anyTermRelaxation(q: CompiledQuery, vocab: TermVocabulary): QueryRelaxation {
  const found = q.groups
    .filter((g) => g.alternatives.some((w) => vocab.has(w)))
    .map((g) => (g.corrected ? (g.alternatives[0] ?? g.word) : g.word));
  return { kind: 'any-term', words: queryTerms(q), found };
}

/** The page's hits. A paper matched on every word holds them all: only `any` checks each. */
export function pageHits(
  slice: Ranked[],
  papers: Map<number, Paper>,
  q: CompiledQuery,
  mode: MatchMode,
): SearchHit[] {
  const every = queryTerms(q);
  return slice.flatMap((h) => {
    const paper = papers.get(h.rowid);
    if (!paper) return [];
    const matchedTerms = mode === 'all' ? [...every] : matchPaper(paper, q).matchedTerms;
    const snippet = makeSnippet(paper.abstract, q);
    return [{ paper, score: -h.bm25 + (h.fit ? 1000 : 0), snippet, matchedTerms }];
  });
}

/**
 * One search over every paper: all words required; when no paper has them all (and there
 * is more than one), any of them, said so in `relaxations`. Ranked by `rankHits`. Matches are
 * counted up to BROAD_MATCH (or the page asked for): past it the total says "at least"
 * (`totalCapped`), as counting 80,000 postings cost more than the rest of the search.
 */
export function searchArchive(
  archive: ArchiveQueries,
  vocab: TermVocabulary,
  input: { raw: string; parsed: ParsedQuery; q: CompiledQuery; filters: SearchFilters },
  paging: { page: number; pageSize: number },
): SearchResult {
  const { q, filters } = input;
  const { page, pageSize } = paging;
  const relaxations = compileRelaxations(input.parsed, q);
  const depth = page * pageSize;
  const bound = Math.max(BROAD_MATCH, depth);
  let mode: MatchMode = 'all';
  let match = ftsMatch(q, mode);
  let counted = match ? archive.count(match, filters, bound + 1) : 0;
  if (counted === 0 && q.groups.length + q.phrases.length > 1) {
    mode = 'any';
    match = ftsMatch(q, mode);
    counted = match ? archive.count(match, filters, bound + 1) : 0;
    relaxations.unshift(anyTermRelaxation(q, vocab));
  }
  const capped = counted > bound;
  const total = Math.min(counted, bound);
  const pages = Math.ceil(total / pageSize) + (capped ? 1 : 0);
  const empty = {
    hits: [],
    total,
    page,
    pageSize,
    pages,
    ...(capped ? { totalCapped: true } : {}),
  };
  if (!match || total === 0) return { ...empty, relaxations };
  const broad = counted > BROAD_MATCH;
  const title = titleQuery(q, 'all');
  const titled =
    mode === 'all' && title.match
      ? archive.top(title.match, filters, Math.max(depth, TITLE_CANDIDATES), broad, title.table)
      : [];
  // Titles holding every word rank first: when they fill the page, the rest is never seen.
  const rest =
    titled.length >= depth ? [] : archive.top(match, filters, depth + titled.length, broad);
  const all = [...titled, ...rest];
  const titles = new Map(all.map((h) => [h.rowid, h.title]));
  const ranked = rankHits(all, titles, q, input.raw, (rowids) => archive.facts(rowids));
  const slice = ranked.slice((page - 1) * pageSize, depth);
  const papers = archive.papers(slice.map((h) => h.rowid));
  return { ...empty, hits: pageHits(slice, papers, q, mode), relaxations };
}
