import { describe, expect, it } from 'vitest';
import { parseArxivRss, splitCreators } from '../../../src/core/sources/parse-arxiv-rss.js';
import { expectPaperboyError } from './expect-error.js';
import { fixtureText } from './fixture-text.js';

const fetchedAt = '2024-10-18T06:00:00.000Z';

describe('parseArxivRss on the recorded sample', () => {
  const { papers, warnings } = parseArxivRss(fixtureText('arxiv-rss.xml'), { fetchedAt });

  it('reads every item without warnings', () => {
    expect(warnings).toEqual([]);
    expect(papers.map((paper) => [paper.arxivId, paper.version, paper.announceType])).toEqual([
      ['2410.14735', 1, 'new'],
      ['2410.14002', 1, 'new'],
      ['2410.13002', 1, 'cross'],
      ['2306.08647', 2, 'replace'],
      ['cs/0112017', 3, 'replace-cross'],
    ]);
  });

  it('reads a new item in full, dated by the feed', () => {
    expect(papers[0]).toEqual({
      arxivId: '2410.14735',
      version: 1,
      title: 'Agent Skill Acquisition for Large Language Models via CycleQD',
      abstract: expect.stringMatching(
        /^Training large language models .* cyclic adaptation of the algorithm\.$/,
      ),
      authors: ['So Kuroki', 'Taishi Nakamura', 'Takuya Akiba', 'Yujin Tang'],
      authorCount: 4,
      publishedAt: '2024-10-18',
      source: 'arxiv-rss',
      links: {
        arxivAbs: 'https://arxiv.org/abs/2410.14735',
        arxivPdf: 'https://arxiv.org/pdf/2410.14735',
      },
      upvotes: null,
      comments: null,
      keywords: [],
      categories: ['cs.NE', 'cs.AI', 'cs.CL'],
      comment: null,
      observedAt: '2024-10-18T04:01:12.000Z',
      announceType: 'new',
    });
  });

  it('joins hard line breaks in titles, turns LaTeX into Unicode, keeps unicode, decodes entities', () => {
    expect(papers[1]?.title).toBe(
      'Regret Bounds of O(√T) for Müller-Type Bandits with Delayed Feedback',
    );
    expect(papers[1]?.abstract).toContain('delay d < ∞ we prove');
    expect(papers[1]?.abstract).toContain('up to log factors');
    expect(papers[1]?.authors).toEqual(['Jörg Müller', 'Ana Beatriz Conceição', 'Łukasz Wróbel']);
    expect(papers[4]?.title).toBe('Old-Style Ids Still Appear: A Note on cs/0112017 & Friends');
    expect(papers[4]?.abstract).toBe('A short note, revised, on identifiers & their <versions>.');
  });

  it('marks replacements so they update without being announced', () => {
    const replaced = papers.filter((paper) => paper.announceType?.startsWith('replace'));
    expect(replaced.map((paper) => paper.arxivId)).toEqual(['2306.08647', 'cs/0112017']);
  });

  it('falls back to the fetch time when the feed has no date', () => {
    const undated = fixtureText('arxiv-rss.xml')
      .replace(/<lastBuildDate>.*<\/lastBuildDate>/, '')
      .replace(/<pubDate>Fri, 18 Oct 2024 00:00:00 -0400<\/pubDate>\n {4}<skipDays>/, '<skipDays>');
    expect(parseArxivRss(undated, { fetchedAt }).papers[0]?.observedAt).toBe(fetchedAt);
  });
});

describe('parseArxivRss on empty and bad input', () => {
  it('reads a weekend feed as zero papers and no warnings', () => {
    expect(parseArxivRss(fixtureText('arxiv-rss-empty.xml'), { fetchedAt })).toEqual({
      papers: [],
      warnings: [],
    });
  });

  it('skips bad items, naming each, and returns the rest', () => {
    const { papers, warnings } = parseArxivRss(fixtureText('arxiv-rss-broken-entries.xml'), {
      fetchedAt,
      fromFile: true,
    });
    expect(papers).toEqual([
      expect.objectContaining({
        arxivId: '2410.30003',
        title: 'Bare But Valid',
        authors: [],
        authorCount: null,
        publishedAt: null,
        categories: [],
        observedAt: fetchedAt,
      }),
    ]);
    expect(papers[0]).not.toHaveProperty('announceType');
    expect(warnings).toEqual([
      'item 1: skipped, it has no title',
      'item 2 "No Id Anywhere": skipped, no arXiv id in its description, guid or link',
      'item 3 "Bare But Valid": announce type "withdrawn" not understood, read as a listing',
      // Neither the item nor the channel is dated (review 12 F6): said, not hidden.
      'item 3 "Bare But Valid": no pubDate, its date is unknown',
    ]);
  });

  it('rejects a truncated download as malformed, naming the line', () => {
    const error = expectPaperboyError(
      () => parseArxivRss(fixtureText('arxiv-rss-truncated.xml'), { fetchedAt }),
      'FEED_MALFORMED',
    );
    // Named as cut off (not "line 1"): the element it ends in, the last line, the item's start.
    expect(error.message).toBe(
      'The arXiv RSS feed ends in the middle of <description> (line 9, the last), inside <item> opened at line 5: the file looks cut off. Nothing was stored: a feed file is read whole or not at all',
    );
  });

  it('rejects other formats as not recognised', () => {
    expectPaperboyError(
      () => parseArxivRss(fixtureText('arxiv-atom.xml'), { fetchedAt }),
      'FEED_NOT_RECOGNISED',
    );
    expectPaperboyError(
      () => parseArxivRss(fixtureText('hf-daily-papers.json'), { fetchedAt }),
      'FEED_NOT_RECOGNISED',
    );
  });
});

describe('splitCreators', () => {
  it.each([
    ['A. One, B. Two, and C. Three', ['A. One', 'B. Two', 'C. Three']],
    ['A. One, B. Two and C. Three', ['A. One', 'B. Two', 'C. Three']],
    ['Alexander Sandberg and Ferdinand Andersen', ['Alexander Sandberg', 'Ferdinand Andersen']],
    ['Martin Luther King, Jr., Jane Roe', ['Martin Luther King, Jr.', 'Jane Roe']],
    ['  Solo\n  Author ', ['Solo Author']],
    ['', []],
  ])('%j', (text, names) => {
    expect(splitCreators(text)).toEqual(names);
  });
});
