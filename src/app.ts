import { fileURLToPath } from 'node:url';
import type { CommandContext, CommandObserver, CommandUser } from './commands/context.js';
import { CommandTurns } from './commands/turns.js';
import type { Config } from './config.js';
import { SimilarPapers } from './core/answer/similar.js';
import type { Clock } from './core/clock.js';
import type { Logger } from './core/logger.js';
import { seedSampleIfEmpty } from './core/sample.js';
import { openPaperSearch } from './core/search/paper-search.js';
import type { PaperSearch } from './core/search/types.js';
import { PaperLookup } from './core/sources/arxiv-lookup.js';
import type { HttpDeps, RequestGate, RequestPolicy } from './core/sources/http.js';
import { type AsyncStore, asyncStore } from './core/store/async-store.js';
import { SqliteStore, storeFile } from './core/store/sqlite-store.js';
import type { ChannelRef } from './core/store/store.js';

/** The demo page bundled with the repo; its papers are tagged as sample. */
export const SAMPLE_FILE = fileURLToPath(
  new URL('../samples/daily-papers-page.txt', import.meta.url),
);
/** The day the bundled page was captured: its year-less dates resolve against it. */
export const SAMPLE_REFERENCE_DATE = '2025-12-12';

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

export interface CreateBotOptions {
  config: Config;
  clock: Clock;
  logger: Logger;
  /** A folder for the store and persisted indexes, or `':memory:'` (tests). */
  dataDir: string;
  /** Seed the bundled sample into an empty store (default: the bundled file); `null` = no seeding. */
  sampleFile?: string | null;
  /** Told about every answered command, whichever platform ran it (metrics). */
  observeCommand?: CommandObserver;
  /**
   * Look linked papers that are not stored up on the arXiv API (`sources.arxiv.apiBaseUrl`),
   * through the process's one arXiv gate, which the live fetchers share (`Bot.arxivGate`).
   * Absent: no lookups, no network (tests, the offline terminal).
   */
  arxivLookup?: { http: HttpDeps; gate: RequestGate; policy?: RequestPolicy };
}

export interface Bot {
  store: AsyncStore;
  /** The SQLite store behind `store`: search and `similar` read its connection directly. */
  sqlite: SqliteStore;
  search: PaperSearch;
  config: Config;
  clock: Clock;
  logger: Logger;
  /** The arXiv gate link lookups use, for the live fetchers to share; null without lookups. */
  arxivGate: RequestGate | null;
  /** The context a command runs in, for one channel and user. */
  contextFor(channel: ChannelRef, user: CommandUser, managePermission: string): CommandContext;
  close(): Promise<void>;
}

/**
 * Builds the whole bot (store, sample, search) with everything passed in, so tests get
 * one in memory in milliseconds and adapters share one way to reach the commands.
 */
export async function createBot(options: CreateBotOptions): Promise<Bot> {
  const { config, clock, logger } = options;
  const inMemory = options.dataDir === ':memory:';
  const sqlite = SqliteStore.open(inMemory ? ':memory:' : storeFile(options.dataDir), {
    cacheMb: BOT_CACHE_MB,
  });
  const store = asyncStore(sqlite);
  let search: PaperSearch;
  let similar: SimilarPapers;
  try {
    const sampleFile = options.sampleFile === undefined ? SAMPLE_FILE : options.sampleFile;
    if (sampleFile) {
      await seedSampleIfEmpty(store, {
        file: sampleFile,
        referenceDate: SAMPLE_REFERENCE_DATE,
        now: clock.now(),
      });
    }
    search = await openPaperSearch({
      store: sqlite,
      clock,
      logger,
      dataDir: inMemory ? null : options.dataDir,
    });
    // Never waits for indexing: search indexes a small backlog (the seeded sample) as it
    // opens, so commands answer from the first line on; a large one in the background.
    // After search opened: the archive's tables exist from here on.
    similar = new SimilarPapers(sqlite.db);
    // Start-up (above) may wait out busy_timeout: nothing is served yet. From here on, not.
    sqlite.setBusyTimeout(BOT_BUSY_TIMEOUT_MS);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const lookup = options.arxivLookup;
  const paperLookup = lookup
    ? new PaperLookup({
        ...lookup,
        store,
        logger,
        apiBaseUrl: config.sources.arxiv.apiBaseUrl,
      })
    : null;
  const turns = new CommandTurns();
  return {
    store,
    sqlite,
    search,
    config,
    clock,
    logger,
    arxivGate: lookup?.gate ?? null,
    contextFor(channel, user, managePermission) {
      const ctx: CommandContext = {
        store,
        search,
        similar,
        clock,
        config,
        logger,
        channel,
        user,
        managePermission,
        turns,
      };
      if (options.observeCommand) ctx.observeCommand = options.observeCommand;
      if (paperLookup) ctx.paperLookup = paperLookup;
      return ctx;
    },
    async close() {
      await search.close();
      await store.close();
    },
  };
}
