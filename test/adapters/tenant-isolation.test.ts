import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../src/app.js';
import type { ChannelRef } from '../../src/core/store/store.js';
import { record } from '../commands/bot-fixture.js';
import { sendCommand } from '../fakes/discord/interactions.js';
import { type FakeSlack, startFakeSlack } from '../fakes/slack/fake-slack.js';
import { recordPostedDigest } from '../support/posted-digest.js';
import { answerTo, failOnCrash, type Harness, startHarness } from './discord/harness.js';
import { deliverEvent, eventCallback } from './slack/events.js';
import { memoryLogger } from './slack/harness.js';
import { createTestBot, type SlackBotUnderTest, startSlackBot, textOf } from './slack/slack-bot.js';

// The rule under test is written in docs/tenants.md.
failOnCrash();

const SCHEDULE = { time: '09:00', timeZone: 'UTC', days: 'every', size: 5 } as const;

/**
 * Gives `ref` a schedule, a posting failure and a topic, each naming `mark`, so any reply
 * that leaks one of them is caught by looking for the mark.
 */
async function seed(bot: Bot, ref: ChannelRef, mark: string): Promise<void> {
  const now = bot.clock.now();
  await bot.store.setSchedule(ref, { ...SCHEDULE }, now);
  await bot.store.setChannelFailure(ref, `missing permission in ${mark}`, now);
  await bot.store.addSubscription({
    channel: ref,
    topic: `topic${mark.toLowerCase()}`,
    addedBy: 'U0SEED',
    addedAt: now.toISOString(),
  });
}

function expectNone(text: string, marks: string[]): void {
  for (const mark of marks) expect(text.toLowerCase(), mark).not.toContain(mark.toLowerCase());
}

describe('Slack tenants through the real Bolt: DMs, group DMs, missing or other team ids', () => {
  let fake: FakeSlack;
  let shared: Awaited<ReturnType<typeof createTestBot>>;
  let slack: SlackBotUnderTest;
  // Marks: the channel id itself for workspace channels, a separate word for the others.
  const others = 'TOTHERWS9';
  const marks = {
    channel: 'CWSA00001',
    dm: 'DUSERA001',
    group: 'GGROUPA01',
    foreign: 'CWSB00001',
    noTeam: 'CNOTEAM01',
  };
  const connect = 'CCONNECT1';
  beforeAll(async () => {
    fake = await startFakeSlack();
    const log = memoryLogger();
    shared = await createTestBot(log.logger);
    slack = await startSlackBot('http', fake, shared, log.logger);
    const bot = shared.bot;
    await seed(
      bot,
      { platform: 'slack', workspace: fake.teamId, channel: marks.channel },
      marks.channel,
    );
    await seed(bot, { platform: 'slack', workspace: fake.teamId, channel: marks.dm }, marks.dm);
    await seed(
      bot,
      { platform: 'slack', workspace: fake.teamId, channel: marks.group },
      marks.group,
    );
    await seed(
      bot,
      { platform: 'slack', workspace: others, channel: marks.foreign },
      marks.foreign,
    );
    await seed(bot, { platform: 'slack', workspace: '', channel: marks.noTeam }, marks.noTeam);
    // A Slack Connect channel: one channel id, used from both organisations.
    await seed(bot, { platform: 'slack', workspace: fake.teamId, channel: connect }, 'SHAREDHOME');
    await seed(bot, { platform: 'slack', workspace: others, channel: connect }, 'SHAREDAWAY');
  });
  afterAll(async () => {
    await slack?.stop();
    await shared?.bot.close();
    await fake?.close();
  });

  async function texts(teamId: string, channelId: string): Promise<[string, string, string]> {
    const ask = async (command: string) =>
      textOf((await slack.command(command, { teamId, channelId })).body);
    return [await ask('status'), await ask('subscriptions'), await ask('digest')];
  }

  it('a workspace channel sees its workspace channels, never a DM, a group DM or another workspace', async () => {
    const [status, subscriptions, digest] = await texts(fake.teamId, 'CWSA00002');
    expect(status).toContain(`missing permission in ${marks.channel}`);
    expectNone(status, [marks.dm, marks.group, marks.foreign, marks.noTeam, others]);
    expectNone(`${subscriptions}${digest}`, Object.values(marks));
  });

  it('a DM sees only itself, with its own team id', async () => {
    const [status, subscriptions, digest] = await texts(fake.teamId, marks.dm);
    expect(status).toContain(`missing permission in ${marks.dm}`);
    expect(subscriptions).toContain(`topic${marks.dm.toLowerCase()}`);
    expectNone(`${status}${subscriptions}${digest}`, [
      marks.channel,
      marks.group,
      marks.foreign,
      marks.noTeam,
    ]);
  });

  it('a DM whose payload names another team (Enterprise Grid) sees no channel of either', async () => {
    for (const text of await texts(others, 'DUSERA999')) expectNone(text, Object.values(marks));
  });

  it('a DM or a channel whose payload names no team sees nothing but itself', async () => {
    for (const text of await texts('', 'DNOTEAM99')) expectNone(text, Object.values(marks));
    for (const text of await texts('', 'CNOTEAM02')) expectNone(text, Object.values(marks));
  });

  it('a Slack Connect channel (one id under two team ids) sees only itself, under each team', async () => {
    const [home] = await texts(fake.teamId, connect);
    expect(home).toContain('missing permission in SHAREDHOME');
    expectNone(home, [marks.channel, marks.dm, marks.group, marks.foreign, 'SHAREDAWAY']);
    const [away, awayTopics] = await texts(others, connect);
    expect(away).toContain('missing permission in SHAREDAWAY');
    expect(awayTopics).toContain('topicsharedaway');
    expectNone(`${away}${awayTopics}`, [marks.channel, marks.foreign, 'SHAREDHOME']);
  });

  it('a link unfurled in a channel Slack marks as externally shared says nothing of other channels', async () => {
    const bot = shared.bot;
    bot.store.upsertPapers(
      [record('2410.14735', 'Agent Skill Acquisition via CycleQD', { abstract: 'CycleQD.' })],
      bot.clock.now(),
    );
    const home: ChannelRef = { platform: 'slack', workspace: fake.teamId, channel: marks.channel };
    recordPostedDigest(
      bot.store,
      home,
      ['2410.14735'],
      '1764579600.000100',
      '2025-12-01T09:00:00.000Z',
    );
    const unfurl = async (channel: string, external: boolean) => {
      const before = fake.callsOf('chat.unfurl').length;
      await deliverEvent('http', fake, slack, {
        ...eventCallback(fake, {
          type: 'link_shared',
          user: 'UEXTERNAL',
          channel,
          message_ts: '1765540200.000400',
          links: [{ domain: 'arxiv.org', url: 'https://arxiv.org/abs/2410.14735' }],
          event_ts: '1765540200.000500',
        }),
        is_ext_shared_channel: external,
      });
      const call = await fake.waitFor(
        () => fake.callsOf('chat.unfurl')[before],
        5000,
        'chat.unfurl',
      );
      return JSON.stringify(call.params.unfurls);
    };
    // The same workspace's own channel says where its digest carried the paper …
    expect(await unfurl('CWSA00003', false)).toContain('Posted here on 2025-12-01');
    // … a channel shared with another organisation does not.
    const card = await unfurl('CWSA00004', true);
    expect(card).toContain('Agent Skill Acquisition via CycleQD');
    expect(card).not.toContain('Posted here');
  });

  it('a group DM / private G channel sees only itself', async () => {
    const [status, ...rest] = await texts(fake.teamId, marks.group);
    expect(status).toContain(`missing permission in ${marks.group}`);
    expectNone(`${status}${rest.join('')}`, [marks.channel, marks.dm, marks.foreign, marks.noTeam]);
  });
});

