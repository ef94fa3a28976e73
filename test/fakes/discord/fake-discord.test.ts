import { EventEmitter } from 'node:events';
import { Client, Events, GatewayIntentBits, Routes } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { failOnCrash } from '../../adapters/discord/harness.js';
import { type FakeDiscord, startFakeDiscord } from './fake-discord.js';
import { guildIdOnShard, shardOf } from './gateway.js';
import { sendCommand } from './interactions.js';
import type { Json } from './recorder.js';

failOnCrash();

describe('fake Discord with the real discord.js', () => {
  let fake: FakeDiscord;
  let client: Client;

  beforeEach(async () => {
    fake = await startFakeDiscord();
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
    const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
    await client.login('fake-token');
    await ready;
  });

  afterEach(async () => {
    await client.destroy();
    await fake.close();
  });

  it('logs in, caches the guild channels and answers an interaction', async () => {
    expect(client.channels.cache.get(fake.channels.forum)?.type).toBe(15);
    expect(client.channels.cache.get(fake.channels.thread)?.isThread()).toBe(true);
    client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.reply({ content: `hi ${interaction.options.getString('query')}` });
    });
    const sent = sendCommand(fake, 'search', { query: 'robotics' });
    const callback = await fake.waitFor((r) => r.path.includes(`/interactions/${sent.id}/`));
    expect(callback.hasAuthorization).toBe(false);
    expect(callback.body).toMatchObject({ type: 4, data: { content: 'hi robotics' } });
  });

  it('answers 429 with retry headers and discord.js retries', async () => {
    fake.fail({
      method: 'POST',
      path: /\/channels\/\d+\/messages$/,
      status: 429,
      retryAfter: 0.02,
    });
    const message = (await client.rest.post(Routes.channelMessages(fake.channels.text), {
      body: { content: 'x' },
    })) as { id: string };
    const attempts = fake.requests.filter(
      (r) => r.method === 'POST' && r.path.endsWith('/messages'),
    );
    expect(attempts.map((r) => r.status)).toEqual([429, 200]);
    expect(fake.messages(fake.channels.text).map((m) => m.id)).toEqual([message.id]);
  });

  it('refuses with 403 and Discord error codes', async () => {
    fake.fail({ path: /\/channels\//, status: 403 });
    await expect(
      client.rest.post(Routes.channelMessages(fake.channels.text), { body: { content: 'x' } }),
    ).rejects.toMatchObject({ status: 403, code: 50013 });
  });

  it('refuses a message whose embeds total over 6,000 characters, like Discord (50035)', async () => {
    const embed = (n: number) => ({ title: 't'.repeat(200), description: 'd'.repeat(n) });
    const post = (n: number) =>
      client.rest.post(Routes.channelMessages(fake.channels.text), {
        body: { embeds: [embed(2800), embed(n)] },
      });
    await expect(post(2801)).rejects.toMatchObject({ status: 400, code: 50035 });
    await expect(post(2800)).resolves.toMatchObject({ channel_id: fake.channels.text });
    expect(fake.messages(fake.channels.text)).toHaveLength(1);
  });

  it('a dropped gateway connection is resumed and interactions keep flowing', async () => {
    client.on(Events.InteractionCreate, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'still here' });
    });
    fake.dropGatewayConnections();
    await fake.waitFor((r) => r.method === 'GATEWAY' && r.path === 'op:6', 10_000);
    const sent = sendCommand(fake, 'help');
    const callback = await fake.waitFor((r) => r.path.includes(`/interactions/${sent.id}/`));
    expect(callback.body.data.content).toBe('still here');
    expect(fake.identifies).toBe(1);
  });
});

