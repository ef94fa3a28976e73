import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Bot, createBot } from '../../src/app.js';
import { deliverDigest } from '../../src/commands/digest-delivery.js';
import { planParts } from '../../src/commands/digest-parts.js';
import { reconcilePending } from '../../src/commands/digest-reconcile.js';
import { silentLogger } from '../../src/core/logger.js';
import { dueDigest } from '../../src/core/scheduler.js';
import { parseArxivRss } from '../../src/core/sources/parse-arxiv-rss.js';
import { parseHfDailyPapers } from '../../src/core/sources/parse-hf-daily-papers.js';
import type { ChannelRef, Schedule } from '../../src/core/store/store.js';
import { FakePlatform } from '../fakes/platform-poster.js';
import { fixture, testConfig, testTime } from '../live/harness.js';

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
      bot.store.setSchedule(ref, schedule, new Date('2026-06-09T00:00:00Z'));
      for (const topic of ['robot grasping', 'reasoning'])
        bot.store.addSubscription({
          channel: ref,
          topic,
          addedBy: 'u1',
          addedAt: '2026-06-09T00:00:00Z',
        });
    }
    const at = time.clock.now().toISOString();
    bot.store.upsertPapers(
      parseHfDailyPapers(fixture('hf-day1.json'), { fetchedAt: at }).papers,
      time.clock.now(),
    );
    bot.store.upsertPapers(
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

  function deps(over: { partSize?: number; postWhenEmpty?: boolean } = {}) {
    return {
      store: bot.store,
      search: bot.search,
      config: { digest: { ...bot.config.digest, postWhenEmpty: over.postWhenEmpty ?? false } },
      clock: time.clock,
      logger: silentLogger(),
      posters: new Map([['fake' as const, platform]]),
      sleep: time.sleep,
      ...(over.partSize ? { partSize: over.partSize } : {}),
    };
  }

  function due(ref: ChannelRef) {
    const channel = bot.store.getChannel(ref)!;
    const d = dueDigest(channel, time.clock.now(), {
      defaultSchedule: schedule,
      startedAt: time.clock.now(),
    });
    return { channel, due: d! };
  }

  it('posts the digest grouped by topic, ledger first, completed with the message id', async () => {
    const { channel, due: d } = due(team);
    const outcome = await deliverDigest(channel, d, deps());
    expect(outcome).toMatchObject({ kind: 'posted', parts: 1, papers: 4 });
    const [message] = platform.in(team);
    // Sections in the store's topic order; within a topic, known upvotes first.
    expect(message?.paperIds).toEqual(['2606.01002', '2606.02005', '2606.01001', '2606.01003']);
    const rows = bot.store.listDeliveries(team, '2026-06-10');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      state: 'sent',
      messageId: message?.id,
      paperIds: message?.paperIds,
    });
    expect(message?.deliveryId).toBe(rows[0]?.id);
    // A row written in this run is posted straight away: no history read first.
    expect(platform.finds).toBe(0);
    expect(bot.store.getChannel(team)?.lastDigestAt).toBe(time.clock.now().toISOString());
    // Not due again today; a second attempt at the same digest date posts nothing.
    expect(
      dueDigest(bot.store.getChannel(team)!, time.clock.now(), {
        defaultSchedule: schedule,
        startedAt: time.clock.now(),
      }),
    ).toBeNull();
    await deliverDigest(channel, d, deps());
    expect(platform.in(team)).toHaveLength(1);
  });

  it('splits a long digest into parts, each with its own ledger row', async () => {
    const { channel, due: d } = due(team);
    await deliverDigest(channel, d, deps({ partSize: 3 }));
    const messages = platform.in(team);
    expect(messages.map((m) => m.title)).toEqual([
      'Paper digest 2026-06-10 (1/2)',
      'Paper digest 2026-06-10 (2/2)',
    ]);
    expect(messages.map((m) => m.part)).toEqual([1, 2]);
    expect(bot.store.listDeliveries(team, '2026-06-10').map((r) => r.state)).toEqual([
      'sent',
      'sent',
    ]);
  });

  it('after a crash between posting and completing, reconciliation finds the message instead of re-posting', async () => {
    const { channel, due: d } = due(team);
    let posted: () => void = () => {};
    const firstPost = new Promise<void>((resolve) => {
      posted = resolve;
    });
    // The "process" dies inside the first post: the message exists, the ledger row is pending.
    platform.afterPost = () => {
      posted();
      return new Promise<void>(() => {});
    };
    void deliverDigest(channel, d, deps({ partSize: 3 }));
    await firstPost;
    expect(bot.store.pendingDeliveries().map((r) => r.part)).toEqual([1, 2]);
    // "Restart": a new connection to the same platform, which still has the message.
    const restarted = new FakePlatform();
    restarted.messages.push(...platform.messages);
    const settled = await reconcilePending({
      ...deps({ partSize: 3 }),
      posters: new Map([['fake' as const, restarted]]),
    });
    expect(settled).toBe(2);
    expect(bot.store.pendingDeliveries()).toEqual([]);
    const messages = restarted.in(team);
    expect(messages.map((m) => m.part)).toEqual([1, 2]);
    expect(new Set(messages.map((m) => m.deliveryId)).size).toBe(2);
    // Part 1 was found, not re-posted; only the missing part 2 was posted.
    expect(restarted.posts).toBe(1);
    const rows = bot.store.listDeliveries(team, '2026-06-10');
    expect(rows.map((r) => r.messageId)).toEqual(messages.map((m) => m.id));
  });

  it('marks a refusing channel, never retries it, and still serves the others', async () => {
    platform.refusing.set('fake:w1:team', 'missing permission: Send Messages');
    const a = due(team);
    const b = due(other);
    expect(await deliverDigest(a.channel, a.due, deps())).toMatchObject({ kind: 'unavailable' });
    expect(await deliverDigest(b.channel, b.due, deps())).toMatchObject({ kind: 'posted' });
    const refused = bot.store.getChannel(team)!;
    expect(refused.failure?.reason).toBe('missing permission: Send Messages');
    expect(bot.store.listDeliveries(team).every((r) => r.state === 'failed')).toBe(true);
    expect(
      dueDigest(refused, time.clock.now(), {
        defaultSchedule: schedule,
        startedAt: time.clock.now(),
      }),
    ).toBeNull();
    expect(await reconcilePending(deps())).toBe(0);
    expect(platform.in(other)).toHaveLength(1);
  });

  it('retries a transient failure with backoff on the injected clock', async () => {
    platform.flaky.set('fake:w1:team', 2);
    const { channel, due: d } = due(team);
    expect(await deliverDigest(channel, d, deps())).toMatchObject({ kind: 'posted' });
    expect(time.sleeps).toEqual([2_000, 4_000]);
    // Each retry first checks whether the failed post reached the channel after all.
    expect(platform.finds).toBe(2);
    expect(platform.in(team)).toHaveLength(1);
  });

  it('never posts a new version of a paper the channel already got', async () => {
    const first = due(team);
    await deliverDigest(first.channel, first.due, deps());
    time.clock.set('2026-06-11T04:00:00Z');
    bot.store.upsertPapers(
      parseArxivRss(fixture('arxiv-rss-thu-replace.xml'), {
        fetchedAt: time.clock.now().toISOString(),
      }).papers,
      time.clock.now(),
    );
    await bot.search.refresh();
    expect(bot.store.getPaper('2606.01001')?.version).toBe(2);
    time.clock.set('2026-06-11T07:01:00Z');
    const second = due(team);
    await deliverDigest(second.channel, second.due, deps());
    const [, next] = platform.in(team);
    expect(next?.paperIds).toEqual(['2606.03001']);
  });

  it('stays quiet on an empty day unless configured to say so', async () => {
    const first = due(team);
    await deliverDigest(first.channel, first.due, deps());
    time.clock.set('2026-06-11T07:01:00Z');
    const quiet = due(team);
    expect(await deliverDigest(quiet.channel, quiet.due, deps())).toEqual({ kind: 'quiet' });
    expect(platform.in(team)).toHaveLength(1);
    time.clock.set('2026-06-12T07:01:00Z');
    const told = due(team);
    await deliverDigest(told.channel, told.due, deps({ postWhenEmpty: true }));
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
