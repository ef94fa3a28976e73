import type { PaperSearch, TopicMatch } from '../search/types.js';
import type { DigestCandidate, Store } from '../store/store.js';
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

/** Candidates of one digest window in digest order (best first), with an id lookup. */
export interface CandidateSet {
  list: DigestCandidate[];
  /** Index of each paper in `list`. */
  rank: Map<string, number>;
}

/** One topic's matches over a window, and their positions in the window's digest order. */
interface TopicHits {
  matches: TopicMatch[];
  /** Ascending, distinct indexes into `CandidateSet.list`. */
  ranks: Int32Array;
  /** Where each paper's matches are in `matches`. */
  positions: Map<string, number[]>;
}

const windowKey = (w: DigestWindow) => `${w.from.toISOString()}/${w.to.toISOString()}/${w.minDate}`;

/**
 * Per-tick memo: many channels share the same window and topics (1,000 channels, one batch).
 * The window's candidates (rank fields only, never whole papers) are read in digest order
 * once, each topic is matched once over them; a channel then only walks the best few
 * papers its own topics matched.
 */
export class DigestRunCache {
  private readonly candidates = new Map<string, CandidateSet>();
  private readonly hits = new Map<string, TopicHits>();

  window(store: Pick<Store, 'digestCandidates'>, window: DigestWindow): CandidateSet {
    const key = windowKey(window);
    let set = this.candidates.get(key);
    if (!set) {
      const list = store.digestCandidates(window);
      set = { list, rank: new Map(list.map((p, i) => [p.id, i])) };
      this.candidates.set(key, set);
    }
    return set;
  }

  /** The topic's matches over the whole window; a match's score depends only on its paper. */
  topicHits(
    search: Pick<PaperSearch, 'matchTopic'>,
    window: DigestWindow,
    topic: string,
    set: CandidateSet,
  ): TopicHits {
    const key = `${windowKey(window)}\u0000${topic}`;
    let found = this.hits.get(key);
    if (!found) {
      const matches = search.matchTopic(
        topic,
        set.list.map((p) => p.id),
      );
      const ranks = new Set<number>();
      const positions = new Map<string, number[]>();
      matches.forEach((m, i) => {
        const seen = positions.get(m.paperId);
        if (seen) seen.push(i);
        else positions.set(m.paperId, [i]);
      });
      for (const m of matches) {
        const rank = set.rank.get(m.paperId);
        if (rank !== undefined) ranks.add(rank);
      }
      found = { matches, ranks: Int32Array.from(ranks).sort(), positions };
      this.hits.set(key, found);
    }
    return found;
  }
}

export interface ChannelDigestInput {
  store: Pick<Store, 'digestCandidates'>;
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
export function selectChannelDigest(input: ChannelDigestInput): DigestSelection {
  const { topics } = input;
  const window = input.cache.window(input.store, input.window);
  const size = Math.max(0, Math.floor(input.size));
  const perTopic = Math.max(0, Math.floor(input.perTopic));
  const distinct = [...new Set(topics)];
  const hits = distinct.map((t) => input.cache.topicHits(input.search, input.window, t, window));
  const next = topics.length === 0 ? allRanks(window.list.length) : mergedRanks(hits);
  const prefix: DigestCandidate[] = [];
  let exhausted = false;
  for (let want = Math.max(32, 4 * size); ; want *= 2) {
    while (prefix.length < want) {
      const rank = next();
      if (rank === -1) {
        exhausted = true;
        break;
      }
      const paper = window.list[rank];
      if (paper) prefix.push(paper);
    }
    const selection = selectDigest({
      papers: prefix,
      topics,
      size: input.size,
      perTopic: input.perTopic,
      matchTopic: matchesAmong(distinct, hits),
    });
    if (exhausted || selection.paperIds.length >= size) return selection;
    const full = distinct.every(
      (t) => (selection.sections.find((s) => s.topic === t)?.items.length ?? 0) >= perTopic,
    );
    if (topics.length > 0 && full) return selection;
  }
}

/** Every window index in order; -1 when done. */
function allRanks(count: number): () => number {
  let i = 0;
  return () => (i < count ? i++ : -1);
}

/** The union of the topics' ranks, ascending and distinct, one at a time; -1 when done. */
function mergedRanks(hits: TopicHits[]): () => number {
  const at = hits.map(() => 0);
  return () => {
    let best = -1;
    for (let h = 0; h < hits.length; h++) {
      const rank = hits[h]!.ranks[at[h]!];
      if (rank !== undefined && (best === -1 || rank < best)) best = rank;
    }
    if (best === -1) return -1;
    for (let h = 0; h < hits.length; h++) if (hits[h]!.ranks[at[h]!] === best) at[h] = at[h]! + 1;
    return best;
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
