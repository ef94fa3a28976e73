import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBot } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { manualClock } from '../src/core/clock.js';
import type { DigestMessage } from '../src/core/digest/message.js';
import type { DigestPoster } from '../src/core/digest/post.js';
import { silentLogger } from '../src/core/logger.js';
import type { TopicMatch } from '../src/core/search/types.js';
import type { ChannelRef } from '../src/core/store/store.js';
import { startLive } from '../src/runtime/live.js';
import { loadBenchRecords, seededRandom } from './corpus.js';
import { writeBenchResults } from './results.js';

/** The target is measured at 1,000 channels; 10,000 is reported (same papers, same topics). */
const CHANNEL_COUNTS = [1_000, 10_000];
const TARGET_CHANNELS = 1_000;
const TARGET_RSS_MB = 300;
const TOPICS_PER_CHANNEL = 5;
const PAPERS = 10_000;
const TARGET_CPU_S = 5;
/** Distinct topics across all channels (teams follow popular topics; each costs one match pass). */
const DISTINCT_TOPICS = 100;

/** Topics teams follow: hand-picked ones plus frequent title bigrams of the batch itself. */
const COMMON_TOPICS = [
  'reinforcement learning',
  'robotics',
  'graph neural networks',
  'diffusion models',
  'language models',
  'computer vision',
  'speech recognition',
  'federated learning',
  'knowledge distillation',
  'quantum',
  'optimization',
  'causal inference',
  'time series',
  'anomaly detection',
  'recommender systems',
  'transformers',
  'contrastive learning',
  'image segmentation',
  'object detection',
  'machine translation',
  'question answering',
  'reasoning',
  'privacy',
  'fairness',
  'explainability',
  'medical imaging',
  'autonomous driving',
  'neural rendering',
  'point clouds',
  'bandits',
  'meta learning',
  'few-shot learning',
  'adversarial attacks',
  'robustness',
  'uncertainty',
  'bayesian inference',
  'sparse attention',
  'model compression',
  'retrieval augmented generation',
  'code generation',
  'multimodal',
  'agents',
  'planning',
  'control',
  'manipulation',
  'navigation',
  'protein',
  'molecules',
  'climate',
  'astronomy',
];

function topicPool(titles: string[], size: number): string[] {
  const counts = new Map<string, number>();
  for (const title of titles) {
    const words = title
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter((w) => w.length > 3);
    for (let i = 0; i + 1 < words.length; i++) {
      const bigram = `${words[i]} ${words[i + 1]}`;
      counts.set(bigram, (counts.get(bigram) ?? 0) + 1);
    }
  }
  const frequent = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([t]) => t);
  return [...COMMON_TOPICS, ...frequent.slice(0, size - COMMON_TOPICS.length)];
}

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

/** Peak resident memory of the process so far, in MB (the kernel's high-water mark). */
function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export async function run(): Promise<void> {
  const standIn = process.argv.includes('--stand-in');
  const results: Record<string, unknown>[] = [];
  for (const channels of CHANNEL_COUNTS) results.push(await cycle(channels, standIn));
  const [target] = results;
  console.table(results);
  // Stand-in figures are for profiling the delivery side; results.json keeps the real cycle.
  if (!standIn && target)
    writeBenchResults('digest', { ...target, [`at${CHANNEL_COUNTS[1]}Channels`]: results[1] });
}

