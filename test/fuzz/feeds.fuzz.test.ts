import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPaperboyError } from '../../src/core/errors.js';
import type { PaperRecord } from '../../src/core/paper.js';
import { detectFormat } from '../../src/core/sources/detect-format.js';
import { parseArxivAtom } from '../../src/core/sources/parse-arxiv-atom.js';
import { parseArxivRss } from '../../src/core/sources/parse-arxiv-rss.js';
import { parseCorpusLine } from '../../src/core/sources/parse-corpus-jsonl.js';
import { parseDailyPapersPage } from '../../src/core/sources/parse-daily-papers-page.js';
import { parseHfDailyPapers } from '../../src/core/sources/parse-hf-daily-papers.js';
import { FUZZ } from './arbitraries.js';

const fetchedAt = '2025-12-12T12:00:00.000Z';

/** Every parser, as the fetchers and `npm run ingest` call it. */
const PARSERS: Record<string, (text: string) => { papers: PaperRecord[]; warnings: string[] }> = {
  'arxiv-atom': (text) => parseArxivAtom(text, { fetchedAt }),
  'arxiv-rss': (text) => parseArxivRss(text, { fetchedAt }),
  'hf-json': (text) => parseHfDailyPapers(text, { fetchedAt }),
  'hf-page': (text) => parseDailyPapersPage(text, { referenceDate: '2025-12-12' }),
  jsonl: (text) => {
    const papers: PaperRecord[] = [];
    const warnings: string[] = [];
    text.split('\n').forEach((line, i) => {
      const parsed = parseCorpusLine(line, i + 1);
      if ('warning' in parsed) warnings.push(parsed.warning);
      else papers.push(parsed);
    });
    return { papers, warnings };
  },
};

/** A parser either reads papers (and names what it skipped) or refuses with a coded error. */
function expectParsedOrRefused(name: string, text: string): void {
  const parse = PARSERS[name] as (typeof PARSERS)[string];
  let result: ReturnType<typeof parse>;
  try {
    result = parse(text);
  } catch (error) {
    if (isPaperboyError(error)) return;
    throw new Error(`${name} threw a non-coded error: ${(error as Error)?.stack ?? error}`);
  }
  expect(Array.isArray(result.warnings)).toBe(true);
  for (const warning of result.warnings) expect(typeof warning).toBe('string');
  for (const paper of result.papers) {
    expect(typeof paper.title === 'string' && paper.title.trim().length > 0).toBe(true);
    expect(Array.isArray(paper.authors)).toBe(true);
    expect(paper.arxivId === null || typeof paper.arxivId === 'string').toBe(true);
    if (paper.publishedAt !== null) expect(paper.publishedAt).toMatch(/^\d{4}-\d{2}-\d{2}/);
    expect(Number.isNaN(Date.parse(paper.observedAt))).toBe(false);
  }
}

const TAGS = [
  'rss',
  'channel',
  'item',
  'title',
  'link',
  'description',
  'pubDate',
  'dc:creator',
  'category',
  'guid',
  'arxiv:announce_type',
  'feed',
  'entry',
  'id',
  'summary',
  'author',
  'name',
  'published',
  'updated',
  'arxiv:comment',
  'opensearch:totalResults',
];
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    'arXiv:2410.14735v1 Announce Type: new \nAbstract: A study.',
    'arXiv:2410.14735v3 Announce Type: replace',
    'http://arxiv.org/abs/2410.14735v2',
    '2024-10-18T00:00:00Z',
    'Fri, 18 Oct 2024 00:00:00 -0400',
    'Ada Lovelace, Alan Turing and Grace Hopper',
    '&amp;&lt;&#x1F916;&bogus;',
    '<![CDATA[ raw <b> ]]>',
    '',
  ),
);

type XmlTree = string | { tag: string; attrs: Array<[string, string]>; children: XmlTree[] };

const xmlTree = fc.letrec<{ node: XmlTree }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    fc.record({
      tag: fc.constantFrom(...TAGS),
      attrs: fc.array(
        fc.tuple(
          fc.constantFrom('href', 'rel', 'term', 'type', 'version'),
          fc.string({ maxLength: 20 }),
        ),
        { maxLength: 2 },
      ),
      children: fc.array(tie('node'), { maxLength: 5 }),
    }),
  ),
})).node;

