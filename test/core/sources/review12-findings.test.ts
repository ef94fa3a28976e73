import { describe, expect, it } from 'vitest';
import { parseArxivRss } from '../../../src/core/sources/parse-arxiv-rss.js';
import { parseJsonLine } from '../../../src/core/sources/parse-corpus-jsonl.js';
import { cleanFeedText, cleanTitleAndAbstract } from '../../../src/core/text/clean-text.js';

// Failing tests from the issue-12 review (FINDINGS.md, F1 and F2): they describe what a
// reader should see; the fixes are the lead's call.

describe('review 12 F1: math inequalities are not HTML tags', () => {
  it.each([
    ['For $0<a \\leq 1$ and $b>0$ the bound holds.', 'For 0<a ≤ 1 and b>0 the bound holds.'],
    ['For all $1<i \\le n$ and $j>1$ it is sharp.', 'For all 1<i ≤ n and j>1 it is sharp.'],
    ['We show a<b and c>d hold in general.', 'We show a<b and c>d hold in general.'],
  ])('%s', (raw, shown) => {
    expect(cleanFeedText(raw)).toBe(shown);
    expect(cleanTitleAndAbstract('T', raw).abstract).toBe(shown);
  });

  it('keeps the rest of an abstract after a `<p>` that is physics notation', () => {
    const raw = 'We measure the mean momentum <p> of hadrons and find x<y for all y.';
    expect(cleanFeedText(raw)).toContain('for all y.');
  });
});

describe('review 12 F2: a JSON Lines key of the wrong shape is never dropped silently', () => {
  it('string authors/categories and a non-ISO date are read or warned about', () => {
    const line = JSON.stringify({
      id: '0704.0001',
      title: 'Calculation of prompt diphoton production',
      authors: 'C. Balázs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan',
      categories: 'hep-ph',
      abstract: 'A fully differential calculation.',
      date: 'Mon, 2 Apr 2007 19:18:42 GMT',
    });
    const result = parseJsonLine(line, 1, '2026-01-01T00:00:00.000Z');
    const record = result.record;
    expect(record).not.toBeNull();
    const authorsRead = (record?.authors.length ?? 0) > 0;
    const categoriesRead = (record?.categories.length ?? 0) > 0;
    const dateRead = record?.publishedAt != null;
    const said = (key: string) => result.warnings.some((w) => w.includes(key));
    expect(authorsRead || said('authors')).toBe(true);
    expect(categoriesRead || said('categories')).toBe(true);
    expect(dateRead || said('date')).toBe(true);
  });
});

describe('review 12 F12: deeply nested macros never crash the cleanup', () => {
  it('reads 3,000 nested \\textbf{…} (a 30 KB line) without a stack overflow', () => {
    const raw = `${'\\textbf{'.repeat(3000)}x${'}'.repeat(3000)}`;
    expect(() => cleanFeedText(raw)).not.toThrow();
  });
});

describe('review 12 F1: only real markup is markup', () => {
  it.each([
    ['Bra-ket $<a|b>$ and $<i>$ notation', 'Bra-ket <a|b> and <i> notation'],
    // Real HTML around math: the tags go, the inequalities stay.
    [
      '<p><b>Authors:</b> A</p><p>With $0<a \\le 1$ and $b>0$ in math.</p>',
      'Authors: A With 0<a ≤ 1 and b>0 in math.',
    ],
    ['<p>Mean <p> of hadrons</p>', 'Mean of hadrons'],
    ['R&D at <a href="https://x.org">X</a>', 'R&D at X'],
    ['Line one<br/>line two &amp; more', 'Line one line two & more'],
  ])('%s', (raw, shown) => {
    expect(cleanFeedText(raw)).toBe(shown);
  });
});

describe('review 12 F12: text nested past the cap is kept and warned about', () => {
  const deep = `${'\\textbf{'.repeat(3000)}x${'}'.repeat(3000)}`;
  it('keeps a too-deep title as written and names the line', () => {
    const line = JSON.stringify({ id: '0704.0001', title: deep, abstract: 'Fine $\\beta$.' });
    const result = parseJsonLine(line, 2, '2026-01-01T00:00:00.000Z');
    expect(result.record?.title).toBe(deep);
    expect(result.record?.abstract).toBe('Fine β.');
    expect(result.warnings).toEqual([
      'line 2: title: LaTeX nested deeper than 200 groups: kept as written',
    ]);
  });
  it('reads the same in a snapshot line, and shallow nesting as before', () => {
    const row = { id: '0704.0002', title: 'T', abstract: deep, authors: 'A. B', versions: [] };
    const result = parseJsonLine(JSON.stringify(row), 3, '2026-01-01T00:00:00.000Z');
    expect(result.kind).toBe('arxiv-snapshot');
    expect(result.warnings.some((w) => w.includes('line 3: abstract: LaTeX nested'))).toBe(true);
    expect(cleanFeedText(`${'\\textbf{'.repeat(50)}x${'}'.repeat(50)}`)).toBe('x');
  });
});

