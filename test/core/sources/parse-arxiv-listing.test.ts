import { describe, expect, it } from 'vitest';
import { parseArxivAtom } from '../../../src/core/sources/parse-arxiv-atom.js';
import { parseArxivRss } from '../../../src/core/sources/parse-arxiv-rss.js';
import { fixtureText } from './fixture-text.js';

const fetchedAt = '2026-09-24T09:00:00.000Z';

describe("arXiv's Atom listing (rss.arxiv.org/atom)", () => {
  const { papers, warnings } = parseArxivAtom(fixtureText('arxiv-atom-listing.xml'), { fetchedAt });

  it('reads every entry with its announce type, without warnings', () => {
    expect(warnings).toEqual([]);
    expect(papers.map((p) => [p.arxivId, p.version, p.announceType])).toEqual([
      ['2609.28553', 1, 'new'],
      ['2609.28601', 1, 'cross'],
      ['2003.01234', 4, 'replace'],
      ['1911.00042', 3, 'replace-cross'],
    ]);
  });

  it('reads a new entry field by field: authors from dc:creator, abstract without the prefix, LaTeX made Unicode', () => {
    expect(papers[0]).toEqual({
      arxivId: '2609.28553',
      version: 1,
      title: 'On the Rényi Entropy of β-OPSD Channels',
      abstract:
        'We bound the Rényi entropy of one-sided channels by ln ln T and show the bound is tight for β-OPSD inputs.',
      authors: ['Zoë Martin', 'Paul Erdős', 'José García'],
      authorCount: 3,
      publishedAt: '2026-09-24',
      source: 'arxiv-rss',
      links: {
        arxivAbs: 'https://arxiv.org/abs/2609.28553',
        arxivPdf: 'https://arxiv.org/pdf/2609.28553',
      },
      upvotes: null,
      comments: null,
      keywords: [],
      categories: ['cs.IT', 'math.IT'],
      comment: null,
      observedAt: '2026-09-24T04:00:31.163Z',
      announceType: 'new',
      // As written, prefix dropped and spacing tidied: kept beside the cleaned text.
      original: {
        title: "On the R\\'{e}nyi Entropy of $\\beta$-OPSD Channels",
        abstract:
          "We bound the R\\'enyi entropy of \\textbf{one-sided} channels by $\\ln\\ln T$ and show the bound is tight for $\\beta$-OPSD inputs.",
      },
    });
  });

  it('never dates a replacement by the listing day (a 2020 paper stays 2020 when merged)', () => {
    const replaced = papers.filter((p) => p.announceType?.startsWith('replace'));
    expect(replaced.map((p) => p.publishedAt)).toEqual([null, null]);
    expect(replaced[0]?.authors).toEqual(['Ben Older', 'Cy Senior Jr.']);
    expect(replaced[0]?.abstract).toBe('A revised abstract of a 2020 paper.');
  });

  it('still reads a query API answer as before (no announce type, authors from <author>)', () => {
    const api = parseArxivAtom(fixtureText('arxiv-atom.xml'), { fetchedAt });
    expect(api.papers.every((p) => p.announceType === undefined && p.source === 'arxiv-api')).toBe(
      true,
    );
  });
});

describe('old arXiv RSS 1.0 (rdf:RDF)', () => {
  const { papers, warnings } = parseArxivRss(fixtureText('arxiv-rdf.xml'), { fetchedAt });

  it('reads each item: id, category and UPDATED / CROSS LISTED from the title', () => {
    expect(warnings).toEqual([]);
    expect(papers.map((p) => [p.arxivId, p.version, p.announceType, p.categories])).toEqual([
      ['2310.10001', 1, 'new', ['cs.RO']],
      ['2310.09876', 1, 'cross', ['cs.LG']],
      ['2104.05555', 3, 'replace', ['cs.RO']],
    ]);
  });

  it('reads a new item field by field: HTML abstract and HTML authors as text, dated by the channel', () => {
    expect(papers[0]).toMatchObject({
      title: 'Learning to Grasp Transparent Objects with ϵ-Greedy Tactile Probing',
      abstract:
        'Transparent objects defeat depth cameras. We probe them by touch & learn a policy that succeeds in 94% of trials.',
      authors: ['Jane Doe', 'Jürgen Müller'],
      authorCount: 2,
      publishedAt: '2023-10-17',
      observedAt: '2023-10-18T01:30:00.000Z',
      source: 'arxiv-rss',
    });
    expect(papers[2]?.publishedAt).toBeNull();
  });

  it('in a saved archive without dc:date, names each undated item, never a replacement', () => {
    const undated = fixtureText('arxiv-rdf.xml').replace(/<dc:date>[^<]*<\/dc:date>\n?/, '');
    const saved = parseArxivRss(undated, { fetchedAt, fromFile: true });
    expect(saved.warnings).toEqual([
      'item 1 "Learning to Grasp Transparent Objects with ϵ-Greedy Tactile Probing": no dc:date, its date is unknown',
      expect.stringMatching(/^item 2 ".*": no dc:date, its date is unknown$/),
    ]);
    // Polled live, the poll's day lists them: nothing to say.
    expect(parseArxivRss(undated, { fetchedAt }).warnings).toEqual([]);
  });
});

