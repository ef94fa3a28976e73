import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureArchive, syncArchive } from '../../../src/core/search/archive.js';
import { ArchiveQueries, candidatesFor, fuse } from '../../../src/core/search/archive-query.js';
import { SqliteStore } from '../../../src/core/store/sqlite-store.js';
import { fixturePapers, NOW } from './search-fixtures.js';

describe('archive queries', () => {
  let store: SqliteStore;
  let archive: ArchiveQueries;
  const none = { since: null, author: null };
  beforeAll(() => {
    store = SqliteStore.open(':memory:');
    store.upsertPapers(fixturePapers(), new Date(NOW));
    ensureArchive(store.db);
    store.db.exec('CREATE TEMP TABLE IF NOT EXISTS search_window_ids (rowid INTEGER PRIMARY KEY)');
    syncArchive(store.db);
    archive = new ArchiveQueries(store.db);
  });
  afterAll(() => store.close());

  it('ranks a broad match newest first, title matches ahead of the rest', () => {
    const titled = archive.top('title : ("robot")', none, 100).map((h) => h.rowid);
    const all = archive.count('("robot")', none);
    const hits = archive.newest('title : ("robot")', '("robot")', none, 100);
    expect(hits).toHaveLength(all);
    const head = hits.slice(0, titled.length).map((h) => h.rowid);
    expect(new Set(head)).toEqual(new Set(titled));
    expect(head).toEqual([...head].sort((a, b) => b - a));
    for (let i = 1; i < hits.length; i++)
      expect(hits[i - 1]?.score).toBeGreaterThan(hits[i]?.score ?? 0);
  });

  it('fusion sums each list, breaks ties by the newer day, and pages deep enough', () => {
    const day = (r: number) => (r === 1 ? '2025-01-01' : '2025-12-01');
    const ranked = fuse(
      [[{ rowid: 1, score: 9 }], [{ rowid: 2, score: 9 }]],
      day,
      new Date('2026-06-01'),
    );
    expect(ranked.map((h) => h.rowid)).toEqual([2, 1]);
    const both = fuse(
      [
        [{ rowid: 1, score: 1 }],
        [
          { rowid: 2, score: 1 },
          { rowid: 1, score: 1 },
        ],
      ],
      day,
      new Date(NOW),
    );
    expect(both[0]?.rowid).toBe(1);
    expect(candidatesFor(10)).toBeGreaterThan(10);
  });
});
