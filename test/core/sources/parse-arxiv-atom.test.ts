import { describe, expect, it } from 'vitest';
import { parseArxivAtom } from '../../../src/core/sources/parse-arxiv-atom.js';
import { expectPaperboyError } from './expect-error.js';
import { fixtureText } from './fixture-text.js';

const fetchedAt = '2024-10-18T06:00:00.000Z';

describe('parseArxivAtom on a query answer', () => {
  const result = parseArxivAtom(fixtureText('arxiv-atom.xml'), { fetchedAt });

  it('reads every entry and the total result count', () => {
    expect(result.warnings).toEqual([]);
    expect(result.totalResults).toBe(1873);
    expect(result.papers.map((paper) => [paper.arxivId, paper.version])).toEqual([
      ['2311.01455', 3],
      ['2410.14002', 1],
      ['cs/0112017', 1],
    ]);
  });

  it('reads an entry in full, dated by the feed', () => {
    expect(result.papers[0]).toEqual({
      arxivId: '2311.01455',
      version: 3,
      title:
        'RoboGen: Towards Unleashing Infinite Data for Automated Robot Learning via Generative Simulation',
      abstract:
        'We present RoboGen, a generative robotic agent that automatically learns diverse robotic skills at scale via generative simulation. RoboGen leverages the latest advancements in foundation and generative models.',
      authors: ['Yufei Wang', 'Zhou Xian', 'Feng Chen', 'Tsun-Hsuan Wang'],
      authorCount: 4,
      publishedAt: '2023-11-02',
      source: 'arxiv-api',
      links: {
        arxivAbs: 'https://arxiv.org/abs/2311.01455',
        arxivPdf: 'https://arxiv.org/pdf/2311.01455',
      },
      upvotes: null,
      comments: null,
      keywords: [],
      categories: ['cs.RO', 'cs.AI', 'cs.CV'],
      comment: 'ICML 2024; project page: https://robogen-ai.github.io/',
      observedAt: '2024-10-18T04:00:00.000Z',
    });
  });

  it('turns LaTeX into Unicode, keeps unicode, decodes entities, puts the primary category first', () => {
    const bandits = result.papers[1];
    expect(bandits?.title).toBe(
      'Regret Bounds of O(√T) for Müller-Type Bandits with Delayed Feedback',
    );
    expect(bandits?.abstract).toContain('d < ∞');
    expect(bandits?.authors).toEqual(['Jörg Müller', 'Ana Beatriz Conceição']);
    expect(bandits?.categories).toEqual(['cs.LG', 'stat.ML']);
    // arxiv:journal_ref and arxiv:doi are kept, not dropped without a word.
    expect(bandits?.comment).toBe('Journal-ref: Proc. ALT 2025, pp. 1-24');
    expect(bandits?.links.doi).toBe('https://doi.org/10.1234/bandits.2024.0042');
  });

  it('reads a single-entry feed and an empty one', () => {
    const single = fixtureText('arxiv-atom.xml').replace(
      /<entry>[\s\S]*?<\/entry>\s*<entry>[\s\S]*?<\/entry>/,
      '',
    );
    expect(parseArxivAtom(single, { fetchedAt }).papers.map((p) => p.arxivId)).toEqual([
      'cs/0112017',
    ]);
    const empty = fixtureText('arxiv-atom.xml')
      .replace(/<entry>[\s\S]*<\/entry>/, '')
      .replace('>1873<', '>0<');
    expect(parseArxivAtom(empty, { fetchedAt })).toEqual({
      papers: [],
      warnings: [],
      totalResults: 0,
    });
  });
});

describe('parseArxivAtom on errors and bad input', () => {
  it('turns the API error feed into a source error carrying its summary', () => {
    const error = expectPaperboyError(
      () => parseArxivAtom(fixtureText('arxiv-atom-error.xml'), { fetchedAt }),
      'SOURCE_HTTP',
    );
    expect(error.message).toContain('incorrect id format for 1234.12345678');
  });

  it('reads a real paper titled Error as a paper', () => {
    const text = fixtureText('arxiv-atom.xml')
      .replace(/<entry>[\s\S]*?<\/entry>\s*<entry>[\s\S]*?<\/entry>/, '')
      .replace('<title>Old-Style Ids Still Appear</title>', '<title>Error</title>');
    expect(parseArxivAtom(text, { fetchedAt }).papers).toEqual([
      expect.objectContaining({ arxivId: 'cs/0112017', title: 'Error' }),
    ]);
  });

  it('skips bad entries, naming each, and keeps an unknown total unknown', () => {
    const result = parseArxivAtom(fixtureText('arxiv-atom-broken-entries.xml'), { fetchedAt });
    expect(result.totalResults).toBeNull();
    expect(result.papers).toEqual([
      expect.objectContaining({
        arxivId: '2410.20003',
        version: 2,
        title: 'Survivor: The Entry That Parses',
        authors: [],
        authorCount: null,
        publishedAt: null,
        categories: [],
        comment: null,
      }),
    ]);
    expect(result.warnings).toEqual([
      'entry 1: skipped, it has no title',
      'entry 2 "A Paper With a Broken Id": skipped, its id "http://example.org/not-an-arxiv-id" is not an arXiv id',
      'entry 3 "Survivor: The Entry That Parses": no <published> or <updated>, its date is unknown',
    ]);
  });

  it('dates an entry without <published> by <updated>, and says so', () => {
    const xml = fixtureText('arxiv-atom.xml');
    const withoutPublished = xml.replace(/<published>[^<]*<\/published>/, '');
    const result = parseArxivAtom(withoutPublished, { fetchedAt });
    const full = parseArxivAtom(xml, { fetchedAt });
    expect(result.papers).toHaveLength(full.papers.length);
    expect(result.warnings).toEqual([
      expect.stringMatching(
        /^entry 1 ".*": no <published>, dated by <updated> \(its latest version\)$/,
      ),
    ]);
  });

  it('rejects malformed XML and other formats', () => {
    const cut = fixtureText('arxiv-atom.xml').slice(0, 1500);
    expect(
      expectPaperboyError(() => parseArxivAtom(cut, { fetchedAt }), 'FEED_MALFORMED').message,
    ).toMatch(/line \d+/);
    expectPaperboyError(
      () => parseArxivAtom(fixtureText('arxiv-rss.xml'), { fetchedAt }),
      'FEED_NOT_RECOGNISED',
    );
    expectPaperboyError(
      () => parseArxivAtom('not xml at all', { fetchedAt }),
      'FEED_NOT_RECOGNISED',
    );
  });
});
