import { describe, expect, it } from 'vitest';
import { parseCorpusLine } from '../../../src/core/sources/parse-corpus-jsonl.js';
import { fixtureText } from './fixture-text.js';

describe('parseCorpusLine', () => {
  it('reads a line of the bulk import format', () => {
    const line = fixtureText('corpus-sample.jsonl').split('\n')[0]!;
    expect(parseCorpusLine(line, 1)).toEqual({
      arxivId: '2410.14735',
      version: null,
      title: 'Agent Skill Acquisition for Large Language Models via CycleQD',
      abstract:
        'Training large language models to acquire specific skills remains a challenging endeavor.',
      authors: ['So Kuroki', 'Taishi Nakamura', 'Takuya Akiba', 'Yujin Tang'],
      authorCount: 4,
      publishedAt: '2024-10-16',
      source: 'jsonl',
      links: {
        arxivAbs: 'https://arxiv.org/abs/2410.14735',
        arxivPdf: 'https://arxiv.org/pdf/2410.14735',
      },
      upvotes: null,
      comments: null,
      keywords: [],
      categories: ['cs.NE', 'cs.AI'],
      comment: null,
      observedAt: '2024-10-16T00:00:00.000Z',
    });
  });

  it('keeps a comment, a versioned id and an old-style id; LaTeX made Unicode', () => {
    const line = JSON.stringify({
      id: 'math.GT/0309136v2',
      title: 'On $\\infty$-Knots',
      authors: ['Ünal Şahin'],
      abstract: 'Knots.',
      categories: ['math.GT'],
      date: '2003-09-08',
      comment: '12 pages,\n 3 figures',
    });
    expect(parseCorpusLine(line, 7)).toMatchObject({
      arxivId: 'math.GT/0309136',
      version: 2,
      title: 'On ∞-Knots',
      authors: ['Ünal Şahin'],
      comment: '12 pages, 3 figures',
    });
  });

  it('leaves a missing date unknown and dates the observation as oldest', () => {
    const line = JSON.stringify({ id: '2401.00001', title: 'Undated', authors: [], abstract: '' });
    expect(parseCorpusLine(line, 3)).toMatchObject({
      publishedAt: null,
      authorCount: null,
      observedAt: '1970-01-01T00:00:00.000Z',
    });
  });

  it.each([
    ['{"id":"2401.00001","title":', 'line 9: skipped, not valid JSON'],
    ['[1,2]', 'line 9: skipped, not a JSON object'],
    ['{"id":"2401.00001","title":"  "}', 'line 9: skipped, it has no title'],
    [
      '{"id":"hello","title":"Bad Id Paper"}',
      'line 9 "Bad Id Paper": skipped, its id "hello" is not an arXiv id',
    ],
    ['{"title":"No Id Paper"}', 'line 9 "No Id Paper": skipped, its id null is not an arXiv id'],
  ])('warns about %s', (line, warning) => {
    expect(parseCorpusLine(line, 9)).toEqual({ warning });
  });
});
