import {
  type ChannelRow,
  channelFromRow,
  type SubscriptionRow,
  subscriptionFromRow,
} from '../channel-row-shapes.js';
import type { Channel, ChannelRef, Schedule, Subscription } from '../store.js';
import type { Db, Param } from './db.js';

const KEY = 'platform = $1 AND workspace = $2 AND channel = $3';

function refParams(ref: ChannelRef): Param[] {
  return [ref.platform, ref.workspace, ref.channel];
}

/** Channels and their subscriptions on PostgreSQL (as the SQLite ChannelTable). */
export class PgChannelTable {
  constructor(private readonly db: Db) {}

  /** Creates the channel row when missing (subscriptions and digest runs reference it). */
  async ensure(db: Db, ref: ChannelRef): Promise<void> {
    await db.run(
      'INSERT INTO channels (platform, workspace, channel) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      refParams(ref),
    );
  }

  async get(ref: ChannelRef): Promise<Channel | null> {
    const [row] = await this.db.rows<ChannelRow>(
      `SELECT * FROM channels WHERE ${KEY}`,
      refParams(ref),
    );
    return row ? channelFromRow(row) : null;
  }

  async list(): Promise<Channel[]> {
    const rows = await this.db.rows<ChannelRow>(
      'SELECT * FROM channels ORDER BY platform, workspace, channel',
    );
    return rows.map(channelFromRow);
  }

  /** Runs `set` (parameters from $4) on the channel row, created if needed; returns the channel. */
  private change(ref: ChannelRef, set: string, params: Param[]): Promise<Channel> {
    return this.db.atomic(async (db) => {
      await this.ensure(db, ref);
      const [row] = await db.rows<ChannelRow>(
        `UPDATE channels SET ${set} WHERE ${KEY} RETURNING *`,
        [...refParams(ref), ...params],
      );
      return channelFromRow(row as ChannelRow);
    });
  }

  setSchedule(ref: ChannelRef, schedule: Schedule | null, now: Date): Promise<Channel> {
    return this.change(
      ref,
      'schedule_time = $4, schedule_time_zone = $5, schedule_days = $6, schedule_size = $7, ' +
        // The first time a schedule was set is kept across reschedules (see the SQLite store).
        'schedule_set_at = CASE WHEN $8::text IS NULL THEN NULL ' +
        'ELSE least(coalesce(schedule_set_at, $8::text), $8::text) END',
      [
        schedule?.time ?? null,
        schedule?.timeZone ?? null,
        schedule?.days ?? null,
        schedule?.size ?? null,
        schedule ? now.toISOString() : null,
      ],
    );
  }

  setOptions(ref: ChannelRef, options: Record<string, unknown>): Promise<Channel> {
    return this.change(ref, 'options = $4', [JSON.stringify(options)]);
  }

  setPaused(ref: ChannelRef, paused: boolean): Promise<Channel> {
    return this.change(ref, 'paused = $4', [paused]);
  }

  async setLastDigestAt(ref: ChannelRef, at: Date): Promise<void> {
    await this.change(ref, 'last_digest_at = $4', [at.toISOString()]);
  }

  async setFailure(ref: ChannelRef, reason: string | null, now: Date): Promise<void> {
    // The streak's first refusal is kept: the digest pauses a channel refused for days.
    await this.change(
      ref,
      'failure_reason = $4::text, failure_at = CASE WHEN $4::text IS NULL THEN NULL ' +
        'ELSE coalesce(failure_at, $5::text) END',
      [reason, reason === null ? null : now.toISOString()],
    );
  }

  addSubscription(sub: Subscription): Promise<'added' | 'exists'> {
    return this.db.atomic(async (db) => {
      await this.ensure(db, sub.channel);
      const inserted = await db.run(
        `INSERT INTO subscriptions (platform, workspace, channel, topic, added_by, added_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [...refParams(sub.channel), sub.topic, sub.addedBy, sub.addedAt],
      );
      return inserted === 1 ? ('added' as const) : ('exists' as const);
    });
  }

  async removeSubscription(ref: ChannelRef, topic: string): Promise<boolean> {
    const removed = await this.db.run(`DELETE FROM subscriptions WHERE ${KEY} AND topic = $4`, [
      ...refParams(ref),
      topic,
    ]);
    return removed > 0;
  }

  async listSubscriptions(ref: ChannelRef): Promise<Subscription[]> {
    const rows = await this.db.rows<SubscriptionRow>(
      `SELECT * FROM subscriptions WHERE ${KEY} ORDER BY added_at, topic`,
      refParams(ref),
    );
    return rows.map(subscriptionFromRow);
  }
}
