import type { Database } from 'better-sqlite3';
import { normaliseTitle, type Paper, parseArxivId } from '../paper.js';
import { TITLE_PREFIX } from '../store/paper-row-shapes.js';
import { type ArchiveQueries, type FtsTable, titleQuery } from './archive-query.js';
import {
  type CompiledQuery,
  expandQuery,
  parseQuery,
  type TermVocabulary,
} from './query-compiler.js';
import { papersWhere } from './stored-papers.js';
import { tokenise } from './text.js';
import type { Resolution } from './types.js';

/** Discord autocomplete and choice lists hold at most 25 entries. */
export const MAX_CHOICES = 25;

const NO_FILTERS = { since: null, author: null };

function rankedTitleMatches(
  archive: ArchiveQueries,
  { table, match }: { table: FtsTable; match: string | null },
  limit: number,
): Paper[] {
  if (!match) return [];
  const rowids = archive.top(match, NO_FILTERS, limit, false, table).map((h) => h.rowid);
  const papers = archive.papers(rowids);
  return rowids.map((r) => papers.get(r)).filter((p): p is Paper => p !== undefined);
}

function quoteAll(tokens: string[]): string {
  return `"${tokens.join(' ')}"`;
}

/** One paper found, a choice of several, or none (shared with the PostgreSQL resolver). */
export function answer(papers: Paper[]): Resolution {
  if (papers.length === 0) return { kind: 'none' };
  if (papers.length === 1 && papers[0]) return { kind: 'found', paper: papers[0] };
  return { kind: 'choice', candidates: papers.slice(0, MAX_CHOICES) };
}

/** Share of the query's words found in a title: the fuzzy step's closeness. */
function overlap(queryWords: string[], title: string): number {
  const words = new Set(tokenise(title));
  return queryWords.filter((w) => words.has(w)).length / Math.max(1, queryWords.length);
}

/**
 * `show`: exact id / URL, exact title, title fragment (as a phrase), title words
 * (last one as a prefix, typos tolerated), then the closest titles. Several → choice.
 */
export function resolvePaper(
  db: Database,
  archive: ArchiveQueries,
  vocab: TermVocabulary,
  input: string,
): Resolution {
  const text = String(input ?? '')
    .slice(0, 1000)
    .trim();
  if (!text) return { kind: 'none' };
  // A stored id without arXiv id (`t:` + title hash), e.g. an autocomplete choice's value.
  if (/^t:[0-9a-f]{16}$/.test(text)) return answer(papersWhere(db, 'id = ? LIMIT 1', text));
  const id = parseArxivId(text);
  if (id)
    return answer(papersWhere(db, 'id = ? OR arxiv_id = ? LIMIT 2', id.id, id.id).slice(0, 1));
  const key = normaliseTitle(text);
  if (!key) return { kind: 'none' };
  const byKey = `${TITLE_PREFIX} = substr(@key, 1, 16) AND title_key = @key LIMIT @limit`;
  const exact = papersWhere(db, byKey, { key, limit: MAX_CHOICES });
  if (exact.length > 0) return answer(exact);
  const tokens = tokenise(text).slice(0, 24);
  if (tokens.length === 0) return { kind: 'none' };
  const phrase = { table: 'papers_titles' as const, match: quoteAll(tokens) };
  const fragment = rankedTitleMatches(archive, phrase, MAX_CHOICES);
  if (fragment.length > 0) return answer(fragment);
  const compiled = expandQuery(parseQuery(text), vocab);
  const words = rankedTitleMatches(archive, titleQuery(compiled, 'all'), MAX_CHOICES);
  if (words.length > 0) return answer(words);
  const loose = rankedTitleMatches(archive, titleQuery(compiled, 'any'), LOOSE_CANDIDATES);
  return closestTitles(loose, compiled, tokens);
}

/** Titles holding any query word, as many as the fuzzy step weighs. */
export const LOOSE_CANDIDATES = 50;

/**
 * The fuzzy step (shared with the PostgreSQL resolver): of titles holding any query word,
 * those sharing at least half of them, and only the closest.
 */
export function closestTitles(
  loose: Paper[],
  compiled: CompiledQuery,
  tokens: string[],
): Resolution {
  const wanted = compiled.groups.flatMap((g) => g.alternatives);
  const scored = loose
    .map((p) => ({ p, closeness: overlap(wanted.length > 0 ? wanted : tokens, p.title) }))
    .filter((s) => s.closeness >= 0.5);
  const best = Math.max(0, ...scored.map((s) => s.closeness));
  return answer(scored.filter((s) => s.closeness >= best - 0.1).map((s) => s.p));
}

/** Autocomplete: titles starting with the text, then titles holding its words. */
export function suggestTitles(
  db: Database,
  archive: ArchiveQueries,
  vocab: TermVocabulary,
  input: string,
  limit = MAX_CHOICES,
): Array<{ id: string; title: string }> {
  const n = Math.max(1, Math.min(MAX_CHOICES, Math.floor(Number(limit)) || MAX_CHOICES));
  const key = normaliseTitle(String(input ?? '').slice(0, 300));
  if (!key) return [];
  const out = new Map<string, string>();
  // The index holds the first 16 characters: it narrows the range and orders by them;
  // titles alike that far are sorted among themselves.
  const starts = db
    .prepare(
      `SELECT id, title FROM papers
       WHERE ${TITLE_PREFIX} BETWEEN substr(@from, 1, 16) AND substr(@to, 1, 16)
         AND title_key >= @from AND title_key < @to
       ORDER BY ${TITLE_PREFIX}, title_key LIMIT @limit`,
    )
    .all({ from: key, to: `${key}\u{10FFFF}`, limit: n }) as Array<{ id: string; title: string }>;
  for (const s of starts) out.set(s.id, s.title);
  if (out.size < n) {
    const compiled = expandQuery(parseQuery(String(input).slice(0, 300)), vocab);
    for (const p of rankedTitleMatches(archive, titleQuery(compiled, 'all'), n)) {
      if (out.size >= n) break;
      out.set(p.id, p.title);
    }
  }
  return [...out].map(([id, title]) => ({ id, title }));
}
