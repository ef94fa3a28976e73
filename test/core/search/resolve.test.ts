import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaperRecord } from '../../../src/core/paper.js';
import { record } from '../store/records.js';
import { corpusSlice } from './corpus-slice.js';
import { type Opened, openWith } from './search-fixtures.js';

describe('show resolution by id, URL, title and fragment', () => {
  let opened: Opened;
  let target: PaperRecord;
  beforeAll(async () => {
    const papers = (await corpusSlice()).slice(0, 400);
    target = papers.find((p) => p.arxivId && p.title.split(' ').length >= 6) as PaperRecord;
    opened = await openWith(papers);
  }, 60_000);
  afterAll(async () => opened.close());

  it('finds a paper by its arXiv id in any form', () => {
    const id = target.arxivId as string;
    const forms = [
      id,
      `${id}v2`,
      `arXiv:${id}`,
      `arxiv: ${id}v1`,
      `https://arxiv.org/abs/${id}`,
      `https://arxiv.org/pdf/${id}v3.pdf`,
      `https://huggingface.co/papers/${id}`,
      `  ${id}  `,
    ];
    for (const form of forms) {
      const r = opened.search.resolve(form);
      expect(r.kind, form).toBe('found');
      if (r.kind === 'found') expect(r.paper.id).toBe(id);
    }
    expect(opened.search.resolve('2901.99999').kind).toBe('none');
  });

  it('finds a paper by exact title, in any case and spacing', () => {
    const r = opened.search.resolve(`  ${target.title.toUpperCase()} `);
    expect(r.kind === 'found' && r.paper.id).toBe(target.arxivId);
  });

  it('finds a paper from a title fragment and from a title with a typo', () => {
    const words = target.title.split(' ');
    const fragment = words.slice(1, 5).join(' ');
    const r = opened.search.resolve(fragment);
    const ids =
      r.kind === 'found' ? [r.paper.id] : r.kind === 'choice' ? r.candidates.map((p) => p.id) : [];
    expect(ids).toContain(target.arxivId);
    const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
    const typo = target.title.replace(longest, longest.slice(0, 2) + longest.slice(3));
    const fuzzy = opened.search.resolve(typo);
    const fuzzyIds =
      fuzzy.kind === 'found'
        ? [fuzzy.paper.id]
        : fuzzy.kind === 'choice'
          ? fuzzy.candidates.map((p) => p.id)
          : [];
    expect(fuzzyIds).toContain(target.arxivId);
  });

  it('an ambiguous fragment gives a choice of at most 25, never a guess', () => {
    const r = opened.search.resolve('learning');
    expect(r.kind).toBe('choice');
    if (r.kind === 'choice') {
      expect(r.candidates.length).toBeGreaterThan(1);
      expect(r.candidates.length).toBeLessThanOrEqual(25);
    }
  });

  it('suggest returns at most 25 titles, those starting with the text first', () => {
    const start = target.title.slice(0, 12);
    const titles = opened.search.suggest(start);
    expect(titles[0]?.title.toLowerCase().startsWith(start.toLowerCase())).toBe(true);
    expect(opened.search.suggest('a', 99).length).toBeLessThanOrEqual(25);
    expect(opened.search.suggest('')).toEqual([]);
  });
});

// The title index holds the first 16 characters of a title key (migration 7): titles alike
// that far must still be told apart, found exactly and suggested in alphabetical order.
describe('titles alike in their first 16 characters', () => {
  const paper = (id: string, title: string): PaperRecord =>
    record({ arxivId: id, version: null, title, abstract: `About ${title}.` });
  let opened: Opened;
  beforeAll(async () => {
    opened = await openWith([
      paper('2501.00003', 'Deep Learning for Cats'),
      paper('2501.00001', 'Deep Learning for Apes'),
      paper('2501.00002', 'Deep learning for birds'),
      paper('2501.00004', 'Deep Learning Fo'),
    ]);
  });
  afterAll(async () => opened.close());

  it('finds each by its exact title', () => {
    for (const [id, title] of [
      ['2501.00002', 'deep learning for BIRDS'],
      ['2501.00004', 'Deep learning fo'],
    ]) {
      const r = opened.search.resolve(title as string);
      expect(r.kind === 'found' && r.paper.id, title).toBe(id);
    }
  });

  it('suggests them in alphabetical order, shorter first', () => {
    const ids = (prefix: string) => opened.search.suggest(prefix).map((s) => s.id);
    expect(ids('deep learning f').slice(0, 4)).toEqual([
      '2501.00004',
      '2501.00001',
      '2501.00002',
      '2501.00003',
    ]);
    expect(ids('Deep learning for b')[0]).toBe('2501.00002');
  });
});
