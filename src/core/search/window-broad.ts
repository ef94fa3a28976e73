import type { CompiledQuery, MatchMode } from './query-compiler.js';
import { stem } from './text.js';
import type { SideHit, WindowDoc, WindowIndex } from './window-index.js';

/** Above this many window matches, Lunr's scoring of every match is skipped: newest first. */
export const WINDOW_BROAD_MATCH = 1000;

const ALL_FIELDS = ['title', 'authors', 'abstract'];

/** Refs of docs holding any of `stems` in `fields`, read from Lunr's inverted index. */
function refsOf(idx: WindowIndex, stems: string[], fields: string[]): Set<string> {
  const inverted = idx.invertedIndex;
  const out = new Set<string>();
  for (const s of stems) {
    if (!Object.hasOwn(inverted, s)) continue;
    const posting = inverted[s];
    for (const field of fields) {
      const refs = posting?.[field];
      if (refs && typeof refs === 'object') for (const ref of Object.keys(refs)) out.add(ref);
    }
  }
  return out;
}

function intersect(sets: Set<string>[]): Set<string> {
  const [first, ...rest] = [...sets].sort((a, b) => a.size - b.size);
  if (!first) return new Set();
  return new Set([...first].filter((ref) => rest.every((s) => s.has(ref))));
}

/** Docs matching the query by the same rules as Lunr's path, without scoring. */
function matchingRefs(
  idx: WindowIndex,
  q: CompiledQuery,
  mode: MatchMode,
  fields: string[],
): Set<string> {
  const sets = [
    ...q.groups.map((g) => refsOf(idx, g.stems, fields)),
    ...q.phrases.map((p) => intersect(p.map((w) => refsOf(idx, [stem(w)], fields)))),
  ];
  let refs = mode === 'all' ? intersect(sets) : new Set(sets.flatMap((s) => [...s]));
  if (q.excluded.length > 0) {
    const out = refsOf(idx, q.excluded.map(stem), ALL_FIELDS);
    refs = new Set([...refs].filter((r) => !out.has(r)));
  }
  return refs;
}

/** The window docs a query matches (every rule but phrase order and the caller's filters). */
export function windowMatches(idx: WindowIndex, q: CompiledQuery, mode: MatchMode): Set<string> {
  return matchingRefs(idx, q, mode, ALL_FIELDS);
}

/**
 * For a match too broad to rank by relevance usefully (a common word in a big window): the
 * matching docs, title matches first, newest first — the same rule the archive uses. `null`
 * when the match is narrow enough to score.
 */
export function broadWindowHits(
  idx: WindowIndex,
  docs: Map<string, WindowDoc>,
  q: CompiledQuery,
  mode: MatchMode,
  keep: (doc: WindowDoc) => boolean,
  hasPhrase: (doc: WindowDoc, phrase: string[]) => boolean,
  refs: Set<string> = windowMatches(idx, q, mode),
): SideHit[] | null {
  if (refs.size <= WINDOW_BROAD_MATCH) return null;
  const titled = matchingRefs(idx, q, mode, ['title']);
  const verify = phraseCheck(idx, q, mode, hasPhrase);
  const ranked = [...refs]
    .map((ref) => docs.get(ref))
    .filter((d): d is WindowDoc => d !== undefined && keep(d) && verify(d))
    .map((d) => ({ d, tier: titled.has(d.id) ? 1 : 0 }))
    .sort((a, b) => b.tier - a.tier || b.d.day.localeCompare(a.d.day) || b.d.rowid - a.d.rowid);
  return ranked.map(({ d, tier }, i) => ({
    rowid: d.rowid,
    score: 1 + tier - i / (ranked.length + 1),
  }));
}

/** Phrase words were only checked as words: their order is checked here, as FTS5 does. */
export function phraseCheck(
  idx: WindowIndex,
  q: CompiledQuery,
  mode: MatchMode,
  hasPhrase: (doc: WindowDoc, phrase: string[]) => boolean,
): (doc: WindowDoc) => boolean {
  if (q.phrases.length === 0) return () => true;
  const byGroups =
    mode === 'any' ? matchingRefs(idx, { ...q, phrases: [] }, 'any', ALL_FIELDS) : null;
  return (d) =>
    mode === 'all'
      ? q.phrases.every((p) => hasPhrase(d, p))
      : (byGroups?.has(d.id) ?? false) || q.phrases.some((p) => hasPhrase(d, p));
}
