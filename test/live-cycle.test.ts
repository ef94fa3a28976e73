import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bot } from '../src/app.js';
import type { DigestReply, Reply } from '../src/commands/reply.js';
import { run as status } from '../src/commands/status.js';
import type { Config } from '../src/config.js';
import { sourcesHealth } from '../src/core/health.js';
import { DEFAULT_POLICY } from '../src/core/sources/http.js';
import type { ChannelRef, Schedule } from '../src/core/store/store.js';
import type { Live } from '../src/runtime/live.js';
import { FakePlatform } from './fakes/platform-poster.js';
import { FeedServer } from './live/feed-server.js';
import { fixture, memoryBot, startTestLive, testConfig, testTime } from './live/harness.js';

const HF = '/api/daily_papers';
const RSS = '/rss/cs.RO+cs.CL';
const team: ChannelRef = { platform: 'discord', workspace: 'g1', channel: 'team' };
/** Keeps the full replies too, so a test can read the digest's sections and "why" lines. */
class RecordingPlatform extends FakePlatform {
  readonly digests: Array<{ channel: string; reply: DigestReply }> = [];

  override async post(target: ChannelRef, reply: Reply): Promise<{ messageIds: string[] }> {
    const result = await super.post(target, reply);
    if (reply.kind === 'digest')
      this.digests.push({
        channel: `${target.platform}:${target.workspace}:${target.channel}`,
        reply,
      });
    return result;
  }
}

const berlin: Schedule = { time: '09:00', timeZone: 'Europe/Berlin', days: 'every', size: 10 };

