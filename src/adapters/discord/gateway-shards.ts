import { type ClientOptions, GatewayCloseCodes } from 'discord.js';
import { PaperboyError } from '../../core/errors.js';
import { type DiscordShards, describeShards } from '../../discord-shards.js';

/**
 * discord.js's internal sharding: one client, one connection per shard id, in this process.
 * Always explicit, so discord.js never falls back to the SHARDS / SHARD_COUNT variables it
 * reads from the environment when these options are absent.
 */
export function shardOptions(shards: DiscordShards): Pick<ClientOptions, 'shards' | 'shardCount'> {
  if (shards === 'auto') return { shards: 'auto' };
  return { shards: [...shards.ids], shardCount: shards.count };
}

/**
 * The gateway closing a shard for good while starting, in words for the operator: discord.js
 * stops that shard and would otherwise leave start() waiting for a READY that never comes.
 */
export function shardRefused(
  code: number,
  shardId: number,
  shards: DiscordShards,
): PaperboyError | null {
  if (code === GatewayCloseCodes.ShardingRequired) {
    return new PaperboyError(
      'CONFIG_INVALID',
      `Discord requires more shards (close code 4011, Sharding required): the bot is in too many servers for shard ${shardId} with PAPERBOY_DISCORD_SHARDS=${describeShards(shards)}; ` +
        'set PAPERBOY_DISCORD_SHARDS=auto on a single instance, or a larger total split across instances (docs/operations.md, "Discord gateway shards").',
    );
  }
  if (code === GatewayCloseCodes.InvalidShard) {
    return new PaperboyError(
      'CONFIG_INVALID',
      `Discord refused shard ${shardId} (close code 4010, Invalid shard) with PAPERBOY_DISCORD_SHARDS=${describeShards(shards)}: ` +
        'every instance must use the same total, with ids from 0 to the total minus 1.',
    );
  }
  return null;
}
