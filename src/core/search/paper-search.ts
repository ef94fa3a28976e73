import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, Statement } from 'better-sqlite3';
import { isPaperboyError, PaperboyError } from '../errors.js';
import {
  archiveSyncedSeq,
  archiveVocabulary,
  ensureArchive,
  rebuildArchive,
  syncArchive,
} from './archive.js';
import { ArchiveQueries } from './archive-query.js';
import { searchArchive } from './archive-search.js';
import { KnownTerms } from './known-terms.js';
import { expandQuery, isEmptyQuery, parseQuery, type TermVocabulary } from './query-compiler.js';
import { resolvePaper, suggestTitles } from './resolve.js';
import {
  clampInt,
  type PaperSearchOptions,
  type SearchStats,
  searchFilters,
} from './search-options.js';
import { runWorker } from './spawn-worker.js';
import { foldText } from './text.js';
import { countTopic, TopicMatcher } from './topics.js';
import type {
  Resolution,
  SearchOptions,
  SearchResult,
  SyncPaperSearch,
  TopicMatch,
} from './types.js';

export type { PaperSearchOptions, SearchableStore, SearchStats } from './search-options.js';

/** Rows per catch-up slice: a few ms of FTS5 inserts, so the event loop is never held long. */
export const CATCH_UP_SLICE = 100;
/** After a failed slice (e.g. another writer holds the lock), wait before the next try. */
const RETRY_MS = 1000;

/** A fault below search becomes a coded error the command boundary turns into a reply. */
function storeFault(error: unknown): PaperboyError {
  if (isPaperboyError(error)) return error;
  return new PaperboyError('STORE_FAILED', 'Search could not read the paper index. Try again.', {
    cause: error,
  });
}

