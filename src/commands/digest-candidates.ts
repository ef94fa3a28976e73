import type { Paper } from '../core/paper.js';
import type { PaperSearch, TopicMatch } from '../core/search/types.js';
import type { Store } from '../core/store/store.js';

/** Candidates of one digest window, with an id lookup. */
export interface CandidateSet {
  list: Paper[];
  byId: Map<string, Paper>;
}

/**
 * Per-run memo: many channels share the same window and topics (1,000 channels, one batch).
 * Each topic is matched once over the whole window; a channel then only looks at the
 * papers its own topics matched.
 */
export class DigestRunCache {
  private readonly candidates = new Map<string, CandidateSet>();
  private readonly matches = new Map<string, TopicMatch[]>();

  papersSince(store: Store, since: Date): CandidateSet {
    const key = since.toISOString();
    let set = this.candidates.get(key);
    if (!set) {
      const list = store.papersSeenSince(since, { includeSample: false });
      set = { list, byId: new Map(list.map((p) => [p.id, p])) };
      this.candidates.set(key, set);
    }
    return set;
  }

  /** The topic's matches over the whole window; a match's score depends only on its paper. */
  topicMatches(
    search: Pick<PaperSearch, 'matchTopic'>,
    since: Date,
    topic: string,
    window: CandidateSet,
  ): TopicMatch[] {
    const key = `${since.toISOString()}\u0000${topic}`;
    let found = this.matches.get(key);
    if (!found) {
      found = search.matchTopic(
        topic,
        window.list.map((p) => p.id),
      );
      this.matches.set(key, found);
    }
    return found;
  }
}

/** Narrows the window to the papers the channel's topics match (all of it without topics). */
export function channelCandidates(
  search: Pick<PaperSearch, 'matchTopic'>,
  cache: DigestRunCache,
  since: Date,
  window: CandidateSet,
  topics: string[],
): { papers: Paper[]; matchTopic: (topic: string, ids: string[]) => TopicMatch[] } {
  if (topics.length === 0) return { papers: window.list, matchTopic: () => [] };
  const matched = new Set<string>();
  for (const topic of topics)
    for (const m of cache.topicMatches(search, since, topic, window)) matched.add(m.paperId);
  const papers: Paper[] = [];
  for (const id of matched) {
    const paper = window.byId.get(id);
    if (paper) papers.push(paper);
  }
  // selectDigest asks once per topic with the same id list: build its set once.
  let lastIds: string[] | null = null;
  let wanted = new Set<string>();
  return {
    papers,
    matchTopic: (topic, ids) => {
      if (ids !== lastIds) {
        lastIds = ids;
        wanted = new Set(ids);
      }
      const out: TopicMatch[] = [];
      for (const m of cache.topicMatches(search, since, topic, window))
        if (wanted.has(m.paperId)) out.push(m);
      return out;
    },
  };
}
