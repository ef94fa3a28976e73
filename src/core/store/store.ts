import type { Paper, PaperRecord } from '../paper.js';

/** Where a channel lives. The terminal is `{ platform: 'shell', workspace: 'local', channel: 'default' }`. */
export interface ChannelRef {
  platform: 'discord' | 'slack' | 'shell' | 'fake';
  /** Discord guild id (or `dm`), Slack team id, `local` for the terminal. */
  workspace: string;
  channel: string;
}

export const SHELL_CHANNEL: ChannelRef = Object.freeze({
  platform: 'shell',
  workspace: 'local',
  channel: 'default',
});

export type DigestDays = 'every' | 'weekdays';

export interface Schedule {
  /** Local time `HH:MM`. */
  time: string;
  /** IANA time zone. */
  timeZone: string;
  days: DigestDays;
  /** Papers in all. */
  size: number;
}

export interface Channel {
  ref: ChannelRef;
  schedule: Schedule | null;
  /** When the schedule was first set (ISO; kept across reschedules, cleared when turned off): the first digest looks back to here. */
  scheduleSetAt: string | null;
  paused: boolean;
  /**
   * The digest cursor: the window end of the last posted (or deliberately empty) run.
   * The next run's window starts here.
   */
  lastDigestAt: string | null;
  /**
   * Why posting here is refused, when it is (e.g. "missing permission: Send Messages"),
   * and since when (the first refusal of the streak).
   */
  failure: { reason: string; at: string } | null;
  /** Platform-specific posting options (Discord thread/crosspost, Slack thread mode). */
  options: Record<string, unknown>;
}

export interface Subscription {
  channel: ChannelRef;
  /** Normalised topic text (a saved search). */
  topic: string;
  addedBy: string;
  addedAt: string;
}

export type DigestRunState = 'planned' | 'posting' | 'posted' | 'empty' | 'retrying' | 'abandoned';

/** One message of a digest run: recorded before it is posted, completed with the message id after. */
export interface DigestPart {
  /** Carried in the message (Discord embed footer, Slack metadata) so a crash can find it. */
  deliveryId: string;
  /** 1-based. */
  part: number;
  /** The message as planned (JSON, the digest module's own format). */
  plan: string;
  messageId: string | null;
}

/** A channel's digest: its window, the papers chosen from it, and how posting went. */
export interface DigestRun {
  id: string;
  channel: ChannelRef;
  /** Local day of the run in the channel's zone, `YYYY-MM-DD` (the title's date). */
  digestDate: string;
  /** The window `(from, to]` of first-seen times, fixed when the run is planned (ISO). */
  from: string;
  to: string;
  /** Chosen papers, in digest order (for an `abandoned` run: the papers it skipped or carried). */
  paperIds: string[];
  /** A line shown with the digest (e.g. papers carried over from a failed day). */
  note: string | null;
  state: DigestRunState;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  parts: DigestPart[];
}

export type NewDigestRun = Omit<DigestRun, 'state' | 'attempts' | 'nextAttemptAt' | 'lastError'> & {
  state: 'planned' | 'empty';
};

export type DigestRunChange = Partial<
  Pick<DigestRun, 'state' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'paperIds'>
>;

/** A channel whose posted digests carried a paper, and the first day one did. */
export interface DigestPosting {
  channel: ChannelRef;
  /** The earliest `digestDate` of the channel's posted runs holding the paper. */
  digestDate: string;
}

/** The rank fields of a paper that may enter a digest (no abstract, no authors: cheap to hold). */
export interface DigestCandidate {
  id: string;
  upvotes: number | null;
  firstSeenAt: string;
  publishedAt: string | null;
}

export interface SourceRun {
  source: string;
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  /** Papers the feed returned. */
  fetched: number;
  /** Papers not stored before. */
  added: number;
  /** Warnings and errors, user-readable. */
  messages: string[];
}

export interface UpsertSummary {
  added: string[];
  /** A stored field changed. */
  updated: string[];
  unchanged: number;
  /** `replace` records of papers not stored: a new version of an unknown paper is never new. */
  skippedReplacements: string[];
}

/** A cheap fingerprint of the paper table; any write changes it. */
export interface PapersStamp {
  count: number;
  /** Highest change sequence number written so far. */
  lastChange: number;
}

/**
 * The narrow interface every store implements. Kept small so that a second
 * implementation (e.g. PostgreSQL) can pass the same conformance suite.
 * All timestamps are ISO-8601 strings; `now` is passed in, never read.
 */
export interface Store {
  // Papers
  upsertPapers(records: PaperRecord[], now: Date): UpsertSummary;
  getPaper(id: string): Paper | null;
  getPapers(ids: string[]): Paper[];
  countPapers(): number;
  papersStamp(): PapersStamp;
  /** Papers first seen at or after `since`, newest first. */
  papersSeenSince(since: Date, options?: { includeSample?: boolean; limit?: number }): Paper[];
  /** The `limit` papers a feed listed last (by listing day, `feedDate`); others left out. */
  newestListed(limit: number): Paper[];
  /** Every paper, in insertion order, a batch at a time (for rebuilds). */
  iteratePapers(batchSize?: number): Iterable<Paper[]>;

  // Channels
  getChannel(ref: ChannelRef): Channel | null;
  listChannels(): Channel[];
  setSchedule(ref: ChannelRef, schedule: Schedule | null, now: Date): Channel;
  setChannelOptions(ref: ChannelRef, options: Record<string, unknown>): Channel;
  /** Pauses or resumes the channel's digest (the row is created when missing). */
  setPaused(ref: ChannelRef, paused: boolean): Channel;
  /** Moves the digest cursor (the digest module does, to a posted run's window end). */
  setLastDigestAt(ref: ChannelRef, at: Date): void;
  /** Records (or clears, with `null`) why posting to the channel is refused; a repeat keeps `at`. */
  setChannelFailure(ref: ChannelRef, reason: string | null, now: Date): void;

