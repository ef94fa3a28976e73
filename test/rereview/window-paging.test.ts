import { describe, expect, it } from 'vitest';
import {
  DigestRunCache,
  digestWindow,
  selectChannelDigest,
} from '../../src/core/digest/candidates.js';
import { asyncStore } from '../../src/core/store/async-store.js';
import { SqliteStore } from '../../src/core/store/sqlite-store.js';
import { record } from '../core/store/records.js';

// Several instances: one instance's digest tick reads a window's candidates a page at a
// time (OFFSET paging in digest order, upvotes first) while another instance's poll updates
// a paper of that window (Hugging Face lists an arXiv paper: its upvotes go from null to a
// count, so it moves from the tail to the head of the order). Within one process polling and
// digests are sequential, so the order never changed between two pages of one tick.
const POLLED = new Date('2025-12-12T02:00:00.000Z');
const WINDOW = digestWindow(
  new Date('2025-12-12T00:00:00.000Z'),
  new Date('2025-12-12T09:00:00.000Z'),
  7,
);
const id = (i: number) => `2512.${String(i).padStart(5, '0')}`;
const TARGET = id(300);

async function windowOf300() {
  const store = asyncStore(SqliteStore.open(':memory:'));
  const records = Array.from({ length: 300 }, (_, k) =>
    record({
      arxivId: id(k + 1),
      title: `Paper ${k + 1} on ${k + 1 === 300 ? 'proteins' : 'graphs'}`,
      publishedAt: '2025-12-11',
      observedAt: POLLED.toISOString(),
    }),
  );
  await store.upsertPapers(records, POLLED);
  return store;
}

describe('a window read a page at a time while another instance updates upvotes', () => {
  it('still holds every paper of the window (none skipped between two pages)', async () => {
    const store = await windowOf300();
    const cache = new DigestRunCache();
    const set = cache.prefix(WINDOW);
    // First channel of the tick: the first page (256) is enough for it.
    await cache.readMore(store, WINDOW, set);
    expect(set.list.map((c) => c.id)).not.toContain(TARGET);
    // Meanwhile another instance's poll: HF daily lists the paper with upvotes (same row).
    await store.upsertPapers(
      [
        record({
          arxivId: TARGET,
          title: 'Paper 300 on proteins',
          source: 'huggingface',
          upvotes: 40,
          publishedAt: '2025-12-11',
          observedAt: '2025-12-12T08:30:00.000Z',
        }),
      ],
      new Date('2025-12-12T08:30:00.000Z'),
    );
    // A later channel of the same tick needs the whole window.
    const whole = await cache.window(store, WINDOW);
    const ids = whole.list.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(TARGET);
  });

  it('a channel whose topic matches only that paper gets it in its digest', async () => {
    const store = await windowOf300();
    const cache = new DigestRunCache();
    const matchTopic = async (topic: string, ids: string[]) =>
      ids
        .filter((i) => (topic === 'proteins' ? i === TARGET : i !== TARGET))
        .map((paperId) => ({ paperId, score: 1, matchedTerms: [topic] }));
    // Channel 1 (graphs): its digest fills from the first page.
    await selectChannelDigest({
      store,
      search: { matchTopic },
      cache,
      window: WINDOW,
      topics: ['graphs'],
      size: 10,
      perTopic: 10,
    });
    await store.upsertPapers(
      [
        record({
          arxivId: TARGET,
          title: 'Paper 300 on proteins',
          source: 'huggingface',
          upvotes: 40,
          publishedAt: '2025-12-11',
          observedAt: '2025-12-12T08:30:00.000Z',
        }),
      ],
      new Date('2025-12-12T08:30:00.000Z'),
    );
    // Channel 2 (proteins), same window, same tick: its only paper is the one that moved.
    const selection = await selectChannelDigest({
      store,
      search: { matchTopic },
      cache,
      window: WINDOW,
      topics: ['proteins'],
      size: 10,
      perTopic: 10,
    });
    expect(selection.paperIds).toContain(TARGET);
  });
});