describe('an RSS feed with HTML descriptions (a third-party Daily Papers feed)', () => {
  const { papers, warnings } = parseArxivRss(fixtureText('hf-papers-rss-html.xml'), {
    fetchedAt,
  });

  it('takes authors and upvotes out of the HTML and keeps the abstract as text', () => {
    expect(papers).toHaveLength(1);
    expect(papers[0]).toMatchObject({
      arxivId: '2410.14735',
      title: 'Agent Skill Acquisition for Large Language Models via CycleQD',
      abstract:
        'Training large language models to acquire specific skills remains a challenging endeavor & we introduce CycleQD.',
      authors: ['So Kuroki', 'Taishi Nakamura', 'Takuya Akiba', 'Yujin Tang'],
      upvotes: 12,
      publishedAt: '2024-10-16',
      links: { huggingface: 'https://huggingface.co/papers/2410.14735' },
    });
    expect(papers[0]).not.toHaveProperty('announceType');
  });

  it('names the item it could not read', () => {
    expect(warnings).toEqual([
      'item 2 "A Paper Without a Link": skipped, no arXiv id in its description, guid or link',
    ]);
  });
});

describe('an HTML description with scripts, styles and escaped entities', () => {
  // The description is HTML escaped into XML: XML decodes one level, HTML the next, and no more.
  const { papers, warnings } = parseArxivRss(fixtureText('hf-papers-rss-script.xml'), {
    fetchedAt: '2024-10-17T07:00:00.000Z',
  });

  it('drops <script>, <style> and <noscript> with their content, and decodes entities once', () => {
    expect(warnings).toEqual([]);
    expect(papers[0]).toMatchObject({
      title: 'Bounds for x < y in Sparse Attention',
      abstract: 'We show <b> is text, that x < y holds & that &lt; stays as written.',
      authors: ['Ana Silva', 'Bo Chen & the Q&A Group'],
      upvotes: 7,
    });
  });
});

describe('HTML authors are decoded once', () => {
  it('keeps an escaped entity in a dc:creator as the text it stands for', () => {
    // dc:creator HTML `Lab &amp;lt;AI&amp;gt;` is the text `Lab &lt;AI&gt;`: not `Lab <AI>`.
    const text = `<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item>
  <title>A paper</title><link>https://arxiv.org/abs/2410.12345</link>
  <description>Plain abstract.</description>
  <dc:creator>&lt;a href="https://example.org/a"&gt;Ada Lovelace&lt;/a&gt;, Lab &amp;amp;lt;AI&amp;amp;gt;</dc:creator>
</item></channel></rss>`;
    const [paper] = parseArxivRss(text, { fetchedAt: '2024-10-17T07:00:00.000Z' }).papers;
    expect(paper?.authors).toEqual(['Ada Lovelace', 'Lab &lt;AI&gt;']);
  });
});

