import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { archiveVocabulary, ensureArchive, rebuildArchive, syncArchive } from './archive.js';
import { ArchiveQueries } from './archive-query.js';
import { mergedSearch } from './merged-query.js';
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
import type { PaperSearch, Resolution, SearchResult, TopicMatch } from './types.js';
import {
  buildInWorker,
  loadPersistedWindow,
  selectWindowDocs,
  WINDOW_VERSION,
  type WindowStamp,
  windowFrom,
} from './window.js';
import type { WindowDoc, WindowIndex } from './window-index.js';

export type { PaperSearchOptions, SearchableStore, SearchStats } from './search-options.js';

interface WindowState {
  stamp: WindowStamp | null;
  index: WindowIndex | null;
  byId: Map<string, WindowDoc>;
  byRowid: Map<number, WindowDoc>;
}

const EMPTY_WINDOW: WindowState = { stamp: null, index: null, byId: new Map(), byRowid: new Map() };

export class MergedPaperSearch implements PaperSearch {
  readonly stats: SearchStats = {
    windowLoads: 0,
    windowBuilds: 0,
    windowSize: 0,
    archiveRebuilds: 0,
  };
  private window: WindowState = EMPTY_WINDOW;
  private readonly db: Database;
  private readonly vocab: TermVocabulary;
  private readonly archive: ArchiveQueries;
  private readonly topics: TopicMatcher;
  private building: Promise<void> | null = null;
  /** The stamp a build last failed for: not retried until the store or day changes. */
  private failedFor: string | null = null;
  private knownChange = -1;
  private closed = false;

  private readonly windowDays: number;
  private readonly windowMax: number;

  constructor(private readonly options: PaperSearchOptions) {
    this.db = options.store.db;
    this.windowDays = options.windowDays ?? options.config?.search.windowDays ?? 7;
    this.windowMax = options.windowMax ?? options.config?.search.windowMax ?? 1000;
    ensureArchive(this.db);
    this.db.exec(
      "INSERT INTO papers_fts(papers_fts, rank) VALUES('rank', 'bm25(10.0, 4.0, 1.0)');" +
        'CREATE TEMP TABLE IF NOT EXISTS search_window_ids (rowid INTEGER PRIMARY KEY);',
    );
    this.db.function('search_fold', { deterministic: true }, (s: unknown) =>
      foldText(String(s ?? '')),
    );
    this.vocab = archiveVocabulary(this.db);
    this.archive = new ArchiveQueries(this.db);
    this.topics = new TopicMatcher(this.db, this.vocab);
  }

  private get windowFile(): string | null {
    return this.options.dataDir ? join(this.options.dataDir, 'search-window.json') : null;
  }

  private expectedStamp(): WindowStamp {
    return {
      version: WINDOW_VERSION,
      papers: this.options.store.papersStamp(),
      from: windowFrom(this.options.clock.now(), this.windowDays),
      max: this.windowMax,
    };
  }

  private install(stamp: WindowStamp, index: WindowIndex | null, docs: WindowDoc[]): void {
    this.window = {
      stamp,
      index,
      byId: new Map(docs.map((d) => [d.id, d])),
      byRowid: new Map(docs.map((d) => [d.rowid, d])),
    };
    this.db.exec('DELETE FROM temp.search_window_ids');
    this.db
      .prepare('INSERT INTO temp.search_window_ids(rowid) SELECT value FROM json_each(?)')
      .run(JSON.stringify(docs.map((d) => d.rowid)));
    this.stats.windowSize = docs.length;
  }

  /** Catches the archive up, then loads the persisted window or builds one in the background. */
  start(): void {
    const synced = syncArchive(this.db);
    if (synced > 0) this.options.logger.info({ rows: synced }, 'search archive caught up');
    this.knownChange = this.options.store.papersStamp().lastChange;
    const expected = this.expectedStamp();
    const file = this.windowFile;
    const loaded = file ? loadPersistedWindow(this.db, file, expected) : null;
    if (loaded) {
      this.install(loaded.stamp, loaded.index, loaded.docs);
      this.stats.windowLoads++;
      this.options.logger.info({ papers: loaded.docs.length }, 'search window loaded');
    } else {
      this.scheduleWindow();
    }
    this.setLiveIndexing(true);
  }

  /** Bulk ingest turns this off and calls `refresh()` once to catch up. */
  setLiveIndexing(on: boolean): void {
    this.options.store.setPapersWrittenHook(
      on
        ? (db) => {
            try {
              syncArchive(db);
            } catch (error) {
              this.options.logger.warn({ err: error }, 'search archive sync failed; will catch up');
            }
            setImmediate(() => this.scheduleWindow());
          }
        : null,
    );
  }

