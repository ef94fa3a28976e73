import type { DigestReply } from '../../../src/commands/reply.js';
import type { Paper } from '../../../src/core/paper.js';

/** A stored paper with every field set; override what a test is about. */
export function paper(overrides: Partial<Paper> = {}): Paper {
  return {
    id: '2410.07524',
    arxivId: '2410.07524',
    version: 1,
    title: 'Agent Skill Acquisition for Large Language Models via CycleQD',
    abstract:
      'Training large language models to acquire specific skills remains a challenging endeavor. ' +
      'We propose CycleQD, which leverages the Quality Diversity framework through a cyclic ' +
      'adaptation of the algorithm, along with a model merging based crossover and an SVD-based mutation.',
    authors: ['So Kuroki', 'Taishi Nakamura', 'Takuya Akiba', 'Yujin Tang'],
    authorCount: 4,
    publishedAt: '2024-10-10',
    firstSeenAt: '2024-10-11T08:00:00.000Z',
    updatedAt: '2024-10-11T08:00:00.000Z',
    sources: ['huggingface'],
    links: {
      arxivAbs: 'https://arxiv.org/abs/2410.07524',
      arxivPdf: 'https://arxiv.org/pdf/2410.07524',
      huggingface: 'https://huggingface.co/papers/2410.07524',
    },
    upvotes: 12,
    comments: null,
    keywords: [],
    categories: ['cs.CL'],
    comment: null,
    observedAt: '2024-10-11T08:00:00.000Z',
    sample: false,
    ...overrides,
  };
}

/** A paper written to break a naive renderer: markup, mentions, LaTeX, huge text. */
export function hostilePaper(n = 1): Paper {
  const word = 'transformer ';
  return paper({
    id: `2501.0000${n}`,
    arxivId: `2501.0000${n}`,
    title: `@everyone <@&123> **Bold** _claims_ ~~struck~~ \`code\` | pipes > quote $\\alpha \\cdot \\beta$ ${word.repeat(40)}`,
    abstract: `We show $O(n \\log n)$ *bounds* for __all__ inputs. ${word.repeat(800)}`,
    authors: Array.from({ length: 300 }, (_, i) => `Author_${i} *Star*`),
    authorCount: 300,
    keywords: Array.from({ length: 200 }, (_, i) => `kw_${i}`),
    links: { arxivAbs: `https://arxiv.org/abs/2501.0000${n}` },
  });
}

/** A one-paper digest part carrying `deliveryId`; override what a test is about. */
export function digestReply(deliveryId: string, overrides: Partial<DigestReply> = {}): DigestReply {
  return {
    kind: 'digest',
    date: '2025-12-12',
    title: 'Paperboy digest',
    deliveryId,
    part: 1,
    sections: [{ topic: 'robotics', items: [{ paper: paper(), why: 'robotics: robot' }] }],
    ...overrides,
  };
}
