import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Bot, createBot } from '../src/app.js';
import type { Live } from '../src/commands/live.js';
import { run as status } from '../src/commands/status.js';
import type { Config } from '../src/config.js';
import { silentLogger } from '../src/core/logger.js';
import type { ChannelRef, Schedule } from '../src/core/store/store.js';
import { FakePlatform } from './fakes/platform-poster.js';
import { FeedServer } from './live/feed-server.js';
import { fixture, startTestLive, testConfig, testTime } from './live/harness.js';

const HF = '/api/daily_papers';
const RSS = '/rss/cs.RO+cs.CL';
const team: ChannelRef = { platform: 'discord', workspace: 'g1', channel: 'team' };
const berlin: Schedule = { time: '09:00', timeZone: 'Europe/Berlin', days: 'every', size: 10 };

describe('live: fetch → store → index → digest', () => {
  let server: FeedServer;
  let time: ReturnType<typeof testTime>;
  let bot: Bot;
  let platform: FakePlatform;
  let live: Live | null;

  async function start(over: Partial<Config> = {}) {
    const config = { ...testConfig(server.baseUrl), ...over } as Config;
    bot = await createBot({
      config,
      clock: time.clock,
      logger: silentLogger(),
      dataDir: ':memory:',
      sampleFile: null,
    });
    return config;
  }

  function go(config: Config) {
    live = startTestLive(bot, config, time, new Map([['discord' as const, platform]]), {
      random: () => 0.5,
    });
    return live;
  }

  function ctx() {
    return bot.contextFor(team, { id: 'u1', canManageChannel: true }, 'Manage Channel');
  }

  beforeEach(async () => {
    time = testTime('2026-06-10T06:30:00Z'); // 08:30 in Berlin, Wednesday
    server = await new FeedServer(() => time.clock.now().getTime()).start();
    platform = new FakePlatform();
    live = null;
  });
  afterEach(async () => {
    await live?.stop();
    await bot?.close();
    await server.close();
  });

  it('polls both sources and posts the expected two-topic digest at 09:00 local', async () => {
    server.answer(HF, { body: fixture('hf-day1.json') });
    server.answer(RSS, { body: fixture('arxiv-rss-wed.xml') });
    const config = await start();
    bot.store.setSchedule(team, berlin, new Date('2026-06-09T12:00:00Z'));
    for (const topic of ['robot grasping', 'reasoning'])
      bot.store.addSubscription({
        channel: team,
        topic,
        addedBy: 'u1',
        addedAt: '2026-06-09T12:00:00Z',
      });
    const l = go(config);
    await l.tick();
    expect(server.requests(HF)).toHaveLength(1);
    expect(server.requests(RSS)).toHaveLength(1);
    expect(bot.store.countPapers()).toBe(6); // 4 HF + 2 new from arXiv (one shared), the unknown replace dropped
    expect(platform.messages).toHaveLength(0); // 08:30: not yet

    time.clock.set('2026-06-10T07:00:00Z');
    await l.tick();
    expect(platform.in(team)).toHaveLength(1);
    const [digest] = platform.in(team);
    expect(digest).toMatchObject({
      kind: 'digest',
      date: '2026-06-10',
      title: 'Paper digest 2026-06-10',
    });
    expect(digest?.paperIds).toEqual(['2606.01002', '2606.02005', '2606.01001', '2606.01003']);
    // Sources are not polled again before their interval.
    time.clock.set('2026-06-10T07:20:00Z');
    await l.tick();
    expect(server.requests(HF)).toHaveLength(1);
    expect(platform.in(team)).toHaveLength(1);

    const reply = await status({}, ctx());
    expect(reply).toMatchObject({ papers: 6, channels: 1, warnings: [] });
    expect(
      reply.sources.map((s) => [s.name, s.enabled, s.lastSuccessAt !== null, s.warning]),
    ).toEqual([
      ['huggingface', true, true, null],
      ['arxiv-rss', true, true, null],
    ]);
    expect(reply.nextDigests).toEqual([
      { channel: 'discord:g1:team', at: '2026-06-11T07:00:00.000Z' },
    ]);
  });

  it('429, 503, timeouts and malformed feeds fail their runs, keep stored papers, and show in status and the admin channel', async () => {
    server.answer(HF, { body: fixture('hf-day1.json') });
    server.answer(RSS, { body: fixture('arxiv-rss-wed.xml') });
    const config = await start({ health: { adminChannel: 'discord:g1:admin' } });
    const l = go(config);
    await l.tick();
    const stored = bot.store.countPapers();

    server.reset(HF, { status: 429, headers: { 'retry-after': '86400' } });
    server.reset(RSS, { status: 503 }, { body: '<rss><channel><item><title>cut off' });
    time.clock.advance(4 * 3_600_000);
    await l.tick();
    expect(bot.store.countPapers()).toBe(stored);
    const reply = await status({}, ctx());
    expect(reply.warnings).toEqual([
      'huggingface: last run failed: Hugging Face Daily Papers asked to wait 86400 s (HTTP 429); will try at the next poll.',
      expect.stringMatching(/^arxiv-rss: last run failed: .*(RSS|XML|parse)/i),
    ]);
    const admin = platform.in({ platform: 'discord', workspace: 'g1', channel: 'admin' });
    expect(admin).toHaveLength(1);
    expect(admin[0]?.title).toMatch(/huggingface: last run failed.*arxiv-rss: last run failed/);

    // The same problems do not repeat in the admin channel; recovery is announced once.
    time.clock.advance(4 * 3_600_000);
    await l.tick();
    expect(platform.in({ platform: 'discord', workspace: 'g1', channel: 'admin' })).toHaveLength(1);
    server.reset(HF, { body: fixture('hf-day1.json') });
    server.reset(RSS, { body: fixture('arxiv-rss-wed.xml') });
    time.clock.set('2026-06-10T22:00:00Z');
    await l.tick();
    expect(
      platform.in({ platform: 'discord', workspace: 'g1', channel: 'admin' }).at(-1)?.title,
    ).toMatch(/huggingface: recovered/);
  });

  it('an empty weekend arXiv feed is not a warning', async () => {
    time.clock.set('2026-06-13T12:00:00Z');
    server.answer(HF, { body: fixture('hf-day1.json') });
    server.answer(RSS, { body: fixture('arxiv-rss-weekend.xml') });
    const config = await start();
    const l = go(config);
    await l.tick();
    const reply = await status({}, ctx());
    expect(reply.warnings).toEqual([]);
    expect(bot.store.recentSourceRuns('arxiv-rss', 1)[0]).toMatchObject({ ok: true, fetched: 0 });
  });

  it('after a 3-day downtime posts one catch-up digest, not one per missed day', async () => {
    server.answer(HF, { body: fixture('hf-day1.json') });
    server.answer(RSS, { body: fixture('arxiv-rss-wed.xml') });
    const config = await start();
    bot.store.setSchedule(team, berlin, new Date('2026-06-01T00:00:00Z'));
    bot.store.setLastDigestAt(team, new Date('2026-06-07T07:00:00Z'));
    time.clock.set('2026-06-10T11:00:00Z');
    const l = go(config);
    await l.tick();
    expect(platform.in(team)).toHaveLength(1);
    for (let hour = 0; hour < 12; hour++) {
      time.clock.advance(3_600_000);
      await l.tick();
    }
    expect(platform.in(team)).toHaveLength(1);
    expect(platform.in(team)[0]?.date).toBe('2026-06-10');
  });

  it('--live: the terminal channel gets its digest when due', async () => {
    server.answer(HF, { body: fixture('hf-day1.json') });
    server.answer(RSS, { body: fixture('arxiv-rss-wed.xml') });
    const config = {
      ...testConfig(server.baseUrl),
      digest: { ...testConfig(server.baseUrl).digest, time: '09:00', timeZone: 'UTC' },
    } as Config;
    bot = await createBot({
      config,
      clock: time.clock,
      logger: silentLogger(),
      dataDir: ':memory:',
      sampleFile: null,
    });
    const shell = new FakePlatform();
    live = startTestLive(bot, config, time, new Map([['shell' as const, shell]]), {
      includeShell: true,
    });
    await live.tick();
    expect(shell.messages).toHaveLength(0);
    time.clock.set('2026-06-10T09:00:00Z');
    await live.tick();
    expect(shell.messages).toHaveLength(1);
    expect(shell.messages[0]).toMatchObject({ channel: 'shell:local:default', kind: 'digest' });
    expect(shell.messages[0]?.paperIds.length).toBeGreaterThan(0);
  });
});
