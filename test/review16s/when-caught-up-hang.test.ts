import { afterEach, expect, it, vi } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { openPaperSearch } from '../../src/core/search/paper-search.js';
import { SqliteStore } from '../../src/core/store/sqlite-store.js';
import { fixturePapers, NOW } from '../core/search/search-fixtures.js';

afterEach(() => {
  vi.useRealTimers();
});

/**
 * whenCaughtUp (the search bench waits on it before its query rows) settles only when the
 * background catch-up ends; a catch-up step that keeps failing outside the archive sync (here
 * the word list's read) is logged and retried every second forever, so the bench hangs
 * silently (its logger is silent) instead of failing with the cause.
 */
it('whenCaughtUp settles (rejects with the cause) when the catch-up keeps failing, instead of hanging', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'setImmediate', 'clearTimeout'] });
  const clock = manualClock(NOW);
  const store = SqliteStore.open(':memory:');
  store.upsertPapers(fixturePapers().slice(0, 5), clock.now());
  const search = await openPaperSearch({ store, clock, logger: silentLogger() });
  // The word list cannot be read (a damaged or foreign archive): every catch-up turn fails.
  store.db.exec('DROP TABLE papers_words_vocab');
  let settled = false;
  const waiting = search.whenCaughtUp().then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  await vi.advanceTimersByTimeAsync(60_000); // sixty retries
  const settledInTime = settled;
  const closing = search.close();
  await vi.advanceTimersByTimeAsync(2_000);
  await closing;
  await vi.advanceTimersByTimeAsync(2_000);
  await waiting;
  store.close();
  expect(settledInTime).toBe(true);
});
