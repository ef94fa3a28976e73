import type { Paper } from '../paper.js';

/** A highlighted span of a snippet: `text.slice(start, end)` matched the query. */
export interface HighlightRange {
  start: number;
  end: number;
}

/** Plain text with highlight ranges; renderers decide how to mark and escape them. */
export interface Snippet {
  text: string;
  highlights: HighlightRange[];
}

export interface SearchOptions {
  /** 1-based. */
  page?: number;
  pageSize?: number;
  /** Only papers whose date (`paperDate`: published, else listed by a feed) is on or after this day. */
  since?: string;
  /** Only papers with an author whose name contains this text (diacritics folded). */
  author?: string;
}

export interface SearchHit {
  paper: Paper;
  score: number;
  snippet: Snippet;
  /** Query terms (as the user wrote them, folded) that this paper matched. */
  matchedTerms: string[];
}

/**
 * Something the engine did to a query to find anything, told to the user in one line
 * ("No paper has all of: diffusion, modls. Showing papers with …").
 */
export type QueryRelaxation =
  /** No paper held all of `words`: papers holding some of them (`found`, as matched) are shown. */
  | { kind: 'any-term'; words: string[]; found?: string[] }
  /** A word the index lacks was read as a close one it has. */
  | { kind: 'corrected'; from: string; to: string }
  /** A common word was left out of the required words. */
  | { kind: 'stop-word-dropped'; word: string };

export interface SearchResult {
  hits: SearchHit[];
  /** What was relaxed to find these hits; empty when the query matched as written. */
  relaxations?: QueryRelaxation[];
  total: number;
  /** More papers match than `total` (the count stopped there): `pages` is then a floor too. */
  totalCapped?: boolean;
  page: number;
  pageSize: number;
  pages: number;
}

export type Resolution =
  | { kind: 'found'; paper: Paper }
  | { kind: 'choice'; candidates: Paper[] }
  | { kind: 'none' };

export interface TopicMatch {
  paperId: string;
  score: number;
  matchedTerms: string[];
}

/**
 * The search API as the SQLite archive answers it: synchronously, on the store's one local
 * connection. Never throws on user text (bad input gives an empty result); a fault of the
 * store throws a PaperboyError (STORE_FAILED).
 */
export interface SyncPaperSearch {
  search(query: string, options?: SearchOptions): SearchResult;
  /** `show`: exact id / URL, exact title, title fragment, fuzzy title; ambiguous → choice (≤ 25). */
  resolve(text: string): Resolution;
  /** Autocomplete: at most `limit` (≤ 25) titles. */
  suggest(prefix: string, limit?: number): Array<{ id: string; title: string }>;
  /** Which of the given papers match a topic (a saved query), best first. Used by the digest. */
  matchTopic(topic: string, paperIds: string[]): TopicMatch[];
  /** How many papers first seen since `since` match the topic (for `subscribe`). */
  countTopicMatches(topic: string, since: Date): number;
  /** Take in papers written to the store since the last call; resolves when searchable. */
  refresh(): Promise<void>;
  /** Bulk ingest turns live indexing off, then `refresh()` catches up once. */
  setLiveIndexing?(on: boolean): void;
  close(): Promise<void>;
}

type Promised<F> = F extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never;

/**
 * The one search API the commands and the digest use (SQLite's through `asyncSearch`, or
 * PostgreSQL's): asynchronous, so a store over the network can answer it.
 */
export type PaperSearch = {
  [K in 'search' | 'resolve' | 'suggest' | 'matchTopic' | 'countTopicMatches']: Promised<
    SyncPaperSearch[K]
  >;
} & Pick<SyncPaperSearch, 'refresh' | 'setLiveIndexing' | 'close'>;