function serialize(node: XmlTree): string {
  if (typeof node === 'string') return node;
  const attrs = node.attrs.map(([k, v]) => ` ${k}="${v.replace(/"/g, '&quot;')}"`).join('');
  return `<${node.tag}${attrs}>${node.children.map(serialize).join('')}</${node.tag}>`;
}

/** XML-shaped documents under the roots the parsers look for. */
const xmlDocument = fc
  .tuple(fc.constantFrom('rss', 'feed', 'other'), fc.array(xmlTree, { maxLength: 6 }))
  .map(([root, children]) => {
    const inner = children.map(serialize).join('\n');
    const body = root === 'rss' ? `<channel>${inner}</channel>` : inner;
    return `<?xml version="1.0"?>\n<${root}>${body}</${root}>`;
  });

const anyJson = fc.jsonValue({ maxDepth: 4 });
/** Hugging Face-shaped entries whose every field may have the wrong type. */
const hfJson = fc
  .array(
    fc.record(
      {
        paper: fc.record(
          {
            id: fc.oneof(fc.constantFrom('2410.14735', '2410.1473', 'abc'), anyJson),
            title: fc.oneof(text, anyJson),
            summary: fc.oneof(text, anyJson),
            authors: fc.oneof(fc.array(fc.record({ name: fc.oneof(text, anyJson) })), anyJson),
            publishedAt: fc.oneof(
              fc.constantFrom('2024-10-16T02:20:57.000Z', 'yesterday'),
              anyJson,
            ),
            upvotes: anyJson,
          },
          { requiredKeys: [] },
        ),
        numComments: anyJson,
        title: anyJson,
      },
      { requiredKeys: [] },
    ),
    { maxLength: 5 },
  )
  .map((entries) => JSON.stringify(entries));

const jsonLines = fc
  .array(
    fc.oneof(
      anyJson.map((v) => JSON.stringify(v)),
      fc
        .record({
          id: fc.oneof(text, anyJson),
          title: fc.oneof(text, anyJson),
          abstract: anyJson,
          authors: anyJson,
          date: anyJson,
        })
        .map((v) => JSON.stringify(v)),
      fc.string(),
    ),
    { maxLength: 6 },
  )
  .map((lines) => lines.join('\n'));

const FIXTURES = [
  'arxiv-atom.xml',
  'arxiv-rss.xml',
  'hf-daily-papers.json',
  'corpus-sample.jsonl',
  '../../samples/daily-papers-page.txt',
].map((name) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));

/** Real documents cut short and with junk spliced in: what a broken connection or proxy gives. */
const damagedFixture = fc
  .tuple(
    fc.constantFrom(...FIXTURES),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.string({ maxLength: 30 }),
    fc.double({ min: 0, max: 1, noNaN: true }),
  )
  .map(([doc, cut, junk, at]) => {
    const short = doc.slice(0, Math.floor(doc.length * (0.2 + cut * 0.8)));
    const i = Math.floor(short.length * at);
    return short.slice(0, i) + junk + short.slice(i);
  });

const anyDocument = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  xmlDocument,
  hfJson,
  jsonLines,
  damagedFixture,
);

describe('fuzz: feed parsers on arbitrary documents', () => {
  for (const name of Object.keys(PARSERS)) {
    it(`${name}: returns papers and warnings or refuses with a coded error, never crashes`, () => {
      fc.assert(
        fc.property(anyDocument, (doc) => expectParsedOrRefused(name, doc)),
        FUZZ,
      );
    });
  }

  it('detectFormat names a format or null for anything', () => {
    fc.assert(
      fc.property(anyDocument, (doc) => {
        const format = detectFormat(doc);
        expect(format === null || format in PARSERS).toBe(true);
        // The parser it picks handles the document without crashing.
        if (format) expectParsedOrRefused(format, doc);
      }),
      FUZZ,
    );
  });
});
