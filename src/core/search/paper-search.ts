import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock.js';
import { isPaperboyError, PaperboyError } from '../errors.js';
import type { Logger } from '../logger.js';
import {
  archiveSyncedSeq,
  archiveVocabulary,
  ensureArchive,
  lastChangeSeq,
  syncArchive,
} from './archive.js';
import { ArchiveQueries, clampInt, searchFilters } from './archive-query.js';
import { searchArchive } from './archive-search.js';
import { ArchiveWorker } from './archive-worker.js';
import { KnownTerms } from './known-terms.js';
import { expandQuery, isEmptyQuery, parseQuery, type TermVocabulary } from './query-compiler.js';
import { resolvePaper, suggestTitles } from './resolve.js';
import { foldText } from './text.js';
import { TopicMatcher } from './topics.js';
import type {
  Resolution,
  SearchOptions,
  SearchResult,
  SyncPaperSearch,
  TopicMatch,
} from './types.js';

export interface PaperSearchOptions {
  /** What search needs of the store (SqliteStore provides it). */
  store: {
    readonly db: Database;
    setPapersWrittenHook(hook: ((db: Database, sinceChangeSeq: number) => void) | null): void;
  };
  /** The data folder; search keeps nothing there of its own (the archive is in the store). */
  dataDir?: string | null;
  clock: Clock;
  logger: Logger;
}

/** Rows per catch-up slice: a few ms of FTS5 inserts, so the event loop is never held long. */
export const CATCH_UP_SLICE = 100;
/** After a failed slice (e.g. another writer holds the lock), wait before the next try. */
const RETRY_MS = 1000;

/** A fault below search becomes a coded error the command boundary turns into a reply. */
function guarded<T>(answer: () => T): T {
  try {
    return answer();
  } catch (error) {
    if (isPaperboyError(error)) throw error;
    throw new PaperboyError('STORE_FAILED', 'Search could not read the paper index. Try again.', {
      cause: error,
    });
  }
}

export class ArchivePaperSearch implements SyncPaperSearch {
  /** Rows indexed by background catch-up (another process's writes, a backlog): for tests. */
  readonly stats = { caughtUp: 0 };
  private readonly db: Database;
  private readonly vocab: TermVocabulary;
  private readonly archive: ArchiveQueries;
  private readonly topics: TopicMatcher;
  private readonly known: KnownTerms;
  private catching: Promise<void> | null = null;
  private indexing: Promise<void> | null = null;
  /** For a file store: the archive's big writes run there, never on the event loop. */
  private readonly worker: ArchiveWorker | null;
  private closed = false;

  constructor(private readonly options: PaperSearchOptions) {
    this.db = options.store.db;
    ensureArchive(this.db);
    this.db.function('search_fold', { deterministic: true }, (s: unknown) =>
      foldText(String(s ?? '')),
    );
    this.known = new KnownTerms(this.db, () => archiveSyncedSeq(this.db));
    this.vocab = archiveVocabulary(this.db, this.known);
    this.archive = new ArchiveQueries(this.db);
    this.topics = new TopicMatcher(this.db, this.archive, this.vocab);
    this.worker = this.db.memory || !this.db.name ? null : new ArchiveWorker(this.db.name);
  }

  /**
   * Answers at once: a backlog of a slice or less (a seeded sample) is indexed here, in a few
   * ms; a larger one (an upgrade, another process's import) in the background, never waited for.
   */
  start(): void {
    this.setLiveIndexing(true);
    if (lastChangeSeq(this.db) - Math.max(0, archiveSyncedSeq(this.db)) <= CATCH_UP_SLICE)
      this.syncNow(this.db);
    this.noticeChanges();
  }

  /** Bulk ingest turns this off and calls `refresh()` once to catch up. */
  setLiveIndexing(on: boolean): void {
    this.options.store.setPapersWrittenHook(on ? (db, since) => this.written(db, since) : null);
  }

