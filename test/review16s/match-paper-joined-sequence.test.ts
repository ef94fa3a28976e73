import { expect, it } from 'vitest';
import type { Paper } from '../../src/core/paper.js';
import { hasSequence, matchPaper, stemFinder } from '../../src/core/search/paper-match.js';
import type { CompiledQuery } from '../../src/core/search/query-compiler.js';
import { stem, tokenise } from '../../src/core/search/text.js';
import { seeded } from '../core/search/corpus-slice.js';

/** matchPaper before a4d460f: title, authors and abstract tokenised apart, then joined. */
function reference(p: Paper, q: CompiledQuery): { all: boolean; matchedTerms: string[] } {
  const phraseStems = q.phrases.map((phrase) => phrase.map(stem));
  const excluded = q.excluded.map(stem);
  const find = stemFinder([
    ...q.groups.flatMap((g) => g.stems),
    ...phraseStems.flat(),
    ...excluded,
  ]);
  const seq = [
    ...tokenise(p.title).map(find),
    ...tokenise(p.authors.join(' ')).map(find),
    ...tokenise(p.abstract).map(find),
  ];
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

// Boundary cases the one joined string could change: final sigma (context-dependent lower
// case), combining marks at a field's start, compatibility forms, dotted I, ASCII next to not.
const PIECES = [
  'robot',
  'learning',
  'ΟΔΟΣ',
  'Σ',
  '\u0301',
  'ﬁne',
  'İ',
  'ß',
  'é',
  "'",
  '-',
  '',
  ' ',
];
const GLUE = [' ', ' ', ' ', ''];
const WORDS = ['robot', 'learn', 'οδος', 'σ', 'ς', 'fine', 'i', 'ss', 'e'];

it('the joined token sequence matches, phrases and excluded words as before', () => {
  const random = seeded(16);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const text = () =>
    Array.from({ length: Math.floor(random() * 8) }, () => pick(PIECES) + pick(GLUE)).join('');
  const differ: unknown[] = [];
  let phraseHits = 0;
  let allHits = 0;
  for (let i = 0; i < 5000; i++) {
    const paper = {
      title: text(),
      authors: Array.from({ length: Math.floor(random() * 3) }, text),
      abstract: text(),
    } as Paper;
    const word = pick(WORDS);
    const q: CompiledQuery = {
      groups: [{ word, alternatives: [word], stems: [stem(word)], corrected: false }],
      phrases: [random() < 0.5 ? ['robot', 'learn'] : [pick(WORDS), pick(WORDS)]],
      excluded: random() < 0.5 ? [pick(WORDS)] : [],
      sequence: [],
    };
    const now = matchPaper(paper, q);
    const before = reference(paper, q);
    if (now.matchedTerms.includes(q.phrases[0]?.join(' ') ?? '')) phraseHits++;
    if (now.all) allHits++;
    if (JSON.stringify(now) !== JSON.stringify(before)) differ.push({ paper, q, now, before });
  }
  expect(differ.slice(0, 3)).toEqual([]);
  // Not vacuous: phrases and whole matches occur.
  expect([phraseHits > 50, allHits > 50]).toEqual([true, true]);
});
