import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import { CATCH_UP_SLICE, openPaperSearch } from '../../../src/core/search/paper-search.js';
import { SqliteStore, storeFile } from '../../../src/core/store/sqlite-store.js';
import { corpusSlice } from './corpus-slice.js';
import { NOW, tempDir } from './search-fixtures.js';

describe('papers written elsewhere become searchable in the background', () => {
  const dirs: Array<{ remove(): void }> = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.remove();
  });

  /** Search over a store file in a fresh folder (removed after the test): the worker's path. */
  async function openOnFile() {
    const dir = tempDir();
    dirs.push(dir);
    const clock = manualClock(NOW);
    const store = SqliteStore.open(storeFile(dir.dir));
    const search = await openPaperSearch({
      store,
      dataDir: dir.dir,
      clock,
      logger: silentLogger(),
    });
    return { dir, clock, store, search };
  }

  it('another process’s 600 papers: answered at once from the archive as it is, found after refresh (worker)', async () => {
    const papers = (await corpusSlice()).slice(0, 620);
    const { dir, clock, store, search } = await openOnFile();
    await search.refresh(); // an empty store: nothing to do, and nothing left stuck
    store.upsertPapers(papers.slice(0, 20), clock.now());
    const target = papers[600];
    expect(search.resolve(papers[0]?.arxivId ?? '').kind).toBe('found');
    // A second connection, as `npm run ingest` in another process: no hook here.
    const other = SqliteStore.open(storeFile(dir.dir));
    other.upsertPapers(papers.slice(20), clock.now());
    other.close();
    expect(search.search(target?.title ?? '').hits[0]?.paper.id).not.toBe(target?.arxivId);
    await search.refresh();
    expect(search.search(target?.title ?? '').hits[0]?.paper.id).toBe(target?.arxivId);
    expect(search.stats.caughtUp).toBe(600);
    await search.close();
    store.close();
  }, 60_000);

  it('whenCaughtUp: after another process’s write, the archive and the word list hold every paper', async () => {
    const papers = (await corpusSlice()).slice(0, 300);
    const { dir, clock, store, search } = await openOnFile();
    await search.whenCaughtUp(); // an empty store resolves too
    const other = SqliteStore.open(storeFile(dir.dir));
    other.upsertPapers(papers, clock.now());
    other.close();
    await search.whenCaughtUp();
    expect(search.stats.caughtUp).toBe(300);
    // White-box: the word list typo candidates are checked against is loaded and complete.
    expect((search as unknown as { known: { ready: boolean } }).known.ready).toBe(true);
    await search.close();
    store.close();
  }, 60_000);

  it('a small batch is searchable when its write commits; a larger one is indexed after it, off the writer', async () => {
    const papers = (await corpusSlice()).slice(0, 20 + CATCH_UP_SLICE + 50);
    const clock = manualClock(NOW);
    const store = SqliteStore.open(':memory:');
    const search = await openPaperSearch({ store, clock, logger: silentLogger() });
    const first = (title: string) => search.search(title).hits[0]?.paper.id;
    store.upsertPapers(papers.slice(0, 20), clock.now());
    expect(first(papers[19]?.title ?? '')).toBe(papers[19]?.arxivId);
    const large = papers.slice(20);
    store.upsertPapers(large, clock.now());
    const last = large.at(-1);
    expect(search.stats.caughtUp).toBe(0);
    expect(first(last?.title ?? '')).not.toBe(last?.arxivId);
    await search.refresh();
    expect(first(last?.title ?? '')).toBe(last?.arxivId);
    expect(search.stats.caughtUp).toBe(large.length);
    await search.close();
    store.close();
  });

  it('opening answers at once: a backlog of a slice is indexed as search opens, a larger one after', async () => {
    const papers = (await corpusSlice()).slice(0, 40 + CATCH_UP_SLICE + 1);
    const dir = tempDir();
    dirs.push(dir);
    const clock = manualClock(NOW);
    const store = SqliteStore.open(storeFile(dir.dir));
    store.upsertPapers(papers.slice(0, 40), clock.now());
    const first = (
      s: { search(q: string): { hits: Array<{ paper: { id: string } }> } },
      i: number,
    ) => s.search(papers[i]?.title ?? '').hits[0]?.paper.id;
    const small = await openPaperSearch({ store, clock, logger: silentLogger() });
    expect(first(small, 39)).toBe(papers[39]?.arxivId);
    await small.close();
    // Written with search closed (no hook): more than a slice behind when it opens again.
    store.upsertPapers(papers.slice(40), clock.now());
    const large = await openPaperSearch({ store, clock, logger: silentLogger() });
    expect(large.stats.caughtUp).toBe(0);
    expect(first(large, papers.length - 1)).not.toBe(papers.at(-1)?.arxivId);
    expect(first(large, 39)).toBe(papers[39]?.arxivId);
    await large.refresh();
    expect(first(large, papers.length - 1)).toBe(papers.at(-1)?.arxivId);
    await large.close();
    store.close();
  }, 60_000);
});
