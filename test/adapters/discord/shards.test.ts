import { afterEach, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../src/commands/context.js';
import { runCommand } from '../../../src/commands/dispatch.js';
import type { CommandCall } from '../../../src/commands/spec.js';
import { isPaperboyError } from '../../../src/core/errors.js';
import type { DiscordShards } from '../../../src/discord-shards.js';
import {
  type FakeDiscord,
  type FakeDiscordOptions,
  startFakeDiscord,
} from '../../fakes/discord/fake-discord.js';
import { guildIdOnShard, shardOf } from '../../fakes/discord/gateway.js';
import { commandInteraction, sendCommand } from '../../fakes/discord/interactions.js';
import { digestReply } from './fixtures.js';
import { answerTo, failOnCrash, type Harness, startHarness } from './harness.js';

failOnCrash();

/** One harness (bot + adapter) on the given shards (default: the config's), noting the guild of every command it runs. */
async function instance(fake: FakeDiscord, shards?: DiscordShards) {
  const guilds: string[] = [];
  const run = (call: CommandCall, ctx: CommandContext) => {
    guilds.push(ctx.channel.workspace);
    return runCommand(call, ctx);
  };
  const h = await startHarness({ fake, discord: shards ? { shards } : {}, adapter: { run } });
  return { h, guilds };
}

/** A fake whose bot has a guild on each shard of `count`: the fixture guild, and one added per other shard. */
async function fakeWithGuilds(count: number, options: FakeDiscordOptions = {}) {
  // Enough identify concurrency that discord.js does not space the shards' IDENTIFYs 5 s apart.
  const fake = await startFakeDiscord({ maxConcurrency: 16, ...options });
  const channelOnShard = new Map<number, string>();
  channelOnShard.set(shardOf(fake.guildId, count), fake.channels.text);
  for (let shard = 0; shard < count; shard++) {
    if (!channelOnShard.has(shard))
      channelOnShard.set(shard, fake.addGuild(guildIdOnShard(shard, count)));
  }
  return { fake, channelOnShard };
}

const identified = (fake: FakeDiscord) =>
  fake.requests
    .filter((r) => r.method === 'GATEWAY' && r.path === 'op:2')
    .map((r) => r.body.shard as [number, number]);

describe('Discord gateway shards (discord.js internal sharding against the fake gateway)', () => {
  const open: Harness[] = [];
  let fake: FakeDiscord | undefined;
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close();
    await fake?.close();
    fake = undefined;
  });

  it('by default one connection identifies as shard 0 of 1 and holds every guild', async () => {
    ({ fake } = await fakeWithGuilds(3));
    const { h } = await instance(fake);
    expect(h.config.discord.shards).toEqual({ ids: [0], count: 1 });
    open.push(h);
    expect(identified(fake)).toEqual([[0, 1]]);
    for (const guild of fake.guildIds) {
      const channel = [...fake.channelById.values()].find((c) => c.guild_id === guild);
      const sent = commandInteraction(
        fake,
        'search',
        { query: 'robotics' },
        { channelId: channel?.id },
      );
      expect(fake.dispatch('INTERACTION_CREATE', sent.payload)).toBe(1);
      expect((await answerTo(fake, sent)).callbackType).toBeGreaterThan(0);
    }
  });

  it('3 shards in one process: each guild arrives on its own shard and every command is answered', async () => {
    const made = await fakeWithGuilds(3);
    fake = made.fake;
    const { h, guilds } = await instance(fake, { ids: [0, 1, 2], count: 3 });
    open.push(h);
    expect(identified(fake).sort()).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
    ]);
    expect(fake.connectedShards).toHaveLength(3);
    for (const shard of [0, 1, 2]) {
      const channelId = made.channelOnShard.get(shard);
      const sent = commandInteraction(fake, 'search', { query: 'robotics' }, { channelId });
      // Only the connection of that guild's shard gets the interaction.
      expect(fake.dispatch('INTERACTION_CREATE', sent.payload)).toBe(1);
      const answer = await answerTo(fake, sent);
      expect(answer.message.embeds?.[0]?.title ?? answer.message.content).toBeTruthy();
    }
    expect(guilds.map((g) => shardOf(g, 3))).toEqual([0, 1, 2]);
  });

  it('two instances split 2 shards: each identifies only its own and answers its guilds; DMs go to shard 0', async () => {
    const made = await fakeWithGuilds(2);
    fake = made.fake;
    const first = await instance(fake, { ids: [0], count: 2 });
    open.push(first.h);
    expect(identified(fake)).toEqual([[0, 2]]);
    // Nobody holds shard 1 yet: Discord would deliver that guild's interaction nowhere.
    const toShard1 = { channelId: made.channelOnShard.get(1) };
    expect(() => sendCommand(made.fake, 'help', {}, toShard1)).toThrow(
      /no identified connection for guild \d+'s shard/,
    );

    const second = await instance(fake, { ids: [1], count: 2 });
    open.push(second.h);
    expect(identified(fake)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    for (const shard of [0, 1]) {
      const sent = sendCommand(
        fake,
        'search',
        { query: 'robotics' },
        { channelId: made.channelOnShard.get(shard) },
      );
      expect((await answerTo(fake, sent)).callbackType).toBeGreaterThan(0);
    }
    const dm = sendCommand(fake, 'search', { query: 'robotics' }, { dm: true });
    expect((await answerTo(fake, dm)).callbackType).toBeGreaterThan(0);
    expect(first.guilds.map((g) => (g === 'dm' ? 'dm' : shardOf(g, 2)))).toEqual([0, 'dm']);
    expect(second.guilds.map((g) => shardOf(g, 2))).toEqual([1]);
  });

  it('an instance posts a digest over REST to a guild on a shard it does not hold', async () => {
    const made = await fakeWithGuilds(2);
    fake = made.fake;
    const { h } = await instance(fake, { ids: [0], count: 2 });
    open.push(h);
    const channel = made.channelOnShard.get(1) as string;
    const guild = fake.channel(channel)?.guild_id as string;
    expect(shardOf(guild, 2)).toBe(1);
    const result = await h.adapter.post(
      { platform: 'discord', workspace: guild, channel },
      digestReply('d-other-shard'),
    );
    expect(result.messageIds).toEqual(fake.messages(channel).map((m) => m.id));
    expect(result.messageIds).toHaveLength(1);
    expect(
      await h.adapter.findDelivery(
        { platform: 'discord', workspace: guild, channel },
        'd-other-shard',
      ),
    ).toBe(result.messageIds[0]);
  });

  it('"auto" runs as many shards as GET /gateway/bot recommends', async () => {
    ({ fake } = await fakeWithGuilds(2, { recommendedShards: 2 }));
    const { h } = await instance(fake, 'auto');
    open.push(h);
    expect(identified(fake).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
  });

  it('Discord requiring more shards (4011) stops start() at once with what to set', async () => {
    // Discord's limit is 2,500 guilds a shard; the fake's is lowered to 1 for two guilds.
    ({ fake } = await fakeWithGuilds(2, { maxGuildsPerShard: 1 }));
    const started = startHarness({ fake, discord: { shards: { ids: [0], count: 1 } } });
    const error = await started.then(
      () => null,
      (e: unknown) => e,
    );
    expect(isPaperboyError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(
      /^Discord requires more shards \(close code 4011, Sharding required\).*PAPERBOY_DISCORD_SHARDS=auto/,
    );
    expect(fake.connectedShards).toEqual([]);
  });
});
