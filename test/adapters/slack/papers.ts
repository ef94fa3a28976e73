import type { Paper } from '../../../src/core/paper.js';

/** A stored paper with every field set, for renderer tests. */
export function makePaper(overrides: Partial<Paper> = {}): Paper {
  return {
    id: '2410.14735',
    arxivId: '2410.14735',
    version: 1,
    title: 'Agent Skill Acquisition for Large Language Models via CycleQD',
    abstract: 'Training large language models to acquire specific skills remains challenging.',
    authors: ['So Kuroki', 'Taishi Nakamura', 'Takuya Akiba', 'Yujin Tang'],
    authorCount: 4,
    publishedAt: '2024-10-16',
    firstSeenAt: '2024-10-17T08:00:00.000Z',
    updatedAt: '2024-10-17T08:00:00.000Z',
    sources: ['huggingface'],
    links: {
      arxivAbs: 'https://arxiv.org/abs/2410.14735',
      arxivPdf: 'https://arxiv.org/pdf/2410.14735',
      huggingface: 'https://huggingface.co/papers/2410.14735',
    },
    upvotes: 17,
    comments: null,
    keywords: [],
    categories: ['cs.CL'],
    comment: null,
    observedAt: '2024-10-17T08:00:00.000Z',
    sample: false,
    ...overrides,
  };
}

/** A title that would ping a channel, mention a user and break entities if not escaped. */
export const HOSTILE_TITLE =
  'Attention <!channel> and <@U123> & <https://evil.example|click> *bold*';
