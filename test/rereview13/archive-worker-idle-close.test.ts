import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import { ensureArchive } from '../../src/core/search/archive.js';
import { ArchiveWorker } from '../../src/core/search/archive-worker.js';
import { SqliteStore, storeFile } from '../../src/core/store/sqlite-store.js';
import { fixturePapers, NOW, tempDir } from '../core/search/search-fixtures.js';

/**
 * Re-review 13 (archive-worker.ts, merged from spawn-worker.ts today; the race is older). An
 * idle worker is let go by a timer that calls `close()` without waiting (`void this.close()`);
 * `close()` forgets the thread at once and terminates it, and its 'exit' event comes a moment
 * later. A job asked for in between starts a new thread, but the old thread's 'exit' handler
 * rejects every queued job, the new thread's included ("archive worker exited with code 1"),
 * and the new thread's answer then goes to whichever job is queued next. Such a job is a
 * tick's `search.refresh()` (no SQLite code: `stepOrRetryNextTick` rethrows it and the whole
 * tick, health and digests, is aborted) or a digest plan's (the run turns `retrying`).
 */
describe('rereview13: a job asked for while the idle worker is being let go', () => {
  const dirs: Array<{ remove(): void }> = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.remove();
  });

  it('is answered by the new thread, not rejected by the old one exiting', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const store = SqliteStore.open(storeFile(dir.dir));
    ensureArchive(store.db);
    const papers = fixturePapers();
    store.upsertPapers(papers.slice(0, 5), manualClock(NOW).now());
    const worker = new ArchiveWorker(storeFile(dir.dir));
    try {
      expect((await worker.sync()).rows).toBe(5);
      // What the idle timer does: `setTimeout(() => void this.close(), IDLE_MS)`.
      void worker.close();
      store.upsertPapers(papers.slice(5, 8), manualClock(NOW).now());
      const outcome = await worker.sync().then(
        (result) => `indexed ${result.rows}`,
        (error: Error) => `rejected: ${error.message}`,
      );
      expect(outcome).toBe('indexed 3');
    } finally {
      await worker.close();
      store.close();
    }
  }, 60_000);
});
