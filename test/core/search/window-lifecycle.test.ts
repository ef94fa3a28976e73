import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { PaperRecord } from '../../../src/core/paper.js';
import { openPaperSearch } from '../../../src/core/search/paper-search.js';
import { SqliteStore, storeFile } from '../../../src/core/store/sqlite-store.js';
import { corpusSlice } from './corpus-slice.js';
import { NOW, tempDir } from './search-fixtures.js';

function robotPaper(n: number): PaperRecord {
  return {
    arxivId: `2512.${String(90000 + n)}`,
    version: 1,
    title: `Quokkabot ${n}: a marsupial robot for zebrafish husbandry`,
    abstract: 'We present Quokkabot, a robot that tends zebrafish tanks.',
    authors: ['Zoë Ångström'],
    authorCount: 1,
    publishedAt: '2025-12-12',
    source: 'jsonl',
    links: {},
    upvotes: null,
    comments: null,
    keywords: [],
    categories: ['cs.RO'],
    comment: null,
    observedAt: NOW,
  };
}

describe('window persistence and updates', () => {
  const dirs: Array<{ remove(): void }> = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.remove();
  });

  async function open(dir: string) {
    const clock = manualClock(NOW);
    const store = SqliteStore.open(storeFile(dir));
    const search = await openPaperSearch({
      store,
      dataDir: dir,
      clock,
      logger: silentLogger(),
      windowDays: 7,
      windowMax: 300,
    });
    return { store, search, clock };
  }

  it('restart with an unchanged store loads the window; a change behind its back rebuilds it', async () => {
    const temp = tempDir();
    dirs.push(temp);
    const first = await open(temp.dir);
    first.store.upsertPapers((await corpusSlice()).slice(0, 400), first.clock.now());
    await first.search.refresh();
    expect(first.search.stats.windowBuilds).toBeGreaterThanOrEqual(1);
    const before = first.search
      .search('robot learning', { pageSize: 5 })
      .hits.map((h) => h.paper.id);
    await first.search.close();
    first.store.close();

    const second = await open(temp.dir);
    expect(second.search.stats).toMatchObject({ windowLoads: 1, windowBuilds: 0, windowSize: 300 });
    expect(
      second.search.search('robot learning', { pageSize: 5 }).hits.map((h) => h.paper.id),
    ).toEqual(before);
    await second.search.close();
    // Written while no search was listening: neither the archive nor the window know it.
    second.store.upsertPapers([robotPaper(1)], second.clock.now());
    second.store.close();

    const third = await open(temp.dir);
    expect(third.search.stats.windowLoads).toBe(0);
    // Answered at once, before any refresh: never stale.
    expect(third.search.search('quokkabot').hits.map((h) => h.paper.id)).toEqual(['2512.90001']);
    await third.search.refresh();
    expect(third.search.stats.windowBuilds).toBe(1);
    expect(third.search.search('quokkabot').hits.map((h) => h.paper.id)).toEqual(['2512.90001']);
    await third.search.close();
    third.store.close();
  }, 60_000);

  it('new papers are searchable with their transaction, then move into the rebuilt window', async () => {
    const temp = tempDir();
    dirs.push(temp);
    const { store, search, clock } = await open(temp.dir);
    store.upsertPapers((await corpusSlice()).slice(0, 200), clock.now());
    await search.refresh();
    const builds = search.stats.windowBuilds;
    store.upsertPapers([robotPaper(2)], clock.now());
    // The hook indexed it in the archive inside the store's transaction.
    expect(search.search('quokkabot').hits.map((h) => h.paper.id)).toEqual(['2512.90002']);
    expect(search.search('Angstrom', { author: 'zoe' }).total).toBe(1);
    await search.refresh();
    expect(search.stats.windowBuilds).toBe(builds + 1);
    expect(search.search('quokkabot').hits.map((h) => h.paper.id)).toEqual(['2512.90002']);
    // Bulk ingest: live indexing off, then one catch-up.
    search.setLiveIndexing(false);
    store.upsertPapers([robotPaper(3), robotPaper(4)], clock.now());
    await search.refresh();
    search.setLiveIndexing(true);
    expect(search.search('quokkabot').total).toBe(3);
    // Off the request path: queries keep being answered while everything is rebuilt.
    const rebuilding = search.rebuildAll();
    expect(search.stats.archiveRebuilds).toBe(0);
    expect(search.search('quokkabot').total).toBe(3);
    await rebuilding;
    expect(search.stats.archiveRebuilds).toBe(1);
    expect(search.search('quokkabot').total).toBe(3);
    expect(search.search('marsupial robot', { since: '2026-01-01' }).total).toBe(0);
    await search.close();
    store.close();
  }, 60_000);
});
