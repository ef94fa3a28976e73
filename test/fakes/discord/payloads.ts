/** Discord API object shapes the fake hands to discord.js (only the fields it reads). */

export const CHANNEL_TYPES = {
  text: 0,
  dm: 1,
  announcement: 5,
  publicThread: 11,
  forum: 15,
} as const;

let snowflakeCounter = 0n;

/** Increasing snowflake-shaped ids, so "newest first" ordering works like Discord's. */
export function nextSnowflake(): string {
  snowflakeCounter += 1n;
  // 2026-01-01 in Discord's epoch, shifted, plus a counter.
  return (((1767225600000n - 1420070400000n) << 22n) + snowflakeCounter).toString();
}

export function userPayload(id: string, username: string, bot = false) {
  return {
    id,
    username,
    discriminator: '0',
    global_name: username,
    avatar: null,
    bot,
    public_flags: 0,
  };
}

export interface FakeChannel {
  id: string;
  type: number;
  name: string;
  guild_id?: string;
  parent_id?: string | null;
  recipients?: ReturnType<typeof userPayload>[];
}

export function channelPayload(channel: FakeChannel): Record<string, unknown> {
  const base: Record<string, unknown> = {
    id: channel.id,
    type: channel.type,
    name: channel.name,
    flags: 0,
    last_message_id: null,
  };
  if (channel.type === CHANNEL_TYPES.dm) {
    return { ...base, name: undefined, recipients: channel.recipients ?? [] };
  }
  Object.assign(base, {
    guild_id: channel.guild_id,
    position: 0,
    permission_overwrites: [],
    parent_id: channel.parent_id ?? null,
    nsfw: false,
    rate_limit_per_user: 0,
    topic: null,
  });
  if (channel.type === CHANNEL_TYPES.forum) {
    Object.assign(base, {
      available_tags: [],
      default_reaction_emoji: null,
      default_sort_order: null,
      default_forum_layout: 0,
      default_thread_rate_limit_per_user: 0,
    });
  }
  if (channel.type === CHANNEL_TYPES.publicThread) {
    Object.assign(base, {
      owner_id: '1',
      message_count: 0,
      member_count: 1,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 1440,
        archive_timestamp: new Date(0).toISOString(),
        locked: false,
      },
    });
  }
  return base;
}

export function messagePayload(
  id: string,
  channelId: string,
  author: ReturnType<typeof userPayload>,
  body: Record<string, unknown>,
  webhookId?: string,
): Record<string, unknown> {
  return {
    id,
    channel_id: channelId,
    author,
    content: typeof body.content === 'string' ? body.content : '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: Array.isArray(body.embeds) ? body.embeds : [],
    components: Array.isArray(body.components) ? body.components : [],
    pinned: false,
    type: 0,
    flags: typeof body.flags === 'number' ? body.flags : 0,
    ...(body.nonce !== undefined ? { nonce: body.nonce } : {}),
    ...(webhookId ? { webhook_id: webhookId } : {}),
  };
}

export function guildCreatePayload(
  guildId: string,
  channels: FakeChannel[],
  threads: FakeChannel[],
): Record<string, unknown> {
  return {
    id: guildId,
    name: 'Paper Lab',
    icon: null,
    splash: null,
    banner: null,
    owner_id: '1',
    unavailable: false,
    large: false,
    member_count: 2,
    joined_at: new Date(0).toISOString(),
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    system_channel_flags: 0,
    preferred_locale: 'en-US',
    features: [],
    roles: [
      {
        id: guildId,
        name: '@everyone',
        permissions: '0',
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    emojis: [],
    stickers: [],
    members: [],
    voice_states: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    channels: channels.map(channelPayload),
    threads: threads.map(channelPayload),
  };
}
