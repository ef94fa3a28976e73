import { normaliseTitle } from '../paper.js';
import type { ArchiveHit, HitFacts } from './archive-query.js';
import { hasSequence, stemFinder } from './paper-match.js';
import type { CompiledQuery } from './query-compiler.js';
import { compareText, stem, tokenise } from './text.js';

/** How well a title holds a query's words; `null` when it lacks one of them. */
export interface TitleFit {
  /** The title is the query (normalised). */
  exact: boolean;
  /** The title holds the query's words in order, side by side (stop words included). */
  inOrder: boolean;
  /** Fewest title words spanning one match of every query word. */
  span: number;
  /** Where that span starts. */
  first: number;
  /** Words in the title: a shorter title is a closer fit. */
  length: number;
}

/** Smallest window of `positions` (each tagged with a group) holding every group. */
function minimalSpan(
  hits: Array<[number, number]>,
  groups: number,
): { span: number; first: number } {
  const seen = new Map<number, number>();
  let best = { span: Number.POSITIVE_INFINITY, first: 0 };
  let lo = 0;
  for (const [pos, group] of hits) {
    seen.set(group, (seen.get(group) ?? 0) + 1);
    while (seen.size === groups) {
      const [start, g] = hits[lo] as [number, number];
      if (pos - start < best.span) best = { span: pos - start, first: start };
      const left = (seen.get(g) ?? 1) - 1;
      if (left === 0) seen.delete(g);
      else seen.set(g, left);
      lo++;
    }
  }
  return best;
}

/**
 * Matches titles against the query's words: stemmed, any order, hyphenated words split.
 * What depends on the query alone is worked out once, not per title.
 */
export function titleFitter(
  q: CompiledQuery,
  queryKey: string,
): (title: string) => TitleFit | null {
  const sequence = q.sequence.map(stem);
  const phrases = q.phrases.map((p) => p.map(stem));
  const find = stemFinder([...q.groups.flatMap((g) => g.stems), ...phrases.flat(), ...sequence]);
  return (title) => {
    const words = tokenise(title);
    // Each word as the wanted stem it stands for, or '' (never a stem).
    const stems = words.map(find);
    if (!phrases.every((p) => hasSequence(stems, p))) return null;
    const hits: Array<[number, number]> = [];
    stems.forEach((s, pos) => {
      if (s === '') return;
      q.groups.forEach((g, i) => {
        if (g.stems.includes(s)) hits.push([pos, i]);
      });
    });
    const { span, first } =
      q.groups.length > 0 ? minimalSpan(hits, q.groups.length) : { span: 0, first: 0 };
    if (!Number.isFinite(span)) return null;
    return {
      exact: queryKey !== '' && normaliseTitle(title) === queryKey,
      inOrder: sequence.length > 1 && hasSequence(stems, sequence),
      span,
      first,
      length: words.length,
    };
  };
}

export interface Ranked {
  rowid: number;
  fit: TitleFit | null;
  bm25: number;
}

/** Titles holding every query word first (exact, in order, closest, earliest, shortest), then bm25. */
function byFitThenBm25(a: Ranked, b: Ranked): number {
  const fa = a.fit;
  const fb = b.fit;
  if (fa && !fb) return -1;
  if (fb && !fa) return 1;
  if (fa && fb) {
    const d =
      Number(fb.exact) - Number(fa.exact) ||
      Number(fb.inOrder) - Number(fa.inOrder) ||
      fa.span - fb.span ||
      fa.first - fb.first ||
      fa.length - fb.length;
    if (d !== 0) return d;
  }
  return a.bm25 - b.bm25;
}

/** Known upvotes first, more first; then the newer day. */
function byUpvotesThenDay(a: HitFacts | undefined, b: HitFacts | undefined): number {
  const d = (b?.upvotes ?? -1) - (a?.upvotes ?? -1);
  return d !== 0 ? d : compareText(b?.day ?? '', a?.day ?? '');
}

/**
 * Ranks FTS5 hits (de-duplicated by rowid, the first bm25 kept): title fit, bm25, then
 * upvotes and recency — read only for the hits still tied, as they cost a long row read.
 * Hits ranked newest first (bm25 0, a broad match) keep that order within a tier.
 */
export function rankHits(
  hits: ArchiveHit[],
  titles: Map<number, string>,
  q: CompiledQuery,
  rawQuery: string,
  factsOf: (rowids: number[]) => Map<number, HitFacts>,
): Ranked[] {
  const fitOf = titleFitter(q, normaliseTitle(rawQuery.replace(/(^|\s)-\S+/g, ' ')));
  const out = new Map<number, Ranked>();
  for (const h of hits) {
    const title = titles.get(h.rowid);
    if (title === undefined || out.has(h.rowid)) continue;
    out.set(h.rowid, { rowid: h.rowid, fit: fitOf(title), bm25: h.bm25 });
  }
  const ranked = [...out.values()].sort((a, b) => byFitThenBm25(a, b) || b.rowid - a.rowid);
  const tied = new Set<number>();
  ranked.forEach((r, i) => {
    const prev = ranked[i - 1];
    if (prev && r.bm25 !== 0 && byFitThenBm25(prev, r) === 0) tied.add(prev.rowid).add(r.rowid);
  });
  if (tied.size === 0) return ranked;
  const facts = factsOf([...tied]);
  return ranked.sort(
    (a, b) =>
      byFitThenBm25(a, b) ||
      byUpvotesThenDay(facts.get(a.rowid), facts.get(b.rowid)) ||
      b.rowid - a.rowid,
  );
}
