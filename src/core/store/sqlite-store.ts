import type { Database } from 'better-sqlite3';
import { PaperboyError } from '../errors.js';
import type { Paper, PaperRecord } from '../paper.js';
import { ChannelTable } from './channel-rows.js';
import { DigestRunTable } from './digest-run-rows.js';
import { LedgerTables } from './ledger-rows.js';
import { type ImportWrites, type PapersWrittenHook, PaperTable } from './paper-table.js';
import type { PreparedPaper } from './prepared-paper.js';
import { CORRUPT_CODES, openDatabase, openError } from './sqlite-open.js';
import { inWriteTransaction } from './statements.js';
import type {
  Channel,
  ChannelRef,
  DigestCandidate,
  DigestPosting,
  DigestRun,
  DigestRunChange,
  NewDigestRun,
  PapersStamp,
  Schedule,
  SourceRun,
  Store,
  Subscription,
  UpsertSummary,
} from './store.js';

export type { PapersWrittenHook } from './paper-table.js';
export { storeFile } from './sqlite-open.js';

export interface SqliteStoreOptions {
  /** Runs inside each `upsertPapers` transaction after the batch is written (search indexing). */
  onPapersWritten?: PapersWrittenHook;
  /**
   * SQLite's page cache in MB (default 64, for bulk ingest). Resident memory: a long-running
   * bot that mostly reads passes less, and the OS file cache serves the rest.
   */
  cacheMb?: number;
}

const DEFAULT_CACHE_MB = 64;
/** WAL pages between checkpoints during a bulk write (~40 MB; SQLite's default is 1,000). */
const BULK_CHECKPOINT_PAGES = 10_000;

/** The embedded store: one SQLite file (WAL, foreign keys, numbered migrations). */
export class SqliteStore implements Store {
  /** The open database, for the search archive's own tables in the same file. */
  readonly db: Database;
  readonly file: string;
  private readonly papers: PaperTable;
  private readonly channels: ChannelTable;
  private readonly ledger: LedgerTables;
  private readonly runs: DigestRunTable;

  /** Opens (creating if needed) and migrates `file`, or `':memory:'`. */
  static open(file: string, options: SqliteStoreOptions = {}): SqliteStore {
    return new SqliteStore(file, options);
  }

  constructor(file: string, options: SqliteStoreOptions = {}) {
    this.file = file;
    this.db = openDatabase(file, options.cacheMb ?? DEFAULT_CACHE_MB);
    this.papers = new PaperTable(this.db, options.onPapersWritten ?? null);
    this.channels = new ChannelTable(this.db);
    this.ledger = new LedgerTables(this.db);
    this.runs = new DigestRunTable(this.db, this.channels);
  }

