import { PaperboyError } from '../errors.js';
import type { PaperSearch, TopicMatch } from '../search/types.js';
import type { AsyncStore } from '../store/async-store.js';
import type { DigestCandidate } from '../store/store.js';
import { type DigestSelection, selectDigest } from './select.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A run's window `(from, to]` and the oldest paper date it accepts. */
export interface DigestWindow {
  from: Date;
  to: Date;
  /** `YYYY-MM-DD`: papers dated (feed date or publication, the later) before it are old. */
  minDate: string;
}

/**
 * A run's window: "new means new" (issue 11, point 5). The age limit counts from the
 * window's start, so papers carried over failed days are never dropped as too old.
 */
export function digestWindow(from: Date, to: Date, maxAgeDays: number): DigestWindow {
  const minDate = new Date(from.getTime() - maxAgeDays * DAY_MS).toISOString().slice(0, 10);
  return { from, to, minDate };
}

/** The first read of a window: enough for most channels (a few times size × topics). */
const FIRST_PAGE = 256;

/** The prefix of a digest window read so far, in digest order (best first), with an id lookup. */
export interface CandidateSet {
  list: DigestCandidate[];
  /** Index of each paper in `list`. */
  rank: Map<string, number>;
  /** The whole window is in `list`. */
  complete: boolean;
  /**
   * The whole window, read in one query the first time any of it is needed; `list` is
   * handed out from it page by page. Pages of separate queries could skip a paper whose
   * rank changed between them (another instance raising its upvotes mid-tick).
   */
  snapshot?: DigestCandidate[];
}

/** One topic's matches over a window's prefix, and their positions in the digest order. */
interface TopicHits {
  matches: TopicMatch[];
  /** Ascending, distinct indexes into `CandidateSet.list`. */
  ranks: number[];
  /** Where each paper's matches are in `matches`. */
  positions: Map<string, number[]>;
  /** How much of `CandidateSet.list` has been matched. */
  matchedUpTo: number;
}

const windowKey = (w: DigestWindow) => `${w.from.toISOString()}/${w.to.toISOString()}/${w.minDate}`;

/**
 * Per-tick memo: many channels share the same window and topics (1,000 channels, one batch).
 * The window's candidates (rank fields only, never whole papers) are read from SQL in digest
 * order once, and handed out a bounded page at a time, only as far as some channel needs;
 * each topic is matched once over each page. A channel then only walks the best few papers its topics matched.
 */
export class DigestRunCache {
  private readonly candidates = new Map<string, CandidateSet>();
  private readonly hits = new Map<string, TopicHits>();
  /** The search index failed to catch up this tick: the channels after it fail fast. */
  private searchBehind: PaperboyError | null = null;

  /**
   * Waits until the search index holds every paper stored so far. Topic matching reads only
   * the index (SQLite's FTS5 archive): a paper another writer committed that it lacks would
   * match nothing, the run would be empty and the cursor would pass it for good. Call it
   * after the window is closed: every paper of the window is then stored. The catch-up runs
   * in bounded slices (or the archive worker), off the request path; when it cannot finish
   * (another writer holds the lock), the plan fails and the run retries, the cursor kept.
   */
  async searchable(search: Pick<PaperSearch, 'refresh'>): Promise<void> {
    if (this.searchBehind) throw this.searchBehind;
    try {
      await search.refresh();
    } catch (error) {
      this.searchBehind = new PaperboyError(
        'STORE_FAILED',
        'The search index could not take in the newest papers yet; the digest waits for it.',
        { cause: error },
      );
      throw this.searchBehind;
    }
  }

  /** The whole window (every page read): what the digest's bounded reads are a prefix of. */
  async window(
    store: Pick<AsyncStore, 'digestCandidates'>,
    window: DigestWindow,
  ): Promise<CandidateSet> {
    const set = this.prefix(window);
    while (await this.readMore(store, window, set));
    return set;
  }

  /** The part of the window read so far (at first nothing). */
  prefix(window: DigestWindow): CandidateSet {
    const key = windowKey(window);
    let set = this.candidates.get(key);
    if (!set) {
      set = { list: [], rank: new Map(), complete: false };
      this.candidates.set(key, set);
    }
    return set;
  }

  /** Hands out the window's next page (each as long as all before it); false when none is left. */
  async readMore(
    store: Pick<AsyncStore, 'digestCandidates'>,
    window: DigestWindow,
    set: CandidateSet,
  ): Promise<boolean> {
    if (set.complete) return false;
    set.snapshot ??= await store.digestCandidates(window);
    const limit = Math.max(FIRST_PAGE, set.list.length);
    const page = set.snapshot.slice(set.list.length, set.list.length + limit);
    for (const paper of page) {
      set.rank.set(paper.id, set.list.length);
      set.list.push(paper);
    }
    if (set.list.length >= set.snapshot.length) set.complete = true;
    return page.length > 0;
  }

