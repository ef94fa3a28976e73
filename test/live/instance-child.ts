/**
 * One bot instance over a shared PostgreSQL store, for the several-instances test. Digests go
 * to the fake platform, appended to one file all instances share (it outlives a kill -9; a
 * look-up reads it again, so an instance finds what another posted). Time is the parent's:
 * `TICK <iso>` on stdin sets the clock and runs one tick; `TICK-DONE <json>` answers.
 * Env: CHILD_DATABASE_URL, CHILD_MESSAGES, CHILD_NOW (ISO), CHILD_FEED_URL.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createBot } from '../../src/app.js';
import { manualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { ChannelRef } from '../../src/core/store/store.js';
import { startLive } from '../../src/runtime/live.js';
import { type FakeMessage, FakePlatform } from '../fakes/platform-poster.js';
import { testConfig } from './harness.js';

const env = process.env;
const clock = manualClock(env.CHILD_NOW!);
const logger = silentLogger();
const base = testConfig(env.CHILD_FEED_URL!);
const config = {
  ...base,
  sources: {
    huggingface: { ...base.sources.huggingface, pollMinutes: 5 },
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

class SharedPlatform extends FakePlatform {
  override async findDelivery(target: ChannelRef, deliveryId: string): Promise<string | null> {
    const label = `${target.platform}:${target.workspace}:${target.channel}`;
    for (const line of readFileSync(env.CHILD_MESSAGES!, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const message = JSON.parse(line) as FakeMessage;
      if (message.channel === label && message.deliveryId === deliveryId) return message.id;
    }
    return null;
  }
}
const platform = new SharedPlatform(env.CHILD_MESSAGES!);
platform.afterPost = (message) => {
  process.stdout.write(`POSTED ${message.channel}\n`);
};
const postgres = bot.postgres!;
const live = startLive({
  config,
  store: bot.store,
  search: bot.search,
  adapters: new Map([['fake' as const, platform]]),
  clock,
  logger,
  pollLock: async () => {
    const held = await postgres.holdPollingLock();
    if (held) process.stdout.write('POLL-LOCK\n');
    return held;
  },
  ticker: () => ({ stop() {} }),
  onTickDone: (summary) => process.stdout.write(`TICK-DONE ${JSON.stringify(summary)}\n`),
});
createInterface({ input: process.stdin }).on('line', (line) => {
  const match = /^TICK (\S+)$/.exec(line);
  if (!match) return;
  clock.set(new Date(match[1]!));
  void live.tick();
});
process.stdout.write('STARTED\n');