  /**
   * How long a statement waits, blocking the thread, for another connection's write lock
   * (SQLite's busy_timeout). The bot sets a few ms: its async adapter waits without blocking.
   */
  setBusyTimeout(ms: number): void {
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.round(ms))}`);
  }

  /** Replaces the papers-written hook (`null` turns it off, e.g. during a bulk ingest). */
  setPapersWrittenHook(hook: PapersWrittenHook | null): void {
    this.papers.hook = hook;
  }

  upsertPapers(records: PaperRecord[], now: Date): UpsertSummary {
    return this.writePapers(() => this.papers.upsert(records, now));
  }
  /** `upsertPapers` of records mapped to their columns already (a bulk ingest's parsing thread). */
  upsertPrepared(papers: PreparedPaper[], now: Date, own?: ImportWrites): UpsertSummary {
    return this.writePapers(() => this.papers.upsertPrepared(papers, now, own));
  }
  /**
   * Runs a bulk write (`npm run ingest`) with few WAL checkpoints, then one at the end: each
   * copies pages into the database and syncs both files, after every batch it cost wall time.
   */
  async bulkWrite<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.db.pragma('wal_autocheckpoint', { simple: true }) as number;
    this.db.pragma(`wal_autocheckpoint = ${BULK_CHECKPOINT_PAGES}`);
    try {
      return await work();
    } finally {
      if (this.db.open) {
        this.db.pragma(`wal_autocheckpoint = ${previous}`);
        // PASSIVE: never waits for a reader (the bot's); what it leaves, later commits copy.
        this.db.pragma('wal_checkpoint(PASSIVE)');
      }
    }
  }
  private writePapers(write: () => UpsertSummary): UpsertSummary {
    try {
      return write();
    } catch (error) {
      // Damage past the header only shows when a page is touched; say so, never rebuild.
      if (CORRUPT_CODES.has((error as { code?: string }).code ?? ''))
        throw openError(this.file, error);
      throw error;
    }
  }
  getPaper(id: string): Paper | null {
    return this.papers.get(id);
  }
  getPapers(ids: string[]): Paper[] {
    return this.papers.getMany(ids);
  }
  countPapers(): number {
    return this.papers.count();
  }
  papersStamp(): PapersStamp {
    return this.papers.stamp();
  }
  papersSeenSince(since: Date, options: { includeSample?: boolean; limit?: number } = {}): Paper[] {
    return this.papers.seenSince(since, options.includeSample ?? false, options.limit);
  }
  newestListed(limit: number): Paper[] {
    return this.papers.newestListed(limit);
  }
  iteratePapers(batchSize = 1000): Iterable<Paper[]> {
    return this.papers.iterate(batchSize);
  }

  getChannel(ref: ChannelRef): Channel | null {
    return this.channels.get(ref);
  }
  listChannels(): Channel[] {
    return this.channels.list();
  }
  setSchedule(ref: ChannelRef, schedule: Schedule | null, now: Date): Channel {
    return this.channels.setSchedule(ref, schedule, now);
  }
  setChannelOptions(ref: ChannelRef, options: Record<string, unknown>): Channel {
    return this.channels.setOptions(ref, options);
  }
  setPaused(ref: ChannelRef, paused: boolean): Channel {
    return this.channels.setPaused(ref, paused);
  }
  setLastDigestAt(ref: ChannelRef, at: Date): void {
    this.channels.setLastDigestAt(ref, at);
  }
  setChannelFailure(ref: ChannelRef, reason: string | null, now: Date): void {
    this.channels.setFailure(ref, reason, now);
  }

  addSubscription(sub: Subscription): 'added' | 'exists' {
    return this.channels.addSubscription(sub);
  }
  removeSubscription(ref: ChannelRef, topic: string): boolean {
    return this.channels.removeSubscription(ref, topic);
  }
  listSubscriptions(ref: ChannelRef): Subscription[] {
    return this.channels.listSubscriptions(ref);
  }

  transaction<T>(fn: () => T): T {
    // IMMEDIATE: a read-then-write transaction must wait for another writer, not fail.
    return inWriteTransaction(this.db, () => {
      const result = fn();
      if (result instanceof Promise)
        throw new PaperboyError('INTERNAL', 'Store.transaction takes a synchronous function.');
      return result;
    });
  }
  digestCandidates(
    window: { from: Date; to: Date; minDate: string },
    page?: { offset: number; limit: number },
  ): DigestCandidate[] {
    return this.runs.candidates(window, page);
  }
  closeDigestWindow(to: Date): void {
    this.runs.closeWindow(to);
  }
  createDigestRun(run: NewDigestRun): void {
    this.runs.create(run);
  }
  updateDigestRun(id: string, change: DigestRunChange, owner?: string): boolean {
    return this.runs.update(id, change, owner);
  }
  completeDigestPart(deliveryId: string, messageId: string): boolean {
    return this.runs.completePart(deliveryId, messageId);
  }
  claimDigestRun(id: string, owner: string, now: Date, leaseMs: number): boolean {
    return this.runs.claim(id, owner, now, leaseMs);
  }
  renewDigestRun(
    id: string,
    owner: string,
    now: Date,
    leaseMs: number,
    unpostedPart?: string,
  ): boolean {
    return this.runs.renew(id, owner, now, leaseMs, unpostedPart);
  }
  tryLockChannel(_ref: ChannelRef): boolean {
    return true;
  }
  releaseDigestRun(id: string, owner: string): void {
    this.runs.release(id, owner);
  }
  openDigestRuns(ref?: ChannelRef): DigestRun[] {
    return this.runs.open(ref);
  }
  recentDigestRuns(ref: ChannelRef, limit: number): DigestRun[] {
    return this.runs.recent(ref, limit);
  }
  digestPostings(
    paperId: string,
    scope: Pick<ChannelRef, 'platform' | 'workspace'> & { channel?: string },
    limit: number,
  ): DigestPosting[] {
    return this.runs.postings(paperId, scope, limit);
  }
  digestPaperIdsForMessage(ref: ChannelRef, messageId: string): string[] | null {
    return this.runs.paperIdsForMessage(ref, messageId);
  }
  countDigestRunsByState(): Record<string, number> {
    const rows = this.db
      .prepare('SELECT state, count(*) AS n FROM digest_runs GROUP BY state')
      .all() as { state: string; n: number }[];
    return Object.fromEntries(rows.map((row) => [row.state, row.n]));
  }

  recordSourceRun(run: SourceRun): void {
    this.ledger.recordSourceRun(run);
  }
  recentSourceRuns(source: string, limit: number): SourceRun[] {
    return this.ledger.recentSourceRuns(source, limit);
  }

  putState(key: string, value: string, now: Date): void {
    this.ledger.putState(key, value, now);
  }
  replaceState(key: string, expected: string | null, value: string, now: Date): boolean {
    return this.ledger.replaceState(key, expected, value, now);
  }
  getState(key: string): string | null {
    return this.ledger.getState(key);
  }
  pruneState(prefix: string, before: Date): number {
    return this.ledger.pruneState(prefix, before);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
