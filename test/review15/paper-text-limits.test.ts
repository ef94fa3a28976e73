import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresPaperSearch } from '../../src/core/store/postgres/paper-search.js';
import { PostgresStore } from '../../src/core/store/postgres/postgres-store.js';
import { record } from '../core/store/records.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

// Review 15: PostgreSQL's tsvector holds at most 1 MB; the archive's search_vector is a
// generated column, computed in the INSERT of every paper. SQLite's FTS5 has no such limit.

let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describe('a feed batch holding one paper with an enormous abstract', () => {
  it('stores the batch’s other papers (the SQLite store stores them all)', async () => {
    const store = await PostgresStore.open(await server.createDatabase('limits'));
    try {
      await PostgresPaperSearch.open(store.db);
      // ~1 MB of distinct words: a broken feed item, a pasted data dump in an HF summary.
      const dump = Array.from({ length: 160_000 }, (_, i) => `w${i.toString(36)}x`).join(' ');
      const outcome = await store
        .upsertPapers(
          [
            record({ arxivId: '2501.00001', title: 'An ordinary paper' }),
            record({ arxivId: '2501.00002', title: 'A paper with a dump', abstract: dump }),
          ],
          new Date('2025-01-10T00:00:00Z'),
        )
        .catch((error: unknown) => error);
      // Today: "string is too long for tsvector (1597408 bytes, max 1048575 bytes)" and the
      // whole batch rolls back, at every poll while the item stays in the feed.
      expect(outcome).not.toBeInstanceOf(Error);
      expect(await store.getPaper('2501.00001')).not.toBeNull();
    } finally {
      await store.close();
    }
  }, 60_000);
});
