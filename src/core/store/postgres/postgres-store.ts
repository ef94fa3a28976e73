import pg from 'pg';
import { isPaperboyError, PaperboyError } from '../../errors.js';
import type { Paper, PaperRecord } from '../../paper.js';
import type { AsyncStore } from '../async-store.js';
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
  Subscription,
  UpsertSummary,
} from '../store.js';
import { PgChannelTable } from './channel-table.js';
import { type Db, PoolDb } from './db.js';
import { PgDigestRunTable } from './digest-run-table.js';
import { describeDatabase, failureHint, failureOf } from './failures.js';
import { PgLedgerTables } from './ledger-tables.js';
import { migratePostgres } from './migrations.js';
import { PgPaperTable } from './paper-table.js';
import { SessionLock, type SessionLockOptions } from './session-lock.js';

/** Session advisory lock key of source polling (one instance polls at a time). */
export const POLL_LOCK = 7_305_118_460_220;
/** First key of the channel planning locks (two-int form: this space, the label's hash). */
const CHANNEL_LOCK_SPACE = 73_051;

export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /**
   * Errors of idle pooled connections (e.g. the server restarted): the pool drops the client
   * and the next query opens a new one. The composition root passes its logger.
   */
  onIdleError?: (error: Error) => void;
  /** How long opening a connection may take (default 10 s). */
  connectTimeoutMs?: number;
  /** Deadlines of the polling lock's connection (tests shorten them). */
  pollLock?: SessionLockOptions;
}

/**
 * The shared store for deployments with several bot instances (`PAPERBOY_DATABASE_URL`):
 * the same behaviour as the SQLite store, over a `pg` pool.
 */
export class PostgresStore implements AsyncStore {
  private readonly papers: PgPaperTable;
  private readonly channels: PgChannelTable;
  private readonly runs: PgDigestRunTable;
  private readonly ledger: PgLedgerTables;
  private pollLock: SessionLock | null = null;

  /** Connects, migrates (under an advisory lock) and returns the store. */
  static async open(
    connectionString: string,
    options: PostgresStoreOptions = {},
  ): Promise<PostgresStore> {
    const where = describeDatabase(connectionString);
    const pool = new pg.Pool({
      connectionString,
      max: options.poolSize ?? 10,
      // An unreachable server fails the start (or a query) in seconds, never hangs it.
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      // TCP keepalive probes: a connection to a host that vanished fails instead of hanging.
      keepAlive: true,
      keepAliveInitialDelayMillis: 30_000,
    });
    pool.on('error', options.onIdleError ?? (() => {}));
    const db = new PoolDb(pool);
    try {
      await migratePostgres(db, where);
    } catch (error) {
      await pool.end();
      if (isPaperboyError(error)) throw error;
      throw new PaperboyError(
        'STORE_FAILED',
        `Cannot open the PostgreSQL database ${where} (${failureOf(error)}): ${failureHint(error)}.`,
        { cause: error },
      );
    }
    return new PostgresStore(db, options.pollLock);
  }

  /** The pool (or a transaction's client): PostgreSQL search reads through it. */
  private constructor(
    readonly db: Db,
    private readonly pollLockOptions: SessionLockOptions = {},
  ) {
    this.papers = new PgPaperTable(db);
    this.channels = new PgChannelTable(db);
    this.runs = new PgDigestRunTable(db, this.channels);
    this.ledger = new PgLedgerTables(db);
  }

  upsertPapers(records: PaperRecord[], now: Date): Promise<UpsertSummary> {
    return this.papers.upsert(records, now);
  }
  getPaper(id: string): Promise<Paper | null> {
    return this.papers.get(id);
  }
  getPapers(ids: string[]): Promise<Paper[]> {
    return this.papers.getMany(ids);
  }
  countPapers(): Promise<number> {
    return this.papers.count();
  }
  papersStamp(): Promise<PapersStamp> {
    return this.papers.stamp();
  }
  papersSeenSince(
    since: Date,
    options: { includeSample?: boolean; limit?: number } = {},
  ): Promise<Paper[]> {
    return this.papers.seenSince(since, options.includeSample ?? false, options.limit);
  }
  newestListed(limit: number): Promise<Paper[]> {
    return this.papers.newestListed(limit);
  }
  iteratePapers(batchSize = 1000): AsyncIterable<Paper[]> {
    return this.papers.iterate(batchSize);
  }

  getChannel(ref: ChannelRef): Promise<Channel | null> {
    return this.channels.get(ref);
  }
  listChannels(): Promise<Channel[]> {
    return this.channels.list();
  }
  setSchedule(ref: ChannelRef, schedule: Schedule | null, now: Date): Promise<Channel> {
    return this.channels.setSchedule(ref, schedule, now);
  }
  setChannelOptions(ref: ChannelRef, options: Record<string, unknown>): Promise<Channel> {
    return this.channels.setOptions(ref, options);
  }
  setPaused(ref: ChannelRef, paused: boolean): Promise<Channel> {
    return this.channels.setPaused(ref, paused);
  }
  setLastDigestAt(ref: ChannelRef, at: Date): Promise<void> {
    return this.channels.setLastDigestAt(ref, at);
  }
  setChannelFailure(ref: ChannelRef, reason: string | null, now: Date): Promise<void> {
    return this.channels.setFailure(ref, reason, now);
  }

