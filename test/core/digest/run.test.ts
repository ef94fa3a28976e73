import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Bot, createBot } from '../../../src/app.js';
import { planParts } from '../../../src/core/digest/message.js';
import { type DigestDeps, runDigests, serveChannel } from '../../../src/core/digest/run.js';
import { PaperboyError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/core/logger.js';
import { parseArxivRss } from '../../../src/core/sources/parse-arxiv-rss.js';
import { parseHfDailyPapers } from '../../../src/core/sources/parse-hf-daily-papers.js';
import type { ChannelRef, Schedule } from '../../../src/core/store/store.js';
import { memoryLogger } from '../../adapters/slack/harness.js';
import { FakePlatform } from '../../fakes/platform-poster.js';
import { fixture, testConfig, testTime } from '../../live/harness.js';

const schedule: Schedule = { time: '09:00', timeZone: 'Europe/Berlin', days: 'every', size: 10 };
const team: ChannelRef = { platform: 'fake', workspace: 'w1', channel: 'team' };
const other: ChannelRef = { platform: 'fake', workspace: 'w1', channel: 'other' };

describe('digest delivery', () => {
  let bot: Bot;
  let time: ReturnType<typeof testTime>;
  let platform: FakePlatform;

  beforeEach(async () => {
    time = testTime('2026-06-10T04:00:00Z');
    bot = await createBot({
      config: testConfig('http://127.0.0.1:9', { digest: { postWhenEmpty: false } as never }),
      clock: time.clock,
      logger: silentLogger(),
      dataDir: ':memory:',
      sampleFile: null,
    });
    platform = new FakePlatform();
    for (const ref of [team, other]) {
      await bot.store.setSchedule(ref, schedule, new Date('2026-06-09T00:00:00Z'));
      for (const topic of ['robot grasping', 'reasoning'])
        await bot.store.addSubscription({
          channel: ref,
          topic,
          addedBy: 'u1',
          addedAt: '2026-06-09T00:00:00Z',
        });
    }
    const at = time.clock.now().toISOString();
    await bot.store.upsertPapers(
      parseHfDailyPapers(fixture('hf-day1.json'), { fetchedAt: at }).papers,
      time.clock.now(),
    );
    await bot.store.upsertPapers(
      parseArxivRss(fixture('arxiv-rss-wed.xml'), { fetchedAt: at }).papers.filter(
        (p) => p.arxivId !== '2501.00077',
      ),
      time.clock.now(),
    );
    await bot.search.refresh();
    time.clock.set('2026-06-10T07:05:00Z'); // 09:05 in Berlin
  });
  afterEach(async () => {
    await bot.close();
  });

  function deps(
    over: { partSize?: number; postWhenEmpty?: boolean; platform?: FakePlatform } = {},
  ): DigestDeps {
    return {
      store: bot.store,
      search: bot.search,
      settings: { ...bot.config.digest, postWhenEmpty: over.postWhenEmpty ?? false },
      clock: time.clock,
      logger: silentLogger(),
      posters: new Map([['fake' as const, over.platform ?? platform]]),
      defaultSchedule: schedule,
      startedAt: time.clock.now(),
      owner: 'test-process',
      ...(over.partSize ? { partSize: over.partSize } : {}),
    };
  }

  /** One tick's digest work for the channel. */
  async function serve(ref: ChannelRef, d: DigestDeps = deps()) {
    return serveChannel(
      (await bot.store.getChannel(ref))!,
      (await bot.store.openDigestRuns(ref))[0],
      d,
    );
  }

  const latestRun = async (ref: ChannelRef) => (await bot.store.recentDigestRuns(ref, 1))[0];

  it('posts the digest grouped by topic, ledger first, completed with the message id', async () => {
    const outcome = await serve(team);
    expect(outcome).toMatchObject({ kind: 'posted', parts: 1, papers: 4 });
    const [message] = platform.in(team);
    // Sections in the store's topic order; within a topic, known upvotes first.
    expect(message?.paperIds).toEqual(['2606.01002', '2606.02005', '2606.01001', '2606.01003']);
    const run = await latestRun(team);
    expect(run).toMatchObject({
      state: 'posted',
      digestDate: '2026-06-10',
      paperIds: message?.paperIds,
    });
    expect(run?.parts).toEqual([expect.objectContaining({ part: 1, messageId: message?.id })]);
    expect(message?.deliveryId).toBe(run?.parts[0]?.deliveryId);
    // A run planned in this tick is posted straight away: no history read first.
    expect(platform.finds).toBe(0);
    // The cursor is the window end; not due again today.
    expect((await bot.store.getChannel(team))?.lastDigestAt).toBe(run?.to);
    expect(await serve(team)).toBeNull();
    expect(platform.in(team)).toHaveLength(1);
  });

  it('splits a long digest into parts, each with its own ledger row', async () => {
    await serve(team, deps({ partSize: 3 }));
    const messages = platform.in(team);
    expect(messages.map((m) => m.title)).toEqual([
      'Paper digest 2026-06-10 (1/2)',
      'Paper digest 2026-06-10 (2/2)',
    ]);
    expect(messages.map((m) => m.part)).toEqual([1, 2]);
    expect((await latestRun(team))?.state).toBe('posted');
    expect((await latestRun(team))?.parts.map((p) => p.messageId)).toEqual(
      messages.map((m) => m.id),
    );
  });

  it('after a crash between posting and completing, reconciliation finds the message instead of re-posting', async () => {
    let posted: () => void = () => {};
    const firstPost = new Promise<void>((resolve) => {
      posted = resolve;
    });
    // The "process" dies inside the first post: the message exists, the ledger row is pending.
    platform.afterPost = () => {
      posted();
      return new Promise<void>(() => {});
    };
    void serve(team, deps({ partSize: 3 }));
    await firstPost;
    expect((await bot.store.openDigestRuns(team))[0]?.state).toBe('posting');
    // "Restart": a new connection to the same platform, which still has the message.
    const restarted = new FakePlatform();
    restarted.messages.push(...platform.messages);
    time.clock.set('2026-06-10T07:20:00Z');
    expect(await serve(team, deps({ partSize: 3, platform: restarted }))).toMatchObject({
      kind: 'posted',
    });
    expect(await bot.store.openDigestRuns()).toEqual([]);
    const messages = restarted.in(team);
    expect(messages.map((m) => m.part)).toEqual([1, 2]);
    expect(new Set(messages.map((m) => m.deliveryId)).size).toBe(2);
    // Part 1 was found, not re-posted; only the missing part 2 was posted.
    expect(restarted.posts).toBe(1);
    expect((await latestRun(team))?.parts.map((p) => p.messageId)).toEqual(
      messages.map((m) => m.id),
    );
  });

  it('marks a refusing channel, retries it at its next due time only, and still serves the others', async () => {
    platform.refusing.set('fake:w1:team', 'missing permission: Send Messages');
    expect(await serve(team)).toMatchObject({
      kind: 'refused',
      nextAttemptAt: '2026-06-11T07:00:00.000Z',
    });
    expect(await serve(other)).toMatchObject({ kind: 'posted' });
    expect((await bot.store.getChannel(team))?.failure?.reason).toBe(
      'missing permission: Send Messages',
    );
    expect(await latestRun(team)).toMatchObject({
      state: 'retrying',
      lastError: 'missing permission: Send Messages',
    });
    time.clock.set('2026-06-10T12:00:00Z');
    const posts = platform.posts;
    expect(await serve(team)).toMatchObject({ kind: 'waiting' });
    expect(platform.posts).toBe(posts);
    expect(platform.in(other)).toHaveLength(1);
  });

  it('pauses a channel refused for digest.disableAfterDays, listing what it skipped', async () => {
    platform.refusing.set('fake:w1:team', 'channel not found');
    const paused: string[] = [];
    const d = () => ({
      ...deps(),
      onPaused: async (ref: ChannelRef) => void paused.push(ref.channel),
    });
    for (let day = 10; day <= 17; day++) {
      time.clock.set(`2026-06-${day}T07:01:00Z`);
      await serve(team, d());
    }
    const channel = await bot.store.getChannel(team);
    expect(channel?.paused).toBe(true);
    expect(channel?.failure?.at).toBe('2026-06-10T07:01:00.000Z');
    expect(paused).toEqual(['team']);
    const skipped = await latestRun(team);
    expect(skipped?.state).toBe('abandoned');
    expect(skipped?.lastError).toMatch(/^skipped: the channel refused since/);
    expect(skipped?.paperIds.length).toBeGreaterThan(0);
    expect(channel?.lastDigestAt).toBe(skipped?.to);
  });

  it('a refusing channel whose run needs a look-up is tried once per due time, not every tick, and paused after digest.disableAfterDays', async () => {
    // As on Discord, reading the channel back (the look-up before a re-post) is refused too.
    const calls: string[] = [];
    const poster = {
      post: (target: ChannelRef, message: Parameters<FakePlatform['post']>[1]) => {
        calls.push(`post ${time.clock.now().toISOString()}`);
        return platform.post(target, message);
      },
      findDelivery: async (target: ChannelRef, deliveryId: string) => {
        calls.push(`find ${time.clock.now().toISOString()}`);
        const reason = platform.refusing.get('fake:w1:team');
        if (reason) throw new PaperboyError('CHANNEL_UNAVAILABLE', reason);
        return platform.findDelivery(target, deliveryId);
      },
    } as unknown as FakePlatform;
    platform.refusing.set('fake:w1:team', 'missing access');
    // Hourly ticks for 8 days from the first due time.
    for (let hour = 0; hour < 8 * 24 && !(await bot.store.getChannel(team))?.paused; hour++) {
      time.clock.set(new Date(Date.parse('2026-06-10T07:05:00Z') + hour * 3_600_000));
      await serve(team, deps({ platform: poster }));
    }
    // One call on the first day (the post), one a day after (the look-up), paused on day 8.
    expect(calls).toEqual([
      'post 2026-06-10T07:05:00.000Z',
      ...[11, 12, 13, 14, 15, 16, 17].map((d) => `find 2026-06-${d}T07:05:00.000Z`),
    ]);
    expect(await bot.store.getChannel(team)).toMatchObject({ paused: true });
    expect((await latestRun(team))?.lastError).toMatch(/^skipped: the channel refused since/);
  });

  it('retries a transient failure with backoff on the injected clock, never counting it delivered', async () => {
    platform.flaky.set('fake:w1:team', 2);
    expect(await serve(team)).toMatchObject({
      kind: 'retrying',
      nextAttemptAt: '2026-06-10T07:06:00.000Z',
    });
    expect(await serve(team)).toMatchObject({ kind: 'waiting' });
    time.clock.set('2026-06-10T07:06:00Z');
    expect(await serve(team)).toMatchObject({
      kind: 'retrying',
      nextAttemptAt: '2026-06-10T07:08:00.000Z',
    });
    expect((await bot.store.getChannel(team))?.lastDigestAt).toBeNull();
    time.clock.set('2026-06-10T07:08:00Z');
    expect(await serve(team)).toMatchObject({ kind: 'posted' });
    // Each retry first checks whether the failed post reached the channel after all.
    expect(platform.finds).toBe(2);
    expect(platform.in(team)).toHaveLength(1);
    expect(await latestRun(team)).toMatchObject({ state: 'posted', attempts: 3 });
  });

  it('a failing plan makes that channel’s run retrying (cursor kept, code logged); the others post', async () => {
    const log = memoryLogger();
    let faults = 1;
    const search: DigestDeps['search'] = {
      matchTopic: async (topic, ids) => {
        if (faults-- > 0) throw new PaperboyError('STORE_FAILED', 'disk I/O error');
        return await bot.search.matchTopic(topic, ids);
      },
      refresh: () => bot.search.refresh(),
    };
    const d: DigestDeps = { ...deps(), search, logger: log.logger };
    const done = await runDigests(
      await Promise.all([team, other].map(async (ref) => (await bot.store.getChannel(ref))!)),
      d,
    );
    expect(done).toEqual([
      {
        channel: 'fake:w1:team',
        outcome: {
          kind: 'retrying',
          reason: 'plan failed (STORE_FAILED): disk I/O error',
          nextAttemptAt: '2026-06-10T07:06:00.000Z',
        },
      },
      { channel: 'fake:w1:other', outcome: expect.objectContaining({ kind: 'posted' }) },
    ]);
    expect(await latestRun(team)).toMatchObject({ state: 'retrying', attempts: 1, parts: [] });
    expect((await bot.store.getChannel(team))?.lastDigestAt).toBeNull();
    expect(log.lines()).toContainEqual(
      expect.objectContaining({ code: 'STORE_FAILED', msg: 'digest plan failed; will retry' }),
    );
    // Waits out its backoff, then plans again over the same window: nothing of the day lost.
    expect(await serve(team, d)).toMatchObject({ kind: 'waiting' });
    time.clock.set('2026-06-10T07:06:00Z');
    expect(await serve(team, d)).toMatchObject({ kind: 'posted', papers: 4 });
    const [posted, failed] = await bot.store.recentDigestRuns(team, 2);
    expect(failed).toMatchObject({ state: 'abandoned' });
    expect(posted?.from).toBe(failed?.from);
    expect(posted?.note).toBeNull();
    expect(platform.in(team)[0]?.paperIds).toEqual(platform.in(other)[0]?.paperIds);
  });

  it('plans no run while search cannot index the newest papers: retrying, once per tick, cursor kept', async () => {
    const log = memoryLogger();
    let refreshes = 0;
    let indexBusy = true;
    const search: DigestDeps['search'] = {
      matchTopic: (topic, ids) => bot.search.matchTopic(topic, ids),
      refresh: async () => {
        refreshes++;
        // As when `npm run ingest` holds the write lock past the catch-up's wait.
        if (indexBusy) throw new Error('database is locked');
        await bot.search.refresh();
      },
    };
    const d: DigestDeps = { ...deps(), search, logger: log.logger };
    const channels = async () =>
      Promise.all([team, other].map(async (ref) => (await bot.store.getChannel(ref))!));
    const done = await runDigests(await channels(), d);
    expect(done.map((r) => r.outcome.kind)).toEqual(['retrying', 'retrying']);
    expect(done[0]?.outcome).toMatchObject({
      reason: expect.stringContaining('plan failed (STORE_FAILED): The search index could not'),
    });
    expect(refreshes).toBe(1); // the second channel did not wait on the index again
    expect((await bot.store.getChannel(team))?.lastDigestAt).toBeNull();
    expect((await bot.store.getChannel(other))?.lastDigestAt).toBeNull();
    expect(platform.posts).toBe(0);
    indexBusy = false;
    time.clock.set('2026-06-10T07:06:00Z');
    const next = await runDigests(await channels(), d);
    expect(next.map((r) => r.outcome)).toEqual([
      expect.objectContaining({ kind: 'posted', papers: 4 }),
      expect.objectContaining({ kind: 'posted', papers: 4 }),
    ]);
  });

  it('reads a run again under its claim: one another process put in backoff waits', async () => {
    platform.flaky.set('fake:w1:team', 1);
    expect(await serve(team)).toMatchObject({ kind: 'retrying' });
    // As this process read it at the start of a tick, before the other's attempt failed.
    const [open] = await bot.store.openDigestRuns(team);
    const stale = { ...open!, state: 'posting' as const, nextAttemptAt: null };
    const posts = platform.posts;
    expect(await serveChannel((await bot.store.getChannel(team))!, stale, deps())).toEqual({
      kind: 'waiting',
      nextAttemptAt: '2026-06-10T07:06:00.000Z',
    });
    expect(platform.posts).toBe(posts);
    expect(platform.finds).toBe(0);
  });

  it('carries an unposted run into the next day and says so', async () => {
    platform.flaky.set('fake:w1:team', 1_000);
    await serve(team);
    const failed = await latestRun(team);
    platform.flaky.delete('fake:w1:team');
    time.clock.set('2026-06-11T07:01:00Z');
    expect(await serve(team)).toMatchObject({ kind: 'posted' });
    const [message] = platform.in(team);
    expect(message?.paperIds.sort()).toEqual([...(failed?.paperIds ?? [])].sort());
    expect(message?.title).toBe(
      `Paper digest 2026-06-11 · includes ${failed?.paperIds.length} papers from Wednesday, when posting failed`,
    );
    const [posted, abandoned] = await bot.store.recentDigestRuns(team, 2);
    expect(abandoned).toMatchObject({ id: failed?.id, state: 'abandoned' });
    expect(posted?.from).toBe(failed?.from);
  });

  it('never posts a new version of a paper the channel already got', async () => {
    await serve(team);
    time.clock.set('2026-06-11T04:00:00Z');
    await bot.store.upsertPapers(
      parseArxivRss(fixture('arxiv-rss-thu-replace.xml'), {
        fetchedAt: time.clock.now().toISOString(),
      }).papers,
      time.clock.now(),
    );
    await bot.search.refresh();
    expect((await bot.store.getPaper('2606.01001'))?.version).toBe(2);
    time.clock.set('2026-06-11T07:01:00Z');
    await serve(team);
    const [, next] = platform.in(team);
    expect(next?.paperIds).toEqual(['2606.03001']);
  });

  it('stays quiet on an empty day unless configured to say so', async () => {
    await serve(team);
    time.clock.set('2026-06-11T07:01:00Z');
    expect(await serve(team)).toEqual({ kind: 'empty' });
    expect((await latestRun(team))?.state).toBe('empty');
    expect(platform.in(team)).toHaveLength(1);
    time.clock.set('2026-06-12T07:01:00Z');
    await serve(team, deps({ postWhenEmpty: true }));
    expect(platform.in(team).at(-1)).toMatchObject({
      kind: 'digest',
      paperIds: [],
      date: '2026-06-12',
    });
  });

  it('plans parts that continue a section across messages', () => {
    const paper = (id: string) => ({ id }) as never;
    const plans = planParts(
      {
        sections: [
          {
            topic: 'a',
            items: [1, 2, 3].map((n) => ({
              paper: paper(`p${n}`),
              topic: 'a',
              matchedTerms: [],
              why: 'w',
            })),
          },
          { topic: 'b', items: [{ paper: paper('p4'), topic: 'b', matchedTerms: [], why: 'w' }] },
        ],
        paperIds: [],
      },
      '2026-06-10',
      2,
      null,
    );
    expect(plans.map((p) => p.sections.map((s) => [s.topic, s.items.map((i) => i.id)]))).toEqual([
      [['a', ['p1', 'p2']]],
      [
        ['a', ['p3']],
        ['b', ['p4']],
      ],
    ]);
  });
});