describe('fake Discord gateway: shards as Discord routes them', () => {
  let fake: FakeDiscord;
  const sockets: WebSocket[] = [];

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.terminate();
    await fake.close();
  });

  /** A raw gateway connection that records every frame it receives and how it closed. */
  async function connect() {
    const socket = new WebSocket(`ws://127.0.0.1:${fake.port}`);
    sockets.push(socket);
    const frames: Array<{ op: number; t: string | null; d: Json }> = [];
    const arrived = new EventEmitter();
    socket.on('message', (raw) => {
      frames.push(JSON.parse(raw.toString()));
      arrived.emit('frame');
    });
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await new Promise((resolve) => socket.once('open', resolve));
    const until = (predicate: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!predicate()) return;
          arrived.off('frame', check);
          resolve();
        };
        arrived.on('frame', check);
        check();
      });
    const send = (op: number, d: unknown) => socket.send(JSON.stringify({ op, d }));
    return { frames, closed, until, send };
  }

  const dispatched = (frames: Array<{ t: string | null; d: Json }>, t: string) =>
    frames.filter((f) => f.t === t).map((f) => f.d);

  it('READY and GUILD_CREATE per shard: a guild only on the connection of (guild_id >> 22) % count', async () => {
    fake = await startFakeDiscord();
    const other = fake.addGuild(guildIdOnShard(0, 2));
    const otherGuild = fake.channel(other)?.guild_id as string;
    expect(shardOf(fake.guildId, 2)).toBe(1);
    const [zero, one] = [await connect(), await connect()];
    zero.send(2, { token: 't', intents: 1, properties: {}, shard: [0, 2] });
    one.send(2, { token: 't', intents: 1, properties: {}, shard: [1, 2] });
    await zero.until(() => dispatched(zero.frames, 'GUILD_CREATE').length === 1);
    await one.until(() => dispatched(one.frames, 'GUILD_CREATE').length === 1);
    expect(dispatched(zero.frames, 'READY')[0]).toMatchObject({
      shard: [0, 2],
      guilds: [{ id: otherGuild, unavailable: true }],
    });
    expect(dispatched(one.frames, 'GUILD_CREATE').map((g) => g.id)).toEqual([fake.guildId]);
    expect(fake.connectedShards).toEqual([
      [0, 2],
      [1, 2],
    ]);

    // A guild joined later, an interaction, a DM: each to its one shard.
    const joined = guildIdOnShard(1, 2, 5);
    fake.addGuild(joined);
    expect(fake.dispatch('INTERACTION_CREATE', { id: '1', guild_id: otherGuild })).toBe(1);
    expect(fake.dispatch('INTERACTION_CREATE', { id: '2' })).toBe(1);
    await zero.until(() => dispatched(zero.frames, 'INTERACTION_CREATE').length === 2);
    await one.until(() => dispatched(one.frames, 'GUILD_CREATE').length === 2);
    expect(dispatched(zero.frames, 'INTERACTION_CREATE').map((d) => d.id)).toEqual(['1', '2']);
    expect(dispatched(one.frames, 'GUILD_CREATE').map((g) => g.id)).toEqual([fake.guildId, joined]);
    expect(dispatched(one.frames, 'INTERACTION_CREATE')).toEqual([]);
    expect(dispatched(zero.frames, 'GUILD_CREATE').map((g) => g.id)).toEqual([otherGuild]);
  });

  it.each([[[2, 2]], [[0, 0]], [[-1, 2]], [[0.5, 2]], [[0]]])(
    'IDENTIFY with shard %j is closed with 4010 Invalid shard',
    async (shard) => {
      fake = await startFakeDiscord();
      const gateway = await connect();
      gateway.send(2, { token: 't', intents: 1, properties: {}, shard });
      expect(await gateway.closed).toBe(4010);
      expect(fake.connectedShards).toEqual([]);
    },
  );

  it('too many guilds for one shard: IDENTIFY is closed with 4011 Sharding required', async () => {
    fake = await startFakeDiscord({ maxGuildsPerShard: 1 });
    fake.addGuild(guildIdOnShard(0, 2));
    const gateway = await connect();
    gateway.send(2, { token: 't', intents: 1, properties: {} });
    expect(await gateway.closed).toBe(4011);
  });

  it('GET /gateway/bot recommends a shard per 1,000 guilds and tells the identify concurrency', async () => {
    fake = await startFakeDiscord({ maxConcurrency: 16 });
    const bot = async () =>
      (await fetch(`${fake.apiUrl}/v10/gateway/bot`).then((r) => r.json())) as Json;
    expect(await bot()).toMatchObject({
      shards: 1,
      session_start_limit: { max_concurrency: 16 },
    });
    for (let n = 0; n < 1000; n++) fake.guildIds.push(guildIdOnShard(0, 1, n + 1));
    expect((await bot()).shards).toBe(2);
  });

  it('RESUME of an unknown session is answered with INVALID_SESSION (op 9)', async () => {
    fake = await startFakeDiscord();
    const gateway = await connect();
    gateway.send(6, { token: 't', session_id: 'never-handed-out', seq: 3 });
    await gateway.until(() => gateway.frames.some((f) => f.op === 9));
    expect(gateway.frames.find((f) => f.op === 9)?.d).toBe(false);
    expect(fake.connectedShards).toEqual([]);
  });
});
