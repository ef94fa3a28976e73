import { createBot } from '../src/app.js';
import { manualClock } from '../src/core/clock.js';
import type { DigestMessage } from '../src/core/digest/message.js';
import type { DigestPoster } from '../src/core/digest/post.js';
import { silentLogger } from '../src/core/logger.js';
import type { TopicMatch } from '../src/core/search/types.js';
import type { ChannelRef } from '../src/core/store/store.js';
import { startLive } from '../src/runtime/live.js';
import { offlineConfig } from './bench-bot.js';

/**
 * The measured half of `npm run bench -- digest`, run in a fresh process by bench/digest.ts:
 * opens the bot on a prepared store (papers, channels, topics: built once, cached), runs
 * one digest tick at 09:00, and prints its figures as one JSON line. Its peak RSS is the
 * whole process's: the bot opening its store and search, and the tick.
 *
 * Usage: node --import tsx bench/digest-tick.ts <data dir> <tick time> [--stand-in]
 */

/**
 * `--stand-in`: a cheap deterministic matcher in place of search's, so a profile shows the
 * delivery side alone (about 1 paper in 23 per topic; which ones depends on the topic).
 */
function standInMatchTopic(topic: string, ids: string[]): TopicMatch[] {
  let hash = 0;
  for (let i = 0; i < topic.length; i++) hash = (hash * 31 + topic.charCodeAt(i)) >>> 0;
  const out: TopicMatch[] = [];
  for (let i = 0; i < ids.length; i++)
    if ((i + hash) % 23 === 0)
      out.push({ paperId: ids[i]!, score: 100 - (i % 50), matchedTerms: [topic] });
  return out;
}

/** Counts posts; no rate limits, no network: the figure is the bot's own work. */
class CountingPoster implements DigestPoster {
  posts = 0;
  papers = 0;
  async post(_target: ChannelRef, message: DigestMessage) {
    this.posts++;
    for (const s of message.sections) this.papers += s.items.length;
    return { messageIds: [`m${this.posts}`] };
  }
  async findDelivery() {
    return null;
  }
}

/** Peak resident memory of this process so far, in MB (the kernel's high-water mark). */
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const seconds = (c: NodeJS.CpuUsage) => Number(((c.user + c.system) / 1e6).toFixed(2));

async function main(): Promise<void> {
  const [dataDir, tickAt] = process.argv.slice(2);
  if (!dataDir || !tickAt) throw new Error('usage: digest-tick.ts <data dir> <tick time>');
  const standIn = process.argv.includes('--stand-in');
  const config = offlineConfig();
  const clock = manualClock(tickAt);
  const logger = silentLogger();
  const bot = await createBot({ config, clock, logger, dataDir, sampleFile: null });
  try {
    const poster = new CountingPoster();
    // Time the topic matcher apart: it is the search module's share of the tick.
    let matchCpu = 0;
    let matchCalls = 0;
    const search = new Proxy(bot.search, {
      get(target, key, receiver) {
        if (key !== 'matchTopic') return Reflect.get(target, key, receiver);
        return async (topic: string, ids: string[]) => {
          // Synchronous on the main thread: the process CPU delta is the matcher's.
          const c0 = process.cpuUsage();
          try {
            return standIn ? standInMatchTopic(topic, ids) : await target.matchTopic(topic, ids);
          } finally {
            const c = process.cpuUsage(c0);
            matchCpu += (c.user + c.system) / 1e6;
            matchCalls++;
          }
        };
      },
    });
    const peakBeforeTick = peakRssMb();
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    const live = startLive({
      config,
      store: bot.store,
      search,
      adapters: new Map([['fake' as const, poster]]),
      clock,
      logger,
      ticker: () => ({ stop() {} }),
    });
    await live.tick();
    const cpu = seconds(process.cpuUsage(cpu0));
    const wallSeconds = Number(((performance.now() - wall0) / 1000).toFixed(2));
    await live.stop();
    const served = (await bot.store.listChannels()).filter(
      (c) => c.lastDigestAt === clock.now().toISOString(),
    ).length;
    const figures = {
      ...(standIn ? { matcher: 'stand-in' } : {}),
      peakRssMb: peakRssMb(),
      peakRssBeforeTickMb: peakBeforeTick,
      channelsServed: served,
      messagesPosted: poster.posts,
      papersPosted: poster.papers,
      cpuSeconds: cpu,
      processCpuSeconds: seconds(process.cpuUsage()),
      matchTopicCalls: matchCalls,
      matchTopicCpuSeconds: Number(matchCpu.toFixed(2)),
      matchTopicCpuMsPerCall: Number(((matchCpu * 1000) / Math.max(1, matchCalls)).toFixed(1)),
      cpuSecondsOutsideMatchTopic: Number(Math.max(0, cpu - matchCpu).toFixed(2)),
      wallSeconds,
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await bot.close();
  }
}

await main();
