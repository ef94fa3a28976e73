import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/adapters/discord/discord-adapter.js';
import { type Bot, createBot } from '../../src/app.js';
import { manualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { TOKEN, testConfig } from '../adapters/discord/harness.js';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord/fake-discord.js';
import { sendCommand } from '../fakes/discord/interactions.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

// Review 15: docker-compose.yml runs two instances on one PostgreSQL with DISCORD_TOKEN and
// DISCORD_APPLICATION_ID and no DISCORD_PUBLIC_KEY: both hold a gateway connection. Discord
// sends every interaction to every gateway session of the application.

let server: TestPostgres;
let fake: FakeDiscord;
beforeAll(async () => {
  server = await startPostgres();
  fake = await startFakeDiscord();
}, 60_000);
afterAll(async () => {
  await fake?.close();
  await server?.stop();
});

describe('two gateway instances on one PostgreSQL store (the shipped docker-compose.yml)', () => {
  it('a slash command is run and answered by one instance, not by each', async () => {
    const url = await server.createDatabase('gateway');
    const config = testConfig();
    const clock = manualClock('2026-03-02T10:00:00Z');
    const instances: Array<{ bot: Bot; adapter: ReturnType<typeof createDiscordAdapter> }> = [];
    const ran: string[] = [];
    try {
      for (const name of ['bot-1', 'bot-2']) {
        const bot = await createBot({
          config,
          clock,
          logger: silentLogger(),
          dataDir: ':memory:',
          databaseUrl: url,
          sampleFile: null,
        });
        const adapter = createDiscordAdapter({
          secrets: {
            token: TOKEN,
            applicationId: fake.applicationId,
            guildId: null,
            apiUrl: fake.apiUrl,
          },
          config,
          bot,
          clock,
          logger: silentLogger(),
          options: { observe: (call) => ran.push(`${name} ${call.name}`) },
        });
        instances.push({ bot, adapter });
        await adapter.start();
      }
      await fake.waitForIdentify(2);
      const sent = sendCommand(fake, 'subscribe', { topic: 'robot grasping' });
      const isCallback = (r: { method: string; path: string }) =>
        r.method === 'POST' && r.path === `/interactions/${sent.id}/${sent.token}/callback`;
      await fake.waitFor(isCallback);
      // Real Discord refuses a second acknowledgement (40060) — after the second instance
      // has run the command anyway (a second subscribe answers "already subscribed", and
      // either answer may be the one the user sees). A second callback comes within
      // milliseconds when it comes at all: 3 s bounds the wait for one that must not.
      let callbacks = 0;
      const second = await fake
        .waitFor((r) => isCallback(r) && ++callbacks >= 2, 3_000)
        .then(() => true)
        .catch(() => false);
      expect({ ran, second }).toEqual({ ran: [expect.any(String)], second: false });
    } finally {
      for (const { bot, adapter } of instances) {
        await adapter.stop();
        await bot.close();
      }
    }
  }, 30_000);
});
