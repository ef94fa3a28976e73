import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaperRecord } from '../../../src/core/paper.js';
import { foldText, STOP_WORDS, tokenise } from '../../../src/core/search/text.js';
import { searchPostgres } from '../../../src/core/store/postgres/archive-search.js';
import { PoolDb } from '../../../src/core/store/postgres/db.js';
import { ensurePgArchive } from '../../../src/core/store/postgres/full-text-build.js';
import { PostgresStore } from '../../../src/core/store/postgres/postgres-store.js';
import { startPostgres, type TestPostgres } from '../../support/postgres.js';
import { corpusSlice, seeded } from '../search/corpus-slice.js';

/**
 * The judged search cases of test/core/search/corpus-judged.test.ts, on PostgreSQL's full
 * text over the same seeded 5,000-paper slice. (Until search is async on both backends the
 * two files run the same cases separately; they become one suite when it is.)
 */
const PAGE = 5;
const DRAWN = 200;

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

const isRobotPaper = (p: { title: string; abstract: string }) =>
  /robot/i.test(`${p.title} ${p.abstract}`);

let server: TestPostgres;
let pool: pg.Pool;
let db: PoolDb;
let papers: PaperRecord[];
const drawn: PaperRecord[] = [];

beforeAll(async () => {
  papers = await corpusSlice();
  server = await startPostgres();
  const url = await server.createDatabase('judged');
  const store = await PostgresStore.open(url);
  for (let i = 0; i < papers.length; i += 1000)
    await store.upsertPapers(papers.slice(i, i + 1000), new Date('2025-12-12T00:00:00Z'));
  await store.close();
  pool = server.pool(url);
  db = new PoolDb(pool);
  await ensurePgArchive(db);
  const random = seeded(16);
  const candidates = papers.filter((p) => p.arxivId && threeWords(p.title, () => 0) !== null);
  while (drawn.length < DRAWN) {
    const [p] = candidates.splice(Math.floor(random() * candidates.length), 1);
    if (p) drawn.push(p);
  }
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

const firstPage = async (query: string) =>
  (await searchPostgres(db, query, { pageSize: PAGE })).hits.map((h) => h.paper.id);

describe('judged queries on PostgreSQL full text (the seeded 5,000-paper slice)', () => {
  it('three content words of a title put the paper on the first page in at least 98% of 200', async () => {
    const random = seeded(98);
    const misses: string[] = [];
    for (const p of drawn) {
      const query = threeWords(p.title, random) as string;
      if (!(await firstPage(`${query} `)).includes(p.arxivId as string))
        misses.push(`${query} → ${p.title}`);
    }
    expect(misses.length / DRAWN, misses.join('\n')).toBeLessThanOrEqual(0.02);
  });

  it('the paper whose title is exactly the query ranks first, for all 200', async () => {
    const wrong: string[] = [];
    for (const p of drawn) if ((await firstPage(p.title))[0] !== p.arxivId) wrong.push(p.title);
    expect(wrong).toEqual([]);
  });

  it('typos, prefixes, stop words and folded author names still find their papers', async () => {
    const robots = async (q: string) => {
      const hits = (await searchPostgres(db, q, { pageSize: 10 })).hits;
      return hits.length === 10 && hits.filter((h) => isRobotPaper(h.paper)).length >= 9;
    };
    const failing: string[] = [];
    for (const q of ['robtics', 'roboti', 'robotics', 'the robot'])
      if (!(await robots(q))) failing.push(q);
    expect(failing).toEqual([]);
    const author = papers.find((p) =>
      p.authors.some((a) => /[À-ž]/.test(a.split(' ').at(-1) ?? '')),
    );
    const name = author?.authors.find((a) => /[À-ž]/.test(a.split(' ').at(-1) ?? '')) ?? '';
    const surname = name.split(' ').at(-1) ?? '';
    expect(foldText(surname)).not.toBe(surname.toLowerCase());
    const foundBy = async (q: string) =>
      (await searchPostgres(db, q, { pageSize: 50 })).hits.some(
        (h) => h.paper.id === author?.arxivId,
      );
    expect(await foundBy(surname)).toBe(true);
    expect(await foundBy(foldText(surname))).toBe(true);
  });
});
