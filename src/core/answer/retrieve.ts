import type { Paper } from '../paper.js';
import { stem, tokenise } from '../search/text.js';
import type { PaperSearch, QueryRelaxation, SearchResult } from '../search/types.js';
import { questionStems } from './terms.js';

/** Papers retrieved for one question: search's best, and what search had to relax. */
export interface Retrieval {
  papers: Paper[];
  relaxations: QueryRelaxation[];
}

/** How many papers an answer reads: enough for a second opinion, few enough to stay fast. */
export const RETRIEVE_DEPTH = 8;

/**
 * The question's subject words, as the user wrote them (folded), for search and for the
 * "no paper has all of" line.
 */
export function questionWords(question: string): string[] {
  const wanted = new Set(questionStems(question));
  const out: string[] = [];
  for (const w of tokenise(question)) if (wanted.has(stem(w)) && !out.includes(w)) out.push(w);
  return out;
}

/**
 * Retrieves through the search engine (its typo, prefix and any-word fallback included).
 * The engine's own relaxations are kept; when it reports none but no hit holds every
 * question word, the answer says so itself rather than pass a partial match off as a match.
 */
export async function retrieve(
  search: PaperSearch,
  question: string,
  preferred: Paper[] = [],
  commonWords: (words: string[]) => Set<string> = () => new Set(),
): Promise<Retrieval> {
  const words = questionWords(question);
  if (words.length === 0) return { papers: preferred, relaxations: [] };
  // Words most papers hold ("model", "learning") find nothing a rarer word does not, and make
  // an any-word search read long posting lists; sentence ranking still weighs every word.
  const common = words.length > 2 ? commonWords(words) : new Set<string>();
  const asked = words.filter((w) => !common.has(w));
  const query = (asked.length > 0 ? asked : words).join(' ');
  const result: SearchResult = await search.search(query, { pageSize: RETRIEVE_DEPTH });
  const seen = new Set(preferred.map((p) => p.id));
  const papers = [...preferred, ...result.hits.map((h) => h.paper).filter((p) => !seen.has(p.id))];
  const relaxations = [...(result.relaxations ?? [])];
  const holdsAll = result.hits.some((h) => words.every((w) => h.matchedTerms.includes(w)));
  if (
    result.hits.length > 0 &&
    words.length > 1 &&
    !holdsAll &&
    !relaxations.some((r) => r.kind === 'any-term')
  ) {
    relaxations.unshift({ kind: 'any-term', words });
  }
  return { papers, relaxations };
}
