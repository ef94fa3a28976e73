import { STOP_WORDS, stem, tokenise } from '../search/text.js';

/**
 * Words a question is made of that say nothing about its subject; and judgements ("the best
 * paper", "the latest work") that no abstract answers: a sentence that merely holds the word
 * ("to the best of our knowledge") is no answer.
 */
const QUESTION_WORDS: ReadonlySet<string> = new Set(
  `paper papers work works one ones other others some any way ways kind kinds get make made
  tell explain show shows like also just more most much many really thing things
  best better good great top interesting important favourite favorite coolest latest newest
  recent`.split(/\s+/),
);

/** The stems a question asks about, in order, de-duplicated (stop and question words dropped). */
export function questionStems(question: string): string[] {
  const words = tokenise(question).filter((w) => !STOP_WORDS.has(w) && !QUESTION_WORDS.has(w));
  return [...new Set(words.map(stem))];
}

/** Stems of a text, in order (duplicates kept: term frequency counts). */
export function textStems(text: string): string[] {
  return tokenise(text).map(stem);
}

/** True when `a` and `b` differ by at most one insertion, deletion, substitution or swap. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * The question's stems mapped onto the retrieved text's own words, as search does: a stem the
 * text lacks becomes one the text has that it prefixes or is one edit away from ("modls" →
 * "model"). Words too short to correct safely stay as they are.
 */
export function alignStems(stems: string[], vocabulary: ReadonlySet<string>): string[] {
  return stems.map((s) => {
    if (vocabulary.has(s) || s.length < 4) return s;
    let best: string | null = null;
    for (const word of vocabulary) {
      // Never shorter and the same first letter: "factor" must not become "actor".
      if (word.length < s.length || word[0] !== s[0]) continue;
      if (word.startsWith(s) || withinOneEdit(s, word)) {
        if (best === null || word.length < best.length) best = word;
      }
    }
    return best ?? s;
  });
}
