import { type Bot, createBot } from '../../src/app.js';
import { runCommand } from '../../src/commands/dispatch.js';
import type { Reply } from '../../src/commands/reply.js';
import type { Config } from '../../src/config.js';
import { silentLogger } from '../../src/core/logger.js';
import type { ChannelRef } from '../../src/core/store/store.js';
import type { Live, RuntimePoster, TickSummary } from '../../src/runtime/live.js';
import { listed, TEAM } from '../core/digest/situation-bot.js';
import { FakePlatform } from '../fakes/platform-poster.js';
import { startTestLive, testConfig, testTime } from '../live/harness.js';

/**
 * A post that is on the wire and has not reached the platform yet (a slow network, the
 * platform's client waiting out a 429): `hold()` makes the next post wait until `release()`.
 * The message lands on the platform only once released, as a real late request would.
 */
export class HeldPoster implements RuntimePoster {
  private gate: Promise<void> | null = null;
  private open: () => void = () => {};
  private failure: Error | null = null;
  private entered: () => void = () => {};
  /** Resolves once a held post has started (the process is now "on the wire"); never before hold(). */
  started: Promise<void> = new Promise(() => {});

  constructor(readonly platform: FakePlatform) {}

  hold(): void {
    this.gate = new Promise((resolve) => {
      this.open = resolve;
    });
    this.started = new Promise((resolve) => {
      this.entered = resolve;
    });
  }

  /** Lets the held post go on: it lands on the platform, or fails with `failure` instead. */
  release(failure: Error | null = null): void {
    this.failure = failure;
    this.open();
  }

  async post(target: ChannelRef, reply: Reply): Promise<{ messageIds: string[] }> {
    const gate = this.gate;
    if (gate) {
      this.gate = null;
      this.entered();
      await gate;
      const failure = this.failure;
      this.failure = null;
      if (failure) throw failure;
    }
    return this.platform.post(target, reply);
  }

  findDelivery(target: ChannelRef, deliveryId: string): Promise<string | null> {
    return this.platform.findDelivery(target, deliveryId);
  }
}

function config(over: Partial<Config> = {}): Config {
  const base = testConfig('http://127.0.0.1:9');
  return {
    ...base,
    ...over,
    sources: {
      huggingface: { ...base.sources.huggingface, enabled: false },
      arxiv: { ...base.sources.arxiv, enabled: false },
    },
    digest: { ...base.digest, postWhenEmpty: false, perTopic: 20 },
  };
}

export interface Instance {
  bot: Bot;
  live: Live;
  time: ReturnType<typeof testTime>;
  poster: HeldPoster;
  summaries: Array<TickSummary['digests']>;
}

/**
 * Two bot instances on one PostgreSQL database and one platform, each with its own clock
 * (so a test can skew one), a channel due at 09:00 UTC with twelve papers (two parts).
 */
export async function twoInstances(
  url: string,
  start = '2026-03-02T06:00:00Z',
  over: Partial<Config> = {},
) {
  const platform = new FakePlatform();
  const opened: Instance[] = [];
  const open = async (): Promise<Instance> => {
    const time = testTime(start);
    const cfg = config(over);
    const bot = await createBot({
      config: cfg,
      clock: time.clock,
      logger: silentLogger(),
      dataDir: ':memory:',
      databaseUrl: url,
      sampleFile: null,
    });
    const poster = new HeldPoster(platform);
    const summaries: Array<TickSummary['digests']> = [];
    // 'shell' too: the admin channel (config health.adminChannel) names discord, slack or shell.
    const posters = new Map([
      ['fake' as const, poster],
      ['shell' as const, poster],
    ]);
    const live = startTestLive(bot, cfg, time, posters, {
      stopGraceMs: 0,
      onTickDone: (summary) => summaries.push(summary.digests),
    });
    const instance = { bot, live, time, poster, summaries };
    opened.push(instance);
    return instance;
  };
  const a = await open();
  const b = await open();
  const ctx = a.bot.contextFor(TEAM, { id: 'U1', canManageChannel: true }, 'Manage Channel');
  await runCommand(
    { name: 'schedule', options: { time: '09:00', timezone: 'UTC', size: 20 } },
    ctx,
  );
  await runCommand({ name: 'subscribe', options: { topic: 'robot grasping' } }, ctx);
  const papers = Array.from({ length: 12 }, (_, i) =>
    listed(`2603.${String(i + 1).padStart(5, '0')}`, `Grasping ${i + 1}`, '2026-03-02T08:00:00Z'),
  );
  a.time.clock.set('2026-03-02T08:00:00Z');
  await a.bot.store.upsertPapers(papers, a.time.clock.now());
  const digests = () => platform.in(TEAM).filter((m) => m.kind === 'digest');
  const close = async () => {
    for (const { bot, live, poster } of opened.splice(0)) {
      poster.release();
      await live.stop();
      await bot.close();
    }
  };
  return { a, b, platform, digests, close };
}
