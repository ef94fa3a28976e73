import { compareText, STOP_WORDS, stem, tokenise } from './text.js';

/** What the user asked for, before it meets an index. Pure; never throws. */
export interface ParsedQuery {
  /** Folded words, stop words dropped (kept only when nothing else is left). */
  words: string[];
  /** `"quoted phrases"`, each a list of folded words (two or more). */
  phrases: string[][];
  /** Words after `-`. */
  excluded: string[];
  /** The last word was still being typed (no space after it): try it as a prefix. */
  lastIsPrefix: boolean;
  /** Every unquoted, unexcluded word in order, stop words kept: a title holding it ranks higher. */
  sequence: string[];
  /** Stop words left out of the required words (told to the user). */
  dropped: string[];
}

/** One wanted word and the index terms that count as it. */
export interface TermGroup {
  word: string;
  /** Unstemmed index words that stand for `word` (itself, prefix or typo candidates). */
  alternatives: string[];
  /** Their stems, de-duplicated: what a paper's words are compared with. */
  stems: string[];
  /** The index lacks `word`: `alternatives` are its closest typo corrections, best first. */
  corrected: boolean;
}

export interface CompiledQuery {
  groups: TermGroup[];
  phrases: string[][];
  excluded: string[];
  sequence: string[];
}

/** Where candidates come from: the unstemmed term list of the index. */
export interface TermVocabulary {
  has(word: string): boolean;
  /** Document frequency of each word the index holds; absent words are left out. */
  docFreq(words: string[]): Map<string, number>;
  /** Up to `limit` index words starting with `prefix`, with document frequency. */
  withPrefix(prefix: string, limit: number): Array<{ word: string; docs: number }>;
}

const MAX_INPUT = 1000;
const MAX_WORDS = 12;
export const PREFIX_CAP = 8;
export const TYPO_CAP = 4;
const PREFIX_SCAN = 200;

/** Reads any string into a query. `-word` excludes, `"a b"` is a phrase. */
export function parseQuery(input: string): ParsedQuery {
  const text = String(input ?? '').slice(0, MAX_INPUT);
  const phrases: string[][] = [];
  const words: string[] = [];
  const excluded: string[] = [];
  const sequence: string[] = [];
  const rest = text.replace(/"([^"]*)"/g, (_, inner: string) => {
    const tokens = tokenise(inner);
    if (tokens.length > 1) phrases.push(tokens.slice(0, MAX_WORDS));
    else if (tokens[0]) words.push(tokens[0]);
    return ' ';
  });
  for (const chunk of rest.split(/\s+/)) {
    if (chunk.startsWith('-') && chunk.length > 1) excluded.push(...tokenise(chunk.slice(1)));
    else {
      words.push(...tokenise(chunk));
      sequence.push(...tokenise(chunk));
    }
  }
  const content = words.filter((w) => !STOP_WORDS.has(w));
  const useContent = content.length > 0 || phrases.length > 0;
  const kept = (useContent ? content : words).slice(0, MAX_WORDS);
  const dropped = useContent ? [...new Set(words.filter((w) => STOP_WORDS.has(w)))] : [];
  const lastRaw = tokenise(rest).at(-1);
  const lastIsPrefix =
    kept.length > 0 &&
    !/[\s"]$/.test(text) &&
    lastRaw === kept.at(-1) &&
    !rest.trimEnd().endsWith('-');
  return {
    words: [...new Set(kept)],
    phrases: phrases.slice(0, 4),
    excluded: [...new Set(excluded)].slice(0, MAX_WORDS),
    lastIsPrefix,
    sequence: sequence.length > 1 ? sequence.slice(0, MAX_WORDS) : [],
    dropped,
  };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Every string at edit distance 1 (Damerau: delete, transpose, replace, insert) over a–z. */
export function editsOne(word: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i <= word.length; i++) {
    const head = word.slice(0, i);
    const tail = word.slice(i);
    if (tail) out.add(head + tail.slice(1));
    if (tail.length > 1) out.add(head + tail[1] + tail[0] + tail.slice(2));
    for (const c of LETTERS) {
      if (tail && c !== tail[0]) out.add(head + c + tail.slice(1));
      out.add(head + c + tail);
    }
  }
  out.delete(word);
  return [...out];
}

function topByDocs(found: Array<{ word: string; docs: number }>, cap: number): string[] {
  return found
    .sort((a, b) => b.docs - a.docs || compareText(a.word, b.word))
    .slice(0, cap)
    .map((f) => f.word);
}

/** Typo candidates only for words the index lacks; prefix candidates for the last word. */
export function expandQuery(parsed: ParsedQuery, vocab: TermVocabulary): CompiledQuery {
  const groups = parsed.words.map((word, i): TermGroup => {
    const alternatives = new Set<string>();
    const known = vocab.has(word);
    if (known) alternatives.add(word);
    const isLast = i === parsed.words.length - 1;
    if (isLast && parsed.lastIsPrefix && word.length >= 3) {
      const found = vocab.withPrefix(word, PREFIX_SCAN).filter((f) => f.word !== word);
      for (const w of topByDocs(found, PREFIX_CAP)) alternatives.add(w);
    }
    // A word still being typed that already has completions is not a typo.
    const completed = alternatives.size > (known ? 1 : 0);
    let corrected = false;
    if (!known && !completed && word.length >= 4 && /^[a-z]+$/.test(word)) {
      const freq = vocab.docFreq(editsOne(word));
      const found = [...freq].map(([w, docs]) => ({ word: w, docs }));
      for (const w of topByDocs(found, TYPO_CAP)) alternatives.add(w);
      corrected = alternatives.size > 0;
    }
    if (alternatives.size === 0) alternatives.add(word);
    const alts = [...alternatives];
    return { word, alternatives: alts, stems: [...new Set(alts.map(stem))], corrected };
  });
  return { groups, phrases: parsed.phrases, excluded: parsed.excluded, sequence: parsed.sequence };
}

/** The query's terms as the user wrote them (folded): a match of every one holds all these. */
export function queryTerms(q: CompiledQuery): string[] {
  return [...q.groups.map((g) => g.word), ...q.phrases.map((p) => p.join(' '))];
}

export function isEmptyQuery(q: CompiledQuery): boolean {
  return q.groups.length === 0 && q.phrases.length === 0;
}

/** Tokens are [\p{L}\p{N}]+ by construction; quoting them still guards FTS5 syntax. */
function quote(token: string): string {
  return `"${token.replace(/"/g, '""')}"`;
}

export type MatchMode = 'all' | 'any';

/**
 * An FTS5 MATCH expression built only from quoted tokens this module produced,
 * never from user text. `null` when there is nothing to match.
 */
export function ftsMatch(q: CompiledQuery, mode: MatchMode, column?: 'title'): string | null {
  const parts = [
    ...q.groups.map((g) => `(${g.alternatives.map(quote).join(' OR ')})`),
    ...q.phrases.map((p) => quote(p.join(' '))),
  ];
  if (parts.length === 0) return null;
  let expr = parts.join(mode === 'all' ? ' AND ' : ' OR ');
  if (column) expr = `${column} : (${expr})`;
  if (q.excluded.length > 0) expr = `(${expr}) NOT (${q.excluded.map(quote).join(' OR ')})`;
  return expr;
}
