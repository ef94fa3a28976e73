import type { Paper } from '../paper.js';
import type { CompiledQuery } from './query-compiler.js';
import { locateWords, stem, tokenise } from './text.js';
import type { Snippet } from './types.js';

const SNIPPET_LENGTH = 240;
const LEAD = 60;

function stemsOf(p: Paper): string[] {
  return tokenise(`${p.title} ${p.authors.join(' ')} ${p.abstract}`).map(stem);
}

function hasSequence(words: string[], phrase: string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

export interface PaperMatch {
  /** Every group, phrase present and no excluded word. */
  all: boolean;
  matchedTerms: string[];
  /** Title matches count more: used to rank topic matches. */
  score: number;
}

/** Evaluates a compiled query on one paper in memory (digest topics, matched terms). */
export function matchPaper(p: Paper, q: CompiledQuery): PaperMatch {
  const seq = stemsOf(p);
  const set = new Set(seq);
  const titleSet = new Set(tokenise(p.title).map(stem));
  const matchedTerms: string[] = [];
  let score = 0;
  let all = !q.excluded.some((w) => set.has(stem(w)));
  for (const g of q.groups) {
    if (g.stems.some((s) => set.has(s))) {
      matchedTerms.push(g.word);
      score += g.stems.some((s) => titleSet.has(s)) ? 3 : 1;
    } else all = false;
  }
  for (const phrase of q.phrases) {
    if (hasSequence(seq, phrase.map(stem))) {
      matchedTerms.push(phrase.join(' '));
      score += 3;
    } else all = false;
  }
  return { all, matchedTerms, score };
}

/** A short piece of the abstract around the first matched word, with highlight ranges. */
export function makeSnippet(abstract: string, q: CompiledQuery): Snippet {
  const wanted = new Set([...q.groups.flatMap((g) => g.stems), ...q.phrases.flat().map(stem)]);
  const words = locateWords(abstract);
  const hits = words.filter((w) => wanted.has(stem(w.word)));
  let start = 0;
  const first = hits[0];
  if (first && first.end > SNIPPET_LENGTH - 20) {
    const from = Math.max(0, first.start - LEAD);
    const boundary = words.find((w) => w.start >= from);
    start = boundary ? boundary.start : first.start;
  }
  let end = Math.min(abstract.length, start + SNIPPET_LENGTH);
  if (end < abstract.length) {
    const cut = abstract.lastIndexOf(' ', end);
    if (cut > start + SNIPPET_LENGTH / 2) end = cut;
  }
  const prefix = start > 0 ? '… ' : '';
  const suffix = end < abstract.length ? ' …' : '';
  const text = `${prefix}${abstract.slice(start, end)}${suffix}`;
  const highlights = hits
    .filter((h) => h.start >= start && h.end <= end)
    .map((h) => ({ start: h.start - start + prefix.length, end: h.end - start + prefix.length }));
  return { text, highlights };
}
