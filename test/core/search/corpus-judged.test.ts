import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { PaperRecord } from '../../../src/core/paper.js';
import { type MergedPaperSearch, openPaperSearch } from '../../../src/core/search/paper-search.js';
import { foldText, STOP_WORDS, tokenise } from '../../../src/core/search/text.js';
import { SqliteStore } from '../../../src/core/store/sqlite-store.js';
import { corpusSlice, seeded } from './corpus-slice.js';
import { NOW } from './search-fixtures.js';

/** A fragment of 3–4 consecutive title words with at least two content words. */
function fragmentOf(title: string, random: () => number): string | null {
  const words = title.split(/\s+/).filter((w) => tokenise(w).length > 0);
  if (words.length < 5) return null;
  const length = 3 + Math.floor(random() * 2);
  const start = Math.floor(random() * (words.length - length + 1));
  const picked = words.slice(start, start + length);
  const content = picked.flatMap(tokenise).filter((w) => !STOP_WORDS.has(w) && w.length > 2);
  return content.length >= 2 ? picked.join(' ') : null;
}

function isRobotPaper(p: { title: string; abstract: string }): boolean {
  return /robot/i.test(`${p.title} ${p.abstract}`);
}

interface Judged {
  recallAt3: number;
  checks: Record<string, boolean>;
}

describe('judged queries on a seeded 5,000-paper corpus slice', () => {
  let papers: PaperRecord[];
  let store: SqliteStore;
  const clock = manualClock(NOW);
  const fragments: Array<{ id: string; fragment: string }> = [];
  let diacriticAuthor: { id: string; name: string } | null = null;

  beforeAll(async () => {
    papers = await corpusSlice();
    store = SqliteStore.open(':memory:');
    store.upsertPapers(papers, clock.now());
    const random = seeded(7);
    for (const p of papers) {
      if (fragments.length >= 100) break;
      if (random() > 0.025 || !p.arxivId) continue;
      const fragment = fragmentOf(p.title, random);
      if (fragment) fragments.push({ id: p.arxivId, fragment });
    }
    for (const p of papers) {
      const name = p.authors.find((a) => /[À-ž]/.test(a.split(' ').at(-1) ?? ''));
      if (name && p.arxivId) {
        diacriticAuthor = { id: p.arxivId, name };
        break;
      }
    }
  }, 60_000);

  afterAll(() => store.close());

  async function judge(windowMax: number, judged = fragments): Promise<Judged> {
    const search: MergedPaperSearch = await openPaperSearch({
      store,
      dataDir: null,
      clock,
      logger: silentLogger(),
      windowDays: 30,
      windowMax,
    });
    try {
      await search.refresh();
      expect(search.stats.windowSize).toBe(Math.min(windowMax, papers.length));
      let found = 0;
      for (const { id, fragment } of judged) {
        const top = search.search(fragment, { pageSize: 3 }).hits.map((h) => h.paper.id);
        if (top.includes(id)) found++;
      }
      const robots = (q: string) => {
        const hits = search.search(q, { pageSize: 10 }).hits;
        return hits.length === 10 && hits.filter((h) => isRobotPaper(h.paper)).length >= 9;
      };
      const author = diacriticAuthor as { id: string; name: string };
      const surname = author.name.split(' ').at(-1) ?? '';
      const foundBy = (q: string, opts = {}) =>
        search.search(q, { pageSize: 50, ...opts }).hits.some((h) => h.paper.id === author.id);
      return {
        recallAt3: found / judged.length,
        checks: {
          robtics: robots('robtics'),
          roboti: robots('roboti'),
          robotics: robots('robotics'),
          'the robot': robots('the robot'),
          authorWithDiacritic: foundBy(surname),
          authorFolded: foundBy(foldText(surname)),
          authorOption:
            foundBy(author.name.split(' ')[0] ?? '', { author: foldText(surname) }) ||
            foundBy(tokenise(papers.find((p) => p.arxivId === author.id)?.title ?? '')[0] ?? '', {
              author: foldText(surname),
            }),
        },
      };
    } finally {
      await search.close();
    }
  }

  it('has at least 50 title fragments and an author with a diacritic to judge', () => {
    expect(fragments.length).toBeGreaterThanOrEqual(50);
    expect(diacriticAuthor).not.toBeNull();
    expect(foldText(diacriticAuthor?.name ?? '')).not.toBe(
      (diacriticAuthor?.name ?? '').toLowerCase(),
    );
  });

  const ALL_PASS = {
    robtics: true,
    roboti: true,
    robotics: true,
    'the robot': true,
    authorWithDiacritic: true,
    authorFolded: true,
    authorOption: true,
  };

  // Rows are first seen in insertion order, so the window holds the newest `windowMax`.
  it('passes the same judged queries at the same rate: all in the archive, split, or all in the window', async () => {
    const archiveOnly = await judge(0);
    const split = await judge(1000);
    const windowOnly = await judge(papers.length);
    for (const judged of [archiveOnly, split, windowOnly]) {
      expect(judged.recallAt3).toBeGreaterThanOrEqual(0.85);
      expect(judged.checks).toEqual(ALL_PASS);
      expect(Math.abs(archiveOnly.recallAt3 - judged.recallAt3)).toBeLessThanOrEqual(0.05);
    }
  }, 180_000);

  it('the titles held by the window are found as well from the window as from the archive', async () => {
    const inWindow = store.papersSeenSince(new Date(0), { limit: 1000, includeSample: true });
    const random = seeded(11);
    const windowFragments = inWindow.flatMap((p) => {
      const fragment = random() < 0.06 ? fragmentOf(p.title, random) : null;
      return fragment ? [{ id: p.id, fragment }] : [];
    });
    expect(windowFragments.length).toBeGreaterThanOrEqual(30);
    const fromArchive = await judge(0, windowFragments);
    const fromWindow = await judge(1000, windowFragments);
    expect(fromWindow.recallAt3).toBeGreaterThanOrEqual(0.85);
    expect(Math.abs(fromArchive.recallAt3 - fromWindow.recallAt3)).toBeLessThanOrEqual(0.05);
  }, 120_000);
});
