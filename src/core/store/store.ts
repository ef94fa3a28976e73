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
  /** When the schedule was last set (ISO); the first digest looks back to here (at most 24 h). */
  scheduleSetAt: string | null;
  paused: boolean;
  lastDigestAt: string | null;
  /** Why posting here fails, when it does (e.g. "missing permission: Send Messages"). */
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

export type DeliveryState = 'pending' | 'sent' | 'failed';

export interface Delivery {
  id: string;
  channel: ChannelRef;
  /** Local digest day `YYYY-MM-DD` in the channel's time zone. */
  digestDate: string;
  part: number;
  paperIds: string[];
  state: DeliveryState;
  messageId: string | null;
  createdAt: string;
  error: string | null;
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
  /** Every paper, in insertion order, a batch at a time (for rebuilds). */
  iteratePapers(batchSize?: number): Iterable<Paper[]>;

  // Channels
  getChannel(ref: ChannelRef): Channel | null;
  listChannels(): Channel[];
  setSchedule(ref: ChannelRef, schedule: Schedule | null, now: Date): Channel;
  setChannelOptions(ref: ChannelRef, options: Record<string, unknown>): Channel;
  /** Pauses or resumes the channel's digest (the row is created when missing). */
  setPaused(ref: ChannelRef, paused: boolean): Channel;
  setLastDigestAt(ref: ChannelRef, at: Date): void;
  /** Records (or clears, with `null`) why posting to the channel fails. */
  setChannelFailure(ref: ChannelRef, reason: string | null, now: Date): void;

  // Subscriptions
  addSubscription(sub: Subscription): 'added' | 'exists';
  removeSubscription(ref: ChannelRef, topic: string): boolean;
  listSubscriptions(ref: ChannelRef): Subscription[];

  // Deliveries: the exactly-once ledger
  createDelivery(d: Omit<Delivery, 'id' | 'state' | 'messageId' | 'error'>): Delivery;
  completeDelivery(id: string, messageId: string): void;
  failDelivery(id: string, error: string): void;
  pendingDeliveries(): Delivery[];
  listDeliveries(ref: ChannelRef, digestDate?: string): Delivery[];
  /** Ids of every paper already delivered (sent or pending) to the channel. */
  deliveredPaperIds(ref: ChannelRef): Set<string>;
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
  /** Deletes the keys starting with `prefix` last written before `before`; returns how many. */
  pruneState(prefix: string, before: Date): number;

  close(): void;
}