describe('Discord tenants through the real discord.js: a DM and a guild never see each other', () => {
  let h: Harness;
  const foreignGuild = '799999999999999991';
  const foreignChannel = '899999999999999991';
  const dmChannel = '500000000000000777';
  const otherDm = '500000000000000778';
  beforeAll(async () => {
    h = await startHarness();
    await seed(
      h.bot,
      { platform: 'discord', workspace: h.fake.guildId, channel: h.fake.channels.other },
      'guildown',
    );
    await seed(
      h.bot,
      { platform: 'discord', workspace: foreignGuild, channel: foreignChannel },
      'guildforeign',
    );
    await seed(h.bot, { platform: 'discord', workspace: 'dm', channel: dmChannel }, 'dmmine');
    await seed(h.bot, { platform: 'discord', workspace: 'dm', channel: otherDm }, 'dmother');
  });
  afterAll(async () => {
    await h?.close();
  });

  async function texts(
    place: Parameters<typeof sendCommand>[3],
  ): Promise<[string, string, string]> {
    const ask = async (command: string) =>
      JSON.stringify((await answerTo(h.fake, sendCommand(h.fake, command, {}, place))).message);
    return [await ask('status'), await ask('subscriptions'), await ask('digest')];
  }

  it('in the guild: its own channels, no DM, no other guild', async () => {
    const [status, subscriptions, digest] = await texts({});
    expect(status).toContain('missing permission in guildown');
    expectNone(status, [
      'guildforeign',
      'dmmine',
      'dmother',
      foreignGuild,
      foreignChannel,
      dmChannel,
    ]);
    expectNone(`${subscriptions}${digest}`, ['guildown', 'guildforeign', 'dmmine', 'dmother']);
  });

  it('in a DM: only that DM', async () => {
    const [status, subscriptions, digest] = await texts({ dm: true, channelId: dmChannel });
    expect(status).toContain('missing permission in dmmine');
    expect(subscriptions).toContain('topicdmmine');
    expectNone(`${status}${subscriptions}${digest}`, [
      'guildown',
      'guildforeign',
      'dmother',
      h.fake.channels.other,
      foreignChannel,
      otherDm,
    ]);
  });
});