  /** The topic's matches over the prefix read so far; a match's score depends only on its paper. */
  async topicHits(
    search: Pick<PaperSearch, 'matchTopic'>,
    window: DigestWindow,
    topic: string,
    set: CandidateSet,
  ): Promise<TopicHits> {
    const key = `${windowKey(window)}\u0000${topic}`;
    let found = this.hits.get(key);
    if (!found) {
      found = { matches: [], ranks: [], positions: new Map(), matchedUpTo: 0 };
      this.hits.set(key, found);
    }
    if (found.matchedUpTo < set.list.length) {
      const ids = set.list.slice(found.matchedUpTo).map((p) => p.id);
      const ranks = new Set<number>();
      for (const m of await search.matchTopic(topic, ids)) {
        const seen = found.positions.get(m.paperId);
        if (seen) seen.push(found.matches.length);
        else found.positions.set(m.paperId, [found.matches.length]);
        found.matches.push(m);
        const rank = set.rank.get(m.paperId);
        if (rank !== undefined && rank >= found.matchedUpTo) ranks.add(rank);
      }
      found.ranks.push(...[...ranks].sort((a, b) => a - b));
      found.matchedUpTo = set.list.length;
    }
    return found;
  }
}

export interface ChannelDigestInput {
  store: Pick<AsyncStore, 'digestCandidates'>;
  search: Pick<PaperSearch, 'matchTopic'>;
  cache: DigestRunCache;
  window: DigestWindow;
  topics: string[];
  size: number;
  perTopic: number;
}

/**
 * The channel's `selectDigest`, given only the best-ranked papers its topics matched.
 * selectDigest walks candidates in digest order and stops at `size`, and a paper's topic
 * depends on that paper alone; so once a prefix fills the digest (or every topic is full,
 * or no candidate is left) the answer over the prefix is the answer over all of them.
 * Otherwise the prefix doubles.
 */
export async function selectChannelDigest(input: ChannelDigestInput): Promise<DigestSelection> {
  const { topics, cache, store, search, window } = input;
  const set = cache.prefix(window);
  const size = Math.max(0, Math.floor(input.size));
  const perTopic = Math.max(0, Math.floor(input.perTopic));
  const distinct = [...new Set(topics)];
  // One topic after another: each reads the same prefix, in a deterministic order.
  const hits = async () => {
    const all: TopicHits[] = [];
    for (const t of distinct) all.push(await cache.topicHits(search, window, t, set));
    return all;
  };
  const more = () => cache.readMore(store, window, set);
  const next = topics.length === 0 ? allRanks(set, more) : mergedRanks(hits, more);
  const prefix: DigestCandidate[] = [];
  let exhausted = false;
  for (let want = Math.max(32, 4 * size); ; want *= 2) {
    while (prefix.length < want) {
      const rank = await next();
      if (rank === -1) {
        exhausted = true;
        break;
      }
      const paper = set.list[rank];
      if (paper) prefix.push(paper);
    }
    const selection = selectDigest({
      papers: prefix,
      topics,
      size: input.size,
      perTopic: input.perTopic,
      matchTopic: matchesAmong(distinct, await hits()),
    });
    if (exhausted || selection.paperIds.length >= size) return selection;
    const full = distinct.every(
      (t) => (selection.sections.find((s) => s.topic === t)?.items.length ?? 0) >= perTopic,
    );
    if (topics.length > 0 && full) return selection;
  }
}

/** Every window index in order, reading more of the window as needed; -1 when done. */
function allRanks(set: CandidateSet, more: () => Promise<boolean>): () => Promise<number> {
  let i = 0;
  return async () => {
    while (i >= set.list.length) if (!(await more())) return -1;
    return i++;
  };
}

/**
 * The union of the topics' ranks, ascending and distinct, one at a time; -1 when done.
 * Every topic is matched over the same prefix, so the smallest rank left is the next one;
 * when the prefix has none left, the window's next page is read and matched.
 */
function mergedRanks(
  hits: () => Promise<TopicHits[]>,
  more: () => Promise<boolean>,
): () => Promise<number> {
  let current: TopicHits[] | null = null;
  const at: number[] = [];
  return async () => {
    current ??= await hits();
    for (;;) {
      let best = -1;
      for (let h = 0; h < current.length; h++) {
        const rank = current[h]!.ranks[at[h] ?? 0];
        if (rank !== undefined && (best === -1 || rank < best)) best = rank;
      }
      if (best !== -1) {
        for (let h = 0; h < current.length; h++)
          if (current[h]!.ranks[at[h] ?? 0] === best) at[h] = (at[h] ?? 0) + 1;
        return best;
      }
      if (!(await more())) return -1;
      current = await hits();
    }
  };
}

/** selectDigest's matcher: a topic's window matches, kept to the ids it asks about, in order. */
function matchesAmong(
  topics: string[],
  hits: TopicHits[],
): (topic: string, ids: string[]) => TopicMatch[] {
  return (topic, ids) => {
    const found = hits[topics.indexOf(topic)];
    if (!found) return [];
    // The ids are a short prefix; the topic may match thousands: look each id up instead.
    const at: number[] = [];
    for (const id of ids) for (const i of found.positions.get(id) ?? []) at.push(i);
    at.sort((a, b) => a - b);
    return at.map((i) => found.matches[i]!);
  };
}
