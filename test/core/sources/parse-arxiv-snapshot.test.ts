import { describe, expect, it } from 'vitest';
import { parseJsonLine } from '../../../src/core/sources/parse-corpus-jsonl.js';
import { fixtureText } from './fixture-text.js';

const fetchedAt = '2026-09-24T09:00:00.000Z';
const lines = fixtureText('arxiv-snapshot.jsonl').trimEnd().split('\n');
const parsed = lines.map((line, i) => parseJsonLine(line, i + 1, fetchedAt));

describe('the arXiv metadata snapshot (Kaggle JSON Lines)', () => {
  it('tells each line apart by its keys: snapshot, unreadable, Paperboy', () => {
    expect(parsed.map((p) => p.kind)).toEqual([
      'arxiv-snapshot',
      'arxiv-snapshot',
      'arxiv-snapshot',
      'arxiv-snapshot',
      'arxiv-snapshot',
      null,
      'jsonl',
    ]);
  });

  it('maps every field of a line', () => {
    expect(parsed[0]).toEqual({
      kind: 'arxiv-snapshot',
      warnings: [],
      record: {
        arxivId: '0704.0001',
        version: 2,
        title:
          'Calculation of prompt diphoton production cross sections at Tevatron and LHC energies',
        abstract:
          'A fully differential calculation in perturbative quantum chromodynamics is presented for the production of massive photon pairs at hadron colliders.',
        // authors_parsed, preferred over the string.
        authors: ['C. Balázs', 'E. L. Berger', 'P. M. Nadolsky', 'C. -P. Yuan'],
        authorCount: 4,
        // versions[0].created: the first version is the publication.
        publishedAt: '2007-04-02',
        source: 'arxiv-snapshot',
        links: {
          arxivAbs: 'https://arxiv.org/abs/0704.0001',
          arxivPdf: 'https://arxiv.org/pdf/0704.0001',
          doi: 'https://doi.org/10.1103/PhysRevD.76.013009',
        },
        upvotes: null,
        comments: null,
        keywords: [],
        categories: ['hep-ph'],
        comment: '37 pages, 15 figures; published version; Journal-ref: Phys.Rev.D76:013009,2007',
        // update_date: the snapshot's own date for the paper.
        observedAt: '2008-11-13T00:00:00.000Z',
      },
    });
  });

  it('reads an old-style id, several categories, a suffix and LaTeX', () => {
    expect(parsed[1]?.record).toMatchObject({
      arxivId: 'math/0604473',
      version: 1,
      title: 'On the Rényi dimension of β-expansions',
      abstract:
        'We compute the Rényi dimension of β-expansions for β > 1 and show it equals ln ln β in the generic case.',
      authors: ['Jane Roe', 'John Poe Jr'],
      categories: ['math.DS', 'math.NT'],
      comment: null,
      publishedAt: '2006-04-21',
    });
  });

  it('keeps a line whose date or authors_parsed it cannot read, and says so', () => {
    expect(parsed[3]?.record).toMatchObject({
      arxivId: '1501.00002',
      publishedAt: null,
      authors: ['Al Strange'],
    });
    expect(parsed[3]?.warnings).toEqual([
      'line 4 "A Line With No Versions": no date in versions[0].created, its date is unknown',
    ]);
  });

  it('skips a line without an id, and one that is not JSON, naming each', () => {
    expect(parsed[4]).toMatchObject({ record: null });
    expect(parsed[4]?.warnings[0]).toMatch(/^line 5 "A Line Without an Id": skipped, its id null/);
    expect(parsed[5]).toEqual({
      kind: null,
      record: null,
      warnings: ['line 6: skipped, not valid JSON'],
    });
  });

  it('warns when authors_parsed is not a list of names', () => {
    const line = JSON.stringify({
      ...JSON.parse(lines[0] as string),
      authors_parsed: [['Balázs', 3]],
    });
    const result = parseJsonLine(line, 9, fetchedAt);
    expect(result.record?.authors).toEqual([
      'C. Balázs',
      'E. L. Berger',
      'P. M. Nadolsky',
      'C.-P. Yuan',
    ]);
    expect(result.warnings).toEqual([
      expect.stringContaining('authors_parsed not understood, authors read from the string'),
    ]);
  });
});

describe('snapshot versions as real files may hold them', () => {
  const first = JSON.parse(lines[0] as string) as Record<string, unknown>;
  const read = (over: Record<string, unknown>) =>
    parseJsonLine(JSON.stringify({ ...first, ...over }), 3, fetchedAt);

  it('dates a paper by v1 and keeps the highest version, whatever the order of the list', () => {
    const result = read({
      versions: [
        { version: 'v3', created: 'Tue, 24 Jul 2007 20:10:27 GMT' },
        { version: 'v1', created: 'Mon, 2 Apr 2007 19:18:42 GMT' },
        { version: 'v2', created: 'Wed, 4 Apr 2007 10:00:00 GMT' },
      ],
    });
    expect(result.record).toMatchObject({ publishedAt: '2007-04-02', version: 3 });
    expect(result.warnings).toEqual([]);
  });

  it('keeps a line whose versions hold no date, date unknown and said', () => {
    for (const versions of [[{ version: 'v1' }], 'v1', null]) {
      const result = read({ versions });
      expect(result.record).toMatchObject({ arxivId: '0704.0001', publishedAt: null });
      expect(result.warnings).toEqual([
        expect.stringMatching(
          /^line 3 ".*": no date in versions\[0\]\.created, its date is unknown$/,
        ),
      ]);
    }
  });

  it('reads a created date written as ISO, and a version entry without a number', () => {
    expect(
      read({ versions: [{ version: 'v1', created: '2007-04-02T19:18:42Z' }] }).record,
    ).toMatchObject({
      publishedAt: '2007-04-02',
      version: 1,
    });
    expect(read({ versions: [{ created: 'Mon, 2 Apr 2007 19:18:42 GMT' }] }).record).toMatchObject({
      publishedAt: '2007-04-02',
      version: null,
    });
  });
});
