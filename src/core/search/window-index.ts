import lunr from 'lunr';
import { hasSequence } from './paper-match.js';
import type { CompiledQuery, MatchMode } from './query-compiler.js';
import { stem, tokenise } from './text.js';
import { broadWindowHits, phraseCheck, windowMatches } from './window-broad.js';

/** A window paper as the Lunr side keeps it in memory (for filters and phrase checks). */
export interface WindowDoc {
  rowid: number;
  id: string;
  title: string;
  authors: string[];
  abstract: string;
  /** published_at, else first seen day. */
  day: string;
  /** published_at: `since:` matches only a known date (absent: unknown). */
  published?: string | null;
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

/**
 * What queries read of the window's Lunr index: its inverted index and field vectors. The
 * main thread builds only these from the worker's JSON — `lunr.Index.load` would also build
 * a token set and vector objects, the larger part of the window swap's pause.
 */
export interface WindowIndex {
  invertedIndex: Record<string, Posting>;
  fieldVectors: Record<string, { elements: number[] } | undefined>;
}

type Posting = { _index: number } & Record<string, Record<string, unknown> | number>;

/** `lunr.Index#toJSON()` as persisted: pairs, not objects. */
interface SerialisedIndex {
  invertedIndex: Array<[string, Posting]>;
  fieldVectors: Array<[string, number[]]>;
}

export function windowIndexFrom(json: unknown): WindowIndex {
  const s = json as SerialisedIndex;
  if (!Array.isArray(s?.invertedIndex) || !Array.isArray(s?.fieldVectors))
    throw new Error('not a serialised Lunr index');
  const invertedIndex: Record<string, Posting> = Object.create(null);
  for (const [term, posting] of s.invertedIndex) invertedIndex[term] = posting;
  const fieldVectors: WindowIndex['fieldVectors'] = Object.create(null);
  for (const [ref, elements] of s.fieldVectors) fieldVectors[ref] = { elements };
  return { invertedIndex, fieldVectors };
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

/** Whether the doc's title holds the words in order (stemmed, like FTS5's porter phrase). */
export function titleHasSequence(doc: WindowDoc, words: string[]): boolean {
  return hasSequence(docSequences(doc)[0] ?? [], words.map(stem));
}

export function docHasPhrase(doc: WindowDoc, phrase: string[]): boolean {
  const stems = phrase.map(stem);
  return docSequences(doc).some((seq) => hasSequence(seq, stems));
}

const FIELDS = Object.keys(FIELD_BOOSTS);

/** The weight a Lunr field vector ([index, weight, …], sorted by index) holds for a term. */
function weightAt(elements: number[], termIndex: number): number {
  let lo = 0;
  let hi = elements.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = elements[mid * 2] as number;
    if (at === termIndex) return elements[mid * 2 + 1] as number;
    if (at < termIndex) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/**
 * Runs a compiled query on the window: the matching docs come from Lunr's inverted index by
 * our rules, and each is scored as `idx.query()` would score it (per field, the unit query
 * vector's dot product with the field vector over the query's length), read straight from
 * Lunr's field vectors. `idx.query()` itself builds match data for every posting of every
 * term — for a common word, most of the window — and was most of a query's cost.
 */
export function queryWindow(
  index: WindowIndex | lunr.Index,
  docs: Map<string, WindowDoc>,
  q: CompiledQuery,
  mode: MatchMode,
  keep: (doc: WindowDoc) => boolean,
): SideHit[] {
  // A built lunr.Index has the same two members (its vectors hold `elements` too).
  const idx = index as WindowIndex;
  const phraseStems = q.phrases.map((p) => p.map(stem));
  const wanted = new Set([...q.groups.flatMap((g) => g.stems), ...phraseStems.flat()]);
  if (wanted.size === 0) return [];
  const refs = windowMatches(idx, q, mode);
  const broad = broadWindowHits(idx, docs, q, mode, keep, docHasPhrase, refs);
  if (broad) return broad;
  const inverted = idx.invertedIndex;
  const vectors = idx.fieldVectors;
  const termIndexes = [...wanted]
    .filter((t) => Object.hasOwn(inverted, t))
    .map((t) => inverted[t]?._index as number);
  const norm = Math.sqrt(termIndexes.length) || 1;
  const verify = phraseCheck(idx, q, mode, docHasPhrase);
  const hits: SideHit[] = [];
  for (const ref of refs) {
    const doc = docs.get(ref);
    if (!doc || !keep(doc) || !verify(doc)) continue;
    let dot = 0;
    for (const field of FIELDS) {
      const vector = vectors[`${field}/${ref}`];
      if (vector) for (const t of termIndexes) dot += weightAt(vector.elements, t);
    }
    hits.push({ rowid: doc.rowid, score: dot / norm });
  }
  return hits;
}
