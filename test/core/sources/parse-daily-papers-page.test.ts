import { describe, expect, it } from 'vitest';
import { isPaperboyError } from '../../../src/core/errors.js';
import { type PaperRecord, paperIdOf } from '../../../src/core/paper.js';
import { parseDailyPapersPage } from '../../../src/core/sources/parse-daily-papers-page.js';
import { fixtureText } from './fixture-text.js';

const page = fixtureText('../../samples/daily-papers-page.txt');
const options = { referenceDate: '2025-12-12' };

function byTitle(papers: PaperRecord[], title: string): PaperRecord {
  const found = papers.find((paper) => paper.title === title);
  if (!found) throw new Error(`no paper titled ${title}`);
  return found;
}

function parseError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the parser to throw');
}

describe('parseDailyPapersPage on the bundled page', () => {
  const { papers, warnings } = parseDailyPapersPage(page, options);

  it('finds exactly 48 papers, 45 with metadata, and nothing to warn about', () => {
    expect(papers).toHaveLength(48);
    expect(papers.filter((paper) => paper.authorCount !== null)).toHaveLength(45);
    expect(papers.filter((paper) => paper.publishedAt !== null)).toHaveLength(45);
    expect(warnings).toEqual([]);
  });

  it('skips the page header and starts with the first paper', () => {
    expect(papers[0]?.title).toBe('A Survey on Knowledge Distillation of Large Language Models');
    expect(papers.map((paper) => paper.title)).not.toContain('Daily Papers');
    expect(papers.map((paper) => paper.title)).not.toContain('Subscribe');
    expect(papers.at(-1)?.title).toBe(
      'Towards Effective and Efficient Continual Pre-training of Large Language Models',
    );
    expect(papers.at(-1)).toMatchObject({ authorCount: 19, publishedAt: '2024-07-26' });
  });

  it("reads CycleQD's record: title, author count and date", () => {
    const cycleQd = byTitle(
      papers,
      'Agent Skill Acquisition for Large Language Models via CycleQD',
    );
    expect(cycleQd).toMatchObject({
      arxivId: null,
      version: null,
      authors: [],
      authorCount: 4,
      publishedAt: '2024-10-16',
      upvotes: null,
      source: 'hf-page',
      observedAt: '2025-12-12T00:00:00.000Z',
      links: {},
    });
    expect(cycleQd.abstract).toMatch(/^Training large language models to acquire specific skills/);
    expect(cycleQd.abstract).not.toContain('\n');
  });

  it('keeps the three papers without metadata lines, with unknown counts and date', () => {
    const bare = papers.filter((paper) => paper.authorCount === null).map((paper) => paper.title);
    expect(bare).toEqual([
      'Skill-Targeted Adaptive Training',
      'Revisiting Reinforcement Learning for LLM Reasoning from A Cross-Domain Perspective',
      'From f(x) and g(x) to f(g(x)): LLMs Learn New Skills in RL by Composing Old Ones',
    ]);
    const skillTargeted = byTitle(papers, 'Skill-Targeted Adaptive Training');
    expect(skillTargeted).toMatchObject({ publishedAt: null, upvotes: null, authorCount: null });
    expect(skillTargeted.abstract).toMatch(/^Language models often show little to no improvement/);
  });

  it('resolves a year-less date with an upvote count against the reference year', () => {
    expect(byTitle(papers, 'Skill Expansion and Composition in Parameter Space')).toMatchObject({
      authorCount: 7,
      publishedAt: '2025-02-09',
      upvotes: 3,
    });
    expect(
      byTitle(papers, 'Effective Skill Unlearning through Intervention and Abstention'),
    ).toMatchObject({ publishedAt: '2025-03-27', upvotes: null, authorCount: 3 });
  });

  it('reads full dates with and without upvotes', () => {
    expect(byTitle(papers, 'Can Models Learn Skill Composition from Examples?')).toMatchObject({
      publishedAt: '2024-09-29',
      upvotes: 2,
      authorCount: 5,
    });
    expect(
      byTitle(papers, 'AgentInstruct: Toward Generative Teaching with Agentic Flows'),
    ).toMatchObject({ publishedAt: '2024-07-03', upvotes: 16 });
    expect(byTitle(papers, 'On the Measure of Intelligence')).toMatchObject({
      publishedAt: '2019-11-04',
      authorCount: 1,
    });
  });

  it('turns LaTeX into Unicode and keeps non-Latin letters', () => {
    expect(papers.map((paper) => paper.title)).toContain(
      'Adapt-∞: Scalable Lifelong Multimodal Instruction Tuning via Dynamic Data Selection',
    );
    expect(papers.some((paper) => paper.title.startsWith('PATIENT-Ψ: Using'))).toBe(true);
  });

  it('gives every paper a distinct title-hash id', () => {
    const ids = papers.map((paper) => paperIdOf(paper));
    expect(new Set(ids).size).toBe(48);
    expect(ids.every((id) => id.startsWith('t:'))).toBe(true);
  });
});

