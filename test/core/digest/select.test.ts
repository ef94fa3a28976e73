import { describe, expect, it } from 'vitest';
import { compareForDigest, selectDigest } from '../../../src/core/digest/select.js';
import type { Paper } from '../../../src/core/paper.js';
import { digestWindowStart } from '../../../src/core/scheduler.js';
import type { TopicMatch } from '../../../src/core/search/types.js';

const NOW = new Date('2025-12-12T09:00:00Z');

function paper(id: string, over: Partial<Paper> = {}): Paper {
  return {
    id,
    arxivId: id,
    version: 1,
    title: `Paper ${id}`,
    abstract: '',
    authors: [],
    authorCount: null,
    publishedAt: '2025-12-11',
    firstSeenAt: '2025-12-11T10:00:00.000Z',
    updatedAt: '2025-12-11T10:00:00.000Z',
    sources: ['huggingface'],
    links: {},
    upvotes: null,
    comments: null,
    keywords: [],
    categories: [],
    comment: null,
    observedAt: '2025-12-11T10:00:00.000Z',
    sample: false,
    ...over,
  };
}

/** A matcher from a fixed table: topic → paper id → [score, terms]. */
function matcher(table: Record<string, Record<string, [number, string[]]>>) {
  const calls: Array<{ topic: string; ids: string[] }> = [];
  const match = (topic: string, ids: string[]): TopicMatch[] => {
    calls.push({ topic, ids });
    const rows = table[topic] ?? {};
    return ids
      .filter((id) => rows[id])
      .map((id) => ({ paperId: id, score: rows[id]![0], matchedTerms: rows[id]![1] }))
      .sort((a, b) => b.score - a.score);
  };
  return { match, calls };
}

describe('digestWindowStart', () => {
  it('starts at the last digest when there was one', () => {
    const at = digestWindowStart(
      { lastDigestAt: '2025-12-01T09:00:00.000Z', scheduleSetAt: '2025-11-01T00:00:00.000Z' },
      NOW,
    );
    expect(at.toISOString()).toBe('2025-12-01T09:00:00.000Z');
  });

  it('looks back to when the schedule was set for the first digest, at most 24 hours', () => {
    expect(
      digestWindowStart(
        { lastDigestAt: null, scheduleSetAt: '2025-12-12T07:00:00.000Z' },
        NOW,
      ).toISOString(),
    ).toBe('2025-12-12T06:59:59.999Z'); // exclusive: a paper seen as it was set is in
    expect(
      digestWindowStart(
        { lastDigestAt: null, scheduleSetAt: '2025-12-01T07:00:00.000Z' },
        NOW,
      ).toISOString(),
    ).toBe('2025-12-11T09:00:00.000Z');
    expect(digestWindowStart(null, NOW).toISOString()).toBe('2025-12-11T09:00:00.000Z');
  });
});

describe('compareForDigest', () => {
  it('ranks known upvotes first (more first), then the most recently seen', () => {
    const papers = [
      paper('a', { upvotes: null, firstSeenAt: '2025-12-12T08:00:00.000Z' }),
      paper('b', { upvotes: 3 }),
      paper('c', { upvotes: 0 }),
      paper('d', { upvotes: 3, firstSeenAt: '2025-12-11T11:00:00.000Z' }),
      paper('e', { upvotes: null, firstSeenAt: '2025-12-11T08:00:00.000Z' }),
    ];
    expect(papers.sort(compareForDigest).map((p) => p.id)).toEqual(['d', 'b', 'c', 'a', 'e']);
  });
});

