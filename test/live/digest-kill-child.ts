/**
 * A bot process for the kill -9 digest test: 20 channels over the fake platform (messages
 * appended to a file, so they outlive the kill), the day's papers stored at start, one
 * live tick. Env: CHILD_DATA_DIR, CHILD_MESSAGES, CHILD_NOW (ISO).
 */
import { createBot } from '../../src/app.js';
import { manualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { ChannelRef } from '../../src/core/store/store.js';
import { startLive } from '../../src/runtime/live.js';
import { FakePlatform } from '../fakes/platform-poster.js';
import { testConfig } from './harness.js';

export const KILL_CHANNELS = 20;
const env = process.env;
const clock = manualClock(env.CHILD_NOW!);
const logger = silentLogger();
const base = testConfig('http://127.0.0.1:9');
const config = {
  ...base,
  sources: {
    huggingface: { ...base.sources.huggingface, enabled: false },
    arxiv: { ...base.sources.arxiv, enabled: false },
  },
};
const bot = await createBot({
  config,
  clock,
  logger,
  dataDir: env.CHILD_DATA_DIR!,
  sampleFile: null,
});
for (let i = 0; i < KILL_CHANNELS; i++) {
  const ref: ChannelRef = { platform: 'fake', workspace: 'w', channel: `c${i}` };
  if (!(await bot.store.getChannel(ref)))
    await bot.store.setSchedule(
      ref,
      { time: '09:00', timeZone: 'UTC', days: 'every', size: 10 },
      new Date('2026-06-09T12:00:00Z'),
    );
}
// The day's listing: the same three papers on every start of the day (first seen once).
const day = clock.now().toISOString().slice(0, 10);
await bot.store.upsertPapers(
  [1, 2, 3].map((k) => ({
    arxivId: `2606.${day.slice(8, 10)}00${k}`,
    version: 1,
    title: `Paper ${k} listed on ${day}`,
    abstract: 'An abstract.',
    authors: ['A. Author'],
    authorCount: 1,
    publishedAt: day,
    source: 'arxiv-rss' as const,
    links: {},
    upvotes: null,
    comments: null,
    keywords: [],
    categories: ['cs.RO'],
    comment: null,
    observedAt: `${day}T04:00:00.000Z`,
  })),
  clock.now(),
);
const platform = new FakePlatform(env.CHILD_MESSAGES!);
platform.afterPost = (message) => {
  process.stdout.write(`POSTED ${message.channel}\n`);
};
startLive({
  config,
  store: bot.store,
  search: bot.search,
  adapters: new Map([['fake' as const, platform]]),
  clock,
  logger,
  ticker: () => ({ stop() {} }),
  onTickDone: () => process.stdout.write('TICK-DONE\n'),
});
process.stdout.write('STARTED\n');