describe('announce types as feeds spell them (one rule for RSS and the Atom listing)', () => {
  const rssItem = (type: string) =>
    `<?xml version="1.0"?><rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0"><channel><title>cs.AI updates on arXiv.org</title><link>http://rss.arxiv.org/rss/cs.AI</link><description>cs.AI</description><pubDate>Thu, 24 Sep 2026 00:00:00 -0400</pubDate>
<item><title>A Paper</title><link>https://arxiv.org/abs/2003.01234</link><description>arXiv:2003.01234v4 Announce Type: ${type}
Abstract: Body.</description><guid isPermaLink="false">oai:arXiv.org:2003.01234v4</guid><category>cs.AI</category><pubDate>Thu, 24 Sep 2026 00:00:00 -0400</pubDate><arxiv:announce_type>${type}</arxiv:announce_type><dc:creator>Ann Author</dc:creator></item></channel></rss>`;
  const atomEntry = (type: string) =>
    `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/"><id>http://rss.arxiv.org/atom/cs.AI</id><title>cs.AI updates on arXiv.org</title><updated>2026-09-24T04:00:00Z</updated>
<entry><id>oai:arXiv.org:2003.01234v4</id><title>A Paper</title><updated>2026-09-24T00:00:00-04:00</updated><link href="https://arxiv.org/abs/2003.01234" rel="alternate" type="text/html"/><summary>arXiv:2003.01234v4 Announce Type: ${type}
Abstract: Body.</summary><category term="cs.AI"/><published>2026-09-24T00:00:00-04:00</published><arxiv:announce_type>${type}</arxiv:announce_type><dc:creator>Ann Author</dc:creator></entry></feed>`;
  const readers = [
    ['RSS', (type: string) => parseArxivRss(rssItem(type), { fetchedAt })],
    ['Atom', (type: string) => parseArxivAtom(atomEntry(type), { fetchedAt })],
  ] as const;

  it.each(readers)(
    '%s: any replace… spelling is a replacement, never dated as new, and said',
    (_f, read) => {
      for (const [type, readAs] of [
        ['REPLACE', 'replace'],
        ['Replace-Cross', 'replace-cross'],
        ['replace_cross', 'replace-cross'],
        ['replaced', 'replace'],
      ] as const) {
        const { papers, warnings } = read(type);
        expect(papers[0]).toMatchObject({ announceType: readAs, publishedAt: null });
        const lower = type.toLowerCase();
        expect(warnings).toEqual(
          lower === readAs
            ? []
            : [
                expect.stringContaining(
                  `announce type "${lower}" not understood, read as "${readAs}"`,
                ),
              ],
        );
      }
    },
  );

  it.each(readers)(
    '%s: an unknown type is a listing with a warning; an empty one is no type',
    (_f, read) => {
      const unknown = read('withdrawn');
      expect(unknown.papers[0]).toMatchObject({ publishedAt: '2026-09-24', abstract: 'Body.' });
      expect(unknown.papers[0]?.announceType).toBeUndefined();
      expect(unknown.warnings).toEqual([
        expect.stringContaining('announce type "withdrawn" not understood, read as a listing'),
      ]);
      const empty = read('');
      expect(empty.papers[0]).toMatchObject({ abstract: 'Body.' });
      expect(empty.warnings).toEqual([]);
    },
  );
});

describe('RSS 1.0 archives in other shapes', () => {
  const rdf = (item: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="http://arxiv.org/rss/cs.RO"><title>cs.RO updates on arXiv.org</title><link>http://arxiv.org/</link><description>x</description><dc:date>2023-10-17T20:30:00-05:00</dc:date></channel>
<item rdf:about="http://arxiv.org/abs/2310.10001">${item}<link>http://arxiv.org/abs/2310.10001</link><description>&lt;p&gt;Body.&lt;/p&gt;</description><dc:creator>&lt;a href="http://arxiv.org/a/doe_j_1"&gt;Jane Doe&lt;/a&gt;</dc:creator></item></rdf:RDF>`;

  it('reads every category of a title, and an item dated by its own dc:date', () => {
    const { papers, warnings } = parseArxivRss(
      rdf(
        '<title>Two. (arXiv:2310.10001v1 [cs.RO cs.AI])</title><dc:date>2023-10-16T00:00:00Z</dc:date>',
      ),
      { fetchedAt },
    );
    expect(warnings).toEqual([]);
    expect(papers[0]).toMatchObject({
      arxivId: '2310.10001',
      categories: ['cs.RO', 'cs.AI'],
      publishedAt: '2023-10-16',
      announceType: 'new',
      authors: ['Jane Doe'],
    });
  });

  it('an item of an unknown paper flagged UPDATED is a replacement, never dated as new', () => {
    const { papers } = parseArxivRss(
      rdf('<title>Old. (arXiv:math/0604473v2 [math.PR] UPDATED)</title>'),
      { fetchedAt },
    );
    expect(papers[0]).toMatchObject({
      arxivId: 'math/0604473',
      version: 2,
      announceType: 'replace',
      publishedAt: null,
    });
  });
});
