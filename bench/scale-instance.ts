/**
 * One bot instance of `npm run bench -- scale`, in its own process as a deployment runs it:
 * opens the PostgreSQL store, runs one digest tick at the given time against a counting
 * poster (no network, no rate limit: the figure is the instances' own work and the
 * database's), and prints its figures as one JSON line.
 *
 * Usage: node --import tsx bench/scale-instance.ts <database url> <tick time>
 */
import { createBot } from '../src/app.js';
import { manualClock } from '../src/core/clock.js';
import type { DigestMessage } from '../src/core/digest/message.js';
import type { DigestPoster } from '../src/core/digest/post.js';
import { silentLogger } from '../src/core/logger.js';
import type { ChannelRef } from '../src/core/store/store.js';
import { startLive } from '../src/runtime/live.js';
import { offlineConfig } from './bench-bot.js';

class CountingPoster implements DigestPoster {
  posts = 0;
  async post(_target: ChannelRef, _message: DigestMessage) {
    this.posts++;
    return { messageIds: [`m${this.posts}`] };
  }
  async findDelivery() {
    return null;
  }
}

const [databaseUrl, tickAt] = process.argv.slice(2);
if (!databaseUrl || !tickAt) throw new Error('usage: scale-instance.ts <database url> <tick time>');
const config = offlineConfig();
const clock = manualClock(tickAt);
const logger = silentLogger();
const bot = await createBot({
  config,
  clock,
  logger,
  dataDir: ':memory:',
  databaseUrl,
  sampleFile: null,
});
const poster = new CountingPoster();
// Wait for the parent's go, so every instance starts its tick at the same moment.
process.stdout.write('READY\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
// Nothing more comes on stdin: let the process exit once the tick is done.
process.stdin.pause();
process.stdin.unref?.();
const wall0 = performance.now();
const cpu0 = process.cpuUsage();
const live = startLive({
  config,
  store: bot.store,
  search: bot.search,
  adapters: new Map([['fake' as const, poster]]),
  clock,
  logger,
  ticker: () => ({ stop() {} }),
  onTickDone: (summary) => {
    const cpu = process.cpuUsage(cpu0);
    const posted = summary.digests.filter((d) => d.outcome.kind === 'posted').length;
    // Served: posted, or deliberately empty (no paper matched the channel's topics).
    const served = summary.digests.filter((d) =>
      ['posted', 'empty'].includes(d.outcome.kind),
    ).length;
    process.stdout.write(
      `${JSON.stringify({
        posted,
        served,
        busy: summary.digests.filter((d) => d.outcome.kind === 'busy').length,
        messages: poster.posts,
        wallSeconds: Number(((performance.now() - wall0) / 1000).toFixed(2)),
        cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
      })}\n`,
    );
    void live.stop().then(() => bot.close());
  },
});