describe('review 12 F2: the plain shapes are read, the others named', () => {
  const at = '2026-01-01T00:00:00.000Z';
  it('reads string authors, space-separated categories and an RFC 822 date', () => {
    const line = JSON.stringify({
      id: '0704.0001',
      title: 'Diphoton',
      authors: 'C. Balázs, E. L. Berger and C.-P. Yuan',
      categories: 'hep-ph hep-ex',
      date: 'Mon, 2 Apr 2007 19:18:42 GMT',
    });
    const { record, warnings } = parseJsonLine(line, 1, at);
    expect(record).toMatchObject({
      authors: ['C. Balázs', 'E. L. Berger', 'C.-P. Yuan'],
      authorCount: 3,
      categories: ['hep-ph', 'hep-ex'],
      publishedAt: '2007-04-02',
    });
    expect(warnings).toEqual([]);
  });
  it('warns per key for a value it cannot read', () => {
    const line = JSON.stringify({
      id: '0704.0002',
      title: 'T',
      authors: 42,
      categories: ['cs.LG', 7],
      date: '2007/03/31',
      comment: { pages: 3 },
    });
    const { record, warnings } = parseJsonLine(line, 2, at);
    expect(record).toMatchObject({ authors: [], categories: ['cs.LG'], publishedAt: null });
    expect(warnings).toEqual([
      'line 2: authors 42 not understood, what is not a name is left out',
      'line 2: categories ["cs.LG",7] not understood, what is not a category is left out',
      'line 2: date "2007/03/31" not understood, its date is unknown',
      'line 2: comment {"pages":3} not understood, ignored',
    ]);
  });
});

describe('review 12 F6: RSS pubDate forms the spec allows are read; others are warned about', () => {
  const item = (id: string, pubDate: string) =>
    `<item><title>P ${id}</title><link>https://arxiv.org/abs/${id}</link><description>A.</description>${pubDate ? `<pubDate>${pubDate}</pubDate>` : ''}</item>`;
  const feed = (channelDate: string, ...items: string[]) =>
    `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>${channelDate}${items.join('')}</channel></rss>`;
  const fetchedAt = '2026-12-04T10:00:00.000Z';

  it('reads a two-digit year and an ISO date, listed on their own day, not the read time', () => {
    const { papers, warnings } = parseArxivRss(
      feed(
        '',
        item('2403.30001', '2024-03-15T00:00:00-04:00'),
        item('2403.30002', 'Fri, 15 Mar 24 00:00:00 EDT'),
      ),
      { fetchedAt },
    );
    expect(warnings).toEqual([]);
    expect(papers.map((p) => [p.publishedAt, p.listedAt])).toEqual([
      ['2024-03-15', '2024-03-15'],
      ['2024-03-15', '2024-03-15'],
    ]);
  });

  it('names an unreadable or missing pubDate', () => {
    const undated = feed('', item('2403.30003', 'the ides of March'), item('2403.30004', ''));
    const { papers, warnings } = parseArxivRss(undated, { fetchedAt, fromFile: true });
    expect(papers.map((p) => p.publishedAt)).toEqual([null, null]);
    expect(warnings).toEqual([
      'item 1 "P 2403.30003": pubDate "the ides of March" not understood, its date is unknown',
      'item 2 "P 2403.30004": no pubDate, its date is unknown',
    ]);
    // Polled live, the poll's day lists them: only the date not understood is said.
    expect(parseArxivRss(undated, { fetchedAt }).warnings).toEqual([
      'item 1 "P 2403.30003": pubDate "the ides of March" not understood, listed on the day it was read',
    ]);
    const dated = parseArxivRss(
      feed(
        '<lastBuildDate>Fri, 15 Mar 2024 00:00:00 -0400</lastBuildDate>',
        item('2403.30005', 'soon'),
      ),
      { fetchedAt },
    );
    expect(dated.warnings).toEqual([
      'item 1 "P 2403.30005": pubDate "soon" not understood, listed on the channel\'s day 2024-03-15',
    ]);
  });
});

describe('review 12 F5: an unbolded "Authors:" paragraph in an HTML description', () => {
  it('takes the authors out of the abstract, and reads a thousands separator in upvotes', () => {
    const description =
      '&lt;p&gt;Authors: Ana Li, Bo Chen&lt;/p&gt;&lt;p&gt;Abstract two.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Upvotes:&lt;/b&gt; 1,234&lt;/p&gt;';
    const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><lastBuildDate>Thu, 17 Oct 2024 07:00:00 GMT</lastBuildDate><item><title>Paper Two</title><link>https://huggingface.co/papers/2410.14736</link><description>${description}</description><pubDate>Thu, 17 Oct 2024 07:00:00 GMT</pubDate></item></channel></rss>`;
    const { papers, warnings } = parseArxivRss(xml, { fetchedAt: '2024-10-17T08:00:00.000Z' });
    expect(warnings).toEqual([]);
    expect(papers[0]).toMatchObject({
      authors: ['Ana Li', 'Bo Chen'],
      abstract: 'Abstract two.',
      upvotes: 1234,
    });
  });
});
