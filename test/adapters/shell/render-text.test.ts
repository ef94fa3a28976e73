import { describe, expect, it } from 'vitest';
import { renderText } from '../../../src/adapters/shell/render-text.js';
import type { Reply } from '../../../src/commands/reply.js';
import type { Paper } from '../../../src/core/paper.js';

function paper(over: Partial<Paper>): Paper {
  return {
    id: '2410.14735',
    arxivId: '2410.14735',
    version: 1,
    title: 'Agent Skill Acquisition for Large Language Models via CycleQD',
    abstract:
      'Training large language models to acquire specific skills remains a challenging endeavor. We introduce CycleQD, a novel approach that leverages the Quality Diversity framework through a cyclic adaptation of the algorithm.',
    authors: ['So Kuroki', 'Taishi Nakamura', 'Takuya Akiba', 'Yujin Tang'],
    authorCount: 4,
    publishedAt: '2024-10-16',
    firstSeenAt: '2025-12-12T09:00:00.000Z',
    updatedAt: '2025-12-12T09:00:00.000Z',
    sources: ['huggingface'],
    links: {
      arxivAbs: 'https://arxiv.org/abs/2410.14735',
      arxivPdf: 'https://arxiv.org/pdf/2410.14735',
      huggingface: 'https://huggingface.co/papers/2410.14735',
      code: 'https://github.com/SakanaAI/CycleQD',
    },
    upvotes: 12,
    comments: null,
    keywords: [],
    categories: [],
    comment: null,
    observedAt: '2025-12-12T09:00:00.000Z',
    sample: false,
    ...over,
  };
}

const cycleqd = paper({});
const robogen = paper({
  id: 't:0123456789abcdef',
  arxivId: null,
  title:
    'RoboGen: Towards Unleashing Infinite Data for Automated Robot Learning via Generative Simulation',
  abstract:
    'We present RoboGen, a generative robotic agent that automatically learns diverse robotic skills at scale.',
  authors: [],
  authorCount: 9,
  publishedAt: '2023-11-02',
  links: {},
  upvotes: null,
});

const replies: Record<string, Reply> = {
  list: {
    kind: 'list',
    title: 'Papers matching "robot learning"',
    items: [
      {
        paper: robogen,
        snippet: {
          text: 'We present RoboGen, a generative robotic agent that automatically learns diverse robotic skills',
          highlights: [
            { start: 11, end: 18 },
            { start: 33, end: 40 },
          ],
        },
      },
      { paper: cycleqd },
    ],
    page: 1,
    pages: 3,
    total: 12,
    next: { command: 'search', args: { query: 'robot learning', since: '2023-01-01' }, page: 2 },
  },
  'list-relaxed': {
    kind: 'list',
    title: 'Papers matching "diffusion modls"',
    note: 'No paper has all of: diffusion, modls. Showing papers with "models" (corrected from "modls").',
    items: [{ paper: robogen }],
    page: 1,
    pages: 1,
    total: 1,
  },
  'list-empty': {
    kind: 'list',
    title: 'Papers matching "zzz"',
    items: [],
    page: 1,
    pages: 0,
    total: 0,
    emptyText: 'No paper matches "zzz". Try fewer or other words, or drop the filters.',
  },
  detail: { kind: 'detail', paper: cycleqd },
  'detail-unknowns': { kind: 'detail', paper: robogen },
  choice: {
    kind: 'choice',
    prompt: '2 papers match "skill". Which one?',
    candidates: [cycleqd, robogen],
    command: 'show',
  },
  digest: {
    kind: 'digest',
    date: '2025-12-12',
    title: 'Paper digest 2025-12-12',
    sections: [
      { topic: 'robotics', items: [{ paper: robogen, why: 'topic "robotics": matched robotic' }] },
      { topic: 'skills', items: [{ paper: cycleqd, why: 'topic "skills": matched skills' }] },
    ],
    deliveryId: 'd-42',
    part: 1,
  },
  'digest-empty': {
    kind: 'digest',
    date: '2025-12-12',
    title: 'Preview',
    sections: [],
    emptyText: 'Nothing new.',
  },
  status: {
    kind: 'status',
    papers: 1234,
    channels: 2,
    sources: [
      {
        name: 'huggingface',
        enabled: true,
        lastRunAt: '2025-12-12T08:00:00Z',
        lastSuccessAt: '2025-12-12T08:00:00Z',
        warning: null,
      },
      {
        name: 'arxiv-rss',
        enabled: true,
        lastRunAt: '2025-12-12T08:00:00Z',
        lastSuccessAt: null,
        warning: 'failing since 2025-12-10',
      },
    ],
    nextDigests: [
      {
        channel: 'shell:local:default',
        at: '2025-12-13T00:00:00Z',
        local: '2025-12-13 09:00 Asia/Tokyo',
      },
    ],
    warnings: ['arxiv-rss has failed 3 times'],
  },
  notice: {
    kind: 'notice',
    title: 'Subscribed',
    lines: ['This channel now follows "robotics".', '3 papers match.'],
  },
  error: {
    kind: 'error',
    code: 'INPUT_INVALID',
    message: 'count must be a whole number from 1 to 25.',
    usage: '/papers latest [count]',
  },
};

describe('renderText (golden)', () => {
  for (const [name, reply] of Object.entries(replies)) {
    it(`renders ${name} as plain text`, async () => {
      await expect(renderText(reply, { color: false })).toMatchFileSnapshot(
        `__golden__/${name}.txt`,
      );
    });
  }

  it('colours on a TTY and never in plain text', async () => {
    const coloured = renderText(replies.list!, { color: true });
    expect(coloured).toContain('\u001b[');
    await expect(coloured).toMatchFileSnapshot('__golden__/list.ansi.txt');
    for (const reply of Object.values(replies)) {
      expect(renderText(reply, { color: false })).not.toContain('\u001b');
    }
  });

  it('strips terminal control sequences from paper text', () => {
    const evil = paper({ title: 'Nice\u001b[2J title\u0007', abstract: 'a\u001b]0;pwned\u0007b' });
    const text = renderText({ kind: 'detail', paper: evil }, { color: false });
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(text).toContain('Nice[2J title');
  });
});
