import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DigestRunCache,
  digestWindow,
  selectChannelDigest,
} from '../../../src/core/digest/candidates.js';
import { compareForDigest, selectDigest } from '../../../src/core/digest/select.js';
import type { TopicMatch } from '../../../src/core/search/types.js';
import type { DigestCandidate } from '../../../src/core/store/store.js';

const SINCE = new Date('2025-12-11T00:00:00Z');
const TOPICS = ['robots', 'graphs', 'speech', 'vision', 'agents', 'proteins'];

const WINDOW = digestWindow(SINCE, new Date('2025-12-12T00:00:00Z'), 7);

function paper(i: number, upvotes: number | null, hour: number): DigestCandidate {
  const at = new Date(SINCE.getTime() + hour * 3_600_000).toISOString();
  return { id: `p${i}`, upvotes, firstSeenAt: at, publishedAt: null };
}

/** The store's side: the window's candidates in digest order (as Store.digestCandidates). */
function storeOf(papers: DigestCandidate[]) {
  const sorted = [...papers].sort(compareForDigest);
  return {
    rowsRead: 0,
    async digestCandidates(_window: unknown, page = { offset: 0, limit: -1 }) {
      const rows = sorted.slice(page.offset, page.limit < 0 ? undefined : page.offset + page.limit);
      this.rowsRead += rows.length;
      return rows;
    },
  };
}

const scenario = fc.record({
  papers: fc.array(
    fc.record({
      upvotes: fc.option(fc.integer({ min: 0, max: 6 })),
      hour: fc.integer({ min: 0, max: 5 }),
      // Score per topic (0: no match); few distinct values, so ties happen.
      scores: fc.array(fc.integer({ min: 0, max: 3 }), {
        minLength: TOPICS.length,
        maxLength: TOPICS.length,
      }),
    }),
    { maxLength: 400 },
  ),
  topics: fc.array(fc.constantFrom(...TOPICS), { maxLength: 5 }),
  size: fc.integer({ min: 0, max: 25 }),
  perTopic: fc.integer({ min: 0, max: 8 }),
});

describe('selectChannelDigest', () => {
  it('chooses exactly what selectDigest chooses over the whole window', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const papers = s.papers.map((p, i) => paper(i, p.upvotes, p.hour));
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
        const fast = await selectChannelDigest({
          store: storeOf(papers),
          search: { matchTopic: async (topic, ids) => matchTopic(topic, ids) },
          cache: new DigestRunCache(),
          window: WINDOW,
          topics: s.topics,
          size: s.size,
          perTopic: s.perTopic,
        });
        const whole = selectDigest({
          papers,
          topics: s.topics,
          size: s.size,
          perTopic: s.perTopic,
          matchTopic,
        });
        expect(fast).toEqual(whole);
      }),
      { numRuns: 300, seed: 20251211 },
    );
  });

  it('reads the window once and matches each distinct topic once per tick, however many channels follow it', async () => {
    let calls = 0;
    const papers = Array.from({ length: 50 }, (_, i) => paper(i, i % 7, i % 5));
    let reads = 0;
    const store = {
      digestCandidates: (...args: Parameters<ReturnType<typeof storeOf>['digestCandidates']>) => {
        reads++;
        return storeOf(papers).digestCandidates(...args);
      },
    };
    const matchTopic = (topic: string, ids: string[]): TopicMatch[] => {
      calls++;
      // Robots: even-numbered papers; graphs: odd ones.
      const parity = topic === 'robots' ? 0 : 1;
      return ids
        .filter((id) => Number(id.slice(1)) % 2 === parity)
        .map((paperId) => ({ paperId, score: 1, matchedTerms: [topic] }));
    };
    const cache = new DigestRunCache();
    for (let channel = 0; channel < 20; channel++) {
      const selection = await selectChannelDigest({
        store,
        search: { matchTopic: async (topic, ids) => matchTopic(topic, ids) },
        cache,
        window: WINDOW,
        topics: channel % 2 ? ['robots', 'graphs'] : ['graphs'],
        size: 10,
        perTopic: 5,
      });
      expect(selection.paperIds).toHaveLength(channel % 2 ? 10 : 5);
    }
    expect(reads).toBe(1);
    expect(calls).toBe(2);
  });

  it('reads a large window once and matches topics over a bounded prefix, more only when a channel needs it', async () => {
    const papers = Array.from({ length: 5_000 }, (_, i) => paper(i, null, Math.floor(i / 1_000)));
    const store = storeOf(papers);
    let matched = 0;
    // Robots: every other paper; proteins: one paper in 1,000.
    const matchTopic = (topic: string, ids: string[]): TopicMatch[] => {
      matched += ids.length;
      return ids
        .filter((id) => Number(id.slice(1)) % (topic === 'robots' ? 2 : 1000) === 0)
        .map((paperId) => ({ paperId, score: 1, matchedTerms: [topic] }));
    };
    const cache = new DigestRunCache();
    const select = (topics: string[]) =>
      selectChannelDigest({
        store,
        search: { matchTopic: async (topic, ids) => matchTopic(topic, ids) },
        cache,
        window: WINDOW,
        topics,
        size: 10,
        perTopic: 10,
      });
    expect((await select(['robots'])).paperIds).toHaveLength(10);
    // One read of the whole window (one snapshot), but only its first page matched.
    expect(store.rowsRead).toBe(5_000);
    expect(matched).toBeLessThanOrEqual(256);
    expect((await select([])).paperIds).toHaveLength(10);
    expect(store.rowsRead).toBe(5_000);
    // A rare topic is matched on, page by page, to the end of the window: every match is found.
    expect((await select(['proteins'])).paperIds).toHaveLength(5);
    expect(store.rowsRead).toBe(5_000);
  });
});
