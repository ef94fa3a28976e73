import lunr from 'lunr';
import type { CompiledQuery, MatchMode } from './query-compiler.js';
import { stem, tokenise } from './text.js';
import { broadWindowHits } from './window-broad.js';

/** A window paper as the Lunr side keeps it in memory (for filters and phrase checks). */
export interface WindowDoc {
  rowid: number;
  id: string;
  title: string;
  authors: string[];
  abstract: string;
  /** published_at, else first seen day. */
  day: string;
}

/** Field boosts: title > authors > abstract (FTS5 uses the same ratio in bm25). */
export const FIELD_BOOSTS = { title: 10, authors: 4, abstract: 1 } as const;

/** Lunr gets text already folded and split, so its trimmer never mangles "José". */
function folded(text: string): string {
  return tokenise(text).join(' ');
}

/** Pure: builds the window's Lunr index (run in a worker thread). */
export function buildWindowIndex(docs: WindowDoc[]): lunr.Index {
  return lunr(function build() {
    this.ref('id');
    this.field('title', { boost: FIELD_BOOSTS.title });
    this.field('authors', { boost: FIELD_BOOSTS.authors });
    this.field('abstract', { boost: FIELD_BOOSTS.abstract });
    this.pipeline.reset();
    this.pipeline.add(lunr.stemmer);
    this.searchPipeline.reset();
    for (const d of docs) {
      this.add({
        id: d.id,
        title: folded(d.title),
        authors: folded(d.authors.join(' ')),
        abstract: folded(d.abstract),
      });
    }
  });
}

export interface SideHit {
  rowid: number;
  score: number;
}

/** Stemmed words of a doc's fields, computed once per doc (phrase checks run per query). */
const sequences = new WeakMap<WindowDoc, string[][]>();

function docSequences(doc: WindowDoc): string[][] {
  let seqs = sequences.get(doc);
  if (!seqs) {
    seqs = [doc.title, doc.authors.join(' '), doc.abstract].map((t) => tokenise(t).map(stem));
    sequences.set(doc, seqs);
  }
  return seqs;
}

function hasSequence(words: string[], phrase: string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

/** Whether the doc's title holds the words in order (stemmed, like FTS5's porter phrase). */
export function titleHasSequence(doc: WindowDoc, words: string[]): boolean {
  return hasSequence(docSequences(doc)[0] ?? [], words.map(stem));
}

export function docHasPhrase(doc: WindowDoc, phrase: string[]): boolean {
  const stems = phrase.map(stem);
  return docSequences(doc).some((seq) => hasSequence(seq, stems));
}

/**
 * Runs a compiled query on the window with `idx.query()` (never `idx.search()`):
 * every clause is one of our stems, wildcard-free, without Lunr's edit distance.
 * Lunr cannot express "(a OR b) AND c", so required groups are checked on its match data.
 */
export function queryWindow(
  idx: lunr.Index,
  docs: Map<string, WindowDoc>,
  q: CompiledQuery,
  mode: MatchMode,
  keep: (doc: WindowDoc) => boolean,
): SideHit[] {
  const phraseStems = q.phrases.map((p) => p.map(stem));
  const wanted = new Set([...q.groups.flatMap((g) => g.stems), ...phraseStems.flat()]);
  if (wanted.size === 0) return [];
  const broad = broadWindowHits(idx, docs, q, mode, keep, docHasPhrase);
  if (broad) return broad;
  // A term that alone stands for a wanted word is REQUIRED when all are wanted: Lunr then
  // skips scoring documents that lack it (alternatives stay optional and are checked below).
  const required = new Set<string>();
  if (mode === 'all') {
    for (const g of q.groups) if (g.stems.length === 1 && g.stems[0]) required.add(g.stems[0]);
    for (const p of phraseStems) for (const s of p) required.add(s);
  }
  const results = idx.query((query) => {
    for (const term of wanted) {
      query.term(term, {
        usePipeline: false,
        wildcard: lunr.Query.wildcard.NONE,
        presence: required.has(term) ? lunr.Query.presence.REQUIRED : lunr.Query.presence.OPTIONAL,
      });
    }
    for (const word of q.excluded) {
      query.term(stem(word), {
        usePipeline: false,
        wildcard: lunr.Query.wildcard.NONE,
        presence: lunr.Query.presence.PROHIBITED,
      });
    }
  });
  const hits: SideHit[] = [];
  for (const r of results) {
    const doc = docs.get(r.ref);
    if (!doc) continue;
    const matched = new Set(Object.keys(r.matchData.metadata));
    const groupOk = (stems: string[]) => stems.some((s) => matched.has(s));
    const phraseOk = (p: string[], i: number) =>
      (phraseStems[i] ?? []).every((s) => matched.has(s)) && docHasPhrase(doc, p);
    const ok =
      mode === 'all'
        ? q.groups.every((g) => groupOk(g.stems)) && q.phrases.every(phraseOk)
        : q.groups.some((g) => groupOk(g.stems)) || q.phrases.some(phraseOk);
    if (ok && keep(doc)) hits.push({ rowid: doc.rowid, score: r.score });
  }
  return hits;
}
