import lunr from 'lunr';

const ASCII = /^[\x00-\x7f]*$/;

/**
 * Text folding shared by both sides of the search: the Lunr window is fed folded
 * text and FTS5 folds with `unicode61 remove_diacritics 2`, so José = Jose everywhere.
 */
export function foldText(text: string): string {
  // Most text is ASCII, where NFKD and mark removal change nothing and cost the most.
  if (ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

const TOKEN = /[\p{L}\p{N}]+/gu;

/** Longest token kept: anything longer is noise (base64, hashes) and only costs memory. */
export const MAX_TOKEN_LENGTH = 64;

/** Folded words of `text`, in order. */
export function tokenise(text: string): string[] {
  const out: string[] = [];
  for (const m of foldText(text).matchAll(TOKEN)) {
    if (m[0].length <= MAX_TOKEN_LENGTH) out.push(m[0]);
  }
  return out;
}

/** Folded words with their offsets in the ORIGINAL text (for highlight ranges), read lazily. */
export function* locateWords(
  text: string,
): Generator<{ word: string; start: number; end: number }> {
  // ASCII folds letter for letter: one lower-casing of the whole text keeps every offset.
  const lower = ASCII.test(text) ? text.toLowerCase() : null;
  for (const m of text.matchAll(TOKEN)) {
    const word = lower ? lower.slice(m.index, m.index + m[0].length) : foldText(m[0]);
    if (word.length > 0 && word.length <= MAX_TOKEN_LENGTH) {
      yield { word, start: m.index, end: m.index + m[0].length };
    }
  }
}

const stemCache = new Map<string, string>();

/** Porter stem (Lunr's, the same algorithm as SQLite's `porter` tokenizer). */
export function stem(word: string): string {
  const cached = stemCache.get(word);
  if (cached !== undefined) return cached;
  const result = lunr.stemmer(new lunr.Token(word, {})).toString();
  if (stemCache.size > 200_000) stemCache.clear();
  stemCache.set(word, result);
  return result;
}

/** Code-point order: `localeCompare` would load ICU's collator on first use (~30 ms cold). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** English stop words dropped from queries before terms are made required. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a an and are as at be but by for from has have how in into is it its of on or over so
  such than that the their then there these they this to via was we what when where which
  while who why will with without our your you i me my do does did can could should would
  not no vs versus about after before between through under using use`.split(/\s+/),
);
