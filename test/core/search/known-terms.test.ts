import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaperRecord } from '../../../src/core/paper.js';
import { archiveVocabulary } from '../../../src/core/search/archive.js';
import { KnownTerms } from '../../../src/core/search/known-terms.js';
import { expandQuery, parseQuery } from '../../../src/core/search/query-compiler.js';
import { corpusSlice } from './corpus-slice.js';
import { type Opened, openWith } from './search-fixtures.js';

const TYPOS = [
  'robtics',
  'transfomer',
  'difusion',
  'galxy',
  'segmentaton',
  'halucination',
  'zyxquartz',
];

describe('typo candidates from the words held in memory', () => {
  let opened: Opened;
  let papers: PaperRecord[];
  beforeAll(async () => {
    papers = (await corpusSlice()).slice(0, 1500);
    opened = await openWith(papers.slice(0, 1000));
  }, 60_000);
  afterAll(async () => opened.close());

  const compile = (vocab: ReturnType<typeof archiveVocabulary>) =>
    TYPOS.map((t) => expandQuery(parseQuery(`${t} `), vocab).groups);

  it('give the same candidates as asking SQLite, before and after new rows are absorbed', () => {
    const db = opened.store.db;
    const known = new KnownTerms(db);
    while (!known.loadSlice());
    expect(known.ready).toBe(true);
    const inMemory = archiveVocabulary(db, known);
    expect(compile(inMemory)).toEqual(compile(archiveVocabulary(db)));
    opened.store.upsertPapers(
      [
        ...papers.slice(1000),
        { ...(papers[0] as PaperRecord), arxivId: '2999.00001', title: 'Zyxquarts' },
      ],
      opened.clock.now(),
    );
    // Rows written since: not ruled out by the set until absorbed (SQLite answers meanwhile).
    expect(known.ready).toBe(false);
    expect(compile(inMemory)).toEqual(compile(archiveVocabulary(db)));
    while (known.absorb() > 0);
    expect(known.ready).toBe(true);
    expect(known.has('zyxquarts')).toBe(true);
    expect(compile(inMemory)).toEqual(compile(archiveVocabulary(db)));
  });
});
