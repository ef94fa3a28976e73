import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaperRecord } from '../../../src/core/paper.js';
import { BROAD_MATCH } from '../../../src/core/search/archive-search.js';
import { foldText, STOP_WORDS, tokenise } from '../../../src/core/search/text.js';
import { corpusSlice, seeded } from './corpus-slice.js';
import { type Opened, openWith } from './search-fixtures.js';

/** The first page a user sees (`/papers search` shows 5 a page). */
const PAGE = 5;
const DRAWN = 200;

/** Three distinct content words of the title, in a seeded random order. */
function threeWords(title: string, random: () => number): string | null {
  const words = [...new Set(tokenise(title))].filter(
    (w) => !STOP_WORDS.has(w) && w.length > 2 && /^[a-z]+$/.test(w),
  );
  if (words.length < 3) return null;
  const picked: string[] = [];
  while (picked.length < 3) {
    const [w] = words.splice(Math.floor(random() * words.length), 1);
    if (w) picked.push(w);
  }
  return picked.join(' ');
}

function isRobotPaper(p: { title: string; abstract: string }): boolean {
  return /robot/i.test(`${p.title} ${p.abstract}`);
}

describe('judged queries on a seeded 5,000-paper slice of the shared corpus', () => {
  let papers: PaperRecord[];
  let opened: Opened;
  const drawn: PaperRecord[] = [];

  beforeAll(async () => {
    papers = await corpusSlice();
    opened = await openWith(papers);
    const random = seeded(16);
    const pool = papers.filter((p) => p.arxivId && threeWords(p.title, () => 0) !== null);
    while (drawn.length < DRAWN) {
      const [p] = pool.splice(Math.floor(random() * pool.length), 1);
      if (p) drawn.push(p);
    }
  }, 60_000);
  afterAll(async () => opened.close());

  const firstPage = (query: string) =>
    opened.search.search(query, { pageSize: PAGE }).hits.map((h) => h.paper.id);

  it('three content words of a title put the paper on the first page in at least 98% of 200', () => {
    const random = seeded(98);
    const misses: string[] = [];
    for (const p of drawn) {
      const query = threeWords(p.title, random) as string;
      if (!firstPage(`${query} `).includes(p.arxivId as string))
        misses.push(`${query} → ${p.title}`);
    }
    expect(misses.length / DRAWN, misses.join('\n')).toBeLessThanOrEqual(0.02);
  });

  it('the paper whose title is exactly the query ranks first, for all 200', () => {
    const wrong = drawn.filter((p) => firstPage(p.title)[0] !== p.arxivId).map((p) => p.title);
    expect(wrong).toEqual([]);
  });

  it('typos, prefixes, stop words and folded author names still find their papers', () => {
    const robots = (q: string) => {
      const hits = opened.search.search(q, { pageSize: 10 }).hits;
      return hits.length === 10 && hits.filter((h) => isRobotPaper(h.paper)).length >= 9;
    };
    expect(['robtics', 'roboti', 'robotics', 'the robot'].filter((q) => !robots(q))).toEqual([]);
    const author = papers.find((p) =>
      p.authors.some((a) => /[À-ž]/.test(a.split(' ').at(-1) ?? '')),
    );
    const name = author?.authors.find((a) => /[À-ž]/.test(a.split(' ').at(-1) ?? '')) ?? '';
    const surname = name.split(' ').at(-1) ?? '';
    expect(foldText(surname)).not.toBe(surname.toLowerCase());
    const foundBy = (q: string) =>
      opened.search.search(q, { pageSize: 50 }).hits.some((h) => h.paper.id === author?.arxivId);
    expect(foundBy(surname)).toBe(true);
    expect(foundBy(foldText(surname))).toBe(true);
  });

  it('counts matches up to BROAD_MATCH (or the page asked for): past it the total is a floor', () => {
    const exact = (match: string) =>
      opened.store.db
        .prepare('SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?')
        .pluck()
        .get(match) as number;
    const broad = exact('"model"');
    expect(broad).toBeGreaterThan(BROAD_MATCH + 1000);
    const first = opened.search.search('model ', { pageSize: 10 });
    expect(first).toMatchObject({ total: BROAD_MATCH, totalCapped: true });
    expect(first.pages).toBe(BROAD_MATCH / 10 + 1);
    const deep = opened.search.search('model ', { page: 250, pageSize: 10 });
    expect(deep).toMatchObject({ total: 2500, totalCapped: true });
    expect(deep.hits).toHaveLength(10);
    const last = Math.ceil(broad / 10);
    const end = opened.search.search('model ', { page: last, pageSize: 10 });
    expect(end.total).toBe(broad);
    expect(end.totalCapped).toBeUndefined();
    expect(end.hits).toHaveLength(broad - (last - 1) * 10);
    const narrow = opened.search.search('quantum ');
    expect(narrow.total).toBe(exact('"quantum"'));
    expect(narrow.totalCapped).toBeUndefined();
  });
});
