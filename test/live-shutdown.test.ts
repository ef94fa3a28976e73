import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bot } from '../src/app.js';
import { silentLogger } from '../src/core/logger.js';
import { installShutdown, type ShutdownHost } from '../src/core/shutdown.js';
import { parseHfDailyPapers } from '../src/core/sources/parse-hf-daily-papers.js';
import type { ChannelRef } from '../src/core/store/store.js';
import { startLive } from '../src/runtime/live.js';
import { FakePlatform } from './fakes/platform-poster.js';
import { fixture, memoryBot, testConfig, testTime } from './live/harness.js';

class FakeHost extends EventEmitter implements ShutdownHost {
  readonly exits: number[] = [];
  private notify: (code: number) => void = () => {};
  readonly exited = new Promise<number>((resolve) => {
    this.notify = resolve;
  });
  exit(code: number): void {
    this.exits.push(code);
    this.notify(code);
  }
}

describe('graceful shutdown', () => {
  let bot: Bot | null = null;
  afterEach(async () => {
    await bot?.close().catch(() => undefined);
    bot = null;
  });

  it('on SIGTERM stops, then closes, then exits 0; a second signal exits at once', async () => {
    const host = new FakeHost();
    const order: string[] = [];
    let finishStop: () => void = () => {};
    installShutdown({
      logger: silentLogger(),
      host,
      stop: () =>
        new Promise<void>((resolve) => {
          order.push('stop');
          finishStop = () => {
            order.push('stopped');
            resolve();
          };
        }),
      close: () => {
        order.push('close');
      },
    });
    host.emit('SIGTERM');
    expect(order).toEqual(['stop']);
    host.emit('SIGINT');
    expect(host.exits).toEqual([1]);
    finishStop();
    await new Promise<void>((resolve) => {
      const check = () => (host.exits.length === 2 ? resolve() : setImmediate(check));
      check();
    });
    expect(order).toEqual(['stop', 'stopped', 'close']);
    expect(host.exits).toEqual([1, 0]);
    expect(host.listenerCount('SIGTERM')).toBe(0);
  });

  it('exits 0 by the deadline even if stopping hangs', async () => {
    const host = new FakeHost();
    installShutdown({
      logger: silentLogger(),
      host,
      stop: () => new Promise(() => {}),
      close: () => {},
      limitMs: 600,
    });
    host.emit('SIGINT');
    expect(await host.exited).toBe(0);
  });

  it('stopping with a post in flight leaves its ledger row pending for the next start', async () => {
    const time = testTime('2026-06-10T09:30:00Z');
    const base = testConfig('http://127.0.0.1:9');
    const config = {
      ...base,
      sources: {
        huggingface: { ...base.sources.huggingface, enabled: false },
        arxiv: { ...base.sources.arxiv, enabled: false },
      },
    };
    bot = await memoryBot(config, time.clock);
    const ref: ChannelRef = { platform: 'fake', workspace: 'w', channel: 'c' };
    await bot.store.upsertPapers(
      parseHfDailyPapers(fixture('hf-day1.json'), { fetchedAt: '2026-06-10T04:00:00Z' }).papers,
      new Date('2026-06-10T04:00:00Z'),
    );
    await bot.store.setSchedule(
      ref,
      { time: '09:00', timeZone: 'UTC', days: 'every', size: 10 },
      new Date('2026-06-09T09:00:00Z'),
    );
    const platform = new FakePlatform();
    let inPost: () => void = () => {};
    const posting = new Promise<void>((resolve) => {
      inPost = resolve;
    });
    platform.afterPost = () => {
      inPost();
      return new Promise<void>(() => {});
    };
    const live = startLive({
      config,
      store: bot.store,
      search: bot.search,
      adapters: new Map([['fake' as const, platform]]),
      clock: time.clock,
      logger: silentLogger(),
      ticker: () => ({ stop() {} }),
      stopGraceMs: 50,
    });
    await posting;
    await live.stop();
    expect((await bot.store.openDigestRuns()).map((r) => r.state)).toEqual(['posting']);
    // A stopped runner takes no new work.
    await live.tick();
    expect(platform.posts).toBe(1);
  });
});