describe('parseDailyPapersPage year resolution and variants', () => {
  it('puts a year-less date later than the reference day in the year before', () => {
    const { papers } = parseDailyPapersPage(page, { referenceDate: '2025-03-01' });
    expect(byTitle(papers, 'Skill Expansion and Composition in Parameter Space').publishedAt).toBe(
      '2025-02-09',
    );
    expect(
      byTitle(
        papers,
        'Missing Premise exacerbates Overthinking: Are Reasoning Models losing Critical Thinking Skill?',
      ).publishedAt,
    ).toBe('2024-04-08');
    expect(byTitle(papers, 'Can Models Learn Skill Composition from Examples?').publishedAt).toBe(
      '2024-09-29',
    );
  });

  it('reads Windows line endings the same way', () => {
    const { papers } = parseDailyPapersPage(page.replace(/\n/g, '\r\n'), options);
    expect(papers).toHaveLength(48);
    expect(papers.filter((paper) => paper.authorCount !== null)).toHaveLength(45);
  });

  it('reads a copy of the list without the page header', () => {
    const text = [
      'Skill Expansion and Composition',
      '',
      'An abstract with a hard',
      'line break.',
      '',
      '  • 2 authors',
      '·',
      'Dec 24 7',
    ].join('\n');
    const { papers } = parseDailyPapersPage(text, options);
    expect(papers).toEqual([
      expect.objectContaining({
        title: 'Skill Expansion and Composition',
        abstract: 'An abstract with a hard line break.',
        authorCount: 2,
        publishedAt: '2024-12-24',
        upvotes: 7,
      }),
    ]);
  });

  it('keeps a paper with an impossible date, date unknown, and names it in a warning', () => {
    const text = [
      'Daily Papers',
      '',
      'Dec 12',
      '',
      'Leap Paper',
      '',
      'Abstract.',
      '',
      '  • 3 authors',
      '·',
      'Feb 30, 2023',
    ].join('\n');
    const { papers, warnings } = parseDailyPapersPage(text, options);
    expect(papers).toEqual([
      expect.objectContaining({ title: 'Leap Paper', authorCount: 3, publishedAt: null }),
    ]);
    expect(warnings).toEqual([expect.stringContaining('"Leap Paper"')]);
    expect(warnings[0]).toContain('Feb 30, 2023');
  });

  it('rejects input that is not a Daily Papers page', () => {
    for (const text of [
      '[{"paper":{"id":"2410.14735"}}]',
      '<rss version="2.0"></rss>',
      'Dear diary,\n\ntoday nothing.',
    ]) {
      const error = parseError(() => parseDailyPapersPage(text, options));
      expect(isPaperboyError(error, 'FEED_NOT_RECOGNISED')).toBe(true);
    }
  });

  it('rejects a reference date that is not a day', () => {
    for (const referenceDate of ['2025-02-30', '12/12/2025', '']) {
      const error = parseError(() => parseDailyPapersPage(page, { referenceDate }));
      expect(isPaperboyError(error, 'INPUT_INVALID')).toBe(true);
    }
  });
});
