import type { Database } from 'better-sqlite3';
import {
  type ChannelRow,
  channelFromRow,
  type SubscriptionRow,
  subscriptionFromRow,
} from './channel-row-shapes.js';
import { inWriteTransaction, StatementCache } from './statements.js';
import type { Channel, ChannelRef, Schedule, Subscription } from './store.js';

const KEY = 'platform = @platform AND workspace = @workspace AND channel = @channel';

function refParams(ref: ChannelRef) {
  return { platform: ref.platform, workspace: ref.workspace, channel: ref.channel };
}

/** Channels and their subscriptions. A channel row appears the first time anything is set on it. */
export class ChannelTable {
  private readonly statements: StatementCache;

  constructor(private readonly db: Database) {
    this.statements = new StatementCache(db);
  }

  /** Creates the channel row when missing (subscriptions and deliveries reference it). */
  ensure(ref: ChannelRef): void {
    this.statements
      .get(
        'INSERT OR IGNORE INTO channels (platform, workspace, channel) VALUES (@platform, @workspace, @channel)',
      )
      .run(refParams(ref));
  }

  get(ref: ChannelRef): Channel | null {
    const row = this.statements.get(`SELECT * FROM channels WHERE ${KEY}`).get(refParams(ref)) as
      | ChannelRow
      | undefined;
    return row ? channelFromRow(row) : null;
  }

  list(): Channel[] {
    const rows = this.statements
      .get('SELECT * FROM channels ORDER BY platform, workspace, channel')
      .all() as ChannelRow[];
    return rows.map(channelFromRow);
  }

  /** Runs `set` on the channel row (created if needed) and returns the channel after it. */
  private change(ref: ChannelRef, set: string, params: Record<string, unknown>): Channel {
    return inWriteTransaction(this.db, () => {
      this.ensure(ref);
      this.statements
        .get(`UPDATE channels SET ${set} WHERE ${KEY}`)
        .run({ ...refParams(ref), ...params });
      return this.get(ref) as Channel;
    });
  }

  setSchedule(ref: ChannelRef, schedule: Schedule | null, now: Date): Channel {
    return this.change(
      ref,
      'schedule_time = @time, schedule_time_zone = @timeZone, schedule_days = @days, ' +
        // The first time a schedule was set is kept across reschedules: a channel's first
        // digest window starts there, so moving the time before it never skips papers.
        'schedule_size = @size, schedule_set_at = CASE WHEN @setAt IS NULL THEN NULL ' +
        'ELSE min(coalesce(schedule_set_at, @setAt), @setAt) END',
      {
        time: schedule?.time ?? null,
        timeZone: schedule?.timeZone ?? null,
        days: schedule?.days ?? null,
        size: schedule?.size ?? null,
        setAt: schedule ? now.toISOString() : null,
      },
    );
  }

  setOptions(ref: ChannelRef, options: Record<string, unknown>): Channel {
    return this.change(ref, 'options = @options', { options: JSON.stringify(options) });
  }

  setPaused(ref: ChannelRef, paused: boolean): Channel {
    return this.change(ref, 'paused = @paused', { paused: paused ? 1 : 0 });
  }

  setLastDigestAt(ref: ChannelRef, at: Date): void {
    this.change(ref, 'last_digest_at = @at', { at: at.toISOString() });
  }

  setFailure(ref: ChannelRef, reason: string | null, now: Date): void {
    // The streak's first refusal is kept: the digest pauses a channel refused for days.
    this.change(
      ref,
      'failure_reason = @reason, failure_at = CASE WHEN @reason IS NULL THEN NULL ELSE coalesce(failure_at, @at) END',
      {
        reason,
        at: reason === null ? null : now.toISOString(),
      },
    );
  }

  addSubscription(sub: Subscription): 'added' | 'exists' {
    return inWriteTransaction(this.db, () => {
      this.ensure(sub.channel);
      const result = this.statements
        .get(
          `INSERT OR IGNORE INTO subscriptions (platform, workspace, channel, topic, added_by, added_at)
           VALUES (@platform, @workspace, @channel, @topic, @addedBy, @addedAt)`,
        )
        .run({
          ...refParams(sub.channel),
          topic: sub.topic,
          addedBy: sub.addedBy,
          addedAt: sub.addedAt,
        });
      return result.changes === 1 ? ('added' as const) : ('exists' as const);
    });
  }

  removeSubscription(ref: ChannelRef, topic: string): boolean {
    const result = this.statements
      .get(`DELETE FROM subscriptions WHERE ${KEY} AND topic = @topic`)
      .run({ ...refParams(ref), topic });
    return result.changes > 0;
  }

  listSubscriptions(ref: ChannelRef): Subscription[] {
    const rows = this.statements
      .get(`SELECT * FROM subscriptions WHERE ${KEY} ORDER BY added_at, topic`)
      .all(refParams(ref)) as SubscriptionRow[];
    return rows.map(subscriptionFromRow);
  }
}
