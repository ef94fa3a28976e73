import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DigestRunCache, selectChannelDigest } from '../../src/commands/digest-candidates.js';
import { selectDigest } from '../../src/core/digest.js';
import type { Paper } from '../../src/core/paper.js';
import type { TopicMatch } from '../../src/core/search/types.js';

const SINCE = new Date('2025-12-11T00:00:00Z');
const TOPICS = ['robots', 'graphs', 'speech', 'vision', 'agents', 'proteins'];

function paper(i: number, upvotes: number | null, hour: number, sample: boolean): Paper {
  const at = new Date(SINCE.getTime() + hour * 3_600_000).toISOString();
  return {
    id: `p${i}`,
    arxivId: null,
    version: null,
    title: `Paper ${i}`,
    abstract: '',
    authors: [],
    authorCount: null,
    publishedAt: null,
    firstSeenAt: at,
    updatedAt: at,
    sources: ['huggingface'],
    links: {},
    upvotes,
    comments: null,
    keywords: [],
    categories: [],
    comment: null,
    observedAt: at,
    sample,
  } as Paper;
}

const scenario = fc.record({
  papers: fc.array(
    fc.record({
      upvotes: fc.option(fc.integer({ min: 0, max: 6 })),
      hour: fc.integer({ min: 0, max: 5 }),
      sample: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      // Score per topic (0: no match); few distinct values, so ties happen.
      scores: fc.array(fc.integer({ min: 0, max: 3 }), {
        minLength: TOPICS.length,
        maxLength: TOPICS.length,
      }),
    }),
    { maxLength: 400 },
  ),
  topics: fc.array(fc.constantFrom(...TOPICS), { maxLength: 5 }),
  delivered: fc.array(fc.integer({ min: 0, max: 399 }), { maxLength: 60 }),
  size: fc.integer({ min: 0, max: 25 }),
  perTopic: fc.integer({ min: 0, max: 8 }),
});

describe('selectChannelDigest', () => {
  it('chooses exactly what selectDigest chooses over the whole window', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const papers = s.papers.map((p, i) => paper(i, p.upvotes, p.hour, p.sample));
        const table = new Map(
          TOPICS.map((topic, t) => [
            topic,
            s.papers.flatMap((p, i): TopicMatch[] =>
              p.scores[t] ? [{ paperId: `p${i}`, score: p.scores[t]!, matchedTerms: [topic] }] : [],
            ),
          ]),
        );
        const matchTopic = (topic: string, ids: string[]) => {
          const wanted = new Set(ids);
          return (table.get(topic) ?? []).filter((m) => wanted.has(m.paperId));
        };
        const alreadyDelivered = new Set(s.delivered.map((i) => `p${i}`));
        const cache = new DigestRunCache();
        // The window comes from the store in no particular order.
        const window = cache.papersSince({ papersSeenSince: () => [...papers].reverse() }, SINCE);
        const fast = selectChannelDigest({
          search: { matchTopic },
          cache,
          since: SINCE,
          window,
          topics: s.topics,
          alreadyDelivered,
          size: s.size,
          perTopic: s.perTopic,
        });
        const whole = selectDigest({
          papers,
          topics: s.topics,
          alreadyDelivered,
          size: s.size,
          perTopic: s.perTopic,
          matchTopic,
        });
        expect(fast).toEqual(whole);
      }),
      { numRuns: 300, seed: 20251211 },
    );
  });

  it('matches each distinct topic once per run, however many channels follow it', () => {
    let calls = 0;
    const papers = Array.from({ length: 50 }, (_, i) => paper(i, i % 7, i % 5, false));
    const matchTopic = (topic: string, ids: string[]): TopicMatch[] => {
      calls++;
      // Robots: even-numbered papers; graphs: odd ones.
      const parity = topic === 'robots' ? 0 : 1;
      return ids
        .filter((id) => Number(id.slice(1)) % 2 === parity)
        .map((paperId) => ({ paperId, score: 1, matchedTerms: [topic] }));
    };
    const cache = new DigestRunCache();
    const window = cache.papersSince({ papersSeenSince: () => papers }, SINCE);
    for (let channel = 0; channel < 20; channel++) {
      const selection = selectChannelDigest({
        search: { matchTopic },
        cache,
        since: SINCE,
        window: cache.papersSince({ papersSeenSince: () => [] }, SINCE),
        topics: channel % 2 ? ['robots', 'graphs'] : ['graphs'],
        alreadyDelivered: new Set(),
        size: 10,
        perTopic: 5,
      });
      expect(selection.paperIds).toHaveLength(channel % 2 ? 10 : 5);
    }
    expect(window.list).toHaveLength(50);
    expect(calls).toBe(2);
  });
});
