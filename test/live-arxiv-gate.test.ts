import { afterEach, describe, expect, it } from 'vitest';
import { type Bot, createBot } from '../src/app.js';
import { silentLogger } from '../src/core/logger.js';
import { RequestGate } from '../src/core/sources/http.js';
import { SHELL_CHANNEL } from '../src/core/store/store.js';
import type { Live } from '../src/runtime/live.js';
import { FeedServer } from './live/feed-server.js';
import { fixture, startTestLive, testConfig, testHttp, testTime } from './live/harness.js';

const API = '/api/query';
const RSS = '/rss/cs.RO+cs.CL';

describe('one arXiv gate per process: link lookups and the live fetchers share it', () => {
  let server: FeedServer;
  let bot: Bot;
  let live: Live | null = null;
  afterEach(async () => {
    await live?.stop();
    await bot.close();
    await server.close();
  });

  it('a lookup and the arXiv RSS poll never overlap and keep 3 s apart', async () => {
    const time = testTime('2026-06-10T06:00:00Z');
    server = await new FeedServer(() => time.clock.now().getTime()).start();
    server.answer(API, { body: fixture('arxiv-api-id-list.xml') });
    server.answer(RSS, { body: fixture('arxiv-rss-wed.xml') });
    const base = testConfig(server.baseUrl);
    // Only arXiv is polled: the gate is arXiv's.
    const config = {
      ...base,
      sources: { ...base.sources, huggingface: { ...base.sources.huggingface, enabled: false } },
    };
    bot = await createBot({
      config,
      clock: time.clock,
      logger: silentLogger(),
      dataDir: ':memory:',
      sampleFile: null,
      arxivLookup: {
        http: testHttp(time),
        gate: new RequestGate(3_000, time.clock, time.sleep),
      },
    });
    const gate = bot.arxivGate;
    expect(gate).not.toBeNull();
    const ctx = bot.contextFor(SHELL_CHANNEL, { id: 'u', canManageChannel: false }, 'n/a');
    const looking = ctx.paperLookup?.find('1706.03762');
    live = startTestLive(bot, config, time, new Map(), gate ? { gate } : {});
    expect((await looking)?.kind).toBe('found');
    await live.tick();
    const lookup = server.requests(API);
    const poll = server.requests(RSS);
    expect(lookup).toHaveLength(1);
    expect(poll).toHaveLength(1);
    expect([...lookup, ...poll].every((r) => r.inFlight === 1)).toBe(true);
    expect(poll[0]!.at - lookup[0]!.at).toBeGreaterThanOrEqual(3_000);
  });

  it('without a lookup configured the bot has no gate and makes no request', async () => {
    const time = testTime('2026-06-10T06:00:00Z');
    server = await new FeedServer(() => time.clock.now().getTime()).start();
    bot = await createBot({
      config: testConfig(server.baseUrl),
      clock: time.clock,
      logger: silentLogger(),
      dataDir: ':memory:',
      sampleFile: null,
    });
    expect(bot.arxivGate).toBeNull();
    const ctx = bot.contextFor(SHELL_CHANNEL, { id: 'u', canManageChannel: false }, 'n/a');
    expect(ctx.paperLookup).toBeUndefined();
    expect(server.seen).toHaveLength(0);
  });
});
