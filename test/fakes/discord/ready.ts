import type { FakeDiscord } from './fake-discord.js';
import { type IdentifyAnswer, type ShardKey, shardOf } from './gateway.js';
import { CHANNEL_TYPES, guildCreatePayload } from './payloads.js';

/** A guild as GUILD_CREATE carries it: its channels, and its threads apart. */
export function guildCreate(fake: FakeDiscord, guildId: string): Record<string, unknown> {
  const all = [...fake.channelById.values()].filter((c) => c.guild_id === guildId);
  const threads = all.filter((c) => c.type === CHANNEL_TYPES.publicThread);
  return guildCreatePayload(
    guildId,
    all.filter((c) => !threads.includes(c)),
    threads,
  );
}

/**
 * What IDENTIFY for a shard gets: READY listing that shard's guilds as unavailable, then a
 * GUILD_CREATE for each; or 4011 Sharding required when the shard would hold too many.
 */
export function identifyAnswer(
  fake: FakeDiscord,
  shard: ShardKey,
  sessionId: string,
): IdentifyAnswer {
  const [id, count] = shard;
  const guilds = fake.guildIds.filter((g) => shardOf(g, count) === id);
  if (guilds.length > fake.maxGuildsPerShard) return { close: 4011, reason: 'Sharding required' };
  const ready = {
    t: 'READY',
    d: {
      v: 10,
      user: fake.bot,
      guilds: guilds.map((g) => ({ id: g, unavailable: true })),
      session_id: sessionId,
      resume_gateway_url: `ws://127.0.0.1:${fake.port}`,
      shard: [id, count],
      application: { id: fake.applicationId, flags: 0 },
    },
  };
  return {
    events: [ready, ...guilds.map((g) => ({ t: 'GUILD_CREATE', d: guildCreate(fake, g) }))],
  };
}
