import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { openPaperSearch } from '../../src/core/search/paper-search.js';
import { SqliteStore, storeFile } from '../../src/core/store/sqlite-store.js';
import { corpusSlice } from '../core/search/corpus-slice.js';
import { NOW, tempDir } from '../core/search/search-fixtures.js';

/**
 * With rebuildAll gone, an archive-version upgrade is the one path that re-indexes
 * everything: open drops the older archive and the catch-up refills it (worker for a file,
 * slices for :memory:). Nothing else in the suite drives that path. Search is closed and
 * reopened on the same connection, so the store's per-connection statement cache holds
 * statements prepared on the tables the upgrade drops.
 */
describe('an archive-version upgrade re-indexes every paper through the catch-up', () => {
  const dirs: Array<{ remove(): void }> = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.remove();
  });

  async function upgradeOn(store: SqliteStore, dataDir: string | null, count: number) {
    const papers = (await corpusSlice()).slice(0, count + 1);
    const clock = manualClock(NOW);
    store.upsertPapers(papers.slice(0, count), clock.now());
    const options = { store, dataDir, clock, logger: silentLogger() };
    let search = await openPaperSearch(options);
    await search.whenCaughtUp();
    const target = papers[count - 10];
    expect(search.search(target?.title ?? '').hits[0]?.paper.id).toBe(target?.arxivId);
    await search.close();
    // An older layout: a stale title for a rowid no paper has must not survive the upgrade.
    store.db.exec("INSERT INTO papers_titles(rowid, title) VALUES (999999, 'zyzzyva quuxination')");
    store.db.exec("UPDATE search_meta SET value = '1' WHERE key = 'version'");
    search = await openPaperSearch(options);
    expect(search.search(target?.title ?? '').hits[0]?.paper.id).not.toBe(target?.arxivId);
    await search.whenCaughtUp();
    expect(search.stats.caughtUp).toBe(count);
    expect(search.search(target?.title ?? '').hits[0]?.paper.id).toBe(target?.arxivId);
    expect(search.suggest('zyzzyva')).toEqual([]);
    const rows = (table: string) =>
      store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    expect([rows('papers_fts'), rows('papers_titles'), rows('papers_words')]).toEqual([
      count,
      count,
      count,
    ]);
    expect((search as unknown as { known: { ready: boolean } }).known.ready).toBe(true);
    // Cached statements still work after the drop: a small write is searchable at commit.
    const extra = papers[count];
    store.upsertPapers(extra ? [extra] : [], clock.now());
    expect(search.search(extra?.title ?? '').hits[0]?.paper.id).toBe(extra?.arxivId);
    await search.close();
  }

  it(':memory: (slices on the event loop)', async () => {
    const store = SqliteStore.open(':memory:');
    await upgradeOn(store, null, 450);
    store.close();
  }, 60_000);

  it('a file store (the worker, whose own connection re-checks the version per job)', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const store = SqliteStore.open(storeFile(dir.dir));
    await upgradeOn(store, dir.dir, 650);
    store.close();
  }, 60_000);
});
