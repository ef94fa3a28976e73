/**
 * One bot instance over a shared PostgreSQL store, for the several-instances test. Digests go
 * through the real adapters' posting code (Discord over HTTP on a REST-only discord.js client,
 * Slack on Bolt's WebClient) to the fake Discord and Slack the test runs; an instance finds
 * what another posted by the adapters' own look-ups in the fakes' message history. Time is
 * the parent's: `START` on stdin starts the live work (its first tick at once), `TICK <iso>`
 * sets the clock and runs one tick; `TICK-DONE <json>` answers. The instance holding the
 * polling lock stops for good inside its first post to CHILD_HANG_PLATFORM after
 * CHILD_HANG_AFTER posts, once the platform has the message and before the ledger records
 * it (`HUNG <channel>`): the test kills it there.
 * Env: CHILD_DATABASE_URL, CHILD_NOW (ISO), CHILD_FEED_URL, CHILD_DISCORD_API_URL,
 * CHILD_DISCORD_APPLICATION_ID, CHILD_DISCORD_PUBLIC_KEY, CHILD_SLACK_API_URL,
 * CHILD_HANG_AFTER, CHILD_HANG_PLATFORM.
 */
import { createInterface } from 'node:readline';
import type { Adapter } from '../../src/adapters/adapter.js';
import { createDiscordHttpAdapter } from '../../src/adapters/discord-http/discord-http-adapter.js';
import { createSlackAdapter } from '../../src/adapters/slack/slack-adapter.js';
import { createBot } from '../../src/app.js';
import { manualClock } from '../../src/core/clock.js';
import { channelLabel } from '../../src/core/digest/post.js';
import { silentLogger } from '../../src/core/logger.js';
import { type RuntimePoster, startLive } from '../../src/runtime/live.js';
import { testConfig } from './harness.js';

const env = process.env;
const clock = manualClock(env.CHILD_NOW!);
const logger = silentLogger();
const base = testConfig(env.CHILD_FEED_URL!);
const config = {
  ...base,
  sources: {
    huggingface: { ...base.sources.huggingface, pollMinutes: 1 },
    arxiv: { ...base.sources.arxiv, enabled: false },
  },
};
const bot = await createBot({
  config,
  clock,
  logger,
  dataDir: ':memory:',
  databaseUrl: env.CHILD_DATABASE_URL!,
  sampleFile: null,
});

const discord = createDiscordHttpAdapter({
  secrets: {
    token: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.fake-instances-token',
    applicationId: env.CHILD_DISCORD_APPLICATION_ID!,
    guildId: null,
    apiUrl: env.CHILD_DISCORD_API_URL!,
  },
  interactions: { publicKey: env.CHILD_DISCORD_PUBLIC_KEY!, port: 0 },
  config,
  bot,
  clock,
  logger,
  options: { host: '127.0.0.1' },
});
const slack = createSlackAdapter({
  secrets: {
    botToken: 'xoxb-fake-instances-token',
    signingSecret: 'fake-instances-signing-secret',
    appToken: null,
    apiUrl: env.CHILD_SLACK_API_URL!,
    port: 0,
  },
  bot,
  config,
  clock,
  logger,
  host: '127.0.0.1',
});
await discord.start();
await slack.start();

let polling = false;
let posts = 0;
const hangAfter = Number(env.CHILD_HANG_AFTER ?? Number.POSITIVE_INFINITY);

/** The adapter's post and look-up; the post hangs after the platform took it, as asked. */
function hanging(adapter: Adapter): RuntimePoster {
  return {
    async post(target, reply) {
      const result = await adapter.post(target, reply);
      posts++;
      if (polling && posts >= hangAfter && target.platform === env.CHILD_HANG_PLATFORM) {
        process.stdout.write(`HUNG ${channelLabel(target)}\n`);
        await new Promise<never>(() => {});
      }
      return result;
    },
    findDelivery: (target, deliveryId) => adapter.findDelivery(target, deliveryId),
  };
}

const postgres = bot.postgres!;
function begin() {
  return startLive({
    config,
    store: bot.store,
    search: bot.search,
    adapters: new Map([
      ['discord' as const, hanging(discord)],
      ['slack' as const, hanging(slack)],
    ]),
    clock,
    logger,
    pollLock: async () => {
      const held = await postgres.holdPollingLock();
      if (held && !polling) process.stdout.write('POLL-LOCK\n');
      polling = held;
      return held;
    },
    ticker: () => ({ stop() {} }),
    onTickDone: (summary) => process.stdout.write(`TICK-DONE ${JSON.stringify(summary)}\n`),
  });
}
let live: ReturnType<typeof begin> | null = null;
createInterface({ input: process.stdin }).on('line', (line) => {
  // Started (its first tick at once) when every instance is up, as after a deploy.
  if (line === 'START') live ??= begin();
  const match = /^TICK (\S+)$/.exec(line);
  if (!match || !live) return;
  clock.set(new Date(match[1]!));
  void live.tick();
});
process.stdout.write('READY\n');