/** One digest tick for `CHANNELS` channels over a day of new papers, in a fresh store. */
async function cycle(CHANNELS: number, standIn: boolean): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-bench-digest-'));
  const base = loadConfig({ env: {}, rootDir: path.resolve(import.meta.dirname, '..') });
  const config = {
    ...base,
    sources: {
      huggingface: { ...base.sources.huggingface, enabled: false },
      arxiv: { ...base.sources.arxiv, enabled: false },
    },
  };
  const clock = manualClock('2026-06-10T08:00:00Z');
  const logger = silentLogger();
  // The batch as a day's listing: first seen today, listed today (new by the digest's rule).
  const records = (await loadBenchRecords(PAPERS)).map((r) => ({
    ...r,
    source: 'arxiv-rss' as const,
    observedAt: '2026-06-10T04:00:00.000Z',
  }));
  const bot = await createBot({ config, clock, logger, dataDir: dir, sampleFile: null });
  try {
    bot.store.upsertPapers(records, clock.now());
    await bot.search.refresh();
    const pool = topicPool(
      records.map((r) => r.title),
      DISTINCT_TOPICS,
    );
    const random = seededRandom(7);
    for (let i = 0; i < CHANNELS; i++) {
      const ref: ChannelRef = { platform: 'fake', workspace: 'bench', channel: `c${i}` };
      // Set yesterday: the first window reaches back to then (at most a day).
      bot.store.setSchedule(
        ref,
        { time: '09:00', timeZone: 'UTC', days: 'every', size: 10 },
        new Date('2026-06-09T09:00:00Z'),
      );
      const topics = new Set<string>();
      while (topics.size < TOPICS_PER_CHANNEL)
        topics.add(pool[Math.floor(random() * pool.length)]!);
      for (const topic of topics)
        bot.store.addSubscription({
          channel: ref,
          topic,
          addedBy: 'bench',
          addedAt: '2026-06-01T00:00:00Z',
        });
    }
    clock.set('2026-06-10T09:00:00Z');
    const poster = new CountingPoster();
    // Time the topic matcher apart: it is the search module's share of the cycle.
    let matchMs = 0;
    let matchCalls = 0;
    const search = new Proxy(bot.search, {
      get(target, key, receiver) {
        if (key !== 'matchTopic') return Reflect.get(target, key, receiver);
        return (topic: string, ids: string[]) => {
          // Synchronous on the main thread: the process CPU delta is the matcher's.
          const c0 = process.cpuUsage();
          try {
            return standIn ? standInMatchTopic(topic, ids) : target.matchTopic(topic, ids);
          } finally {
            const c = process.cpuUsage(c0);
            matchMs += (c.user + c.system) / 1000;
            matchCalls++;
          }
        };
      },
    });
    // Setup (corpus, search index) has its own peak; the tick's share is what it adds.
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
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - wall0;
    await live.stop();
    const cpuS = (cpu.user + cpu.system) / 1e6;
    const delivered = bot.store
      .listChannels()
      .filter((c) => c.lastDigestAt === clock.now().toISOString()).length;
    const figures = {
      ...(standIn ? { matcher: 'stand-in' } : {}),
      peakRssMb: peakRssMb(),
      peakRssBeforeTickMb: peakBeforeTick,
      targetRssMb: TARGET_RSS_MB,
      channels: CHANNELS,
      topicsPerChannel: TOPICS_PER_CHANNEL,
      distinctTopics: pool.length,
      newPapers: PAPERS,
      channelsServed: delivered,
      messagesPosted: poster.posts,
      papersPosted: poster.papers,
      cpuSeconds: Number(cpuS.toFixed(2)),
      matchTopicCalls: matchCalls,
      matchTopicCpuSeconds: Number((matchMs / 1000).toFixed(2)),
      matchTopicCpuMsPerCall: Number((matchMs / Math.max(1, matchCalls)).toFixed(1)),
      cpuSecondsOutsideMatchTopic: Number(Math.max(0, cpuS - matchMs / 1000).toFixed(2)),
      wallSeconds: Number((wallMs / 1000).toFixed(2)),
      ...(CHANNELS === TARGET_CHANNELS
        ? {
            targetCpuSeconds: TARGET_CPU_S,
            withinTarget: cpuS <= TARGET_CPU_S && peakRssMb() < TARGET_RSS_MB,
          }
        : {}),
    };
    return figures;
  } finally {
    await bot.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
