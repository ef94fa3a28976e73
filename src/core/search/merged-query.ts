import type { Database } from 'better-sqlite3';
import { type ArchiveQueries, candidatesFor, fuse, type SearchFilters } from './archive-query.js';
import { makeSnippet, matchPaper } from './paper-match.js';
import {
  type CompiledQuery,
  ftsMatch,
  ftsTitleSequence,
  type MatchMode,
} from './query-compiler.js';
import { papersByRowid } from './stored-papers.js';
import { foldText } from './text.js';
import type { SearchResult } from './types.js';
import {
  queryWindow,
  type SideHit,
  titleHasSequence,
  type WindowDoc,
  type WindowIndex,
} from './window-index.js';

/** The window as the request path sees it (swapped whole when a rebuild finishes). */
export interface WindowView {
  index: WindowIndex | null;
  byId: Map<string, WindowDoc>;
  byRowid: Map<number, WindowDoc>;
}

/** Above this many archive matches, bm25 over every posting is skipped (see ArchiveQueries.newest). */
export const BROAD_MATCH = 2000;

interface Sides {
  lists: SideHit[][];
  total: number;
}

/**
 * One query on both sides: the window ranks its papers (Lunr), the archive ranks the rest
 * (FTS5, window rowids left out), so each paper is ranked once and no seam shows.
 */
function sides(
  window: WindowView,
  archive: ArchiveQueries,
  q: CompiledQuery,
  mode: MatchMode,
  f: SearchFilters,
  depth: number,
): Sides {
  const keep = (d: WindowDoc) =>
    (f.since === null || (d.published != null && d.published >= f.since)) &&
    (f.author === null || d.authors.some((a) => foldText(a).includes(f.author ?? '')));
  const windowHits = window.index ? queryWindow(window.index, window.byId, q, mode, keep) : [];
  windowHits.sort((a, b) => b.score - a.score);
  const match = ftsMatch(q, mode);
  // Counting is cheap (no scoring); it also tells a broad match, ranked newest first instead.
  // The archive holds every paper, window ones too: counting it whole is the total, and
  // skips a window lookup per matching row (most of the cost for a common word).
  const archiveTotal = match ? archive.count(match, f, false) : 0;
  const archiveHits = !match
    ? []
    : archiveTotal > BROAD_MATCH
      ? archive.newest(ftsMatch(q, mode, 'title'), match, f, depth)
      : archive.top(match, f, depth);
  // A title holding the query's words in order is what a pasted fragment looks like.
  const sequence = ftsTitleSequence(q);
  const windowSequence = sequence
    ? windowHits.filter((h) => {
        const doc = window.byRowid.get(h.rowid);
        return doc !== undefined && titleHasSequence(doc, q.sequence);
      })
    : [];
  const archiveSequence =
    !sequence || archiveHits.length === 0
      ? []
      : archiveTotal > BROAD_MATCH
        ? archive.newest(null, sequence, f, depth)
        : archive.top(sequence, f, depth);
  return {
    lists: [
      windowHits.slice(0, depth),
      archiveHits,
      windowSequence.slice(0, depth),
      archiveSequence,
    ],
    total: Math.max(archiveTotal, windowHits.length),
  };
}

export function mergedSearch(
  db: Database,
  window: WindowView,
  archive: ArchiveQueries,
  q: CompiledQuery,
  f: SearchFilters,
  paging: { page: number; pageSize: number },
  now: Date,
): SearchResult {
  const { page, pageSize } = paging;
  const depth = candidatesFor(page * pageSize);
  let found = sides(window, archive, q, 'all', f, depth);
  if (found.total === 0 && q.groups.length + q.phrases.length > 1) {
    found = sides(window, archive, q, 'any', f, depth);
  }
  const archiveRowids = [...(found.lists[1] ?? []), ...(found.lists[3] ?? [])].map((h) => h.rowid);
  const archiveDays = archive.days(archiveRowids);
  const dayOf = (r: number) => window.byRowid.get(r)?.day ?? archiveDays.get(r);
  const ranked = fuse(found.lists, dayOf, now);
  const slice = ranked.slice((page - 1) * pageSize, page * pageSize);
  const papers = papersByRowid(
    db,
    slice.map((h) => h.rowid),
  );
  const hits = slice.flatMap((h) => {
    const paper = papers.get(h.rowid);
    if (!paper) return [];
    const snippet = makeSnippet(paper.abstract, q);
    return [{ paper, score: h.score, snippet, matchedTerms: matchPaper(paper, q).matchedTerms }];
  });
  return { hits, total: found.total, page, pageSize, pages: Math.ceil(found.total / pageSize) };
}
