import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DigestPoster } from '../../../src/core/digest/post.js';
import { serveChannel } from '../../../src/core/digest/run.js';
import { parseHfDailyPapers } from '../../../src/core/sources/parse-hf-daily-papers.js';
import type { ChannelRef, Schedule } from '../../../src/core/store/store.js';
import { failOnCrash, type Harness, ROOT, startHarness } from './harness.js';

failOnCrash();

const schedule: Schedule = { time: '09:00', timeZone: 'UTC', days: 'every', size: 10 };

/** The digest module (runs, reconciliation) with the Discord adapter as its poster. */
describe('digest delivery through Discord', () => {
  let h: Harness;

  afterEach(async () => {
    await h?.close();
  });

  async function setUp(pick: (c: Harness['fake']['channels']) => string[]): Promise<ChannelRef[]> {
    h = await startHarness();
    const channels = pick(h.fake.channels);
    const refs = channels.map((channel) => ({
      platform: 'discord' as const,
      workspace: h.fake.guildId,
      channel,
    }));
    for (const ref of refs) {
      await h.bot.store.setSchedule(ref, schedule, new Date('2025-12-11T00:00:00Z'));
      await h.bot.store.addSubscription({
        channel: ref,
        topic: 'reasoning',
        addedBy: 'u1',
        addedAt: '2025-12-11T00:00:00Z',
      });
    }
    const text = readFileSync(path.join(ROOT, 'test', 'fixtures', 'live', 'hf-day1.json'), 'utf8');
    const at = h.clock.now().toISOString();
    await h.bot.store.upsertPapers(
      parseHfDailyPapers(text, { fetchedAt: at }).papers,
      h.clock.now(),
    );
    await h.bot.search.refresh();
    h.clock.advance(60_000);
    return refs;
  }

  async function deliver(ref: ChannelRef, poster: DigestPoster = h.adapter) {
    const channel = await h.bot.store.getChannel(ref);
    if (!channel) throw new Error('no channel');
    return serveChannel(channel, (await h.bot.store.openDigestRuns(ref))[0], {
      store: h.bot.store,
      search: h.bot.search,
      settings: h.config.digest,
      clock: h.clock,
      logger: h.bot.logger,
      posters: new Map([['discord' as const, poster]]),
      defaultSchedule: schedule,
      startedAt: h.clock.now(),
      owner: 'test-process',
    });
  }

  it('posts to a text channel, a thread and a forum, each run part completed with the message id', async () => {
    const refs = await setUp((c) => [c.text, c.thread, c.forum]);
    const { text, thread, forum } = h.fake.channels;
    for (const ref of refs) {
      const outcome = await deliver(ref);
      expect(outcome?.kind).toBe('posted');
      const [part] = (await h.bot.store.recentDigestRuns(ref, 1))[0]?.parts ?? [];
      expect(part?.messageId).toBeTruthy();
      expect(await h.adapter.findDelivery(ref, part?.deliveryId ?? '')).toBe(part?.messageId);
    }
    const [textMessage] = h.fake.messages(text);
    const embeds = (textMessage?.embeds ?? []) as Array<{ footer?: { text: string } }>;
    const footer = embeds[0]?.footer?.text;
    expect(footer).toContain(
      `delivery ${(await h.bot.store.recentDigestRuns(refs[0] as ChannelRef, 1))[0]?.parts[0]?.deliveryId}`,
    );
    expect(h.fake.messages(thread)).toHaveLength(1);
    expect(h.fake.threadsOf(forum)).toHaveLength(1);
  });

  it('after a crash between posting and completing, finds the message instead of posting twice', async () => {
    const [ref] = await setUp((c) => [c.text]);
    if (!ref) throw new Error('no ref');
    let crashed = false;
    const crashing: DigestPoster = {
      findDelivery: (target, id) => h.adapter.findDelivery(target, id),
      async post(target, reply) {
        const result = await h.adapter.post(target, reply);
        if (!crashed) {
          crashed = true;
          throw new Error('process died before completing the run part');
        }
        return result;
      },
    };
    // The answer is lost: the run retries a minute later and finds the message first.
    expect((await deliver(ref, crashing))?.kind).toBe('retrying');
    h.clock.advance(60_000);
    expect((await deliver(ref, crashing))?.kind).toBe('posted');
    const messages = h.fake.messages(ref.channel);
    expect(messages).toHaveLength(1);
    expect((await h.bot.store.recentDigestRuns(ref, 1))[0]?.parts[0]?.messageId).toBe(
      messages[0]?.id,
    );
  });

  it('a refusing channel is marked refused while another channel still gets its digest', async () => {
    const refs = await setUp((c) => [c.other, c.text]);
    const [refusing, fine] = refs as [ChannelRef, ChannelRef];
    h.fake.fail({
      path: /^\/channels\/100000000000000002\//,
      status: 403,
      times: Number.POSITIVE_INFINITY,
    });
    expect((await deliver(refusing))?.kind).toBe('refused');
    expect((await h.bot.store.getChannel(refusing))?.failure?.reason).toMatch(/permission/);
    expect((await deliver(fine))?.kind).toBe('posted');
    expect(h.fake.messages(fine.channel)).toHaveLength(1);
  });
});
