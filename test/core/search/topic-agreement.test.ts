import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/core/clock.js';
import {
  DigestRunCache,
  digestWindow,
  selectChannelDigest,
} from '../../../src/core/digest/candidates.js';
import { silentLogger } from '../../../src/core/logger.js';
import { type ArchivePaperSearch, openPaperSearch } from '../../../src/core/search/paper-search.js';
import { asyncSearch } from '../../../src/core/store/async-search.js';
import { asyncStore } from '../../../src/core/store/async-store.js';
import { SqliteStore } from '../../../src/core/store/sqlite-store.js';
import { corpusSlice } from './corpus-slice.js';

const TOPICS = [
  'robot learning',
  'diffusion models',
  'large language models',
  'robtics',
  '"reinforcement learning"',
  'segmentation -medical',
  'galaxy',
  'the transformer',
];

/** subscribe's preview (countTopicMatches) and the digest (matchTopic) are one matcher. */
describe("the digest's topic matching and subscribe's preview agree", () => {
  const clock = manualClock('2026-01-01T00:00:00.000Z');
  let store: SqliteStore;
  let search: ArchivePaperSearch;
  const since = new Date('2026-01-05T00:00:00.000Z');
  // The corpus papers are old arXiv papers: an age limit of a century lets them all in.
  const digestRange = () => digestWindow(since, clock.now(), 36_500);

  beforeAll(async () => {
    const papers = (await corpusSlice()).slice(0, 3000);
    store = SqliteStore.open(':memory:');
    search = await openPaperSearch({ store, clock, logger: silentLogger() });
    store.upsertPapers(papers.slice(0, 1500), clock.now());
    clock.set('2026-01-06T00:00:00.000Z');
    store.upsertPapers(papers.slice(1500), clock.now());
    await search.refresh();
  }, 60_000);
  afterAll(async () => {
    await search.close();
    store.close();
  });

  it('for each topic: the preview counts exactly the papers the digest matches among the new ones', async () => {
    const cache = new DigestRunCache();
    const range = digestRange();
    const window = await cache.window(asyncStore(store), range);
    expect(window.list.length).toBe(1500);
    let matched = 0;
    for (const topic of TOPICS) {
      const digest = (await cache.topicHits(asyncSearch(search), range, topic, window)).matches;
      expect(new Set(digest.map((m) => m.paperId)).size, topic).toBe(digest.length);
      expect(search.countTopicMatches(topic, since), topic).toBe(digest.length);
      matched += digest.length;
    }
    expect(matched).toBeGreaterThan(50);
  });

  it('a digest built from those matches lists only papers the preview counted', async () => {
    const cache = new DigestRunCache();
    const range = digestRange();
    const window = await cache.window(asyncStore(store), range);
    const selection = await selectChannelDigest({
      store: asyncStore(store),
      search: asyncSearch(search),
      cache,
      window: range,
      topics: ['robot learning'],
      size: 10,
      perTopic: 10,
    });
    const matched = new Set(
      search
        .matchTopic(
          'robot learning',
          window.list.map((p) => p.id),
        )
        .map((m) => m.paperId),
    );
    expect(selection.paperIds.length).toBe(Math.min(10, matched.size));
    for (const id of selection.paperIds) expect(matched.has(id)).toBe(true);
  });
});