  // Subscriptions
  addSubscription(sub: Subscription): 'added' | 'exists';
  removeSubscription(ref: ChannelRef, topic: string): boolean;
  listSubscriptions(ref: ChannelRef): Subscription[];

  // Digest runs: the exactly-once ledger (only the digest module writes it)
  /** Runs `fn` in one transaction: every write in it lands, or none does. `fn` is synchronous. */
  transaction<T>(fn: () => T): T;
  /**
   * Papers that may enter a digest planned over `(from, to]`: not samples, not known only
   * from a link lookup (`arxiv-lookup`: someone linked it, no feed listed it), first seen in
   * the window (after the cursor, up to the plan time, so a paper stored in the same
   * millisecond as the plan is in it, and one stored later is in the next), and dated (the later of feed date and publication date) on or after
   * `minDate` (`YYYY-MM-DD`). Digest order: known upvotes first, more first, then newest.
   * `page` reads a slice of that order (the digest reads a bounded prefix, more on demand).
   */
  digestCandidates(
    window: { from: Date; to: Date; minDate: string },
    page?: { offset: number; limit: number },
  ): DigestCandidate[];
  /**
   * Called before a digest reads the papers of a window ending at `to`: a paper written once
   * this returns is first seen after `to` (`upsertPapers` raises its stamp past the latest
   * closed window end), so it is in this window's read or in the next window, never lost
   * between them, also when its writer (another instance, `npm run ingest`) waited for the
   * write lock or its clock runs behind. A write in progress finishes before this returns.
   */
  closeDigestWindow(to: Date): void;
  /** Writes a planned (or empty) run and its parts together. */
  createDigestRun(run: NewDigestRun): void;
  /**
   * Changes an open run and returns true. A run that ended (posted, empty, abandoned) is never
   * changed again, and with `owner` the change is made only while `owner` holds the run's
   * claim (a process that lost the run to another changes nothing): both return false.
   * Throws NOT_FOUND for an unknown run.
   */
  updateDigestRun(id: string, change: DigestRunChange, owner?: string): boolean;
  /**
   * Records the platform message of a part and returns true; a part already recorded keeps
   * its first message (false). Throws NOT_FOUND for an unknown part.
   */
  completeDigestPart(deliveryId: string, messageId: string): boolean;
  /**
   * Takes the run for `owner` until `now + leaseMs`, atomically: when nobody holds it, when
   * its holder's lease has expired (a dead process), or when `owner` already holds it.
   * Returns false when another owner holds a live lease. Throws NOT_FOUND for an unknown run.
   * PostgreSQL measures leases on the database server's clock, not `now`: instances on
   * several hosts may disagree about the time, the server is the one clock they share.
   */
  claimDigestRun(id: string, owner: string, now: Date, leaseMs: number): boolean;
  /**
   * Extends `owner`'s claim by `leaseMs` (as `claimDigestRun` measures it), only while `owner`
   * still holds it, the run is open and, with `unpostedPart`, that part has no message yet.
   * Never takes a run nobody holds: a process that lost its run cannot get it back this way.
   */
  renewDigestRun(
    id: string,
    owner: string,
    now: Date,
    leaseMs: number,
    unpostedPart?: string,
  ): boolean;
  /** Clears the run's claim when `owner` holds it (another owner's claim is left alone). */
  releaseDigestRun(id: string, owner: string): void;
  /**
   * Inside a transaction: takes the right to plan the channel until the transaction ends, or
   * returns false at once when another transaction (another instance) has it, so planners skip
   * a channel being planned instead of queueing on it. SQLite: always true (its IMMEDIATE
   * transaction already admits one writer at a time).
   */
  tryLockChannel(ref: ChannelRef): boolean;
  /** Runs still to settle (planned, posting, retrying), oldest first; one channel's, or all. */
  openDigestRuns(ref?: ChannelRef): DigestRun[];
  /** The channel's runs, newest first. */
  recentDigestRuns(ref: ChannelRef, limit: number): DigestRun[];
  /**
   * Which channels of one workspace (or, with `channel`, that channel alone) posted a digest
   * holding the paper, each with its first such day: earliest first, at most `limit`. One
   * index lookup (a link card's "Posted here on"), however long the digest history.
   */
  digestPostings(
    paperId: string,
    scope: Pick<ChannelRef, 'platform' | 'workspace'> & { channel?: string },
    limit: number,
  ): DigestPosting[];
  /** How many digest runs are in each state (for /metrics). */
  countDigestRunsByState(): Record<string, number>;
  /**
   * The papers of the digest a posted message belongs to (every part of its run), or
   * `null` when the message is not a digest's: questions asked in a digest's thread are
   * answered about its papers first.
   */
  digestPaperIdsForMessage(ref: ChannelRef, messageId: string): string[] | null;

  // Source runs
  recordSourceRun(run: SourceRun): void;
  recentSourceRuns(source: string, limit: number): SourceRun[];

  // Small keyed state (e.g. paging state that does not fit a Discord custom_id)
  putState(key: string, value: string, now: Date): void;
  getState(key: string): string | null;
  /**
   * Writes `value` only if the key still holds `expected` (`null`: absent); true when this
   * call wrote it. Several instances that saw the same change: only one claims it.
   */
  replaceState(key: string, expected: string | null, value: string, now: Date): boolean;
  /** Deletes the keys starting with `prefix` last written before `before`; returns how many. */
  pruneState(prefix: string, before: Date): number;

  close(): void;
}