  addSubscription(sub: Subscription): Promise<'added' | 'exists'> {
    return this.channels.addSubscription(sub);
  }
  removeSubscription(ref: ChannelRef, topic: string): Promise<boolean> {
    return this.channels.removeSubscription(ref, topic);
  }
  listSubscriptions(ref: ChannelRef): Promise<Subscription[]> {
    return this.channels.listSubscriptions(ref);
  }

  transaction<T>(fn: (tx: AsyncStore) => Promise<T>): Promise<T> {
    return this.db.atomic((db) => fn(new PostgresStore(db)));
  }
  digestCandidates(
    window: { from: Date; to: Date; minDate: string },
    page?: { offset: number; limit: number },
  ): Promise<DigestCandidate[]> {
    return this.runs.candidates(window, page);
  }
  closeDigestWindow(to: Date): Promise<void> {
    return this.runs.closeWindow(to);
  }
  createDigestRun(run: NewDigestRun): Promise<void> {
    return this.runs.create(run);
  }
  updateDigestRun(id: string, change: DigestRunChange, owner?: string): Promise<boolean> {
    return this.runs.update(id, change, owner);
  }
  completeDigestPart(deliveryId: string, messageId: string): Promise<boolean> {
    return this.runs.completePart(deliveryId, messageId);
  }
  openDigestRuns(ref?: ChannelRef): Promise<DigestRun[]> {
    return this.runs.open(ref);
  }
  recentDigestRuns(ref: ChannelRef, limit: number): Promise<DigestRun[]> {
    return this.runs.recent(ref, limit);
  }
  countDigestRunsByState(): Promise<Record<string, number>> {
    return this.runs.countByState();
  }
  digestPostings(
    paperId: string,
    scope: Pick<ChannelRef, 'platform' | 'workspace'> & { channel?: string },
    limit: number,
  ): Promise<DigestPosting[]> {
    return this.runs.postings(paperId, scope, limit);
  }
  digestPaperIdsForMessage(ref: ChannelRef, messageId: string): Promise<string[] | null> {
    return this.runs.paperIdsForMessage(ref, messageId);
  }
  /** Takes the run for `owner` for `leaseMs` (server clock); false while another owner's lease lives. */
  claimDigestRun(id: string, owner: string, now: Date, leaseMs: number): Promise<boolean> {
    return this.runs.claim(id, owner, now, leaseMs);
  }
  renewDigestRun(
    id: string,
    owner: string,
    now: Date,
    leaseMs: number,
    unpostedPart?: string,
  ): Promise<boolean> {
    return this.runs.renew(id, owner, now, leaseMs, unpostedPart);
  }
  releaseDigestRun(id: string, owner: string): Promise<void> {
    return this.runs.release(id, owner);
  }
  /** A transaction advisory lock on the channel's label, tried without waiting. */
  async tryLockChannel(ref: ChannelRef): Promise<boolean> {
    if (!this.db.inTransaction)
      throw new PaperboyError('INTERNAL', 'tryLockChannel belongs inside a store transaction.');
    const [row] = await this.db.rows<{ ok: boolean }>(
      'SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS ok',
      [CHANNEL_LOCK_SPACE, `${ref.platform}:${ref.workspace}:${ref.channel}`],
    );
    return row?.ok === true;
  }

  /**
   * Whether this instance polls the sources now: a session lock one instance holds at a time,
   * freed when its connection closes (the instance stopped or died), taken by the next to ask.
   */
  holdPollingLock(): Promise<boolean> {
    if (!(this.db instanceof PoolDb))
      throw new PaperboyError('INTERNAL', 'Ask the store for the polling lock, not a transaction.');
    this.pollLock ??= new SessionLock(this.db.pool, POLL_LOCK, this.pollLockOptions);
    return this.pollLock.tryHold();
  }

  recordSourceRun(run: SourceRun): Promise<void> {
    return this.ledger.recordSourceRun(run);
  }
  recentSourceRuns(source: string, limit: number): Promise<SourceRun[]> {
    return this.ledger.recentSourceRuns(source, limit);
  }

  putState(key: string, value: string, now: Date): Promise<void> {
    return this.ledger.putState(key, value, now);
  }
  replaceState(key: string, expected: string | null, value: string, now: Date): Promise<boolean> {
    return this.ledger.replaceState(key, expected, value, now);
  }
  getState(key: string): Promise<string | null> {
    return this.ledger.getState(key);
  }
  pruneState(prefix: string, before: Date): Promise<number> {
    return this.ledger.pruneState(prefix, before);
  }

  async close(): Promise<void> {
    this.pollLock?.close();
    if (this.db instanceof PoolDb) {
      if (!this.db.pool.ended) await this.db.pool.end();
      return;
    }
    throw new PaperboyError('INTERNAL', 'Close the store, not a transaction.');
  }
}