  /**
   * In the writer's transaction: a small batch is searchable when it commits. A larger one,
   * or one behind a backlog, is left to the catch-up (a worker for a file store): FTS5 work
   * on hundreds of rows, and the segment merges it sets off, would hold the event loop.
   */
  private written(db: Database, sinceChangeSeq: number): void {
    // change_seq starts at 1: a fresh archive (-1) has no backlog before the first batch.
    const caughtUp = Math.max(0, archiveSyncedSeq(db)) >= sinceChangeSeq;
    const rows = lastChangeSeq(this.db) - sinceChangeSeq;
    if (caughtUp && rows <= CATCH_UP_SLICE) this.syncNow(db);
    setImmediate(() => this.noticeChanges());
  }

  /** Indexes a slice or less here; a fault is left to the catch-up. */
  private syncNow(db: Database): void {
    try {
      syncArchive(db, CATCH_UP_SLICE);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'search archive sync failed; catching up later');
    }
  }

  /** Cheap: compares two numbers; starts background work when there is some. */
  private noticeChanges(): void {
    if (this.closed || this.catching) return;
    if (!this.known.ready || lastChangeSeq(this.db) > archiveSyncedSeq(this.db))
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
      const before = this.stats.caughtUp;
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
        const rows = this.stats.caughtUp - before;
        if (rows > 0 && !this.closed)
          this.options.logger.info({ rows }, 'search archive caught up');
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
        let behind = lastChangeSeq(this.db) - archiveSyncedSeq(this.db);
        while (!this.closed && behind > 0) {
          if (this.worker && behind > CATCH_UP_SLICE) {
            const done = await this.worker.sync();
            this.stats.caughtUp += done.rows;
            // Too many rows to send their words: re-reading the vocabulary costs less.
            if (done.words) this.known.addWords(done.words, done.from, done.to);
            else if (done.rows > 0) this.known.reload();
          } else this.stats.caughtUp += syncArchive(this.db, CATCH_UP_SLICE);
          await new Promise((resolve) => setImmediate(resolve));
          behind = lastChangeSeq(this.db) - archiveSyncedSeq(this.db);
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

  /**
   * Resolves once the archive and the known terms hold every stored paper (benches, tests).
   * Does the catch-up's steps itself, so a failing step rejects here instead of being retried.
   */
  async whenCaughtUp(): Promise<void> {
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    await this.refresh();
    while (!this.known.loadSlice()) await turn();
    while (this.known.absorb() > 0) await turn();
  }

  search(query: string, options: SearchOptions = {}): SearchResult {
    const page = clampInt(options?.page, 1, 1, 10_000);
    const pageSize = clampInt(options?.pageSize, 10, 1, 100);
    return guarded(() => {
      this.noticeChanges();
      const parsed = parseQuery(query);
      const q = expandQuery(parsed, this.vocab);
      if (isEmptyQuery(q)) return { hits: [], total: 0, page, pageSize, pages: 0 };
      const filters = searchFilters(options ?? {});
      const input = { raw: String(query ?? ''), parsed, q, filters };
      return searchArchive(this.archive, this.vocab, input, { page, pageSize });
    });
  }

  resolve(text: string): Resolution {
    return guarded(() => resolvePaper(this.db, this.archive, this.vocab, text));
  }

  suggest(prefix: string, limit?: number): Array<{ id: string; title: string }> {
    return guarded(() => suggestTitles(this.db, this.archive, this.vocab, prefix, limit));
  }

  /** The digest's matcher: the same compiled topic and FTS5 expression as `countTopicMatches`. */
  matchTopic(topic: string, paperIds: string[]): TopicMatch[] {
    return guarded(() => {
      this.noticeChanges();
      return this.topics.match(topic, paperIds, lastChangeSeq(this.db));
    });
  }

  countTopicMatches(topic: string, since: Date): number {
    return guarded(() => {
      this.noticeChanges();
      return this.topics.count(topic, since);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.options.store.setPapersWrittenHook(null);
    await this.catching;
    await this.worker?.close();
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
