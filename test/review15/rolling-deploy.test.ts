import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_ARCHIVE_VERSION } from '../../src/core/store/postgres/full-text-build.js';
import { PostgresPaperSearch } from '../../src/core/store/postgres/paper-search.js';
import { PostgresStore } from '../../src/core/store/postgres/postgres-store.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

// Review 15: a rolling deploy runs an old and a new Paperboy on one database. The schema
// refuses a newer database (STORE_TOO_NEW); the shared full-text archive does not.

let server: TestPostgres;
let url = '';
beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('rolling');
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describe('an older instance (re)starting beside a newer one', () => {
  it('leaves a full-text archive built by a newer Paperboy alone (no downgrade rebuild)', async () => {
    const store = await PostgresStore.open(url);
    try {
      await PostgresPaperSearch.open(store.db);
      // The newer instance of the deploy built its archive (version + 1) over the shared table.
      await server.admin(url, "UPDATE search_meta SET value = $1 WHERE key = 'version'", [
        String(PG_ARCHIVE_VERSION + 1),
      ]);
      const before = await server.admin(
        url,
        "SELECT attnum FROM pg_attribute WHERE attrelid = 'papers'::regclass AND attname = 'search_vector'",
      );
      // An old instance restarts mid-deploy (crash loop, scale-up): it opens search...
      await PostgresPaperSearch.open(store.db).catch(() => undefined);
      // ...and must not have dropped and rebuilt the newer archive as its own older version
      // (DROP … CASCADE of the column and index, a full tsvector recompute under an ACCESS
      // EXCLUSIVE lock on papers, after which the newer instances rebuild it back, and so on).
      const version = await server.admin(
        url,
        "SELECT value FROM search_meta WHERE key = 'version'",
      );
      expect(version.rows[0]?.value).toBe(String(PG_ARCHIVE_VERSION + 1));
      const after = await server.admin(
        url,
        "SELECT attnum FROM pg_attribute WHERE attrelid = 'papers'::regclass AND attname = 'search_vector'",
      );
      expect(after.rows[0]?.attnum).toBe(before.rows[0]?.attnum);
    } finally {
      await store.close();
    }
  });
});
