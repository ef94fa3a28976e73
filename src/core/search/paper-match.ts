import type { Paper } from '../paper.js';
import type { CompiledQuery } from './query-compiler.js';
import { locateWords, stem, tokenise } from './text.js';
import type { Snippet } from './types.js';

const SNIPPET_LENGTH = 240;
const LEAD = 60;

/**
 * Porter only rewrites a word's ending (at most the last two letters of a stem differ from
 * the word, as in sensibility → sensible): a word can stem to `s` only if it starts with
 * `s` minus two letters. Checking that first skips stemming nearly every word of a paper.
 */
export function stemFinder(wanted: Iterable<string>): (word: string) => string {
  const heads = [...new Set(wanted)].map((s) => s.slice(0, Math.max(0, Math.min(3, s.length - 2))));
  const set = new Set(wanted);
  return (word) => {
    for (const head of heads) {
      if (word.startsWith(head)) {
        const s = stem(word);
        return set.has(s) ? s : '';
      }
    }
    return '';
  };
}

/** Whether `phrase` occurs in `words` in order (both stemmed). */
export function hasSequence(words: string[], phrase: string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * Evaluates a compiled query on one paper in memory: the terms it matched (a hit found by
 * any of the words) and whether it holds them all with no excluded word.
 */
export function matchPaper(p: Paper, q: CompiledQuery): { all: boolean; matchedTerms: string[] } {
  const phraseStems = q.phrases.map((phrase) => phrase.map(stem));
  const excluded = q.excluded.map(stem);
  const find = stemFinder([
    ...q.groups.flatMap((g) => g.stems),
    ...phraseStems.flat(),
    ...excluded,
  ]);
  // Each word as the wanted stem it stands for, or '' (never a stem): order kept for phrases.
  const seq = tokenise(`${p.title} ${p.authors.join(' ')} ${p.abstract}`).map(find);
  const set = new Set(seq);
  const matchedTerms: string[] = [];
  let all = !excluded.some((s) => set.has(s));
  for (const g of q.groups) {
    if (g.stems.some((s) => set.has(s))) matchedTerms.push(g.word);
    else all = false;
  }
  q.phrases.forEach((phrase, i) => {
    if (hasSequence(seq, phraseStems[i] ?? [])) matchedTerms.push(phrase.join(' '));
    else all = false;
  });
  return { all, matchedTerms };
}

/**
 * A short piece of the abstract around the first matched word, with highlight ranges. Words
 * are read only up to the end of that piece: most abstracts match in their first lines.
 */
export function makeSnippet(abstract: string, q: CompiledQuery): Snippet {
  const find = stemFinder([...q.groups.flatMap((g) => g.stems), ...q.phrases.flat().map(stem)]);
  const read: Array<{ start: number; end: number }> = [];
  const hits: Array<{ start: number; end: number }> = [];
  let start = 0;
  let end = Math.min(abstract.length, SNIPPET_LENGTH);
  for (const w of locateWords(abstract)) {
    if (hits.length > 0 && w.start >= end) break;
    read.push(w);
    if (find(w.word) === '') continue;
    if (hits.length === 0 && w.end > SNIPPET_LENGTH - 20) {
      const from = Math.max(0, w.start - LEAD);
      start = read.find((r) => r.start >= from)?.start ?? w.start;
      end = Math.min(abstract.length, start + SNIPPET_LENGTH);
    }
    hits.push(w);
  }
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
