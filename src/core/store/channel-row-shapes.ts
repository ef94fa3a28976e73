import type { Channel, ChannelRef, DigestDays, Schedule, Subscription } from './store.js';

/** A `channels` row as both stores read it (`paused` is 0/1 in SQLite, a boolean in PostgreSQL). */
export interface ChannelRow {
  platform: ChannelRef['platform'];
  workspace: string;
  channel: string;
  schedule_time: string | null;
  schedule_time_zone: string | null;
  schedule_days: DigestDays | null;
  schedule_size: number | null;
  schedule_set_at: string | null;
  paused: number | boolean;
  last_digest_at: string | null;
  failure_reason: string | null;
  failure_at: string | null;
  options: string;
}

export interface SubscriptionRow {
  platform: ChannelRef['platform'];
  workspace: string;
  channel: string;
  topic: string;
  added_by: string;
  added_at: string;
}

export function channelFromRow(row: ChannelRow): Channel {
  const schedule: Schedule | null =
    row.schedule_time && row.schedule_time_zone && row.schedule_days && row.schedule_size
      ? {
          time: row.schedule_time,
          timeZone: row.schedule_time_zone,
          days: row.schedule_days,
          size: row.schedule_size,
        }
      : null;
  return {
    ref: { platform: row.platform, workspace: row.workspace, channel: row.channel },
    schedule,
    scheduleSetAt: row.schedule_set_at,
    paused: row.paused === 1 || row.paused === true,
    lastDigestAt: row.last_digest_at,
    failure:
      row.failure_reason && row.failure_at
        ? { reason: row.failure_reason, at: row.failure_at }
        : null,
    options: JSON.parse(row.options) as Record<string, unknown>,
  };
}

export function subscriptionFromRow(row: SubscriptionRow): Subscription {
  return {
    channel: { platform: row.platform, workspace: row.workspace, channel: row.channel },
    topic: row.topic,
    addedBy: row.added_by,
    addedAt: row.added_at,
  };
}
