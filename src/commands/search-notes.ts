import type { QueryRelaxation } from '../core/search/types.js';

const quoted = (words: string[]) => words.map((w) => `"${w}"`).join(', ');

/** The query as the header shows it: quoted once (a query with its own quotes is shown as typed). */
export function quoteQuery(query: string): string {
  return query.includes('"') ? query : `"${query}"`;
}

/**
 * One line saying what search did to the query to find anything, e.g. `No paper has all of:
 * diffusion, modls. Showing papers with "models" (corrected from "modls").` Null when nothing.
 * `ask` tells its retrieval the same way, with its own verb ("Answering from papers with …").
 */
export function describeRelaxations(
  relaxations: QueryRelaxation[] = [],
  action = 'Showing',
): string | null {
  const corrected = new Map<string, string>();
  const dropped: string[] = [];
  let anyTerm: Extract<QueryRelaxation, { kind: 'any-term' }> | null = null;
  for (const r of relaxations) {
    if (r.kind === 'corrected') corrected.set(r.to, r.from);
    else if (r.kind === 'stop-word-dropped') dropped.push(r.word);
    else anyTerm = r;
  }
  const withFrom = (w: string) => {
    const from = corrected.get(w);
    return from ? `"${w}" (corrected from "${from}")` : `"${w}"`;
  };
  const parts: string[] = [];
  if (anyTerm) {
    const found = anyTerm.found ?? [];
    const showing =
      found.length > 0
        ? `papers with ${found.map(withFrom).join(' or ')}`
        : 'papers with any of them';
    parts.push(`No paper has all of: ${anyTerm.words.join(', ')}. ${action} ${showing}.`);
  } else if (corrected.size > 0) {
    parts.push(`${action} papers with ${[...corrected.keys()].map(withFrom).join(', ')}.`);
  }
  if (dropped.length > 0)
    parts.push(`Left out common word${dropped.length > 1 ? 's' : ''} ${quoted(dropped)}.`);
  return parts.length > 0 ? parts.join(' ') : null;
}
