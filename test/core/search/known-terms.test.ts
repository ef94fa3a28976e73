import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaperRecord } from '../../../src/core/paper.js';
import { archiveSyncedSeq, archiveVocabulary } from '../../../src/core/search/archive.js';
import { KnownTerms, wordsOfRows } from '../../../src/core/search/known-terms.js';
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
    const known = new KnownTerms(db, () => archiveSyncedSeq(db));
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

  it('take the words of indexed rows from elsewhere (the worker) without reading those rows', async () => {
    const db = opened.store.db;
    await opened.search.refresh(); // the first test's rows, indexed: this one's are synced inline
    const known = new KnownTerms(db, () => archiveSyncedSeq(db));
    while (!known.loadSlice());
    const from = archiveSyncedSeq(db);
    const row = { ...(papers[1] as PaperRecord), arxivId: '2999.00002', title: 'Qwxzyplanar' };
    opened.store.upsertPapers([row], opened.clock.now());
    const to = archiveSyncedSeq(db);
    expect(to).toBeGreaterThan(from);
    expect(known.ready).toBe(false);
    // Words of rows before `from` not absorbed yet: the sync point stays, the words are in.
    known.addWords(['qwxzyplanar'], to, to + 1);
    expect(known.has('qwxzyplanar')).toBe(true);
    expect(known.ready).toBe(false);
    known.addWords(wordsOfRows(db, from, to), from, to);
    expect(known.ready).toBe(true);
    expect(known.absorb()).toBe(0);
  });

  it('count rows indexed before the vocabulary is read as absorbed, and read it again on reload', () => {
    const db = opened.store.db;
    const before = archiveSyncedSeq(db);
    const known = new KnownTerms(db, () => before + 1_000_000);
    known.reload();
    while (!known.loadSlice());
    expect(known.ready).toBe(true);
    expect(known.absorb()).toBe(0);
    expect(known.has('qwxzyplanar')).toBe(true);
  });
});