export class ArchivePaperSearch implements SyncPaperSearch {
  readonly stats: SearchStats = { caughtUp: 0, archiveRebuilds: 0 };
  private readonly db: Database;
  private readonly vocab: TermVocabulary;
  private readonly archive: ArchiveQueries;
  private readonly topics: TopicMatcher;
  private readonly topSeq: Statement;
  private readonly known: KnownTerms;
  private catching: Promise<void> | null = null;
  private indexing: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly options: PaperSearchOptions) {
    this.db = options.store.db;
    ensureArchive(this.db);
    this.db.function('search_fold', { deterministic: true }, (s: unknown) =>
      foldText(String(s ?? '')),
    );
    this.topSeq = this.db.prepare('SELECT coalesce(max(change_seq), -1) FROM papers').pluck();
    this.known = new KnownTerms(this.db);
    this.vocab = archiveVocabulary(this.db, this.known);
    this.archive = new ArchiveQueries(this.db);
    this.topics = new TopicMatcher(this.db, this.vocab);
  }

  /** Answers at once from the archive as it is; any backlog is indexed in the background. */
  start(): void {
    this.setLiveIndexing(true);
    this.noticeChanges();
  }

  /** Bulk ingest turns this off and calls `refresh()` once to catch up. */
  setLiveIndexing(on: boolean): void {
    this.options.store.setPapersWrittenHook(on ? (db, since) => this.written(db, since) : null);
  }

  /** In the writer's transaction: a batch is searchable when it commits, unless a backlog waits. */
  private written(db: Database, sinceChangeSeq: number): void {
    // change_seq starts at 1: a fresh archive (-1) has no backlog before the first batch.
    if (Math.max(0, archiveSyncedSeq(db)) < sinceChangeSeq) {
      setImmediate(() => this.noticeChanges());
      return;
    }
    try {
      syncArchive(db);
      setImmediate(() => this.noticeChanges());
    } catch (error) {
      this.options.logger.warn({ err: error }, 'search archive sync failed; catching up later');
      setImmediate(() => this.noticeChanges());
    }
  }

  /** Cheap: compares two numbers; starts background work when there is some. */
  private noticeChanges(): void {
    if (this.closed || this.catching) return;
    if (this.known.behind || (this.topSeq.get() as number) > archiveSyncedSeq(this.db))
      void this.catchUp();
  }

  /**
   * Off the request path: indexes the backlog, then loads the known terms and absorbs the
   * words of new rows, a slice per turn of the event loop. Faults are logged and retried.
   */
  private catchUp(): Promise<void> {
    if (this.catching) return this.catching;
    this.catching = (async () => {
      await Promise.resolve(); // as in indexBacklog
      try {
        while (!this.closed) {
          await new Promise((resolve) => setImmediate(resolve));
          if (this.closed) break;
          try {
            await this.indexBacklog();
            if (!this.known.loadSlice()) continue;
            if (this.known.absorb() === 0) break;
          } catch (error) {
            this.options.logger.warn({ err: error }, 'search archive catch-up deferred');
            await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
          }
        }
      } finally {
        this.catching = null;
      }
    })();
    return this.catching;
  }

  /**
   * Indexes what other writers (or a bulk ingest) added. More than a slice, in a file store,
   * goes to a worker on its own connection: FTS5 merges its segments as the index grows, and
   * those merges held the event loop for hundreds of ms. Otherwise slices here.
   */
  private indexBacklog(): Promise<void> {
    if (this.indexing) return this.indexing;
    this.indexing = (async () => {
      // Yield first: `indexing` must be set before the body can finish and clear it.
      await Promise.resolve();
      try {
        const file = this.db.memory ? null : this.db.name;
        let behind = (this.topSeq.get() as number) - archiveSyncedSeq(this.db);
        while (!this.closed && behind > 0) {
          this.stats.caughtUp +=
            file && behind > CATCH_UP_SLICE
              ? await runWorker<number>('archive-worker', { file, mode: 'sync' })
              : syncArchive(this.db, CATCH_UP_SLICE);
          await new Promise((resolve) => setImmediate(resolve));
          behind = (this.topSeq.get() as number) - archiveSyncedSeq(this.db);
        }
      } finally {
        this.indexing = null;
      }
    })();
    return this.indexing;
  }

  /** Indexes what was written so far; then it is searchable. */
  async refresh(): Promise<void> {
    await this.indexBacklog();
    this.noticeChanges();
  }

  /** Rebuilds the archive (in a worker when the store is a file), off the request path. */
  async rebuildAll(): Promise<void> {
    const file = this.db.name;
    if (file && file !== ':memory:' && !this.db.memory) {
      await runWorker<number>('archive-worker', { file, mode: 'rebuild' });
    } else {
      rebuildArchive(this.db);
    }
    this.stats.archiveRebuilds++;
    await this.refresh();
  }

  search(query: string, options: SearchOptions = {}): SearchResult {
    const page = clampInt(options?.page, 1, 1, 10_000);
    const pageSize = clampInt(options?.pageSize, 10, 1, 100);
    try {
      this.noticeChanges();
      const parsed = parseQuery(query);
      const q = expandQuery(parsed, this.vocab);
      if (isEmptyQuery(q)) return { hits: [], total: 0, page, pageSize, pages: 0 };
      const filters = searchFilters(options ?? {});
      const input = { raw: String(query ?? ''), parsed, q, filters };
      return searchArchive(this.db, this.archive, this.vocab, input, { page, pageSize });
    } catch (error) {
      throw storeFault(error);
    }
  }

  resolve(text: string): Resolution {
    try {
      return resolvePaper(this.db, this.vocab, text);
    } catch (error) {
      throw storeFault(error);
    }
  }

  suggest(prefix: string, limit?: number): Array<{ id: string; title: string }> {
    try {
      return suggestTitles(this.db, this.vocab, prefix, limit);
    } catch (error) {
      throw storeFault(error);
    }
  }

  /** The digest's matcher: the same compiled topic and FTS5 expression as `countTopicMatches`. */
  matchTopic(topic: string, paperIds: string[]): TopicMatch[] {
    try {
      this.noticeChanges();
      return this.topics.match(topic, paperIds, this.topSeq.get() as number);
    } catch (error) {
      throw storeFault(error);
    }
  }

  countTopicMatches(topic: string, since: Date): number {
    try {
      this.noticeChanges();
      return countTopic(this.archive, this.vocab, topic, since);
    } catch (error) {
      throw storeFault(error);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.options.store.setPapersWrittenHook(null);
    await this.catching;
  }
}

/** Opens search over a store: answers at once; a backlog is indexed in the background. */
export async function openPaperSearch(options: PaperSearchOptions): Promise<ArchivePaperSearch> {
  // The Lunr window of earlier versions kept its index here; nothing reads it any more.
  if (options.dataDir) rmSync(join(options.dataDir, 'search-window.json'), { force: true });
  const search = new ArchivePaperSearch(options);
  search.start();
  return search;
}
