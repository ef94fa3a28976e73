import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Bot } from '../../../src/app.js';
import type { Config } from '../../../src/config.js';
import type { ChannelRef } from '../../../src/core/store/store.js';
import { record } from '../../commands/bot-fixture.js';
import { type FakeSlack, startFakeSlack } from '../../fakes/slack/fake-slack.js';
import { recordPostedDigest } from '../../support/posted-digest.js';
import { deliverEvent, eventCallback } from './events.js';
import { failOnUnhandledRejections, memoryLogger } from './harness.js';
import {
  createTestBot,
  freshChannel,
  type Mode,
  type SlackBotUnderTest,
  startSlackBot,
  textOf,
} from './slack-bot.js';

describe.each<Mode>(['http', 'socket'])('Slack: questions to the bot (real Bolt, %s)', (mode) => {
  failOnUnhandledRejections();
  let fake: FakeSlack;
  let shared: { bot: Bot; config: Config };
  let slack: SlackBotUnderTest;

  beforeAll(async () => {
    fake = await startFakeSlack({ pingIntervalMs: 500 });
    shared = await createTestBot(memoryLogger().logger);
  });
  afterAll(async () => {
    await shared.bot.close();
    await fake.close();
  });
  beforeEach(async () => {
    slack = await startSlackBot(mode, fake, shared, memoryLogger().logger);
  });
  afterEach(async () => {
    await slack.stop();
  });

  it("answers an app_mention in a digest's thread about that digest's paper", async () => {
    const channel = freshChannel();
    const digestTs = '1765530000.000100';
    const paper = (await shared.bot.search.search('SkillMimic basketball')).hits[0]?.paper;
    if (!paper) throw new Error('sample paper missing');
    await recordPostedDigest(
      shared.bot.store,
      { platform: 'slack', workspace: fake.teamId, channel },
      [paper.id],
      digestTs,
    );
    await deliverEvent(
      mode,
      fake,
      slack,
      eventCallback(fake, {
        type: 'app_mention',
        user: 'UASKER',
        text: `<@${fake.botUserId}> how are the skills learned?`,
        ts: '1765540000.000200',
        thread_ts: digestTs,
        channel,
        event_ts: '1765540000.000200',
      }),
    );
    const answer = await fake.waitFor(
      () => fake.messages.find((m) => m.channel === channel && m.thread_ts === digestTs),
      5000,
      'the answer in the thread',
    );
    const sources = JSON.stringify(answer.blocks).split('*Sources*')[1] ?? '';
    expect(sources.split('\\n')[1]).toContain('SkillMimic');
    expect(textOf(answer as unknown as Record<string, unknown>)).not.toContain(
      `<@${fake.botUserId}>`,
    );
  });

  it('unfurls an arXiv link with chat.unfurl: the card and "posted here on"', async () => {
    const channel = freshChannel();
    await shared.bot.store.upsertPapers(
      [
        record('2410.14735', 'Agent Skill Acquisition via CycleQD', {
          abstract:
            'CycleQD merges models to acquire agent skills. It alternates quality measures.',
          authors: ['So Kuroki', 'Taishi Nakamura'],
          authorCount: 2,
          publishedAt: '2024-10-16',
        }),
      ],
      shared.bot.clock.now(),
    );
    const digestChannel: ChannelRef = {
      platform: 'slack',
      workspace: fake.teamId,
      channel: freshChannel(),
    };
    await shared.bot.store.setSchedule(digestChannel, null, shared.bot.clock.now());
    await recordPostedDigest(
      shared.bot.store,
      digestChannel,
      ['2410.14735'],
      '1764579600.000100',
      '2025-12-01T09:00:00.000Z',
    );
    const known = 'https://arxiv.org/abs/2410.14735v2';
    const unknown = 'https://huggingface.co/papers/2501.99999';
    await deliverEvent(
      mode,
      fake,
      slack,
      eventCallback(fake, {
        type: 'link_shared',
        user: 'UASKER',
        channel,
        message_ts: '1765540200.000400',
        links: [
          { domain: 'arxiv.org', url: known },
          { domain: 'huggingface.co', url: unknown },
        ],
        event_ts: '1765540200.000500',
      }),
    );
    const call = await fake.waitFor(
      () => fake.callsOf('chat.unfurl').find((c) => c.params.channel === channel),
      5000,
      'chat.unfurl',
    );
    expect(call.params.ts).toBe('1765540200.000400');
    const raw = call.params.unfurls;
    const unfurls = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<
      string,
      { blocks: unknown }
    >;
    expect(Object.keys(unfurls)).toEqual([known]);
    const card = JSON.stringify(unfurls[known]);
    expect(card).toContain('Agent Skill Acquisition via CycleQD');
    expect(card).toContain('So Kuroki and Taishi Nakamura · 2024-10-16');
    expect(card).toContain('CycleQD merges models to acquire agent skills.');
    expect(card).not.toContain('It alternates');
    expect(card).toContain('Posted here on 2025-12-01.');
  });

  it('previews a link still in the message composer with unfurl_id and source', async () => {
    await shared.bot.store.upsertPapers(
      [record('2410.14735', 'Agent Skill Acquisition via CycleQD')],
      shared.bot.clock.now(),
    );
    const unfurlId = `U${mode}-909b5454-75f8-4ac4-b325-1b40e230bbd8`;
    await deliverEvent(
      mode,
      fake,
      slack,
      eventCallback(fake, {
        type: 'link_shared',
        user: 'UASKER',
        channel: 'COMPOSER',
        message_ts: unfurlId,
        unfurl_id: unfurlId,
        source: 'composer',
        links: [{ domain: 'arxiv.org', url: 'https://arxiv.org/abs/2410.14735' }],
        event_ts: '1765540200.000600',
      }),
    );
    const call = await fake.waitFor(
      () => fake.callsOf('chat.unfurl').find((c) => JSON.stringify(c.params).includes(unfurlId)),
      5000,
      'chat.unfurl',
    );
    expect(call.params).toMatchObject({ unfurl_id: unfurlId, source: 'composer' });
    expect(call.params.channel).toBeUndefined();
    expect(call.params.ts).toBeUndefined();
    expect(JSON.stringify(call.params.unfurls)).toContain('Agent Skill Acquisition via CycleQD');
  });

  it('answers a mention outside any thread like /papers ask, in a thread under it', async () => {
    const channel = freshChannel();
    const ts = '1765540100.000300';
    await deliverEvent(
      mode,
      fake,
      slack,
      eventCallback(fake, {
        type: 'app_mention',
        user: 'UASKER',
        text: `<@${fake.botUserId}> which crossover does CycleQD use?`,
        ts,
        channel,
        event_ts: ts,
      }),
    );
    const answer = await fake.waitFor(
      () => fake.messages.find((m) => m.channel === channel && m.thread_ts === ts),
      5000,
      'the answer under the question',
    );
    expect(JSON.stringify(answer.blocks)).toContain('model merging based crossover');
  });
});
