/**
 * A bot process for the crash/restart test: the real store, search, scheduler logic and
 * delivery, with a fake platform that records posted messages in a file (so they outlive
 * a SIGKILL) and reads them back for reconciliation. Driven by env:
 *   CHILD_DATA_DIR, CHILD_MESSAGES, CHILD_NOW (ISO), CHILD_HANG_AFTER (hang inside the Nth post).
 */
import { createBot } from '../../src/app.js';
import { manualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { installShutdown } from '../../src/core/shutdown.js';
import { startLive } from '../../src/runtime/live.js';
import { FakePlatform } from '../fakes/platform-poster.js';
import { testConfig } from './harness.js';

const env = process.env;
const hangAfter = env.CHILD_HANG_AFTER ? Number(env.CHILD_HANG_AFTER) : null;
const clock = manualClock(env.CHILD_NOW ?? '2026-06-10T09:30:00Z');
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
const platform = new FakePlatform(env.CHILD_MESSAGES!);
let posted = 0;
platform.afterPost = (message) => {
  posted++;
  process.stdout.write(`POSTED ${message.channel}\n`);
  if (hangAfter !== null && posted >= hangAfter) {
    process.stdout.write('HUNG\n');
    return new Promise<void>(() => {});
  }
};

const live = startLive({
  config,
  store: bot.store,
  search: bot.search,
  adapters: new Map([['fake' as const, platform]]),
  clock,
  logger,
  ticker: () => ({ stop() {} }),
  stopGraceMs: 2_000,
  onTickDone: (summary) => process.stdout.write(`TICK-DONE ${JSON.stringify(summary)}\n`),
});
installShutdown({ logger, stop: () => live.stop(), close: () => bot.close() });
process.stdout.write('STARTED\n');