  private windowCurrent(): boolean {
    const expected = this.expectedStamp();
    const s = this.window.stamp;
    return (
      s !== null &&
      s.papers.count === expected.papers.count &&
      s.papers.lastChange === expected.papers.lastChange &&
      s.from === expected.from &&
      s.max === expected.max
    );
  }

  /** Rebuilds the window off the request path until it matches the store; queries keep the old one. */
  private scheduleWindow(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.building) return this.building;
    if (this.windowCurrent()) return Promise.resolve();
    if (this.failedFor === JSON.stringify(this.expectedStamp())) return Promise.resolve();
    this.building = (async () => {
      // Yield first: `building` must be set before the loop can finish and clear it.
      await Promise.resolve();
      let stamp = this.expectedStamp();
      try {
        while (!this.closed && !this.windowCurrent()) {
          stamp = this.expectedStamp();
          const docs = selectWindowDocs(this.db, stamp.from, stamp.max);
          const index = docs.length > 0 ? await buildInWorker(docs, this.windowFile, stamp) : null;
          if (this.closed) return;
          this.install(stamp, index, docs);
          this.stats.windowBuilds++;
          this.options.logger.info({ papers: docs.length }, 'search window rebuilt');
        }
      } catch (error) {
        this.failedFor = JSON.stringify(stamp);
        this.options.logger.error(
          { err: error },
          'search window rebuild failed; the archive answers',
        );
      } finally {
        this.building = null;
      }
    })();
    return this.building;
  }

  /** A writer outside this process, or a day rolling over, makes the window stale. */
  private noticeChanges(): void {
    const top = this.db.prepare('SELECT max(change_seq) FROM papers').pluck().get() as
      | number
      | null;
    if ((top ?? -1) !== this.knownChange) {
      try {
        syncArchive(this.db);
        this.knownChange = top ?? -1;
      } catch (error) {
        // E.g. a rebuild holds the write lock: answer from the archive as it is, retry next time.
        this.options.logger.warn({ err: error }, 'search archive catch-up deferred');
      }
    }
    const s = this.window.stamp;
    const from = windowFrom(this.options.clock.now(), this.windowDays);
    if (!s || s.papers.lastChange !== this.knownChange || s.from !== from)
      void this.scheduleWindow();
  }

  async refresh(): Promise<void> {
    syncArchive(this.db);
    this.knownChange = this.options.store.papersStamp().lastChange;
    await this.scheduleWindow();
  }

  /** Rebuilds the archive (in a worker when the store is a file) and the window, off the request path. */
  async rebuildAll(): Promise<void> {
    const file = this.db.name;
    if (file && file !== ':memory:' && !this.db.memory) {
      await runWorker<number>('archive-worker', { file });
    } else {
      rebuildArchive(this.db);
    }
    this.stats.archiveRebuilds++;
    this.window = { ...this.window, stamp: null };
    await this.refresh();
  }

  search(
    query: string,
    options: { page?: number; pageSize?: number; since?: string; author?: string } = {},
  ): SearchResult {
    const page = clampInt(options?.page, 1, 1, 10_000);
    const pageSize = clampInt(options?.pageSize, 10, 1, 100);
    const empty: SearchResult = { hits: [], total: 0, page, pageSize, pages: 0 };
    try {
      this.noticeChanges();
      const q = expandQuery(parseQuery(query), this.vocab);
      if (isEmptyQuery(q)) return empty;
      const f = searchFilters(options ?? {});
      const now = this.options.clock.now();
      return mergedSearch(this.db, this.window, this.archive, q, f, { page, pageSize }, now);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'search failed; answering with no results');
      return empty;
    }
  }

  resolve(text: string): Resolution {
    try {
      return resolvePaper(this.db, this.vocab, text);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'show lookup failed');
      return { kind: 'none' };
    }
  }

  suggest(prefix: string, limit?: number): Array<{ id: string; title: string }> {
    try {
      return suggestTitles(this.db, this.vocab, prefix, limit);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'suggest failed');
      return [];
    }
  }

  matchTopic(topic: string, paperIds: string[]): TopicMatch[] {
    try {
      this.noticeChanges();
      return this.topics.match(topic, paperIds, this.knownChange);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'topic match failed');
      return [];
    }
  }

  countTopicMatches(topic: string, since: Date): number {
    try {
      syncArchive(this.db);
      return countTopic(this.archive, this.vocab, topic, since);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'topic count failed');
      return 0;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.options.store.setPapersWrittenHook(null);
    await this.building?.catch(() => undefined);
  }
}

/** Opens search over a store: archive caught up, window loaded (or rebuilt in the background). */
export async function openPaperSearch(options: PaperSearchOptions): Promise<MergedPaperSearch> {
  const search = new MergedPaperSearch(options);
  search.start();
  return search;
}
