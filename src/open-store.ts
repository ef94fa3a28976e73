import { SimilarPapers } from './core/answer/similar.js';
import type { Clock } from './core/clock.js';
import type { Logger } from './core/logger.js';
import { openPaperSearch } from './core/search/paper-search.js';
import type { PaperSearch } from './core/search/types.js';
import { asyncSearch } from './core/store/async-search.js';
import { type AsyncStore, asyncStore } from './core/store/async-store.js';
import { describeDatabase } from './core/store/postgres/failures.js';
import { PostgresPaperSearch } from './core/store/postgres/paper-search.js';
import { PostgresStore } from './core/store/postgres/postgres-store.js';
import { SqliteStore, storeFile } from './core/store/sqlite-store.js';

/**
 * The bot's SQLite page cache: its peak resident memory at 100k papers must stay under
 * 250 MB, and a full 64 MB cache was a quarter of it. 600 searches and shows at 100k papers
 * took the same CPU time with 8, 16 or 64 MB: the OS caches the file.
 */
const BOT_CACHE_MB = 8;
/**
 * The bot's blocking wait for another process's write lock, once it serves: a few ms, so a
 * long `npm run ingest` transaction never freezes the event loop; the async store waits out
 * the rest on timers (up to 5 s, then STORE_FAILED "the database is busy").
 */
const BOT_BUSY_TIMEOUT_MS = 5;

/** The store and the search over it, for one of the two backends. */
export interface OpenedStore {
  store: AsyncStore;
  search: PaperSearch;
  /** The SQLite store behind `store` (search and `similar` read its connection); null on PostgreSQL. */
  sqlite: SqliteStore | null;
  /** The PostgreSQL store (polling lock, instance tests); null on SQLite. */
  postgres: PostgresStore | null;
  /** `similar` and `ask`'s common words read SQLite's FTS5 term statistics; null on PostgreSQL. */
  similar: SimilarPapers | null;
}

export interface OpenStoreOptions {
  /** A folder for the SQLite store, or `':memory:'` (tests); unused with `databaseUrl`. */
  dataDir: string;
  /** `postgres://…`: the shared PostgreSQL store instead of SQLite. */
  databaseUrl: string | null;
  clock: Clock;
  logger: Logger;
  /** Runs on the async store before search opens (the sample seed), so it is searchable at once. */
  prepare?: (store: AsyncStore) => Promise<void>;
}

/** Opens (and migrates) the configured store, then the search over it. */
export async function openStore(options: OpenStoreOptions): Promise<OpenedStore> {
  const { clock, logger } = options;
  if (options.databaseUrl) {
    const postgres = await PostgresStore.open(options.databaseUrl, {
      onIdleError: (error) =>
        logger.warn({ code: 'STORE_FAILED', err: error }, 'an idle PostgreSQL connection failed'),
    });
    try {
      await options.prepare?.(postgres);
      const search = await PostgresPaperSearch.open(
        postgres.db,
        describeDatabase(options.databaseUrl),
      );
      return { store: postgres, search, sqlite: null, postgres, similar: null };
    } catch (error) {
      await postgres.close();
      throw error;
    }
  }
  const inMemory = options.dataDir === ':memory:';
  const sqlite = SqliteStore.open(inMemory ? ':memory:' : storeFile(options.dataDir), {
    cacheMb: BOT_CACHE_MB,
  });
  const store = asyncStore(sqlite);
  try {
    await options.prepare?.(store);
    const search = await openPaperSearch({
      store: sqlite,
      clock,
      logger,
      dataDir: inMemory ? null : options.dataDir,
    });
    // Never waits for indexing: search indexes a small backlog (the seeded sample) as it
    // opens, so commands answer from the first line on; a large one in the background.
    // After search opened: the archive's tables exist from here on.
    const similar = new SimilarPapers(sqlite.db);
    // Start-up (above) may wait out busy_timeout: nothing is served yet. From here on, not.
    sqlite.setBusyTimeout(BOT_BUSY_TIMEOUT_MS);
    return { store, search: asyncSearch(search), sqlite, postgres: null, similar };
  } catch (error) {
    sqlite.close();
    throw error;
  }
}
