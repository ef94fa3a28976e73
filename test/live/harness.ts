import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Bot, createBot } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { type Clock, manualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { HttpDeps } from '../../src/core/sources/http.js';
import type { RuntimePoster } from '../../src/runtime/live.js';
import { type Live, type LiveOptions, startLive } from '../../src/runtime/live.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

export function fixture(name: string): string {
  return readFileSync(path.join(ROOT, 'test', 'fixtures', 'live', name), 'utf8');
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

function merge<T>(base: T, over: DeepPartial<T> | undefined): T {
  if (!over) return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] =
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      current &&
      typeof current === 'object'
        ? merge(current, value as DeepPartial<typeof current>)
        : value;
  }
  return out as T;
}

/** The committed defaults with the sources pointed at a local fake. */
export function testConfig(baseUrl: string, over?: DeepPartial<Config>): Config {
  const base = loadConfig({ env: {}, rootDir: ROOT });
  return merge(base, {
    sources: {
      huggingface: { enabled: true, baseUrl, pollMinutes: 60 },
      arxiv: {
        enabled: true,
        rssBaseUrl: `${baseUrl}/rss`,
        apiBaseUrl: `${baseUrl}/api/query`,
        categories: ['cs.RO', 'cs.CL'],
        pollMinutes: 180,
      },
    },
    ...over,
  } as DeepPartial<Config>);
}

/** A manual clock whose sleeps advance it: no test ever waits for real time. */
export function testTime(start: string) {
  const clock = manualClock(start);
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    clock.advance(ms);
  };
  return { clock, sleeps, sleep };
}

export function testHttp(
  time: Pick<ReturnType<typeof testTime>, 'clock' | 'sleep'>,
  over: Partial<HttpDeps> = {},
): HttpDeps {
  return {
    fetch: globalThis.fetch,
    clock: time.clock,
    sleep: time.sleep,
    random: () => 0.5,
    timeoutSignal: () => new AbortController().signal,
    userAgent: 'Paperboy/0.1.0 (+https://github.com/paperboy-bot/paperboy; research paper bot)',
    ...over,
  };
}

/** The live bot's work on a test bot: the test's clock and sleeps, no cron (tests call `tick`). */
export function startTestLive(
  bot: Pick<Bot, 'store' | 'search'>,
  config: Config,
  time: ReturnType<typeof testTime>,
  adapters: ReadonlyMap<'fake' | 'discord' | 'slack' | 'shell', RuntimePoster>,
  over: Partial<LiveOptions> = {},
): Live {
  return startLive({
    config,
    store: bot.store,
    search: bot.search,
    adapters,
    clock: time.clock,
    logger: silentLogger(),
    sleep: time.sleep,
    ticker: () => ({ stop() {} }),
    ...over,
  });
}

/** A bot on an in-memory store with no bundled sample and a silent log. */
export function memoryBot(config: Config, clock: Clock): Promise<Bot> {
  return createBot({
    config,
    clock,
    logger: silentLogger(),
    dataDir: ':memory:',
    sampleFile: null,
  });
}
