import { type Client, type ClientOptions, Events, GatewayCloseCodes } from 'discord.js';
import { PaperboyError } from '../../core/errors.js';
import type { DiscordShards } from '../../discord-shards.js';

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
 * `count` is the total in use (Discord's recommendation under `auto`).
 */
export function shardRefused(code: number, shardId: number, count: number): PaperboyError | null {
  if (code === GatewayCloseCodes.ShardingRequired) {
    return new PaperboyError(
      'CONFIG_INVALID',
      `Discord requires more shards (close code 4011, Sharding required): shard ${shardId} of ${count} would hold too many servers; ` +
        'set PAPERBOY_DISCORD_SHARDS=auto on a single instance, or a larger total split across instances (docs/operations.md, "Discord gateway shards").',
    );
  }
  if (code === GatewayCloseCodes.InvalidShard) {
    return new PaperboyError(
      'CONFIG_INVALID',
      `Discord refused shard ${shardId} of ${count} (close code 4010, Invalid shard): ` +
        'every instance must use the same total in PAPERBOY_DISCORD_SHARDS, with ids from 0 to the total minus 1.',
    );
  }
  return null;
}

/**
 * Logs in and resolves once every shard of this client is ready; rejects on a refused
 * token, a shard the gateway closes for good (4010/4011), or no shard becoming ready for
 * `timeoutMs`. The deadline restarts at each ready shard: Discord spaces IDENTIFYs 5 s
 * apart (per max_concurrency), so many shards take longer than one deadline for them all.
 */
export function loginUntilReady(client: Client, token: string, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const awaitProgress = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          settle(new PaperboyError('INTERNAL', 'Discord gateway did not become ready in time.')),
        timeoutMs,
      );
    };
    const onDisconnect = ({ code }: { code: number }, shard: number) => {
      const refused = shardRefused(code, shard, client.options.shardCount ?? 1);
      if (refused) settle(refused);
    };
    const onReady = () => settle(null);
    const settle = (error: unknown) => {
      clearTimeout(timer);
      client.off(Events.ShardReady, awaitProgress);
      client.off(Events.ShardDisconnect, onDisconnect);
      client.off(Events.ClientReady, onReady);
      if (error) reject(error);
      else resolve();
    };
    awaitProgress();
    client.on(Events.ShardReady, awaitProgress);
    client.on(Events.ShardDisconnect, onDisconnect);
    client.once(Events.ClientReady, onReady);
    client.login(token).catch(settle);
  });
}
