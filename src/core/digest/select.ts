import type { TopicMatch } from '../search/types.js';
import type { DigestCandidate } from '../store/store.js';

/** One paper chosen for a digest, and why it is there. */
export interface DigestPick {
  paper: DigestCandidate;
  /** The topic it is listed under; `null` when the channel follows no topics. */
  topic: string | null;
  matchedTerms: string[];
  /** Short, user-readable: the topic and the matched terms. */
  why: string;
}

export interface DigestSelectionSection {
  topic: string | null;
  items: DigestPick[];
}

export interface DigestSelection {
  /** In the channel's topic order; empty sections left out. */
  sections: DigestSelectionSection[];
  /** Every chosen paper id, in section order. */
  paperIds: string[];
}

export interface SelectDigestInput {
  /** Candidates: papers of the run's window that are new (Store.digestCandidates). */
  papers: DigestCandidate[];
  /** The channel's topics, in the order it follows them. */
  topics: string[];
  /** Papers in all. */
  size: number;
  /** Papers per topic at most. */
  perTopic: number;
  /** Which of the given papers match a topic, best first (PaperSearch.matchTopic). */
  matchTopic: (topic: string, paperIds: string[]) => TopicMatch[];
}

/** Known upvotes first, more first; then the most recently seen; then id, for a stable order. */
export function compareForDigest(a: DigestCandidate, b: DigestCandidate): number {
  if (a.upvotes !== null && b.upvotes === null) return -1;
  if (a.upvotes === null && b.upvotes !== null) return 1;
  if (a.upvotes !== null && b.upvotes !== null && a.upvotes !== b.upvotes) {
    return b.upvotes - a.upvotes;
  }
  if (a.firstSeenAt !== b.firstSeenAt) return a.firstSeenAt < b.firstSeenAt ? 1 : -1;
  const ap = a.publishedAt ?? '';
  const bp = b.publishedAt ?? '';
  if (ap !== bp) return ap < bp ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function whyOf(topic: string, matchedTerms: string[]): string {
  if (matchedTerms.length === 0) return `topic "${topic}"`;
  return `topic "${topic}": matched ${matchedTerms.join(', ')}`;
}

/**
 * Chooses and groups a channel's digest. Pure: the candidates and the topic matcher come
 * in; nothing is read or written. With topics, a paper is
 * listed under its best-matching topic only (ties: the topic followed first), papers
 * matching none are left out, and each topic keeps at most `perTopic`. The best
 * `size` papers in all are kept, so a crowded topic cannot push out a better paper.
 */
export function selectDigest(input: SelectDigestInput): DigestSelection {
  const size = Math.max(0, Math.floor(input.size));
  const topics = [...new Set(input.topics)];
  const eligible = new Map<string, DigestCandidate>();
  for (const paper of input.papers) eligible.set(paper.id, paper);
  if (eligible.size === 0 || size === 0) return { sections: [], paperIds: [] };

  let picks: DigestPick[];
  if (topics.length === 0) {
    picks = [...eligible.values()].map((paper) => ({
      paper,
      topic: null,
      matchedTerms: [],
      why: 'new since the last digest',
    }));
  } else {
    const best = new Map<string, { topicIndex: number; score: number; matchedTerms: string[] }>();
    const ids = [...eligible.keys()];
    topics.forEach((topic, topicIndex) => {
      for (const match of input.matchTopic(topic, ids)) {
        if (!eligible.has(match.paperId)) continue;
        const current = best.get(match.paperId);
        if (!current || match.score > current.score) {
          best.set(match.paperId, {
            topicIndex,
            score: match.score,
            matchedTerms: match.matchedTerms,
          });
        }
      }
    });
    picks = [];
    for (const [id, choice] of best) {
      const paper = eligible.get(id);
      const topic = topics[choice.topicIndex];
      if (!paper || topic === undefined) continue;
      picks.push({
        paper,
        topic,
        matchedTerms: choice.matchedTerms,
        why: whyOf(topic, choice.matchedTerms),
      });
    }
  }

  picks.sort((a, b) => compareForDigest(a.paper, b.paper));
  const perTopic = topics.length === 0 ? size : Math.max(0, Math.floor(input.perTopic));
  const perSection = new Map<string | null, number>();
  const chosen: DigestPick[] = [];
  for (const pick of picks) {
    if (chosen.length >= size) break;
    const count = perSection.get(pick.topic) ?? 0;
    if (count >= perTopic) continue;
    perSection.set(pick.topic, count + 1);
    chosen.push(pick);
  }

  const order: Array<string | null> = topics.length === 0 ? [null] : topics;
  const sections = order
    .map((topic) => ({ topic, items: chosen.filter((pick) => pick.topic === topic) }))
    .filter((section) => section.items.length > 0);
  return { sections, paperIds: sections.flatMap((s) => s.items.map((i) => i.paper.id)) };
}
