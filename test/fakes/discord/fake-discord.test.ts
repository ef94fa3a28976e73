import { Client, Events, GatewayIntentBits, Routes } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failOnCrash } from '../../adapters/discord/harness.js';
import { type FakeDiscord, startFakeDiscord } from './fake-discord.js';
import { sendCommand } from './interactions.js';

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
