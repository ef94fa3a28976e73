import { fileURLToPath } from 'node:url';
import type { CommandContext, CommandObserver, CommandUser } from './commands/context.js';
import { CommandTurns } from './commands/turns.js';
import type { Config } from './config.js';
import type { Clock } from './core/clock.js';
import type { Logger } from './core/logger.js';
import { seedSampleIfEmpty } from './core/sample.js';
import type { PaperSearch } from './core/search/types.js';
import { PaperLookup } from './core/sources/arxiv-lookup.js';
import type { HttpDeps, RequestGate, RequestPolicy } from './core/sources/http.js';
import type { AsyncStore } from './core/store/async-store.js';
import type { PostgresStore } from './core/store/postgres/postgres-store.js';
import type { SqliteStore } from './core/store/sqlite-store.js';
import type { ChannelRef } from './core/store/store.js';
import { openStore } from './open-store.js';

/** The demo page bundled with the repo; its papers are tagged as sample. */
export const SAMPLE_FILE = fileURLToPath(
  new URL('../samples/daily-papers-page.txt', import.meta.url),
);
/** The day the bundled page was captured: its year-less dates resolve against it. */
export const SAMPLE_REFERENCE_DATE = '2025-12-12';

export interface CreateBotOptions {
  config: Config;
  clock: Clock;
  logger: Logger;
  /** A folder for the store and persisted indexes, or `':memory:'` (tests). */
  dataDir: string;
  /** `postgres://…` selects the PostgreSQL store; default `config.databaseUrl` (null: SQLite). */
  databaseUrl?: string | null;
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
  /** The SQLite store behind `store` (search and `similar` read its connection); null on PostgreSQL. */
  sqlite: SqliteStore | null;
  /** The PostgreSQL store when `PAPERBOY_DATABASE_URL` selected it; null on SQLite. */
  postgres: PostgresStore | null;
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
  const sampleFile = options.sampleFile === undefined ? SAMPLE_FILE : options.sampleFile;
  const opened = await openStore({
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl === undefined ? config.databaseUrl : options.databaseUrl,
    clock,
    logger,
    prepare: async (store) => {
      if (sampleFile)
        await seedSampleIfEmpty(store, {
          file: sampleFile,
          referenceDate: SAMPLE_REFERENCE_DATE,
          now: clock.now(),
        });
    },
  });
  const { store, search, similar } = opened;
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
    sqlite: opened.sqlite,
    postgres: opened.postgres,
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
