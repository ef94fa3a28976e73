import type { PaperRecord } from '../../../src/core/paper.js';

/** A realistic record with every field set; tests override what they are about. */
export function record(overrides: Partial<PaperRecord> = {}): PaperRecord {
  return {
    arxivId: '2410.14735',
    version: 1,
    title: 'Agent Skill Acquisition for Large Language Models via CycleQD',
    abstract: 'Large language models have become increasingly adept at solving complex tasks.',
    authors: ['So Kuroki', 'Taishi Nakamura', 'Takuya Akiba', 'Yujin Tang'],
    authorCount: 4,
    publishedAt: '2024-10-09',
    source: 'arxiv-rss',
    links: {},
    upvotes: null,
    comments: null,
    keywords: [],
    categories: ['cs.NE', 'cs.CL'],
    comment: null,
    observedAt: '2024-10-10T04:00:00.000Z',
    ...overrides,
  };
}

/** The same paper as the Daily Papers page knows it: title, abstract, a count, no id. */
export function pageRecord(overrides: Partial<PaperRecord> = {}): PaperRecord {
  return record({
    arxivId: null,
    version: null,
    authors: [],
    authorCount: 4,
    source: 'hf-page',
    categories: [],
    upvotes: 2,
    observedAt: '2025-12-12T00:00:00.000Z',
    ...overrides,
  });
}