describe('live: fetch → store → index → digest', () => {
  let server: FeedServer;
  let time: ReturnType<typeof testTime>;
  let bot: Bot;
  let platform: RecordingPlatform;
  let live: Live | null;

  async function start(over: Partial<Config> = {}) {
    const config = { ...testConfig(server.baseUrl), ...over } as Config;
    bot = await memoryBot(config, time.clock);
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
    platform = new RecordingPlatform();
    live = null;
  });
  afterEach(async () => {
    await live?.stop();
    await bot?.close();
    await server.close();
  });

  it('polls both sources and posts the expected two-topic digest at 09:00 local', async () => {
    // The day's HF batch plus one paper that matches both topics, robot grasping far better.
    const hfDay = JSON.parse(fixture('hf-day1.json')) as Array<Record<string, unknown>>;
    const both = {
      id: '2606.01005',
      authors: [{ _id: 'e1', name: 'Rosa Díaz', hidden: false }],
      publishedAt: '2026-06-09T10:00:00.000Z',
      title: 'Robot Grasping of Deformable Objects: Robot Grasping Benchmarks',
      summary: 'A robot grasping pipeline for cloth and cables, with one short reasoning step.',
      upvotes: 10,
    };
    hfDay.push({ paper: both, publishedAt: '2026-06-09T23:50:00.000Z', title: both.title });
    server.answer(HF, { body: JSON.stringify(hfDay) });
    server.answer(RSS, { body: fixture('arxiv-rss-wed.xml') });
    const config = await start();
    await bot.store.setSchedule(team, berlin, new Date('2026-06-09T12:00:00Z'));
    // Followed in this order: the digest's sections come in the channel's topic order.
    for (const [topic, addedAt] of [
      ['robot grasping', '2026-06-09T12:00:00Z'],
      ['reasoning', '2026-06-09T12:05:00Z'],
    ] as const)
      await bot.store.addSubscription({ channel: team, topic, addedBy: 'u1', addedAt });
    const l = go(config);
    await l.tick();
    expect(server.requests(HF)).toHaveLength(1);
    expect(server.requests(RSS)).toHaveLength(1);
    expect(await bot.store.countPapers()).toBe(7); // 5 HF + 2 new from arXiv (one shared), the unknown replace dropped
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
    // What reached the platform: each paper under its best-matching topic only, ranked by
    // upvotes (unknown last); protein folding and sparse attention match neither and are left out.
    expect(platform.digests).toHaveLength(1);
    const reply = platform.digests[0]!.reply;
    expect(
      reply.sections.map((s) => ({
        topic: s.topic,
        items: s.items.map((i) => [i.paper.id, i.why]),
      })),
    ).toEqual([
      {
        topic: 'robot grasping',
        items: [
          ['2606.01001', 'topic "robot grasping": matched robot, grasping'],
          ['2606.01005', 'topic "robot grasping": matched robot, grasping'],
          ['2606.01003', 'topic "robot grasping": matched robot, grasping'],
        ],
      },
      {
        topic: 'reasoning',
        items: [
          ['2606.01002', 'topic "reasoning": matched reasoning'],
          ['2606.02005', 'topic "reasoning": matched reasoning'],
        ],
      },
    ]);
    // 2606.01005 matches "reasoning" too, yet is listed once, under its better topic.
    const [grasping] = await bot.search.matchTopic('robot grasping', ['2606.01005']);
    const [reasoning] = await bot.search.matchTopic('reasoning', ['2606.01005']);
    expect(reasoning?.matchedTerms).toEqual(['reasoning']);
    expect(grasping!.score).toBeGreaterThan(reasoning!.score);
    expect(reply.sections[0]?.items[0]?.paper.title).toBe(
      'Dexterous Robot Grasping with Tactile Diffusion Policies',
    );
    expect(digest?.paperIds).toEqual([
      '2606.01001',
      '2606.01005',
      '2606.01003',
      '2606.01002',
      '2606.02005',
    ]);
    // Sources are not polled again before their interval.
    time.clock.set('2026-06-10T07:20:00Z');
    await l.tick();
    expect(server.requests(HF)).toHaveLength(1);
    expect(platform.in(team)).toHaveLength(1);

    const state = await status({}, ctx());
    expect(state).toMatchObject({ papers: 7, channels: 1, warnings: [] });
    expect(
      state.sources.map((s) => [s.name, s.enabled, s.lastSuccessAt !== null, s.warning]),
    ).toEqual([
      ['huggingface', true, true, null],
      ['arxiv-rss', true, true, null],
    ]);
    expect(state.nextDigests).toEqual([
      {
        channel: 'discord:g1:team',
        at: '2026-06-11T07:00:00.000Z',
        local: '2026-06-11 09:00 Europe/Berlin',
      },
    ]);
  });

  it('429, 503 and malformed feeds fail their runs, keep stored papers, and show in status and the admin channel', async () => {
    server.answer(HF, { body: fixture('hf-day1.json') });
    server.answer(RSS, { body: fixture('arxiv-rss-wed.xml') });
    const config = await start({ health: { adminChannel: 'discord:g1:admin' } });
    const l = go(config);
    await l.tick();
    const stored = await bot.store.countPapers();

    server.reset(HF, { status: 429, headers: { 'retry-after': '86400' } });
    server.reset(RSS, { status: 503 }, { body: '<rss><channel><item><title>cut off' });
    time.clock.advance(4 * 3_600_000);
    await l.tick();
    expect(await bot.store.countPapers()).toBe(stored);
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

  it('a source that never answers times out on the injected timeout: run failed, papers kept, status and admin told', async () => {
    server.answer(HF, { body: fixture('hf-day1.json') });
    server.answer(RSS, { body: fixture('arxiv-rss-wed.xml') });
    const config = await start({ health: { adminChannel: 'discord:g1:admin' } });
    // The timeout fires when the fake holds a request open, not after real seconds.
    const timeouts: number[] = [];
    const timeoutSignal = (ms: number) => {
      timeouts.push(ms);
      const controller = new AbortController();
      void server
        .nextHang()
        .then(() => controller.abort(new DOMException('timed out', 'TimeoutError')));
      return controller.signal;
    };
    const policy = { ...DEFAULT_POLICY, timeoutMs: 30_000, maxAttempts: 2 };
    live = startTestLive(bot, config, time, new Map([['discord' as const, platform]]), {
      random: () => 0.5,
      timeoutSignal,
      policy,
    });
    await live.tick();
    const firstSuccess = (await bot.store.recentSourceRuns('huggingface', 1))[0]?.finishedAt;
    const stored = await bot.store.getPapers([
      '2606.01001',
      '2606.01002',
      '2606.01003',
      '2606.01004',
    ]);
    expect(stored).toHaveLength(4);
    const count = await bot.store.countPapers();

    server.reset(HF, { hang: true });
    time.clock.advance(4 * 3_600_000);
    const requestsBefore = server.requests(HF).length;
    await live.tick();
    // Both attempts were held open by the fake and given up on by the injected timeout.
    expect(server.requests(HF).length - requestsBefore).toBe(policy.maxAttempts);
    expect(timeouts.length).toBeGreaterThanOrEqual(policy.maxAttempts);
    expect(timeouts.every((ms) => ms === policy.timeoutMs)).toBe(true);
    expect(server.hangingCount).toBe(0);
    const run = (await bot.store.recentSourceRuns('huggingface', 1))[0];
    expect(run).toMatchObject({ ok: false, fetched: 0, added: 0 });
    expect(run?.messages).toContain('Hugging Face Daily Papers did not answer within 30 s.');
    // The other source is unaffected and nothing stored is lost.
    expect((await bot.store.recentSourceRuns('arxiv-rss', 1))[0]).toMatchObject({ ok: true });
    expect(await bot.store.countPapers()).toBe(count);
    expect(await bot.store.getPapers(stored.map((p) => p.id))).toEqual(stored);
    expect((await bot.search.search('tactile diffusion')).hits.map((h) => h.paper.id)).toContain(
      '2606.01001',
    );

    const health = await sourcesHealth(bot.store, config, time.clock.now());
    expect(health.find((h) => h.name === 'huggingface')?.warning).toBe(
      'last run failed: Hugging Face Daily Papers did not answer within 30 s.',
    );
    const reply = await status({}, ctx());
    expect(reply.warnings).toEqual([
      'huggingface: last run failed: Hugging Face Daily Papers did not answer within 30 s.',
    ]);
    const hf = reply.sources.find((s) => s.name === 'huggingface');
    expect(hf?.lastSuccessAt).toBe(firstSuccess);
    expect(hf?.lastRunAt).not.toBe(firstSuccess);
    const admin = platform.in({ platform: 'discord', workspace: 'g1', channel: 'admin' });
    expect(admin.map((m) => m.title)).toEqual([
      'huggingface: last run failed: Hugging Face Daily Papers did not answer within 30 s.',
    ]);
  });

  it('scrubs a secret a failure message quoted before it reaches the admin channel', async () => {
    const config = await start({ health: { adminChannel: 'discord:g1:admin' } });
    const hook = 'https://hooks.slack.com/services/T0/B0/admin-secret-hook';
    const now = time.clock.now().toISOString();
    // A run just failed (not due again this tick), its message quoting a webhook URL.
    await bot.store.recordSourceRun({
      source: 'huggingface',
      startedAt: now,
      finishedAt: now,
      ok: false,
      fetched: 0,
      added: 0,
      messages: [`proxy refused ${hook}?token=qs-secret-123`],
    });
    await go(config).tick();
    const admin = platform.in({ platform: 'discord', workspace: 'g1', channel: 'admin' });
    expect(admin).toHaveLength(1);
    expect(admin[0]?.title).toMatch(/huggingface: last run failed: proxy refused .*\[redacted\]/);
    expect(JSON.stringify(admin)).not.toMatch(/admin-secret-hook|qs-secret-123/);
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
    expect((await bot.store.recentSourceRuns('arxiv-rss', 1))[0]).toMatchObject({
      ok: true,
      fetched: 0,
    });
  });

  it('after a 3-day downtime posts one catch-up digest, not one per missed day', async () => {
    server.answer(HF, { body: fixture('hf-day1.json') });
    server.answer(RSS, { body: fixture('arxiv-rss-wed.xml') });
    const config = await start();
    await bot.store.setSchedule(team, berlin, new Date('2026-06-01T00:00:00Z'));
    await bot.store.setLastDigestAt(team, new Date('2026-06-07T07:00:00Z'));
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
    bot = await memoryBot(config, time.clock);
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