describe('selectDigest', () => {
  const base = {
    size: 10,
    perTopic: 5,
  };

  it('without topics lists every candidate, ranked, up to size', () => {
    const { match, calls } = matcher({});
    const result = selectDigest({
      ...base,
      size: 3,
      topics: [],
      matchTopic: match,
      papers: [
        paper('p1', { upvotes: 1 }),
        paper('p4', { upvotes: 4 }),
        paper('p5'),
        paper('p6', { upvotes: 2 }),
      ],
    });
    expect(calls).toEqual([]);
    expect(result.sections).toHaveLength(1);
    expect(result.sections[0]?.topic).toBeNull();
    expect(result.paperIds).toEqual(['p4', 'p6', 'p1']);
    expect(result.sections[0]?.items.every((i) => i.why.length > 0)).toBe(true);
  });

  it('puts a paper under its best-matching topic only and leaves out papers matching none', () => {
    const { match } = matcher({
      robotics: { r1: [5, ['robot']], both: [2, ['robot']] },
      'reinforcement learning': {
        rl1: [4, ['reinforcement', 'learning']],
        both: [7, ['reinforcement']],
      },
    });
    const result = selectDigest({
      ...base,
      topics: ['robotics', 'reinforcement learning'],
      matchTopic: match,
      papers: [
        paper('r1', { upvotes: 1 }),
        paper('rl1', { upvotes: 2 }),
        paper('both', { upvotes: 3 }),
        paper('none', { upvotes: 99 }),
      ],
    });
    expect(result.sections.map((s) => [s.topic, s.items.map((i) => i.paper.id)])).toEqual([
      ['robotics', ['r1']],
      ['reinforcement learning', ['both', 'rl1']],
    ]);
    const both = result.sections[1]?.items[0];
    expect(both?.matchedTerms).toEqual(['reinforcement']);
    expect(both?.why).toBe('topic "reinforcement learning": matched reinforcement');
    expect(result.paperIds).not.toContain('none');
  });

  it('breaks equal scores in favour of the topic followed first', () => {
    const { match } = matcher({ a: { x: [1, ['x']] }, b: { x: [1, ['x']] } });
    const result = selectDigest({
      ...base,
      topics: ['a', 'b'],
      matchTopic: match,
      papers: [paper('x')],
    });
    expect(result.sections.map((s) => s.topic)).toEqual(['a']);
  });

  it('keeps at most perTopic per topic and the best size papers in all', () => {
    const table: Record<string, Record<string, [number, string[]]>> = { hot: {}, cold: {} };
    const papers: Paper[] = [];
    for (let i = 0; i < 8; i++) {
      papers.push(paper(`h${i}`, { upvotes: 100 - i }));
      table.hot![`h${i}`] = [1, ['hot']];
    }
    for (let i = 0; i < 3; i++) {
      papers.push(paper(`c${i}`, { upvotes: 10 - i }));
      table.cold![`c${i}`] = [1, ['cold']];
    }
    const { match } = matcher(table);
    const result = selectDigest({
      ...base,
      size: 6,
      perTopic: 4,
      topics: ['hot', 'cold'],
      matchTopic: match,
      papers,
    });
    expect(result.sections.map((s) => s.items.map((i) => i.paper.id))).toEqual([
      ['h0', 'h1', 'h2', 'h3'],
      ['c0', 'c1'],
    ]);
    expect(result.paperIds).toHaveLength(6);
  });

  it('passes the candidate ids to the matcher and ignores matches for other ids', () => {
    const { match, calls } = matcher({ t: { a: [1, ['t']] } });
    const result = selectDigest({
      ...base,
      topics: ['t'],
      matchTopic: (topic, ids) => [
        ...match(topic, ids),
        { paperId: 'stranger', score: 99, matchedTerms: [] },
      ],
      papers: [paper('a')],
    });
    expect(calls[0]?.ids).toEqual(['a']);
    expect(result.paperIds).toEqual(['a']);
  });

  it('gives an empty selection when nothing is new, or size is 0', () => {
    const { match } = matcher({});
    expect(selectDigest({ ...base, topics: [], matchTopic: match, papers: [] })).toEqual({
      sections: [],
      paperIds: [],
    });
    expect(
      selectDigest({ ...base, size: 0, topics: [], matchTopic: match, papers: [paper('a')] })
        .paperIds,
    ).toEqual([]);
  });

  it('is pure: the same input gives the same output and the input is not changed', () => {
    const { match } = matcher({ t: { a: [1, ['t']], b: [2, ['t']] } });
    const papers = [paper('a', { upvotes: 1 }), paper('b', { upvotes: 2 })];
    const input = { ...base, topics: ['t'], matchTopic: match, papers };
    const first = selectDigest(input);
    expect(selectDigest(input)).toEqual(first);
    expect(papers.map((p) => p.id)).toEqual(['a', 'b']);
  });
});
