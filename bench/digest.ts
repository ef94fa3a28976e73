import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBot } from '../src/app.js';
import { manualClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { SCHEMA_VERSION } from '../src/core/store/migrations.js';
import type { ChannelRef } from '../src/core/store/store.js';
import { offlineConfig } from './bench-bot.js';
import { BENCH_CACHE, loadBenchRecords, seededRandom } from './corpus.js';
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

const TICK_AT = '2026-06-10T09:00:00Z';
const TICK_SCRIPT = path.join(import.meta.dirname, 'digest-tick.ts');

/**
 * `npm run bench -- digest [--stand-in]`: one digest tick for 1,000 and for 10,000 channels
 * over a day of 10,000 new papers. The store (papers, search index, channels, topics) is
 * built once and cached under bench/.cache; each tick runs in a fresh child process on a
 * copy of it (bench/digest-tick.ts), which reports its own CPU and peak RSS: the setup's
 * memory is never counted, and the bot's own (store, search, tick) always is.
 */
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

/** One measured tick for `channels` channels, in a child process on a copy of the cached store. */
async function cycle(channels: number, standIn: boolean): Promise<Record<string, unknown>> {
  const cached = await cachedStore(channels);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-bench-digest-'));
  try {
    cpSync(cached, dir, { recursive: true });
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(DISCORD|SLACK)_/.test(k)),
    );
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', TICK_SCRIPT, dir, TICK_AT, ...(standIn ? ['--stand-in'] : [])],
      { encoding: 'utf8', env, maxBuffer: 1 << 20 },
    );
    if (child.status !== 0)
      throw new Error(`digest tick failed (${child.status ?? child.signal}):\n${child.stderr}`);
    const figures = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as {
      cpuSeconds: number;
      peakRssMb: number;
    };
    return {
      channels,
      topicsPerChannel: TOPICS_PER_CHANNEL,
      distinctTopics: DISTINCT_TOPICS,
      newPapers: PAPERS,
      ...figures,
      targetRssMb: TARGET_RSS_MB,
      ...(channels === TARGET_CHANNELS
        ? {
            targetCpuSeconds: TARGET_CPU_S,
            withinTarget: figures.cpuSeconds <= TARGET_CPU_S && figures.peakRssMb < TARGET_RSS_MB,
          }
        : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What the cached store depends on: this bench's setup and the code that writes a store and
 * its search index (a change there builds it again).
 */
function storeKey(): string {
  const hash = createHash('sha256');
  const root = path.resolve(import.meta.dirname, '..');
  for (const dir of ['src/core/store', 'src/core/search'])
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })
      .filter((e) => e.isFile())
      .sort((a, b) => a.name.localeCompare(b.name)))
      hash.update(entry.name).update(readFileSync(path.join(root, dir, entry.name)));
  hash.update(readFileSync(import.meta.filename));
  return `v${SCHEMA_VERSION}-${hash.digest('hex').slice(0, 12)}`;
}

/**
 * The data dir of a bot holding the day's papers (first seen and listed today: new by the
 * digest's rule) and `channels` channels following 5 topics each, scheduled since
 * yesterday. Built on first use (the setup's memory is this process's, never measured).
 */
async function cachedStore(channels: number): Promise<string> {
  const dir = path.join(BENCH_CACHE, `digest-store-${storeKey()}-${PAPERS}p-${channels}c`);
  if (existsSync(dir)) return dir;
  const building = `${dir}.building`;
  rmSync(building, { recursive: true, force: true });
  const config = offlineConfig();
  const clock = manualClock('2026-06-10T08:00:00Z');
  const records = (await loadBenchRecords(PAPERS)).map((r) => ({
    ...r,
    source: 'arxiv-rss' as const,
    observedAt: '2026-06-10T04:00:00.000Z',
  }));
  mkdirSync(building, { recursive: true });
  const bot = await createBot({
    config,
    clock,
    logger: silentLogger(),
    dataDir: building,
    sampleFile: null,
  });
  try {
    // Setup writes go straight to SQLite (synchronous, one transaction).
    bot.sqlite!.upsertPapers(records, clock.now());
    await bot.search.refresh();
    const pool = topicPool(
      records.map((r) => r.title),
      DISTINCT_TOPICS,
    );
    const random = seededRandom(7);
    bot.sqlite!.transaction(() => {
      for (let i = 0; i < channels; i++) {
        const ref: ChannelRef = { platform: 'fake', workspace: 'bench', channel: `c${i}` };
        // Set yesterday: the first window reaches back to then (at most a day).
        bot.sqlite!.setSchedule(
          ref,
          { time: '09:00', timeZone: 'UTC', days: 'every', size: 10 },
          new Date('2026-06-09T09:00:00Z'),
        );
        const topics = new Set<string>();
        while (topics.size < TOPICS_PER_CHANNEL)
          topics.add(pool[Math.floor(random() * pool.length)]!);
        for (const topic of topics)
          bot.sqlite!.addSubscription({
            channel: ref,
            topic,
            addedBy: 'bench',
            addedAt: '2026-06-01T00:00:00Z',
          });
      }
    });
  } finally {
    await bot.close();
  }
  renameSync(building, dir);
  return dir;
}
