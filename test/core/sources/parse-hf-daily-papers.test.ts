import { describe, expect, it } from 'vitest';
import { parseHfDailyPapers } from '../../../src/core/sources/parse-hf-daily-papers.js';
import { expectPaperboyError } from './expect-error.js';
import { fixtureText } from './fixture-text.js';

const fetchedAt = '2024-10-18T06:00:00.000Z';

describe('parseHfDailyPapers on the recorded sample', () => {
  const { papers, warnings } = parseHfDailyPapers(fixtureText('hf-daily-papers.json'), {
    fetchedAt,
  });

  it('reads every entry without warnings', () => {
    expect(warnings).toEqual([]);
    expect(papers.map((paper) => paper.arxivId)).toEqual([
      '2410.14735',
      '2410.10636',
      '2405.19660',
      '2410.13002',
    ]);
  });

  it('reads a full entry: links, counts, keywords, hidden authors kept', () => {
    expect(papers[0]).toEqual({
      arxivId: '2410.14735',
      version: null,
      title: 'Agent Skill Acquisition for Large Language Models via CycleQD',
      abstract: expect.stringMatching(
        /^Training large language models to acquire specific skills remains a challenging endeavor\. Conventional/,
      ),
      authors: ['So Kuroki', 'Taishi Nakamura', 'Takuya Akiba', 'Yujin Tang'],
      authorCount: 4,
      publishedAt: '2024-10-16',
      source: 'huggingface',
      links: {
        arxivAbs: 'https://arxiv.org/abs/2410.14735',
        arxivPdf: 'https://arxiv.org/pdf/2410.14735',
        huggingface: 'https://huggingface.co/papers/2410.14735',
        code: 'https://github.com/SakanaAI/CycleQD',
      },
      upvotes: 12,
      comments: 2,
      keywords: ['Quality Diversity', 'model merging', 'agent skills'],
      categories: [],
      comment: null,
      observedAt: fetchedAt,
      listedAt: '2024-10-18T01:12:40.411Z',
    });
    expect(papers[0]?.abstract).not.toContain('\n');
  });

  it('dates each listing by HF, not by the fetch: submittedOnDailyAt, else the entry publishedAt', () => {
    expect(papers.map((paper) => paper.listedAt)).toEqual([
      '2024-10-18T01:12:40.411Z',
      '2024-10-17T09:30:00.000Z',
      '2024-10-17T08:00:00.000Z',
      '2024-10-17T06:45:00.000Z',
    ]);
  });

  it('turns LaTeX in titles and abstracts into Unicode and collapses their line breaks', () => {
    expect(papers[1]?.title).toBe(
      'Adapt-∞: Scalable Lifelong Multimodal Instruction Tuning via Dynamic Data Selection',
    );
    expect(papers[1]?.abstract).toContain('We propose Adapt-∞, achieving O(n)');
    expect(papers[1]?.links).toMatchObject({ project: 'https://adapt-inf.github.io' });
    expect(papers[1]?.links.code).toBeUndefined();
    expect(papers[1]?.keywords).toEqual([]);
  });

  it('leaves absent counts unknown, never zero', () => {
    expect(papers[2]).toMatchObject({
      title:
        'PATIENT-Ψ: Using Large Language Models to Simulate Patients for Training Mental Health Professionals',
      authors: ['Ruiyi Wang', 'Stephanie Milani', 'Jamie C. Chiu', 'Zhí Zhū', 'Shaun M. Eack'],
      upvotes: null,
      comments: null,
      keywords: [],
    });
    expect(papers[1]?.comments).toBe(0);
  });

  it('falls back to the outer fields when the paper fields are null', () => {
    expect(papers[3]).toMatchObject({
      abstract:
        'Flex trains end-to-end visual navigation policies from a small amount of expert data.',
      authors: [],
      authorCount: null,
      publishedAt: '2024-10-17',
      upvotes: null,
      comments: null,
    });
  });
});

describe('parseHfDailyPapers on bad input', () => {
  it('skips bad entries, naming each, and returns the rest', () => {
    const { papers, warnings } = parseHfDailyPapers(fixtureText('hf-daily-papers-broken.json'), {
      fetchedAt,
    });
    expect(papers).toHaveLength(1);
    expect(papers[0]).toMatchObject({
      arxivId: '2410.40005',
      version: 2,
      title: 'Sparse but Fine',
      abstract: '',
      authorCount: null,
      upvotes: null,
      comments: null,
    });
    expect(warnings).toEqual([
      'entry 1: skipped, it has no title',
      'entry 2 "A Paper With a Bad Id": skipped, its id "not-an-id" is not an arXiv id',
      'entry 3: skipped, it is not an object',
      'entry 4: skipped, it is not an object',
    ]);
  });

  it('reads a single paper object as a list of one', () => {
    const one = JSON.stringify({
      id: '2410.14735',
      title: 'One\nPaper',
      authors: [{ name: 'A' }],
      publishedAt: '2024-10-16T02:20:57.000Z',
    });
    const [paper] = parseHfDailyPapers(one, { fetchedAt }).papers;
    expect(paper).toMatchObject({ arxivId: '2410.14735', title: 'One Paper', authors: ['A'] });
    // A bare paper's publishedAt is its publication, not a listing.
    expect(paper?.listedAt).toBeUndefined();
  });

  it('gives an empty day as no papers', () => {
    expect(parseHfDailyPapers('[]', { fetchedAt })).toEqual({ papers: [], warnings: [] });
  });

  it('rejects truncated JSON as malformed, without quoting it', () => {
    const text = fixtureText('hf-daily-papers.json').slice(0, 400);
    const error = expectPaperboyError(
      () => parseHfDailyPapers(text, { fetchedAt }),
      'FEED_MALFORMED',
    );
    expect(error.message).toMatch(/not valid JSON/);
    expect(error.message).not.toContain('Kuroki');
  });

  it('rejects what is not daily_papers JSON at all', () => {
    expectPaperboyError(() => parseHfDailyPapers('<rss/>', { fetchedAt }), 'FEED_NOT_RECOGNISED');
    expectPaperboyError(
      () => parseHfDailyPapers('{"hello":1}', { fetchedAt }),
      'FEED_NOT_RECOGNISED',
    );
    expectPaperboyError(() => parseHfDailyPapers('42', { fetchedAt }), 'FEED_NOT_RECOGNISED');
  });

  it('reports an API error object as a source error', () => {
    const error = expectPaperboyError(
      () => parseHfDailyPapers('{"error":"Invalid date format"}', { fetchedAt }),
      'SOURCE_HTTP',
    );
    expect(error.message).toContain('Invalid date format');
  });
});
